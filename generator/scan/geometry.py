"""Where an answer sheet's corner marks, QR code and boxes are, read from the sheet rendered
again: the scanner keeps no copy of the layout of its own.

The QR code of a scanned page names its sheet, edition, page and paper. The answer sheet of
that edition is rendered again here (the same sheet and options give the same layout) and
each element's border box is read from the engine's layout by its `id` (templates/
answer-sheet.html: `mark-top-left`, `qr-1`, `box-1-3-B`, `code-1-2-7`). Rendered once per
edition and paper, then kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..batch.rendering import shared_renderer
from ..documents.formats import FORMATS, Handout
from ..documents.kinds import KINDS, Views
from ..errors import HandoutsError
from ..options import BuildOptions
from ..view.quizview import QuizView, ScanCode, quiz_digest
from ..view.versions import Edition, arrangements

PX_PER_MM = 96 / 25.4  # the engine's CSS pixels
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")


@dataclass(frozen=True)
class Rect:
    """A border box on the page, in millimetres from its top left."""

    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def corners(self) -> list[tuple[float, float]]:
        """Top left, top right, bottom right, bottom left (the QR detector's order)."""
        right, bottom = self.x + self.width, self.y + self.height
        return [(self.x, self.y), (right, self.y), (right, bottom), (self.x, bottom)]


@dataclass(frozen=True)
class PageGeometry:
    """One page of an answer sheet, as laid out."""

    width: float  # mm
    height: float
    marks: dict[str, Rect]  # by corner
    qr: Rect
    boxes: dict[tuple[int, str], Rect]  # (printed question number, letter) → box
    code: dict[tuple[int, int], Rect]  # (row of the participant code, digit) → box

    @property
    def questions(self) -> list[int]:
        return sorted({number for number, _ in self.boxes})

    def letters(self, number: int) -> list[str]:
        return sorted(letter for known, letter in self.boxes if known == number)


@dataclass(frozen=True)
class SheetLayout:
    """An edition's answer sheet on one paper: what its QR codes hold, and its pages."""

    code: ScanCode  # of page 1
    edition: Edition
    pages: list[PageGeometry]
    questions: int  # in the whole quiz


def _rect(box: tuple[float, float, float, float]) -> Rect:
    left, top, right, bottom = (value / PX_PER_MM for value in box)
    return Rect(left, top, right - left, bottom - top)


def page_geometry(width: float, height: float,
                  anchors: dict[str, tuple[float, float, float, float]]) -> PageGeometry:
    """A page's geometry from its laid-out anchors (ids → border boxes in CSS pixels)."""
    marks: dict[str, Rect] = {}
    boxes: dict[tuple[int, str], Rect] = {}
    code: dict[tuple[int, int], Rect] = {}
    qr: Rect | None = None
    for name, box in anchors.items():
        parts = name.split("-")
        if name.startswith("mark-") and name[5:] in CORNERS:
            marks[name[5:]] = _rect(box)
        elif parts[0] == "qr":
            qr = _rect(box)
        elif parts[0] == "box" and len(parts) == 4:
            boxes[(int(parts[2]), parts[3])] = _rect(box)
        elif parts[0] == "code" and len(parts) == 4:
            code[(int(parts[2]), int(parts[3]))] = _rect(box)
    if qr is None or len(marks) != len(CORNERS):
        raise HandoutsError("the answer sheet's layout has no QR code or corner marks: is a "
                            "theme replacing templates/answer-sheet.html? It must keep their "
                            "ids for `handouts scan`")
    return PageGeometry(width / PX_PER_MM, height / PX_PER_MM, marks, qr, boxes, code)


@dataclass
class Layouts:
    """The answer sheets of one quiz sheet under the build options, rendered when a scanned
    page first asks for its edition and paper, then kept."""

    file: Path
    options: BuildOptions
    _kept: dict[tuple[str, str], SheetLayout] = field(default_factory=dict)
    _views: Views | None = None
    slug: str = ""

    def _load(self) -> Views:
        from ..sheet.loader import load
        from ..view.quizview import edition_view
        from ..view.sheetview import build_view, with_organisation

        if self._views is None:
            options = self.options
            sheet = load(self.file, max_bytes=options.max_bytes).sheet
            view = build_view(sheet)
            if options.project is not None:
                view = with_organisation(view, options.project.organisation.in_language(
                    view.labels))
            editions = options.editions()
            orders = arrangements(sheet, editions)
            self.slug = sheet.slug
            self._views = Views(view, [(e, edition_view(view, sheet, e, orders[e.name],
                                                        options.page_refs))
                                       for e in editions], options)
        return self._views

    def editions(self) -> list[Edition]:
        return [edition for edition, _ in self._load().editions]

    def sheet_slug(self) -> str:
        self._load()
        return self.slug

    def digest(self, edition: Edition) -> str:
        view = KINDS["answer-sheet"].view(self._load(), edition)
        assert isinstance(view, QuizView)
        return quiz_digest(view.slug, view.edition_version, view.edition_phase, view.quiz)

    def layout(self, edition: Edition, paper: str) -> SheetLayout:
        """The answer sheet of `edition` on `paper`, rendered again (once)."""
        key = (edition.name, paper)
        if key not in self._kept:
            views = self._load()
            kind = KINDS["answer-sheet"]
            view = kind.view(views, edition)
            assert isinstance(view, QuizView)
            renderer = shared_renderer(self.options.project)
            engine = FORMATS["pdf"].render(Handout(kind, view, paper, False, renderer,
                                                   self.options, view.pictures_for(paper))
                                           ).engine
            assert engine is not None
            pages = [page_geometry(width, height, anchors) for width, height, anchors
                     in renderer.anchors(engine.html, stylesheets=engine.stylesheets,
                                         pictures=engine.pictures)]
            first = view.answer_pages(paper)[0]
            code = ScanCode(view.slug, view.edition_version, view.edition_phase, first.number,
                            paper, quiz_digest(view.slug, view.edition_version,
                                               view.edition_phase, view.quiz))
            self._kept[key] = SheetLayout(code, edition, pages, len(view.quiz))
        return self._kept[key]
