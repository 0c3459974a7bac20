"""Derived values: section numbers, letters, the correct choice, short titles."""

from generator.sheet.loader import load_sheet
from generator.view.sheetview import build_view
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


def test_each_kind_is_given_the_part_of_the_view_it_prints():
    """The quiz's handouts see the quiz and not the analysis, the leaflet sees the leaflet and
    not the quiz; the full analysis sees the whole sheet. What a part holds is the whole
    view's value, unchanged."""
    from generator.documents.kinds import KINDS, Views
    from generator.options import BuildOptions
    from generator.view.quizview import edition_view
    from generator.view.versions import arrangements

    sheet = load_sheet(SAMPLE)
    whole = build_view(sheet)
    options = BuildOptions(versions=2, pre_post=True)
    editions = options.editions()
    orders = arrangements(sheet, editions)
    views = Views(whole, [(e, edition_view(whole, sheet, e, orders[e.name])) for e in editions],
                  options)
    analysis_only = {"faq", "summary", "references", "values", "headings", "source"}
    for name in ("quiz", "answer-key", "answer-sheet", "marking-grid", "tally-sheet"):
        view = KINDS[name].view(views, editions[0] if KINDS[name].per_edition else None)
        assert view.quiz and view.quiz_title == whole.quiz_title, name
        assert not any(hasattr(view, field) for field in analysis_only | {"easy_read"}), name
    for name in ("easy-read", "easy-read-booklet"):
        view = KINDS[name].view(views, None)
        assert view.easy_read is whole.easy_read and view.title == whole.title
        assert not any(hasattr(view, field) for field in analysis_only | {"quiz"}), name
    full = KINDS["full-analysis"].view(views, None)
    assert all(hasattr(full, field) for field in analysis_only | {"quiz", "easy_read"})
