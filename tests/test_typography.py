"""Print typography per language, applied at render time and never inside addresses. Every
expected string is written by hand."""

import subprocess
import sys
import textwrap

import pytest

from generator.view.markup import inline
from generator.view.typography import NBSP, NNBSP, apply
from tests.conftest import ROOT


@pytest.mark.parametrize(("written", "printed"), [
    ("Quoi ? Vraiment !", f"Quoi{NNBSP}? Vraiment{NNBSP}!"),
    ("Titre : sous-titre", f"Titre{NBSP}: sous-titre"),
    ("Titre: sous-titre", f"Titre{NBSP}: sous-titre"),
    ("le « dernier message » dure", f"le «{NNBSP}dernier message{NNBSP}» dure"),
    ("il dit «oui»!", f"il dit «{NNBSP}oui{NNBSP}»{NNBSP}!"),
    ("un point;", f"un point{NNBSP};"),
    ("1 200 jeunes, 40 % d’entre eux, 25 ans", f"1{NNBSP}200 jeunes, 40{NBSP}% d’entre eux, "
                                              f"25{NBSP}ans"),
    ("à 10:30", "à 10:30"),
    ("les 0-25 ans", f"les 0–25{NBSP}ans"),
    ("la stratégie 2022-2037 - un cadre", f"la stratégie 2022–2037{NBSP}– un cadre"),
    ("Et après...", "Et après…"),
    ('le guide "Agir "vite" et bien"', f"le guide «{NNBSP}Agir “vite” et bien{NNBSP}»"),
])
def test_french(written, printed):
    assert apply(written, "fr") == printed


@pytest.mark.parametrize(("written", "printed"), [
    ("Really? Yes: 40 % of 25 km!", f"Really? Yes: 40{NBSP}% of 25{NBSP}km!"),
    ("ages 0-25 - and their parents", "ages 0–25 – and their parents"),
    ("from 2022-2037...", "from 2022–2037…"),
    ("on 2026-02-23, COVID-19 and ISBN 978-84-7670-706-0", "on 2026-02-23, COVID-19 and "
                                                          "ISBN 978-84-7670-706-0"),
    ("well-being, 3-year-olds, 1.5-2 hours", f"well-being, 3-year-olds, 1.5-2{NBSP}hours"),
    ('He said "the "best" one"', "He said \u201cthe \u2018best\u2019 one\u201d"),
    ("Wait.... no", "Wait.... no"),
])
def test_english(written, printed):
    assert apply(written, "en") == printed


@pytest.mark.parametrize(("written", "printed"), [
    # « » first, then “ ” inside; no space before : ; ! ? nor inside « »; ¿ ¡ as written.
    ('el "informe "Salud" de 2024"', "el «informe \u201cSalud\u201d de 2024»"),
    ("¿Qué dice ? ¡Mucho !", "¿Qué dice? ¡Mucho!"),
    ("¿Qué dice? ¡Mucho!", "¿Qué dice? ¡Mucho!"),
    ("« hola » y «adiós»", "«hola» y «adiós»"),
    ("Nota : ver ; luego", "Nota: ver; luego"),
    ("a las 10:30", "a las 10:30"),
    ("Programa - fase 2", f"Programa{NBSP}\u2014 fase 2"),
    ("de 0-25 años...", f"de 0–25{NBSP}años…"),
    ("12 500 personas, 40 %", f"12{NNBSP}500 personas, 40{NBSP}%"),
    ("el 14-3-2026", "el 14-3-2026"),
])
def test_spanish(written, printed):
    assert apply(written, "es") == printed


def test_typewriter_quotes_become_printers_quotes():
    assert apply('the "Act" guide, it\'s \'virtual\'', "en") == (
        "the \u201cAct\u201d guide, it\u2019s \u2018virtual\u2019")
    assert apply('le guide "Agir"', "fr") == f"le guide «{NNBSP}Agir{NNBSP}»"
    assert apply('la guía "Actúa"', "es") == "la guía «Actúa»"


