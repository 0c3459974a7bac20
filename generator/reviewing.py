"""Checking the easy-read text with readers (#28): record a review in the sheet, and read
the readers' marks back. The command line's `handouts review`, as functions of the API
(generator.api re-exports them); the digests and rules are the view stage's
(view/reviews.py, view/marks.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .defaults import DEFAULT_MAX_BYTES
from .documents.writer import write_atomic
from .errors import OptionsError, Problem, SheetError
from .paths import ReadRefused, bounded_bytes, display

if TYPE_CHECKING:
    from .view.marks import Marks


def _sheet_bytes(file: Path) -> bytes:
    """A sheet file's bytes, read as the loader reads them (bounded; no FIFO or device)."""
    try:
        return bounded_bytes(file, DEFAULT_MAX_BYTES, "a sheet file")
    except ReadRefused as refused:
        raise SheetError([Problem(display(file), None, None, "", refused.reason)]) from None



@dataclass(frozen=True)
class RecordedReview:
    """A review written into a sheet by `record_review`: what was checked, and whether the
    easy-to-read logo is now printed."""

    file: str
    date: dt.date
    readers: int
    checkers: tuple[str, ...]
    items: int  # numbered items of the proof-reading sheet the readers checked
    logo: bool  # the sheet has a logo, and the leaflet now prints it


def record_review(file: Path | str, *, readers: int, checkers: Iterable[str] = (),
                  date: dt.date | None = None, notes: str | None = None) -> RecordedReview:
    """Add a review of the easy-read text as it is now to the sheet's `easy_read.reviews`
    (with the digests of what was checked: view/reviews.py), keeping the file's comments and
    layout, atomically. A SheetError when the sheet is not valid: a review records a text
    that builds."""
    from .sheet.loader import load
    from .sheet.roundtrip import apply, data_of
    from .view.reviews import checked_items, line_digests, logo_printed, text_digest

    file = Path(file)
    shown = display(file)
    raw = _sheet_bytes(file)
    loaded = load(file, data=raw)
    names = tuple(" ".join(name.split()) for name in checkers if name.strip())
    if readers < 1:
        raise OptionsError(f"readers={readers}: say how many readers took part, 1 or more")
    items = checked_items(loaded.sheet)
    review: dict[str, Any] = {"date": (date or dt.date.today()).isoformat(),
                              "readers": str(readers)}
    if names:
        review["checkers"] = list(names)
    if notes and notes.strip():
        review["notes"] = notes.strip()
    review |= {"digest": text_digest(items), "lines": line_digests(items)}
    text = raw.decode("utf-8-sig")
    data = data_of(text, shown)
    data["easy_read"]["reviews"] = [*data["easy_read"].get("reviews", []), review]
    written = apply(text, data, shown=shown).encode("utf-8")
    after = load(file, data=written).sheet  # the sheet as written must load, or no write
    write_atomic(file, written)
    return RecordedReview(shown, dt.date.fromisoformat(review["date"]), readers, names,
                          len(items), logo_printed(after))


@dataclass(frozen=True)
class MarksReport:
    """The readers' marks read back: every item marked, the ones most found hard, and
    `check`'s warnings at each of those."""

    file: str
    marks: list[Marks]
    hard: list[Marks]
    warnings: dict[int, list[Problem]]  # by item number
    lines: dict[int, int]  # the sheet's line of each hard item


def review_marks(file: Path | str, marks_file: Path | str) -> MarksReport:
    """Read a marks table (view/marks.py) against the sheet's numbered items; a MarksError
    at the table's lines when it is wrong."""
    from .sheet.loader import load
    from .view.checks import check as warnings_of
    from .view.marks import MarksError, hard_for_most, read_marks

    file, marks_file = Path(file), Path(marks_file)
    loaded = load(file, data=_sheet_bytes(file))
    shown = display(marks_file)
    try:
        text = bounded_bytes(marks_file, DEFAULT_MAX_BYTES, "a marks table").decode(
            "utf-8-sig")
    except ReadRefused as refused:
        raise MarksError([Problem(shown, None, None, "", refused.reason)]) from None
    except UnicodeDecodeError:
        raise MarksError([Problem(shown, None, None, "", "the table is not UTF-8 text: save "
                                  "it as CSV UTF-8")]) from None
    marks = read_marks(text, shown, loaded.sheet)
    hard = hard_for_most(marks)
    warnings = warnings_of(loaded)
    found: dict[int, list[Problem]] = {}
    lines: dict[int, int] = {}
    for mark in hard:
        line = (loaded.document.locate(mark.item.path) or (0, 0))[0]
        lines[mark.item.number] = line
        found[mark.item.number] = [warning for warning in warnings if warning.line == line
                                   and mark.item.path != ("easy_read",)]
    return MarksReport(shown, marks, hard, found, lines)


def marks_summary(report: MarksReport) -> list[str]:
    """The lines `handouts review --marks` prints: the items most readers found hard, the
    hardest first, each with check's warnings at its line in the sheet."""
    marked = f"{len(report.marks)} item{'s' if len(report.marks) != 1 else ''} marked"
    if not report.hard:
        return [f"{report.file}: {marked}; none was hard for most readers"]
    said = [f"{report.file}: {marked}; {len(report.hard)} hard for most readers:"]
    for mark in report.hard:
        item = mark.item
        said.append(f"  {item.number}. {' '.join(item.text.split())} (line "
                    f"{report.lines[item.number]}): {mark.hard} of {mark.total} readers "
                    f"({mark.not_sure} not sure, {mark.not_understand} do not understand)")
        said += [f"     check: {warning.message}" for warning in report.warnings[item.number]]
    return said


def review_lines(sheet: Path, date: dt.date | None, readers: int | None,
                 checkers: Iterable[str], notes: str | None, marks: Path | None) -> list[str]:
    """`handouts review`: what it prints, after recording the review or reading the marks."""
    if marks is not None:
        if readers is not None or checkers or notes or date is not None:
            raise OptionsError("--marks only reads the readers' marks: record the review in "
                               "a second command, without --marks")
        return marks_summary(review_marks(sheet, marks))
    if readers is None:
        raise OptionsError("say how many readers took part: --readers N (and name the "
                           "checkers who agree with --checker NAME)")
    done = record_review(sheet, readers=readers, checkers=checkers, notes=notes, date=date)
    named = (f", checked by {', '.join(done.checkers)}" if done.checkers
             else ", no checker named (the easy-to-read logo needs one)")
    said = [f"{done.file}: recorded the review of {done.date.isoformat()}: {done.readers} "
            f"reader{'s' if done.readers > 1 else ''}, {done.items} numbered items{named}"]
    if done.logo:
        said.append(f"{done.file}: the leaflet prints the easy-to-read logo")
    return said
