"""An editor's warnings on valid sheets, each at its line."""

from __future__ import annotations

import pytest

from generator.sheet.loader import load
from generator.view.checks import check
from tests.conftest import DATA

MINIMAL = (DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture
def warnings_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def run(old: str, new: str) -> list[str]:
        assert old in MINIMAL
        (tmp_path / "sheet.yaml").write_text(MINIMAL.replace(old, new), encoding="utf-8")
        return [str(w) for w in check(load("sheet.yaml"))]

    return run


def test_minimal_sheet_warns_about_missing_pages_and_explanation(warnings_for):
    assert warnings_for("", "") == [
        "sheet.yaml:12:5: warning: key_points[1]: no `pages`: add the pages of the source this "
        "point comes from",
        "sheet.yaml:14:5: warning: action_paths[1]: no `pages`: add the pages of the source "
        "this point comes from",
        "sheet.yaml:26:5: warning: quiz[1]: no `explanation`: the answer key will only give "
        "the letter; add a sentence that says why",
        "sheet.yaml:26:5: warning: quiz[1]: no `pages`: say where in the document the answer is",
        "sheet.yaml:33:3: warning: easy_read: no `contact`: the leaflet has no “Who can help "
        "you?” part, and the easy-to-read rules ask for someone readers can ask: add "
        "`contact:` with a `name` and a `phone`, `email` or `address`",
        "sheet.yaml:34:7: warning: easy_read.summary[1]: this part has no picture: add "
        "`pictogram:` with a built-in one (e.g. \"builtin:house\" or \"🏠\") or a file in the "
        "sheet's folder",
    ]


def test_easy_read_line_with_two_sentences_and_too_many_words(warnings_for):
    line = ("It is a test. And it goes on and on with many many more words than a reader "
            "can hold.")
    warnings = warnings_for('lines: ["It is a test."]', f'lines: ["{line}"]')
    assert ("sheet.yaml:35:15: warning: easy_read.summary[1].lines[1]: this line has 2 "
            "sentences: put each sentence on its own line") in warnings
    assert ("sheet.yaml:35:15: warning: easy_read.summary[1].lines[1]: this line has 20 words; "
            "easy-to-read lines have at most 15: split it or say it more simply") in warnings


@pytest.mark.parametrize("count", [15, 16])
def test_an_easy_read_line_is_too_long_only_past_fifteen_words(warnings_for, count):
    line = " ".join(["We"] + ["go"] * (count - 2) + ["home."])
    assert len(line.split()) == count
    warnings = warnings_for('lines: ["It is a test."]', f'lines: ["{line}"]')
    too_long = [w for w in warnings if "words; easy-to-read lines" in w]
    assert too_long == ([] if count == 15 else [
        "sheet.yaml:35:15: warning: easy_read.summary[1].lines[1]: this line has 16 words; "
        "easy-to-read lines have at most 15: split it or say it more simply"])


def test_long_words_and_low_readability(warnings_for):
    line = "Institutionalisation characterises intersectoral collaboration."
    warnings = warnings_for('lines: ["It is a test."]', f'lines: ["{line}"]')
    assert any("long word(s) 'Institutionalisation', 'characterises', "
               "'intersectoral', 'collaboration'" in w
               for w in warnings)
    assert any("easy_read: Flesch reading ease score is" in w and "should reach 60" in w
               for w in warnings)


def test_a_much_longer_correct_choice_gives_the_answer_away(warnings_for):
    warnings = warnings_for('["This one", "That one"]',
                            '["This one is obviously the complete and correct answer", "No"]')
    assert ("sheet.yaml:27:14: warning: quiz[1].choices: the correct choice (a) is much longer "
            "than the others, which gives it away: make the choices about the same length"
            ) in warnings


def test_same_letter_for_every_answer(warnings_for):
    question = '  - question: "Which one is right?"\n    choices: ["This one", "That one"]\n'
    question += '    answer: a\n'
    warnings = warnings_for(question, question * 3)
    assert any("quiz: every correct answer is 'a'" in w for w in warnings)


@pytest.mark.parametrize(("pages", "message"), [
    ("page thirty", "'page thirty' is not a page reference like \"30-33\" or \"10, 36-39\""),
    ("33-30", "the range 33-30 runs backwards: write the first page first"),
    ("30-30", 'the range 30-30 is one page: write "30"'),
])
def test_malformed_page_references(warnings_for, pages, message):
    warnings = warnings_for('  - text: "One key point."',
                            f'  - text: "One key point."\n    pages: "{pages}"')
    assert f"sheet.yaml:13:12: warning: key_points[1].pages: {message}" in warnings


@pytest.mark.parametrize(("old", "where"), [
    ("    answer: a\n", "sheet.yaml:29:12: warning: quiz[1].pages"),
    ('    answer: "Because."\n', "sheet.yaml:32:12: warning: faq[1].pages"),
])
def test_a_quiz_or_faq_page_reference_is_checked_at_its_own_line(warnings_for, old, where):
    warnings = warnings_for(old, f'{old}    pages: "33-30"\n')
    assert f"{where}: the range 33-30 runs backwards: write the first page first" in warnings


@pytest.mark.parametrize(("correct", "warned"), [
    ("c" * 16, True),   # 1.6 times the others' mean length (10): gives the answer away
    ("c" * 15, False),  # 1.5 times: still fair
])
def test_the_giveaway_threshold_is_one_point_six_times_the_others(warnings_for, correct,
                                                                   warned):
    warnings = warnings_for('["This one", "That one"]\n    answer: a',
                            f'["{correct}", "aaaaaaaaaa", "bbbbbbbbbb"]\n    answer: a')
    assert any("gives it away" in w for w in warnings) is warned


@pytest.mark.parametrize(("pages", "warned"), [("30-31", False), ("31-30", True),
                                               ("9-10", False), ("10-9", True),
                                               ("30-30", False), ("7, 30 - 30", False)])
def test_a_range_runs_backwards_only_when_it_ends_before_it_starts(warnings_for, pages, warned):
    warnings = warnings_for('  - text: "One key point."',
                            f'  - text: "One key point."\n    pages: "{pages}"')
    assert any("runs backwards" in w for w in warnings) is warned
