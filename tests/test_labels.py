"""Labels and locale-aware formatting, read from the locale files. Expected texts are written
by hand here, never computed with the code under test."""

import datetime as dt
import re

import pytest

from generator.sheet import locales
from generator.sheet.model import LANGUAGES
from generator.view.labels import catalog, format_date, format_list, format_pages, plural
from tests.conftest import catalogs

CATALOGS = catalogs()  # every language's labels, as the locale files say


def test_every_language_has_a_catalog_with_the_same_keys():
    assert set(CATALOGS) == set(LANGUAGES) == set(locales.codes())
    assert {"en", "fr", "es"} <= set(LANGUAGES)
    keys = {lang: set(catalog) for lang, catalog in CATALOGS.items()}
    assert all(k == keys["en"] for k in keys.values())
    assert all(value.strip() for catalog in CATALOGS.values() for value in catalog.values())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_keeps_the_placeholders_of_english(lang):
    def names(text):
        return sorted(re.findall(r"\{(\w+)\}", text))

    for key, value in CATALOGS[lang].items():
        assert names(value) == names(CATALOGS["en"][key]), (lang, key)


def test_dates_are_written_as_people_write_them():
    assert format_date(dt.date(2026, 2, 23), "en") == "23 February 2026"
    assert format_date(dt.date(2026, 2, 23), "fr") == "23 février 2026"
    assert format_date(dt.date(2026, 3, 14), "es") == "14 de marzo de 2026"


def test_page_references_get_the_right_abbreviation_and_en_dashes():
    assert format_pages("30-33", "en") == "pp. 30–33"
    assert format_pages("10, 36-39", "en") == "pp. 10, 36–39"
    assert format_pages("10 and 12", "en") == "pp. 10 and 12"
    assert format_pages("12", "en") == "p. 12"
    assert format_pages("30-33", "fr") == "p. 30–33"
    assert format_pages("12", "fr") == "p. 12"
    assert format_pages("30-33", "es") == "págs. 30–33"
    assert format_pages("10 y 12", "es") == "págs. 10 y 12"
    assert format_pages("12", "es") == "pág. 12"
    assert format_pages(None, "en") is None


def test_lists_are_joined_as_sentences():
    assert format_list(["Ann", "Bob", "Cy"], "en") == "Ann, Bob and Cy"
    assert format_list(["Ann", "Bob", "Cy"], "fr") == "Ann, Bob et Cy"
    assert format_list(["Ana", "Bea", "Ciro"], "es") == "Ana, Bea y Ciro"
    assert format_list([], "en") == ""


def test_counted_labels_agree_with_their_number():
    assert catalog("en", {"sec_quiz": 1})["sec_quiz"] == "MCQ — {count} question"
    assert catalog("en", {"sec_quiz": 5})["sec_quiz"] == "MCQ — {count} questions"
    assert catalog("fr", {"sec_quiz": 1})["sec_quiz"] == "QCM — {count} question"
    assert catalog("fr", {"sec_quiz": 0})["sec_quiz"] == "QCM — {count} question"  # French
    assert catalog("es", {"sec_quiz": 1})["sec_quiz"] == "Test: {count} pregunta"
    assert catalog("es", {"sec_quiz": 0})["sec_quiz"] == "Test: {count} preguntas"  # Spanish
    assert catalog("en", {"authors": 1})["authors"] == "Author"
    assert catalog("en", {"authors": 3})["authors"] == "Authors"
    assert catalog("fr", {"authors": 1})["authors"] == "Auteur"
    assert plural("en", "points_n", 2) == "{points} points"
    assert plural("es", "points_n", 1) == "{points} punto"
    assert catalog("en")["sec_quiz"] == CATALOGS["en"]["sec_quiz"] == "MCQ — {count} questions"


def test_french_labels_keep_their_no_break_spaces():
    """Typed in the locale file, so that a label never relies on the typography pass: a
    no-break space before `:`, a narrow one before `; ! ?`."""
    raw = locales.get("fr").labels
    assert raw["colon"] == "\u00a0:"
    assert "questionnaire\u00a0: trouvez" in raw["marking_instructions"]
    for key, value in CATALOGS["fr"].items():
        for before, mark in re.findall(r"(.)([:;!?])", value):
            assert before == ("\u00a0" if mark == ":" else "\u202f"), (key, value)


def test_french_pdf_prints_the_colon_after_a_no_break_space(french):
    import pdfplumber

    with pdfplumber.open(french.pdf("answer-key")) as pdf:
        chars = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "Bonne réponse\u00a0:" in chars
    assert "Explication\u00a0:" in chars
