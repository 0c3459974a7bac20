"""Labels and locale-aware formatting, read from the locale files. Expected texts are written
by hand here, never computed with the code under test."""

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

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


# #24 item 13: credits with the language's elision, no organisation twice, counts that agree.

def test_a_label_before_a_name_elides_as_the_locale_says():
    from generator.view.labels import before_name

    assert before_name("Analyse de", "Équipe Santé", "fr") == "Analyse d\u2019"
    assert before_name("Analyse de", "“Orbe”", "fr") == "Analyse d\u2019"  # quoted name
    assert before_name("Analyse de", "Daniel Oberlé", "fr") == "Analyse de "
    assert before_name("Analyse de", "Haute Autorité de santé", "fr") == "Analyse de "  # h
    assert before_name("Analysis by", "Anne Smith", "en") == "Analysis by "
    assert before_name("Análisis de", "Ana Pérez", "es") == "Análisis de "
    assert locales.get("fr").typography.elision["de"] == "d\u2019"
    assert locales.get("en").typography.elision == {}


def _sheet_copy(source, folder, change) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for key, value in change.items():
        data[key].update(value)
    path = folder / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _pdf_words(path) -> str:
    from pypdf import PdfReader

    return " ".join("\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
                    .split())


def test_french_credits_elide_before_a_vowel(tmp_path):
    import shutil

    from generator.api import build
    from tests.conftest import FRENCH

    author = "Équipe Santé Publique Orbe"
    shutil.copytree(FRENCH.parent / "pictograms", tmp_path / "pictograms")
    source = _sheet_copy(FRENCH, tmp_path, {"sheet": {"author": author}})
    result = build([source], tmp_path / "out", only=("full-analysis",))
    assert result.ok, [str(f) for f in result.failures]
    slug = yaml.safe_load(source.read_text(encoding="utf-8"))["slug"]
    text = _pdf_words(tmp_path / "out" / slug / f"{slug}-full-analysis.pdf")
    assert f"Analyse d\u2019{author}" in text
    assert f"Analyse de {author}" not in text


def _project(folder, name: str) -> None:
    (folder / "handouts.toml").write_text(f'[organisation]\nname = "{name}"\n',
                                          encoding="utf-8")


@pytest.mark.parametrize(("organisation", "written_by"), [
    ("Riverside Health Promotion Network", "Written by: Jane Doe"),  # the site, once
    ("Orbe Library", "Written by: Jane Doe, Health Promotion Network"),  # another: kept
])
def test_no_organisation_is_printed_twice(tmp_path, monkeypatch, organisation, written_by):
    from click.testing import CliRunner

    from generator.cli import cli
    from tests.conftest import DATA

    source = DATA / "sheets" / "no-extras.yaml"
    site = yaml.safe_load(source.read_text(encoding="utf-8"))["sheet"]["site"]
    _project(tmp_path, organisation)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HANDOUTS_SETTINGS")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", "out", "--only",
                                      "easy-read,full-analysis"])
    assert result.exit_code == 0, result.output
    leaflet = _pdf_words(tmp_path / "out" / "no-extras" / "no-extras-easy-read.pdf")
    analysis = _pdf_words(tmp_path / "out" / "no-extras" / "no-extras-full-analysis.pdf")
    assert f"{written_by} {organisation}" in leaflet
    assert leaflet.count(site) == 1
    byline = f"Analysis by Jane Doe{'' if site in organisation else ', ' + site} ·"
    assert byline in analysis


def test_a_count_of_one_takes_the_singular():
    assert plural("fr", "web_progress", 1).format(done=1, count=5) \
        == "1 question vérifiée sur 5."
    assert plural("fr", "web_progress", 2).format(done=2, count=5) \
        == "2 questions vérifiées sur 5."
    assert plural("en", "web_progress", 1).format(done=1, count=5) \
        == "1 of 5 questions checked."
    assert plural("es", "web_progress", 1).format(done=1, count=5) \
        == "1 de 5 preguntas comprobadas."


def test_the_web_quiz_holds_the_singular_for_its_script(tmp_path):
    from generator.api import build
    from tests.conftest import FRENCH

    result = build([FRENCH], tmp_path / "site", fmt="web")
    assert result.ok, [str(f) for f in result.failures]
    page = next((tmp_path / "site").rglob("quiz.html")).read_text(encoding="utf-8")
    assert 'data-progress-one="{done} question vérifiée sur {count}."' in page
    assert 'data-progress="{done} questions vérifiées sur {count}."' in page
    script = next((tmp_path / "site").rglob("site.js")).read_text(encoding="utf-8")
    assert "Intl.PluralRules" in script and "progressOne" in script
