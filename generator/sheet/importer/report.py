"""What an import gives: the page's lines, the report of what was read, the result.

Shared by every part of the importer: the line a reader gives (`Line`), the report a person
reads (`ImportReport`, one item per input line), and the error that stops an import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ...errors import HandoutsError

Path_ = tuple[str | int, ...]
Kind = Literal["disagreement", "unplaced", "missing", "note"]


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Line:
    """One line of the page: a text line as copied, or one HTML block."""

    number: int                     # line in the input file (1-based)
    text: str
    links: tuple[Link, ...] = ()
    heading: bool = False           # an HTML heading element (h1–h6)
    level: int = 0                  # its level: 1 for the page's <h1>


@dataclass(frozen=True)
class ReportItem:
    line: int | None                # line in the input file
    kind: Kind
    field: str                      # where it belongs in the sheet, e.g. quiz[3].answer
    message: str

    def show(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.kind}: {self.field + ': ' if self.field else ''}{self.message}"


@dataclass
class ImportReport:
    """Everything a person should know about an import: each item at its input line."""

    form: str = "text"              # text | html
    lang: str = "en"
    lang_detected: bool = True
    slug: str = ""
    items: list[ReportItem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)   # lines of page furniture
    sections: list[str] = field(default_factory=list)  # sections found, in page order
    questions: int = 0
    faq: int = 0

    def add(self, line: int | None, kind: Kind, path: str, message: str) -> None:
        self.items.append(ReportItem(line, kind, path, message))

    def of_kind(self, kind: Kind) -> list[ReportItem]:
        return [item for item in self.items if item.kind == kind]

    def lines(self, page: str, sheet: str) -> list[str]:
        """The report as printed: what was read, one line per item (FILE:LINE: kind: field:
        message), the page furniture left out, then a summary."""
        language = {"en": "English", "fr": "French"}.get(self.lang, self.lang)
        how = "found from its headings" if self.lang_detected else "as asked"
        if self.form == "web" and self.lang_detected:
            how = "as the page says"
        form = {"html": "a page saved as HTML", "web": "a page of the web edition"}.get(
            self.form, "text copied from a browser")
        out = [f"{page}: {form}, in {language} ({how})"]
        out += [item.show(page) for item in self.items]
        if self.skipped:
            out.append(f"{page}: skipped as page furniture or repeats: lines "
                       + ", ".join(map(str, self.skipped)))
        kinds: tuple[Kind, ...] = ("disagreement", "unplaced", "missing", "note")
        counts = {kind: len(self.of_kind(kind)) for kind in kinds}
        names = {"disagreement": ("disagreement", "disagreements"),
                 "unplaced": ("line not placed", "lines not placed"),
                 "missing": ("field missing", "fields missing"), "note": ("note", "notes")}
        out.append(f"wrote {sheet}: {len(self.sections)} of 9 sections, {self.questions} quiz "
                   f"question{'s' if self.questions != 1 else ''}, {self.faq} FAQ "
                   f"item{'s' if self.faq != 1 else ''}; "
                   + ", ".join(f"{n} {names[k][n != 1]}" for k, n in counts.items()) + ".")
        return out


class Missing:
    """A required field the page did not give: written as a comment for the author."""


MISSING = Missing()
MissingFn = Callable[[Path_, str, int | None], Missing]


@dataclass
class ImportResult:
    data: dict[str, Any]
    comments: dict[Path_, list[str]]
    report: ImportReport



class PageError(HandoutsError):
    """The input cannot be imported at all (nothing is written)."""


def dotted_path(path: Path_) -> str:
    """A field's place as the report names it: ("quiz", 2, "answer") → quiz[3].answer."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def short(text: str, most: int = 70) -> str:
    """A page's text shortened for a report line."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"
