"""A language is one locale file: discovered at start-up, checked when read (a broken file is
our own error naming the file and the key), and enough on its own to build handouts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.sheet import locales
from generator.sheet.locales import BUILT_IN, LocaleError

ENGLISH = (BUILT_IN / "en.toml").read_text(encoding="utf-8")


def edited(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def problems(tmp_path: Path, text: str, code: str = "xx") -> str:
    path = tmp_path / f"{code}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LocaleError) as error:
        locales.load(path, reference=locales.get("en"))
    return str(error.value).replace(str(path), "FILE")


def test_the_built_in_locales_are_found_and_complete():
    assert locales.codes()[0] == "en"
    assert {"en", "es", "fr"} <= set(locales.codes())
    for code, locale in locales.available().items():
        assert locale.code == code and locale.source == BUILT_IN / f"{code}.toml"
        assert set(locale.labels) == set(locales.get("en").labels)


def test_english_loads_as_another_language(tmp_path):
    """The reference file itself passes, apart from its starter's `lang:`."""
    text = edited(ENGLISH, ("\nlang: en ", "\nlang: xx "))
    path = tmp_path / "xx.toml"
    path.write_text(text, encoding="utf-8")
    assert locales.load(path, reference=locales.get("en")).code == "xx"


@pytest.mark.parametrize(("changes", "expected"), [
    ((('doc_quiz = "Quiz"\n', ""),),
     "FILE: labels.doc_quiz: missing: every locale has the labels of en.toml; add it"),
    ((('doc_quiz = "Quiz"', 'doc_quizz = "Quiz"'),),
     "FILE: labels.doc_quiz: missing: every locale has the labels of en.toml; add it\n"
     "FILE: labels.doc_quizz: not a label of en.toml: check its spelling"),
    ((('question_n = "Question {number}"', 'question_n = "Question {numbr}"'),),
     "FILE: labels.question_n: its placeholders must be those of en.toml ({number})"),
    ((('unit_space = "no-break"', 'unit_space = "thin"'),),
     "FILE: typography.unit_space: unknown space 'thin': write one of 'none', 'space', "
     "'no-break', 'narrow no-break'"),
    ((("base = 206.835", 'base = "high"'),),
     "FILE: readability.base: must be a number, like 206.835"),
    ((('syllables = "en"', 'syllables = "de"'),),
     "FILE: readability.syllables: unknown syllable counter 'de': write one of en, fr, es"),
    ((('babel = "en_GB"', 'babel = "xx_YY"'),),
     "FILE: babel: 'xx_YY' is not a locale Babel knows: write one like es_ES"),
    ((('quotes = ["\\u201c", "\\u201d"]', 'quotes = "\\u201c"'),),
     'FILE: typography.quotes: must be a list of 2 texts in quotes, like ["“", "”"]'),
    ((('one = "p. {pages}"', 'one = "p."'),), "FILE: pages.one: must contain {pages}"),
    ((('stopwords = ["a", "an",', 'stopwords = 3 # ["a", "an",'),),
     'FILE: names.stopwords: must be a list of texts in quotes, like ["the", "of"]'),
    ((('stopwords = ["a", "an",', 'stopword = ["a", "an",'),),
     "FILE: names.stopword: unknown key; the keys of [names] are stopwords"),
    ((("ellipsis = true", 'space_before = ";"'),),
     'FILE: typography.space_before: must be a table like { ":" = "no-break" }'),
    ((("[labels]", "[label]"),),
     "FILE: label: unknown key; a locale file has name, babel, pages, typography, readability, "
     "easy_read, names, import, "
     "labels, starter, studio, studio_fields, studio_help\nFILE: labels: missing table: add a "
     "[labels] section"),
    ((("ellipsis = true", "elipsis = true"),),
     "FILE: typography.elipsis: unknown key; the keys of [typography] are quotes, "
     "inner_quotes, single_quotes, apostrophe, space_before, guillemet_space, "
     "digit_group_space, unit_space, units, dash, range_dash, ellipsis, elision"),
    ((("january = 1\n", "january = 13\n"),),
     "FILE: import.months: must be a table of month names and numbers, like january = 1"),
    ((('part1 = ["part 1"]', 'part1 = "part 1"'),),
     'FILE: import.part1: must be a list of texts in quotes, like ["“", "”"]'),
    ((('web_site_title = "Resource', 'web_site_title = "\\uffffResource'),
      ('doc_quiz = "Quiz"', 'doc_quiz = "Qu\\u0007iz"')),
     "FILE: labels.doc_quiz: holds an invisible control character (U+0007): delete it\n"
     "FILE: labels.web_site_title: holds a code that is not a character (U+FFFF): delete it"),
    ((("sec_quiz = { one", "sec_quiz = { single"),),
     "FILE: labels.sec_quiz: plural forms are texts named among zero, one, two, few, many, "
     "other, with at least `other`"),
])
def test_a_broken_locale_file_names_the_file_and_the_key(tmp_path, changes, expected):
    text = edited(ENGLISH, ("\nlang: en ", "\nlang: xx "), *changes)
    assert problems(tmp_path, text) == expected


