"""The text parser's state: what has been read so far, section by section, and the helpers
every section's reader shares (comments, unplaced lines, joined paragraphs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .report import ImportReport, Line, Path_, dotted_path, short
from .vocab import Vocabulary


@dataclass
class Question:
    """A quiz question as one part of the page gives it: part 1 its text, pages and choices,
    part 2 (the correction) its letter, explanation and pages."""

    number: int
    line: int
    text: list[str] = field(default_factory=list)
    pages: str | None = None
    choices: list[str] = field(default_factory=list)
    answer_letter: str | None = None
    answer_text: str | None = None
    answer_line: int | None = None
    answer_raw: str | None = None
    explanation: list[str] = field(default_factory=list)
    pages2: str | None = None
    pages2_line: int | None = None



class ParserState:
    """One pass over the lines; state is the current section and its sub-part."""

    def __init__(self, lines: Sequence[Line], vocab: Vocabulary, report: ImportReport):
        self.lines = lines
        self.vocab = vocab
        self.report = report
        self.comments: dict[Path_, list[str]] = {}
        self.section: str | None = None
        self.section_lines: dict[str, int] = {}
        self.title: str | None = None
        self.source: dict[str, Any] = {}
        self.sheet: dict[str, Any] = {}
        self.highlights: list[str] = []
        self.introduction: list[str] = []
        self.intro_open = False
        self.intro_closed = False
        self.expect_author = False
        self.summary: list[dict[str, Any]] = []
        self.key_points: list[dict[str, Any]] = []
        self.action_paths: list[dict[str, Any]] = []
        self.references: list[dict[str, Any]] = []
        self.values: dict[str, Any] = {"criteria": []}
        self.reliability: dict[str, Any] = {"criteria": []}
        self.pending_label: str | None = None    # conclusion / recommendation on next lines
        self.quiz_part = 1
        self.quiz_count: tuple[int, int] | None = None
        self.part1: dict[int, Question] = {}
        self.part2: dict[int, Question] = {}
        self.current_q: Question | None = None
        self.faq: list[dict[str, Any]] = []
        self.easy_sub = "summary"
        self.easy_parts: list[dict[str, Any]] = []
        self.easy_points: list[str] = []
        self.tags: list[str] = []
        self.last_path: Path_ = ("title",)
        # a saved page's <h1> is its title; what stands before it is the site's banner
        self.h1 = next((line for line in lines if line.level == 1), None)
        self.before_h1 = self.h1 is not None

    # helpers
    def comment(self, path: Path_, text: str) -> None:
        self.comments.setdefault(path, []).append(text)

    def unplaced(self, line: Line, why: str = "") -> None:
        where = dotted_path(self.last_path)
        self.report.add(line.number, "unplaced", where, f"not placed{': ' + why if why else ''}"
                        f": \"{short(line.text)}\"; kept as a comment near {where}")
        self.comment(self.last_path, f"import: line {line.number}: not placed: {line.text}")

    def _continue(self, line: Line, paragraphs: list[str], where: str, what: str,
                  text: str | None = None) -> None:
        """One more paragraph of a text: the first goes in quietly, the next are noted (a
        line that belongs elsewhere would otherwise vanish into it)."""
        if paragraphs:
            self.report.add(line.number, "note", where, f"a paragraph was joined to {what}: "
                            "check that it belongs there")
        paragraphs.append(text if text is not None else line.text.strip())
