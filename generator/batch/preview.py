"""The studio's live preview: a sheet's handouts as page pictures, made from its text as it is
in the editor (saved or not), by warm workers as `watch` makes them.

After an edit, the HTML of the handouts asked for is rendered here (cheap), and a PDF is made
again only when what the PDF engine would receive changed (`engine_fingerprint`, as in an
incremental build): a quiz answer changed makes the answer key and the full analysis again,
never the blank quiz nor the easy-read leaflet. The PDF goes to the warm worker that made it
last, which kept its laid-out page groups (documents/pagegroups.py), and that worker also
turns its pages into PNG pictures (pypdfium2), so that nothing heavy runs in the studio's own
process. Nothing is ever written: the previews live in memory, the last few of each sheet.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import HandoutsError, Problem, SheetError
from ..options import BuildOptions
from ..paths import display
from .incremental import digest
from .rendering import Output, PdfJob, SheetOutcome, SheetTask, render_into, render_pdf

if TYPE_CHECKING:  # pragma: no cover
    from .warm import WarmPool

# The handouts the preview shows, in the order of its tabs.
PREVIEW_KINDS = ("full-analysis", "easy-read", "quiz", "answer-key")
KEPT_PER_SHEET = 3  # previews kept for each sheet (the last ones asked for)
KEPT_SHEETS = 8  # sheets whose previews are kept
KEPT_HANDOUTS = 24  # handouts kept by what the PDF engine was given, across previews
DPI = 96  # a screen's pixels: an A4 page is 794 by 1123
# Never written to: the path names a handout for its worker's kept pages, as in `watch`.
FOLDER = Path(tempfile.gettempdir()) / "handouts-preview"


@dataclass(frozen=True)
class Pages:
    """One handout made for the preview: its PDF and each page as a PNG picture."""

    kind: str
    pdf: bytes
    pngs: tuple[bytes, ...]
    warnings: tuple[str, ...] = ()
    drawn: int = 0  # pages drawn anew for it (the others' pictures were kept)


@dataclass
class Preview:
    """A sheet's preview for one version of its text: its handouts, or why there are none
    (the same messages as `check`)."""

    file: Path
    digest: str  # of the file, text and options: names this preview in the studio's addresses
    data: bytes = b""  # the sheet's text it shows
    slug: str | None = None
    problems: list[Problem] = field(default_factory=list)
    more: int = 0  # problems found and not listed
    handouts: dict[str, Pages] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def zip(self) -> bytes:
        """The handouts' PDFs in one zip, named as `build` names them."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for kind, pages in self.handouts.items():
                archive.writestr(f"{self.slug}-{kind}.pdf", pages.pdf)
        return buffer.getvalue()


