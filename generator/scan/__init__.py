"""`handouts scan`: marked answer sheets (scanner PDFs, pictures, phone photos) read back into
the responses table that `handouts results` reads, with what needs a person's look flagged.

pages.py turns files into page pictures (bounded); reader.py reads one page (OpenCV, loaded
only here); geometry.py knows where the boxes are from the answer sheet rendered again;
table.py writes the table and the review page. This module ties them together, page by
page: a page that cannot be read is one line in `problems`, and the others are still read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..defaults import PAPER_SIZES
from ..options import BuildOptions
from ..view.quizview import ScanCode
from .geometry import Layouts, SheetLayout
from .pages import Picture, Unreadable, pictures


@dataclass
class ReadPage:
    """One page read: where it is, what its QR code says, and what its boxes say."""

    where: str
    file: Path
    page: int
    code: ScanCode
    layout: SheetLayout
    answers: dict[int, tuple[str, bool, str]]  # number → letters, doubtful, why
    participant: str | None
    code_doubt: str
    crops: dict[str, bytes] = field(default_factory=dict)


@dataclass
class ScanResult:
    pages: list[ReadPage] = field(default_factory=list)
    problems: list[Unreadable] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.pages)


def _check_code(text: str, layouts: Layouts) -> tuple[ScanCode, SheetLayout] | str:
    """The page's edition and layout from its QR code's text, or why it is refused."""
    code = ScanCode.parse(text)
    if code is None or code.paper not in PAPER_SIZES:
        return "its QR code is not an answer sheet's from handouts: is it another document?"
    slug = layouts.sheet_slug()
    if code.slug != slug:
        return (f"it is an answer sheet of '{code.slug}', not of '{slug}': scan it with "
                "its own sheet")
    editions = {edition.name: edition for edition in layouts.editions()}
    edition = editions.get(code.edition_name)
    if edition is None:
        known = ", ".join(name or "(single)" for name in editions)
        return (f"it is printed for the edition '{code.edition_name or '(single)'}', which "
                f"these options do not make ({known}): give the --versions, --seed and "
                "--pre-post it was printed with")
    if code.digest != layouts.digest(edition):
        return ("it was printed for another version of this quiz (its code "
                f"{code.digest}, this quiz's {layouts.digest(edition)}): the quiz changed "
                "since, or it was printed with another --seed; scan it with the sheet and "
                "options it was printed with")
    layout = layouts.layout(edition, code.paper)
    if code.page > len(layout.pages):
        return f"its QR code names page {code.page}, and this answer sheet has " \
               f"{len(layout.pages)}"
    return code, layout


def read_picture(picture: Picture, layouts: Layouts) -> ReadPage | str:
    """One page read, or why it cannot be."""
    from .reader import PageProblem, find_code, is_blank, read_boxes, straighten

    if is_blank(picture.gray):
        return "is blank"
    found = find_code(picture.gray)
    if found is None:
        return ("has no QR code that can be read: not an answer sheet, or its code is "
                "smudged, folded or cut off (scan it again, flat)")
    checked = _check_code(found[0], layouts)
    if isinstance(checked, str):
        return checked
    code, layout = checked
    geometry = layout.pages[code.page - 1]
    try:
        flat = straighten(picture.gray, found[1], geometry)
    except PageProblem as problem:
        return str(problem)
    reading = read_boxes(flat, geometry)
    answers = {number: (q.letters, q.doubtful, q.why) for number, q in reading.answers.items()}
    return ReadPage(picture.where, picture.file, picture.page, code, layout, answers,
                    reading.code, reading.code_doubt, reading.crops)


def scan(sheet: Path, files: list[Path], options: BuildOptions,
         on_page: Callable[[ReadPage | Unreadable], None] | None = None) -> ScanResult:
    """Read every page of `files` against the answer sheets of `sheet` under `options`
    (its editions: --versions, --seed, --pre-post). Never raises for a page."""
    layouts = Layouts(sheet, options)
    layouts.sheet_slug()  # a sheet that does not load is said before any page is read
    result = ScanResult()
    for file in files:
        for picture in pictures(file):
            outcome: ReadPage | Unreadable
            if isinstance(picture, Unreadable):
                outcome = picture
            else:
                read = read_picture(picture, layouts)
                outcome = Unreadable(picture.where, read) if isinstance(read, str) else read
                del picture
            if isinstance(outcome, Unreadable):
                result.problems.append(outcome)
            else:
                result.pages.append(outcome)
            if on_page is not None:
                on_page(outcome)
    return result
