"""The output formats: adding one is one entry here plus the function that renders a handout.

A format says the file suffix of its handouts, how one handout is rendered in it (its bytes
at once, or what the PDF engine is given, made later by a worker: then its fingerprint holds
what the engine is given), whether `watch`'s warm workers serve it, whether it publishes a
site around the handouts (`web`: batch/web.py builds it; this stage cannot name the batch
stage), and which kinds it makes. Data kinds (the keys' CSV) are the same in every format.
Light on purpose, like kinds.py: the command line reads the registry without loading the
heavy modules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import OptionsError, Problem
from .kinds import KINDS

if TYPE_CHECKING:  # pragma: no cover
    from ..options import BuildOptions
    from ..sheet.loader import LoadedSheet
    from ..view.commonview import CommonView
    from .kinds import HandoutKind
    from .render import Renderer


@dataclass(frozen=True)
class Handout:
    """One handout to render in a format: its kind, the view it prints, its paper and marks,
    the renderer (with the project's look), the build options, and the sheet's pictures."""

    kind: HandoutKind
    view: CommonView
    paper: str
    print_shop: bool
    renderer: Renderer
    options: BuildOptions
    pictures: frozenset[str]


@dataclass(frozen=True)
class EngineInput:
    """What the PDF engine is given for one handout; plain data, for a (warm) worker."""

    html: str
    stylesheets: tuple[str, ...]
    pictures: frozenset[str]  # all the engine may read: the sheet's and the project's files
    variant: str | None
    page_groups: bool  # see PdfJob.page_groups (batch/rendering.py)
    print_shop: bool = False  # finished for offset printing (printshop.py)


@dataclass(frozen=True)
class Rendered:
    """A handout in a format: its bytes made here (`data`: its fingerprint is their digest),
    or what the PDF engine is given (`engine`), made later; then `holds` is what its
    fingerprint holds (with the kind, the format and handouts' own files): equal, the PDF is
    the same, so a handout whose sheet changed elsewhere is not rendered again."""

    data: bytes | None = None
    engine: EngineInput | None = None
    holds: tuple[str, ...] = ()


def every_kind(kind: HandoutKind) -> bool:
    return True


@dataclass(frozen=True)
class Format:
    """One output format, as --format names it."""

    name: str
    suffix: str  # of its handouts' files (data kinds keep their own extension)
    render: Callable[[Handout], Rendered]
    help: str  # for --format's help: what a user gets
    warm: bool = False  # `watch`'s warm workers make its handouts (PDF engine outputs)
    # A site published around the handouts: batch/web.py, which the API calls for it (this
    # stage cannot name the batch stage); the handouts are made as `render` says.
    publishes_site: bool = False
    makes: Callable[[HandoutKind], bool] = every_kind  # the kinds it can make
    # False: a whole sheet's export (the quiz for a learning platform), made once per sheet
    # in the sheet's order whatever --versions or --pre-post ask; the platform shuffles.
    per_edition: bool = True
    # What makes a sheet impossible to render in this format (Kahoot's limits): each problem
    # at its line, all reported at once before anything is rendered; None: nothing does.
    refuses: Callable[[LoadedSheet], list[Problem]] | None = None


def pdf_handout(handout: Handout) -> Rendered:
    """The HTML and stylesheets the PDF engine turns into the handout."""
    kind, view, renderer = handout.kind, handout.view, handout.renderer
    html = renderer.html(kind, view, handout.paper, handout.print_shop, inline_styles=False)
    stylesheets = tuple(renderer.styles(kind, view, handout.paper, handout.print_shop))
    allowed = handout.pictures | renderer.resources
    variant = handout.options.pdf_variant
    return Rendered(engine=EngineInput(html, stylesheets, allowed, variant,
                                       renderer.built_in_look, handout.print_shop),
                    holds=(json.dumps([variant, sorted(allowed), handout.print_shop]),
                           *stylesheets, html))


def html_handout(handout: Handout) -> Rendered:
    """The exact HTML that becomes the PDF, its stylesheets inline."""
    return Rendered(data=handout.renderer.html(
        handout.kind, handout.view, handout.paper, handout.print_shop).encode("utf-8"))


def docx_handout(handout: Handout) -> Rendered:
    """An editable Word document (wordkinds.py; python-docx is loaded only for this format);
    its bytes are its fingerprint, like the HTML's."""
    from .wordkinds import docx_bytes

    return Rendered(data=docx_bytes(handout))


def docx_makes(kind: HandoutKind) -> bool:
    from .wordkinds import makes

    return makes(kind)


def quiz_only(kind: HandoutKind) -> bool:
    """The quiz exports make the quiz, once: the platform shows the answers itself."""
    return kind.name == "quiz"


def moodle_quiz(handout: Handout) -> Rendered:
    from .quizexport import moodle_xml

    return Rendered(data=moodle_xml(handout.view))


def gift_quiz(handout: Handout) -> Rendered:
    from .quizexport import gift

    return Rendered(data=gift(handout.view))


def qti_quiz(handout: Handout) -> Rendered:
    from .qti import qti_package

    return Rendered(data=qti_package(handout.view))


def kahoot_quiz(handout: Handout) -> Rendered:
    from .kahoot import kahoot_xlsx

    return Rendered(data=kahoot_xlsx(handout.view))


def kahoot_limits(loaded: LoadedSheet) -> list[Problem]:
    from .kahoot import kahoot_problems

    return kahoot_problems(loaded)


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format to the registry (--format lists them in registry order)."""
    FORMATS[fmt.name] = fmt
    return fmt


for _format in (
    Format("pdf", "pdf", pdf_handout, "print-ready PDFs", warm=True),
    Format("html", "html", html_handout, "the exact HTML that becomes the PDF"),
    Format("web", "pdf", pdf_handout, "a static site with the PDFs (see --site-url)",
           publishes_site=True),
    Format("docx", "docx", docx_handout, "editable Word documents (the full analysis, "
           "easy-read leaflet, quiz and answer key)", makes=docx_makes),
    # the quiz for learning platforms, once per sheet (documents/quizexport.py, qti.py,
    # kahoot.py)
    Format("moodle", "xml", moodle_quiz, "the quiz as Moodle XML", makes=quiz_only,
           per_edition=False),
    Format("gift", "gift.txt", gift_quiz, "the quiz as GIFT text (Moodle and others)",
           makes=quiz_only, per_edition=False),
    Format("qti", "zip", qti_quiz, "the quiz as a QTI 2.1 package (Canvas, Blackboard…)",
           makes=quiz_only, per_edition=False),
    Format("kahoot", "xlsx", kahoot_quiz, "the quiz as Kahoot's quiz spreadsheet",
           makes=quiz_only, per_edition=False, refuses=kahoot_limits),
):
    register(_format)


def format_of(options: BuildOptions) -> Format:
    """The format the options ask for; OptionsError for one not registered, or for a kind
    named in --only that it does not make."""
    fmt = FORMATS.get(options.fmt)
    if fmt is None:
        raise OptionsError(f"unknown format {options.fmt!r}: choose among {', '.join(FORMATS)}")

    refused = [name for name in options.only if name in KINDS and not fmt.makes(KINDS[name])]
    if refused:
        raise OptionsError(f"the {fmt.name} format does not make {', '.join(refused)}: leave "
                           "it out of --only, or choose another --format")
    return fmt