def page_fingerprints(pdf: bytes) -> list[str]:
    """A fingerprint of what each page draws: its content streams and every resource they
    can use (pictures, patterns, fonts), by their bytes. After an edit, a page that draws the
    same is not turned into a picture again: a long handout changes on a few pages.

    A font is the one exception, when it is a subset drawn by the original font's glyph
    numbers (Type0, CIDToGIDMap /Identity: how WeasyPrint embeds fonts): it is known by its
    name and its descriptor's metrics, not by its bytes. A letter typed on page 8 adds a
    glyph to the subset, and so changes the font's bytes on every page, but the glyphs a page
    had keep their numbers and shapes: the same content stream draws the same page."""
    import pikepdf

    known: dict[tuple[int, int], bytes] = {}

    def subset_font(item: object) -> bool:
        if not (isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/Font"
                and item.get("/Subtype") == "/Type0"):
            return False
        descendants = item.get("/DescendantFonts")
        return isinstance(descendants, pikepdf.Array) and all(
            isinstance(font, pikepdf.Dictionary) and font.get("/CIDToGIDMap") == "/Identity"
            and isinstance(font.get("/FontDescriptor"), pikepdf.Dictionary)
            for font in descendants)

    def font_identity(font: pikepdf.Dictionary) -> bytes:
        parts = [repr(font.get("/BaseFont")), repr(font.get("/Encoding"))]
        for descendant in font["/DescendantFonts"]:
            descriptor = descendant["/FontDescriptor"]
            parts += [repr(descendant.get(key)) for key in ("/BaseFont", "/Subtype")]
            parts += [repr(descriptor.get(key)) for key in (
                "/FontName", "/Flags", "/FontBBox", "/ItalicAngle", "/Ascent", "/Descent")]
        return hashlib.sha256("\0".join(parts).encode()).digest()

    def fingerprint(item: object, depth: int = 0) -> bytes:
        objgen = getattr(item, "objgen", (0, 0))
        if objgen != (0, 0) and objgen in known:
            return known[objgen]
        hasher = hashlib.sha256(type(item).__name__.encode())
        if depth > 12:  # deeper than a page's resources go: count it as changed
            hasher.update(str(id(item)).encode())
        elif subset_font(item):
            assert isinstance(item, pikepdf.Dictionary)
            hasher.update(font_identity(item))
        elif isinstance(item, pikepdf.Stream):
            hasher.update(item.read_raw_bytes())
            for key in sorted(item.keys()):
                if key != "/Length":
                    hasher.update(key.encode() + fingerprint(item[key], depth + 1))
        elif isinstance(item, pikepdf.Dictionary):
            for key in sorted(item.keys()):
                if key not in ("/Parent", "/P", "/Annots", "/StructParents"):
                    hasher.update(key.encode() + fingerprint(item[key], depth + 1))
        elif isinstance(item, pikepdf.Array):
            for part in item:
                hasher.update(fingerprint(part, depth + 1))
        else:
            hasher.update(repr(item).encode())
        found = hasher.digest()
        if objgen != (0, 0):
            known[objgen] = found
        return found

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [fingerprint(page.obj).hex() for page in document.pages]


# In a warm worker: the pictures of the pages it made last, by what they draw.
_pictures: OrderedDict[str, bytes] = OrderedDict()
KEPT_PICTURES = 60  # some 10 MB: a long handout's pages, twice


def rasterize(pdf: bytes, dpi: int = DPI) -> tuple[tuple[bytes, ...], int]:
    """Each page of a PDF as a PNG picture (fast compression: made again at every edit), and
    how many were drawn: a page that draws what a page made lately drew keeps its picture."""
    import pypdfium2

    keys = page_fingerprints(pdf)
    document = pypdfium2.PdfDocument(pdf)
    pictures = []
    drawn = 0
    try:
        for index, key in enumerate(keys):
            picture = _pictures.get(f"{dpi}:{key}")
            if picture is None:
                page = document[index]
                image = page.render(scale=dpi / 72).to_pil()
                page.close()
                buffer = io.BytesIO()
                image.save(buffer, "PNG", compress_level=1)
                picture = buffer.getvalue()
                drawn += 1
            _pictures[f"{dpi}:{key}"] = picture
            _pictures.move_to_end(f"{dpi}:{key}")
            pictures.append(picture)
    finally:
        document.close()
    while len(_pictures) > KEPT_PICTURES:
        _pictures.popitem(last=False)
    return tuple(pictures), drawn


def render_pages(job: PdfJob) -> tuple[Output, bytes, list[str], tuple[tuple[bytes, ...], int]]:
    """On a warm worker: the job's PDF, as `watch` makes it, and its pages as pictures."""
    made, data, warnings = render_pdf(job)
    return made, data, warnings, rasterize(data)


