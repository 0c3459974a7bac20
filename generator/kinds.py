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


KINDS: dict[str, HandoutKind] = {
    kind.name: kind
    for kind in (
        HandoutKind("full-analysis", "full-analysis.html", "full-analysis.css",
                    "doc_full_analysis", "page_short"),
        HandoutKind("easy-read", "easy-read.html", "easy-read.css",
                    "doc_easy_read", "page_of", running_header=False),
        HandoutKind("quiz", "quiz.html", "quiz.css", "doc_quiz", "page_short"),
        HandoutKind("answer-key", "answer-key.html", "answer-key.css",
                    "doc_answer_key", "page_short"),
    )
}


def select(names: list[str] | None) -> list[HandoutKind]:
    """The kinds asked for, in registry order; all of them when none is named."""
    if not names:
        return list(KINDS.values())
    return [kind for name, kind in KINDS.items() if name in names]
