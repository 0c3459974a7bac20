"""Derived values: section numbers, letters, the correct choice, short titles."""

from generator.sheet.loader import load_sheet
from generator.view.context import build_view, shorten
from tests.conftest import DATA, SAMPLE


def test_sections_are_numbered_in_order_and_skip_missing_references():
    sample = build_view(load_sheet(SAMPLE))
    assert [h.number for h in sample.headings] == list(range(1, 10))
    minimal = build_view(load_sheet(DATA / "sheets" / "minimal.yaml"))
    assert minimal.headings.references is None
    assert minimal.headings.values.number == 4
    assert minimal.headings.easy_read.number == 8


def test_choices_are_lettered_and_the_answer_is_the_choice_named_by_the_letter():
    view = build_view(load_sheet(SAMPLE))
    first = view.quiz[0]
    assert [c.letter for c in first.choices] == ["A", "B", "C", "D"]  # as printed
    assert first.answer.letter == "B"
    assert str(first.answer.html) == "Micro, meso, macro"
    assert sum(c.correct for c in first.choices) == 1
    assert view.quiz_total == 5


def test_short_title_cuts_at_the_colon_or_a_word():
    assert shorten("Short") == "Short"
    long_title = "The practices of educational alliances in the context of Educational Cities"
    expected = "The practices of educational alliances in the context of…"
    assert shorten(long_title + ": a challenge") == expected
    colon_title = "Screens and sleep: what to do about it all, in schools and families, today"
    assert shorten(colon_title) == "Screens and sleep"
