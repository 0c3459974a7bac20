"""The handout kinds: adding one is one entry here plus a template and a stylesheet.

A kind says what it prints (which view of the sheet), when it is made (its condition, a
predicate over the build options) and how (a document rendered from its template and
stylesheet, or data made by a producer function, like the CSV of the keys). Light on purpose:
the command line reads the registry without loading the heavy modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..defaults import PAPER_SIZES
from ..errors import Problem

if TYPE_CHECKING:  # pragma: no cover
    from ..options import BuildOptions
    from ..sheet.loader import LoadedSheet
    from ..view.commonview import CommonView
    from ..view.leafletview import LeafletView
    from ..view.quizview import QuizView
    from ..view.sheetview import SheetView
    from ..view.versions import Edition


@dataclass(frozen=True)
class Condition:
    """When an optional kind is made: `met(options)`, and the option a user adds to meet it
    (said in the error when such a kind is asked for without it)."""

    met: Callable[[BuildOptions], bool]
    option: str
    # The option itself asks for the kind (--answer-sheet, --booklet): it is made when the
    # option is given, even if --only names other kinds.
    asks_for_kind: bool = False
    # Naming the kind in --only is enough to make it (the proof-reading sheet): the option
    # is only a shorter way to ask for it besides the others.
    named_is_enough: bool = False


def _several_editions(options: BuildOptions) -> bool:
    return len(options.editions()) > 1


def _answer_sheet(options: BuildOptions) -> bool:
    return options.answer_sheet


def _pre_post(options: BuildOptions) -> bool:
    return options.pre_post


def _booklet(options: BuildOptions) -> bool:
    return options.booklet


def _proof(options: BuildOptions) -> bool:
    return options.proof


SEVERAL_EDITIONS = Condition(_several_editions, "--versions N (2 or more) or --pre-post")
ANSWER_SHEET = Condition(_answer_sheet, "--answer-sheet", asks_for_kind=True)
PRE_POST = Condition(_pre_post, "--pre-post")
BOOKLET = Condition(_booklet, "--booklet", asks_for_kind=True)
PROOF = Condition(_proof, "--proof", asks_for_kind=True, named_is_enough=True)


@dataclass
class Views:
    """Every view a sheet's handouts print from, built once per sheet: the sheet's own, and
    one per quiz edition (a kind picks the one it prints with its `view` function)."""

    sheet: SheetView
    editions: list[tuple[Edition, SheetView]]
    options: BuildOptions

    def edition(self, edition: Edition) -> SheetView:
        return next(view for known, view in self.editions if known.name == edition.name)


def sheet_view(views: Views, edition: Edition | None) -> SheetView:
    """The whole sheet's view, or the edition's for a kind made once per edition."""
    return views.edition(edition) if edition is not None else views.sheet


def quiz_view(views: Views, edition: Edition | None) -> QuizView:
    """The quiz's part of the sheet's view, or of the edition's."""
    from ..view.commonview import narrow
    from ..view.quizview import QuizView

    return narrow(sheet_view(views, edition), QuizView)


def leaflet_view(views: Views, edition: Edition | None) -> LeafletView:
    """The easy-to-read leaflet's part of the sheet's view; its displayed title (the PDF's
    and the window's) is the leaflet's plain title, never the technical one."""
    from ..view.commonview import narrow
    from ..view.leafletview import LeafletView

    view = narrow(sheet_view(views, edition), LeafletView)
    return replace(view, plain_title=view.easy_read.plain_title)


def marking_view(views: Views, edition: Edition | None) -> QuizView:
    """Every edition's questions side by side."""
    from ..view.commonview import narrow
    from ..view.quizview import QuizView
    from ..view.quizview import marking_view as side_by_side

    options = views.options
    return narrow(side_by_side(views.sheet, views.editions,
                               options.seed if options.versions > 1 else None), QuizView)


def saddle_stitch(a5_pdf: bytes) -> tuple[bytes, int]:
    """The A5 pages imposed two by two on A4 sheets, in saddle-stitch order (booklet.py)."""
    from .booklet import impose

    return impose(a5_pdf)


def keys_csv(views: Views, edition: Edition | None) -> bytes:
    """The keys of every edition as CSV rows (see keys.py)."""
    from ..view.keys import keys_csv as rows

    return rows([(known, view.quiz) for known, view in views.editions])


@dataclass(frozen=True)
class PageCount:
    """The pages a handout must come out as, because a program reads them back by their
    place (the answer sheet: `handouts scan`), and the error when it does not: a `str.format`
    pattern with `{made}`, the pages it came out as, and `{name}`, the file's name."""

    pages: int
    refusal: str


