"""French and English print typography, applied at render time and never inside addresses."""

import pytest

from generator.markup import inline
from generator.typography import NBSP, NNBSP, apply


@pytest.mark.parametrize(("written", "printed"), [
    ("Quoi ? Vraiment !", f"Quoi{NNBSP}? Vraiment{NNBSP}!"),
    ("Titre : sous-titre", f"Titre{NBSP}: sous-titre"),
    ("le « dernier message » dure", f"le «{NNBSP}dernier message{NNBSP}» dure"),
    ("il dit «oui»!", f"il dit «{NNBSP}oui{NNBSP}»{NNBSP}!"),
    ("un point;", f"un point{NNBSP};"),
    ("1 200 jeunes, 40 % d’entre eux, 25 ans", f"1{NNBSP}200 jeunes, 40{NBSP}% d’entre eux, "
                                              f"25{NBSP}ans"),
    ("à 10:30", "à 10:30"),
])
def test_french_spacing(written, printed):
    assert apply(written, "fr") == printed


def test_addresses_are_left_alone():
    text = "voir https://example.org/?q=a;b!c ou www.example.org/x?y et a.b@example.fr ; merci"
    assert apply(text, "fr") == (
        f"voir https://example.org/?q=a;b!c ou www.example.org/x?y et a.b@example.fr{NNBSP}; merci"
    )


def test_english_keeps_its_punctuation_but_holds_units():
    assert apply("Really? Yes: 40 % of 25 km!", "en") == f"Really? Yes: 40{NBSP}% of 25{NBSP}km!"


def test_markdown_links_keep_their_target():
    html = inline("Lire [le rapport ?](https://example.org/r?x=1) : **utile** !", "fr")
    assert 'href="https://example.org/r?x=1"' in html
    assert f"le rapport{NNBSP}?</a>{NBSP}: <strong>utile</strong>{NNBSP}!" in html


def test_french_pdf_carries_the_no_break_spaces(french):
    import pdfplumber

    with pdfplumber.open(french.pdf("easy-read")) as pdf:
        chars = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert f"{NNBSP}?" in chars


def test_typewriter_quotes_become_printers_quotes():
    assert apply('the "Act" guide, it\'s \'virtual\'', "en") == (
        "the \u201cAct\u201d guide, it\u2019s \u2018virtual\u2019")
    assert apply('le guide "Agir"', "fr") == f"le guide «{NNBSP}Agir{NNBSP}»"