def test_addresses_are_left_alone():
    text = "voir https://example.org/?q=a;b!c ou www.example.org/x?y et a.b@example.fr ; merci"
    assert apply(text, "fr") == (
        f"voir https://example.org/?q=a;b!c ou www.example.org/x?y et a.b@example.fr{NNBSP}; merci"
    )
    text = "see https://x.org/0-25/a - b... or www.x.org/2022-2037 and a-b@x-y.org - now"
    assert apply(text, "en") == ("see https://x.org/0-25/a – b… or www.x.org/2022-2037 and "
                                 "a-b@x-y.org – now")
    assert apply('"https://x.org/a...b" - mailto:a@b.es?subject=1-2', "es") == (
        f"«https://x.org/a...b»{NBSP}\u2014 mailto:a@b.es?subject=1-2")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_an_e_mail_address_keeps_its_straight_apostrophe(lang):
    """An apostrophe is curled in words and never inside an `@` address: o’brien@… is
    another mailbox."""
    assert apply("Ask o'brien@example.org, it's free", lang) == (
        "Ask o'brien@example.org, it’s free")


def test_sentence_punctuation_after_an_address_is_the_sentence_s():
    assert apply("Lisez https://x.org/a?", "fr") == "Lisez https://x.org/a?"
    assert apply("(see https://x.org/a_(b)).", "en") == "(see https://x.org/a_(b))."


def test_markdown_links_keep_their_target():
    html = inline("Lire [le rapport ?](https://example.org/r?x=1) : **utile** !", "fr")
    assert 'href="https://example.org/r?x=1"' in html
    assert f"le rapport{NNBSP}?</a>{NBSP}: <strong>utile</strong>{NNBSP}!" in html


def test_quotes_close_across_markdown_pieces():
    assert inline('"**Act**" and "[the guide](https://x.org/a-b)"', "en") == (
        '\u201c<strong>Act</strong>\u201d and \u201c<a href="https://x.org/a-b" '
        'data-address="x.org/a-b">the guide</a>'
        '\u201d')
    assert inline('"**Agir**"', "fr") == f"«{NNBSP}<strong>Agir</strong>{NNBSP}»"
    assert inline('"*Actúa*"', "es") == "«<em>Actúa</em>»"


def test_french_pdf_carries_the_no_break_spaces(french):
    import pdfplumber

    with pdfplumber.open(french.pdf("easy-read")) as pdf:
        chars = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert f"{NNBSP}?" in chars


def test_spanish_pdf_prints_guillemets_and_no_space_before_punctuation(spanish_sample):
    import pdfplumber

    with pdfplumber.open(spanish_sample.pdf("full-analysis")) as pdf:
        chars = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "La «Guía para la implementación local» de 2015" in chars
    assert '"' not in chars
    assert not any(f"{space}{mark}" in chars for space in (" ", NBSP, NNBSP) for mark in ":;?!")


def test_long_input_is_transformed_in_linear_time():
    """#13: one 200,000-character word (as a run of letters, before `://`, around an `@`)
    and a 1 MB paragraph, through typography and Markdown, well within a few seconds (a
    quadratic pattern takes minutes). Run in a process of its own, so that a regression fails
    after a minute instead of hanging the suite."""
    probe = textwrap.dedent("""
        import time
        from generator.view.markup import inline
        from generator.view.typography import apply

        word = "x" * 200_000
        paragraph = ('Un "párrafo" - largo, de 0-25 años... ¿Sí? ' * 30_000)[:1_000_000]
        start = time.perf_counter()
        for lang in ("en", "fr", "es"):
            assert apply(word, lang) == word
            assert apply("a" * 200_000 + "://x", lang) == "a" * 200_000 + "://x"
            assert apply(word + "@" + word, lang) == word + "@" + word
            assert len(apply(paragraph, lang)) > 900_000
        assert len(inline(word, "en")) == 200_000
        assert len(inline(paragraph, "es")) > 900_000
        print(round(time.perf_counter() - start, 2))
    """)
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 20, result.stdout  # about 5 s here; quadratic: hours


def test_samples_print_ellipses_and_range_dashes(sample, french_sample):
    import pdfplumber

    def chars(built):
        with pdfplumber.open(built.pdf("full-analysis")) as pdf:
            return "".join(c["text"] for page in pdf.pages for c in page.chars)

    english = chars(sample)
    assert "Educational Alliances…\u201d" in english and "..." not in english
    french = chars(french_sample)
    assert "stratégie nationale 2022–2037" in french and "2022-2037" not in french