class Previewer:
    """The preview service of one studio: warm workers, and the previews of the last sheets
    edited. Safe to call from several threads (one preview is made at a time: the workers
    are shared)."""

    def __init__(self, workers: int = 2, pool: WarmPool | None = None):
        from .warm import WarmPool

        self.pool = pool or WarmPool(workers)
        self._lock = threading.Lock()
        self._sheets: OrderedDict[Path, OrderedDict[str, Preview]] = OrderedDict()
        self._made: OrderedDict[str, Pages] = OrderedDict()  # engine fingerprint → handout
        self.rendered: list[str] = []  # every handout kind made, in order (for tests)

    def start(self) -> Previewer:
        self.pool.start()
        return self

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> Previewer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def find(self, preview_digest: str) -> Preview | None:
        """A preview made lately, by its digest (None when it was forgotten)."""
        with self._lock:
            for kept in self._sheets.values():
                if preview_digest in kept:
                    return kept[preview_digest]
        return None

    def preview(self, file: Path, data: bytes, options: BuildOptions,
                kinds: tuple[str, ...] = PREVIEW_KINDS) -> Preview:
        """The preview of `file` as `data` says (its pictures resolved next to `file`), with
        the handouts `kinds` made: only those whose PDF would change are made again."""
        unknown = [kind for kind in kinds if kind not in PREVIEW_KINDS]
        if unknown:
            raise ValueError(f"not a handout of the preview: {', '.join(unknown)}")
        # one quiz, one key: the preview shows a sheet, not a class set of versions
        chosen = replace(options, only=tuple(kinds), versions=1, fmt="pdf", strict=False)
        named = digest(b"\0".join((str(file).encode(), data,
                                    repr(replace(chosen, only=())).encode())))
        with self._lock:
            kept = self._sheets.setdefault(file, OrderedDict())
            self._sheets.move_to_end(file)
            while len(self._sheets) > KEPT_SHEETS:
                self._sheets.popitem(last=False)
            preview = kept.get(named) or Preview(file, named, data)
            kept[named] = preview
            kept.move_to_end(named)
            while len(kept) > KEPT_PER_SHEET:
                kept.popitem(last=False)
            missing = tuple(kind for kind in kinds if kind not in preview.handouts)
            if preview.valid and missing:
                self._make(preview, data, replace(chosen, only=missing))
            return preview

    def _forget(self, preview: Preview) -> None:
        """Not kept: the same text asked again is made again."""
        self._sheets.get(preview.file, OrderedDict()).pop(preview.digest, None)

    def _make(self, preview: Preview, data: bytes, options: BuildOptions) -> None:
        task = SheetTask(preview.file, data, tuple((p, "") for p in options.planned()),
                         FOLDER, options)
        outcome = SheetOutcome(task)
        jobs: list[PdfJob] = []
        try:
            render_into(outcome, defer=jobs)
        except SheetError as error:
            preview.problems, preview.more = list(error.problems), error.more
            return
        except HandoutsError as error:
            preview.problems = [Problem(display(preview.file), None, None, "", str(error))]
            return
        preview.slug = outcome.slug
        to_make = []
        for job in jobs:
            known = self._made.get(outcome.engines[job.output.key])
            if known is None:
                to_make.append(job)
            else:
                self._made.move_to_end(outcome.engines[job.output.key])
                preview.handouts[job.kind] = known
        for job, made in (self.pool.run(to_make, render_pages) if to_make else iter(())):
            if isinstance(made, HandoutsError):
                preview.problems.append(Problem(display(preview.file), None, None, "",
                                                str(made)))
                continue
            if isinstance(made, Exception):  # a worker died: the next edit starts afresh
                preview.problems.append(Problem(
                    display(preview.file), None, None, "",
                    f"the preview could not be made ({made or type(made).__name__}): edit "
                    "the sheet again to retry"))
                self._forget(preview)
                continue
            _, pdf, warnings, (pngs, drawn) = made
            pages = Pages(job.kind, pdf, pngs, tuple(warnings), drawn)
            self.rendered.append(job.kind)
            self._made[outcome.engines[job.output.key]] = pages
            preview.handouts[job.kind] = pages
        while len(self._made) > KEPT_HANDOUTS:
            self._made.popitem(last=False)
        # in the tabs' order, whatever order they were made in
        preview.handouts = {kind: preview.handouts[kind] for kind in PREVIEW_KINDS
                            if kind in preview.handouts}
