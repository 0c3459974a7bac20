"""The handout kinds: adding one is one entry here plus a template and a stylesheet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HandoutKind:
    """One printed document made from a sheet."""

    name: str  # used in file names (S-NAME.pdf) and in --only
    template: str  # in templates/
    stylesheet: str  # in styles/, added after base.css
    label: str  # catalog key of the document's name, e.g. "Answer key"
    page_label: str  # catalog key of the page-number format
    running_header: bool = True
    per_edition: bool = False  # one file per quiz edition (version, before/after)
    needs: str | None = None  # made only when: "editions" (several), "answer_sheet", "pre_post"


KINDS: dict[str, HandoutKind] = {
    kind.name: kind
    for kind in (
        HandoutKind("full-analysis", "full-analysis.html", "full-analysis.css",
                    "doc_full_analysis", "page_short"),
        HandoutKind("easy-read", "easy-read.html", "easy-read.css",
                    "doc_easy_read", "page_of", running_header=False),
        HandoutKind("quiz", "quiz.html", "quiz.css", "doc_quiz", "page_short",
                    per_edition=True),
        HandoutKind("answer-key", "answer-key.html", "answer-key.css",
                    "doc_answer_key", "page_short", per_edition=True),
        HandoutKind("marking-grid", "marking-grid.html", "marking-grid.css",
                    "doc_marking_grid", "page_short", needs="editions"),
        HandoutKind("answer-sheet", "answer-sheet.html", "answer-sheet.css",
                    "doc_answer_sheet", "page_short", per_edition=True, needs="answer_sheet"),
        HandoutKind("tally-sheet", "tally-sheet.html", "tally-sheet.css",
                    "doc_tally_sheet", "page_short", needs="pre_post"),
    )
}


def select(names: list[str] | None, wanted: set[str] = frozenset()) -> list[HandoutKind]:
    """The kinds asked for, in registry order: all of them when none is named, less those
    whose condition (`needs`) is not in `wanted`."""
    kinds = [kind for kind in KINDS.values() if kind.needs is None or kind.needs in wanted]
    if not names:
        return kinds
    return [kind for kind in kinds if kind.name in names]