def answer_sheet_pages(loaded: LoadedSheet, view: CommonView, paper: str) -> PageCount:
    """One printed page per page of questions (view.answer_pages): a question that runs
    onto another page would have no QR code nor corner marks of its own. What can make a
    page overflow: a title on many lines, a long organisation footer, a theme's styles."""
    from ..view.quizview import SCAN_PER_PAGE, SCAN_PER_PAGE_ON, QuizView

    assert isinstance(view, QuizView)
    wanted = len(view.answer_pages(paper))
    field = "short_title" if loaded.sheet.short_title else "title"
    line, column = loaded.document.locate((field,)) or (None, None)
    per_page = SCAN_PER_PAGE_ON.get(paper, SCAN_PER_PAGE)
    larger = "--paper a4" if paper != "a4" else "--paper a3"
    pages = "1 page" if wanted == 1 else f"{wanted} pages"
    paper_name = PAPER_SIZES[paper].capitalize()
    message = (f"{{name}} does not fit on {pages} of {paper_name} paper (one for every "
               f"{per_page} questions): it came out as {{made}} pages, which `handouts scan` "
               "could not read. Give a shorter `short_title:` (the answer sheet prints it), "
               f"or print it on larger paper ({larger})")
    where = str(Problem(loaded.shown, line, column, field, "")).rstrip()
    return PageCount(wanted, where.replace("{", "{{").replace("}", "}}") + " " + message)


@dataclass(frozen=True)
class HandoutKind:
    """One output made from a sheet: a printed document, or data (`produce`)."""

    name: str  # used in file names (S-NAME.pdf) and in --only
    template: str = ""  # in templates/ (documents only)
    stylesheet: str = ""  # in styles/, added after base.css (documents only)
    label: str = ""  # catalog key of the document's name, e.g. "doc_answer_key"
    page_label: str = "page_short"  # catalog key of the page-number format
    running_header: bool = True
    per_edition: bool = False  # one file per quiz edition (version, before/after)
    needs: Condition | None = None  # made only when the condition is met
    # The view its template prints: the whole sheet's, or a part of it (a quiz's, a leaflet's)
    view: Callable[[Views, Edition | None], CommonView] = sheet_view
    # Data outputs: the bytes, and the file extension; documents follow --format.
    produce: Callable[[Views, Edition | None], bytes] | None = None
    extension: str | None = None
    # A paper of its own, whatever --paper asks (a booklet's A5 pages), without bleed.
    paper: str | None = None
    # What the PDF becomes once rendered (e.g. imposed), with its number of pages.
    finish: Callable[[bytes], tuple[bytes, int]] | None = None
    # The pages its PDF must come out as, when a program reads them back (else refused).
    page_count: Callable[[LoadedSheet, CommonView, str], PageCount] | None = None

    def suffix(self, fmt: str) -> str:
        return self.extension or fmt

    def layout(self, options: BuildOptions) -> tuple[str, bool]:
        """The paper and the print-shop marks this kind is rendered with."""
        if self.paper:
            return self.paper, False
        return options.paper, options.print_shop

    def made_with(self, options: BuildOptions) -> bool:
        return self.needs is None or self.needs.met(options)

    @property
    def named_is_enough(self) -> bool:
        """Naming it in --only makes it, its option or not (Condition.named_is_enough)."""
        return self.needs is not None and self.needs.named_is_enough

    def asked_by_option(self, options: BuildOptions) -> bool:
        """Made because an option asks for it by name (see Condition.asks_for_kind)."""
        return self.needs is not None and self.needs.asks_for_kind and self.needs.met(options)


KINDS: dict[str, HandoutKind] = {}


def register(kind: HandoutKind) -> HandoutKind:
    """Add a kind to the registry (after the others: registry order is print order)."""
    KINDS[kind.name] = kind
    return kind


for _kind in (
    HandoutKind("full-analysis", "full-analysis.html", "full-analysis.css",
                "doc_full_analysis", "page_short"),
    HandoutKind("easy-read", "easy-read.html", "easy-read.css",
                "doc_easy_read", "page_of", running_header=False, view=leaflet_view),
    HandoutKind("quiz", "quiz.html", "quiz.css", "doc_quiz", per_edition=True,
                view=quiz_view),
    HandoutKind("answer-key", "answer-key.html", "answer-key.css", "doc_answer_key",
                per_edition=True, view=quiz_view),
    HandoutKind("keys", needs=SEVERAL_EDITIONS, produce=keys_csv, extension="csv"),
    HandoutKind("marking-grid", "marking-grid.html", "marking-grid.css", "doc_marking_grid",
                needs=SEVERAL_EDITIONS, view=marking_view),
    HandoutKind("answer-sheet", "answer-sheet.html", "answer-sheet.css", "doc_answer_sheet",
                per_edition=True, needs=ANSWER_SHEET, view=quiz_view,
                page_count=answer_sheet_pages),
    HandoutKind("tally-sheet", "tally-sheet.html", "tally-sheet.css", "doc_tally_sheet",
                needs=PRE_POST, view=marking_view),
    HandoutKind("easy-read-booklet", "easy-read.html", "easy-read.css", "doc_easy_read",
                "page_of", running_header=False, needs=BOOKLET, paper="a5",
                finish=saddle_stitch, view=leaflet_view),
    HandoutKind("easy-read-proof", "easy-read-proof.html", "easy-read-proof.css",
                "doc_easy_read_proof", "page_of", running_header=False, needs=PROOF,
                view=leaflet_view),
):
    register(_kind)

# The workshop results report and its easy-read summary: made by `handouts results` from
# responses tables, never by `build` (which has no responses), so they are not in KINDS.
RESULTS = HandoutKind("results", "results.html", "results.css", "doc_results")
RESULTS_EASY_READ = HandoutKind("results-easy-read", "results-easy-read.html",
                                "results-easy-read.css", "doc_results_summary", "page_of",
                                running_header=False)