def test_a_locale_file_that_is_not_toml_says_where(tmp_path):
    message = problems(tmp_path, 'name = "Broken\n')
    assert message.startswith("FILE: not valid TOML: ")
    assert "line 1" in message


def test_a_starter_in_another_language_is_refused(tmp_path):
    assert problems(tmp_path, ENGLISH, "eo") == "FILE: starter.text: its sheet must say `lang: eo`"


def _handouts(*args: str, cwd: Path, folder: Path | str) -> subprocess.CompletedProcess:
    env = {**os.environ, locales.ENVIRONMENT: str(folder)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_language_is_one_file(tmp_path):
    """A throw-away Esperanto locale in a folder of its own, named in HANDOUTS_LOCALES: the
    command offers it, writes its starter, checks and builds it, the schema lists it."""
    folder = tmp_path / "my-languages"
    folder.mkdir()
    (folder / "eo.toml").write_text(edited(
        ENGLISH,
        ('name = "English"', 'name = "Esperanto"'),
        ('babel = "en_GB"', 'babel = "eo"'),
        ('doc_quiz = "Quiz"', 'doc_quiz = "Kvizo"'),
        ('key_at_a_glance = "Answers at a glance"', 'key_at_a_glance = "Respondoj unuavide"'),
        ('correct_answer = "Correct answer"', 'correct_answer = "Ĝusta respondo"'),
        ("\nlang: en ", "\nlang: eo "),
    ), encoding="utf-8")
    assert "[en|eo|es|fr]" in _handouts("new", "--help", cwd=tmp_path, folder=folder).stdout
    result = _handouts("new", "mia-folio", "--lang", "eo", cwd=tmp_path, folder=folder)
    assert result.returncode == 0, result.stderr
    result = _handouts("check", "--strict", cwd=tmp_path, folder=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _handouts("build", "--only", "quiz,answer-key", cwd=tmp_path, folder=folder)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "output" / "mia-folio"
    quiz = PdfReader(out / "mia-folio-quiz.pdf")
    assert "kvizo" in quiz.pages[0].extract_text().casefold()  # the title is in capitals
    assert quiz.trailer["/Root"]["/Lang"] == "eo"
    key = PdfReader(out / "mia-folio-answer-key.pdf").pages[0].extract_text()
    assert "Respondoj unuavide" in key and "Ĝusta respondo" in key
    schema = json.loads(_handouts("schema", cwd=tmp_path, folder=folder).stdout)
    assert "eo" in schema["properties"]["lang"]["enum"]
    # Without the folder, the language is unknown again: a sheet in it is refused by name.
    result = _handouts("check", cwd=tmp_path, folder="")
    assert result.returncode == 1 and "lang: should be one of" in result.stdout


def test_a_wrong_locale_folder_or_file_is_a_message_not_a_traceback(tmp_path):
    result = _handouts("check", cwd=tmp_path, folder=tmp_path / "missing")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: HANDOUTS_LOCALES: '{tmp_path / 'missing'}' is not a folder: name folders "
        f"that hold locale files (xx.toml), separated by '{os.pathsep}'")
    (tmp_path / "de.toml").write_text(edited(ENGLISH, ("\nlang: en ", "\nlang: de "),
                                             ('doc_quiz = "Quiz"\n', "")), encoding="utf-8")
    result = _handouts("new", "x", "--lang", "de", cwd=tmp_path, folder=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"error: {tmp_path / 'de.toml'}: labels.doc_quiz: missing: "
                                     "every locale has the labels of en.toml; add it")


def test_locale_files_are_part_of_the_build_fingerprint(tmp_path, monkeypatch):
    """Editing a language file rebuilds what it printed: the files in use are hashed."""
    from generator.batch.incremental import _locale_files

    (tmp_path / "eo.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv(locales.ENVIRONMENT, str(tmp_path))
    assert set(_locale_files()) >= {BUILT_IN / "en.toml", BUILT_IN / "es.toml",
                                    tmp_path / "eo.toml"}
