"""Rendering one sheet in memory: what a worker process (or this one, for a single sheet) does.

The data that crosses to a worker and back is plain (`SheetTask` in, `SheetOutcome` out, a
`PdfJob` for a warm worker), and nothing here writes a file: the batch (build.py) decides
what is stale, and puts what comes back in place (commit.py). Apart from the batch loop so
that the worker's side reads on its own, and so that the warm workers (warm.py) have public
entry points to start with.
"""

from __future__ import annotations

import atexit
import gc
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..documents.formats import Handout, Rendered, format_of
from ..documents.kinds import KINDS, PageCount, Views
from ..errors import BugError, HandoutsError, OutputError, RenderError, SheetError
from ..options import BuildOptions, Planned
from ..paths import display
from ..sheet import locales
from ..view.versions import arrangements
from .incremental import digest, engine_fingerprint, tool_digest

if TYPE_CHECKING:  # pragma: no cover
    from ..documents.render import Renderer
    from ..view.organisation import Project


@dataclass(frozen=True)
class Output:
    path: Path
    key: str  # kind and edition, e.g. "quiz-B"; names the output in the incremental record
    pages: int | None = None


@dataclass(frozen=True)
class SheetTask:
    """One sheet to build: its bytes as read (and fingerprinted) by the parent, and the stale
    outputs with their fingerprints, and what the engine was given for the files of these
    outputs already on disk (`existing`: key → engine fingerprint, digest, path in the output
    folder)."""

    file: Path
    data: bytes | None  # None: could not be read as a sheet here; the loader says why
    outputs: tuple[tuple[Planned, str], ...]
    output_dir: Path
    options: BuildOptions
    existing: tuple[tuple[str, tuple[str, str, str]], ...] = ()
    # where the record of the build and the folder's lock live (None: the output folder)
    record_dir: Path | None = None


@dataclass
class SheetOutcome:
    """What building one sheet gave; plain data, so that it can come back from a worker."""

    task: SheetTask
    slug: str | None = None
    rendered: list[tuple[Output, bytes]] = field(default_factory=list)  # not yet written
    # the pictures printed, each with the digest of the bytes rendered
    inputs: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: HandoutsError | None = None  # with its type, even from a worker
    written: list[tuple[Output, str]] = field(default_factory=list)  # output, digest
    # key → engine fingerprint of each output rendered or kept
    engines: dict[str, str] = field(default_factory=dict)
    # outputs whose file on disk is already what the engine would make: not rendered again,
    # not written (output, digest of the file)
    kept: list[tuple[Output, str]] = field(default_factory=list)

    def failure(self) -> HandoutsError | None:
        return self.error


def output_path(output_dir: Path, slug: str, key: str, extension: str) -> Path:
    """DIR/S/S-KEY.EXT; the slug is validated by the model, and checked again here to be one
    plain name (a symbolic link in the way is found when writing)."""
    if slug in ("", ".", "..") or "/" in slug or "\\" in slug:
        raise OutputError(f"{slug}: this slug would write outside {output_dir}")
    return output_dir / slug / f"{slug}-{key}.{extension}"


_renderer: Renderer | None = None
_themed: dict[str, Renderer] = {}  # project fingerprint → its renderer


def shared_renderer(project: Project | None = None) -> Renderer:
    """One renderer per process (per project theme): fonts, templates and styles are loaded
    once; a changed theme has another fingerprint, so `watch` gets a fresh renderer. A
    process that rendered skips the collection of its cycles at exit (`gc.freeze`): the
    engine's documents and fonts left a large graph that took 0.1 to 0.2 s to walk for
    nothing (files are closed and flushed by `with` blocks, never by collection). Public: the
    warm workers (warm.py) load theirs when they start, and keep its laid-out pages."""
    global _renderer
    if project is not None:
        if project.fingerprint not in _themed:
            from ..documents.render import Renderer

            _themed.clear()
            _themed[project.fingerprint] = Renderer(project)
        return _themed[project.fingerprint]
    if _renderer is None:
        from ..documents.render import Renderer

        _renderer = Renderer()
        atexit.register(gc.freeze)
    return _renderer


def forget_built_in_files() -> None:
    """handouts' own templates, stylesheets or language files were saved (under `watch`, by
    someone working on them): read them again, with the digest that fingerprints every
    output with them, so that the next build makes what they now make."""
    global _renderer
    tool_digest.cache_clear()
    locales.forget()
    _renderer = None  # its stylesheets were read once; templates are checked by Jinja
    _themed.clear()


def render_sheet(task: SheetTask) -> SheetOutcome:
    """Load the sheet from the bytes read by the parent and render its stale outputs in
    memory; never raises for a sheet (a bug becomes a BugError naming the file)."""
    outcome = SheetOutcome(task)
    try:
        render_into(outcome)
    except HandoutsError as error:
        outcome.error = error
        outcome.rendered = []
    except Exception as error:  # a bug: fail this sheet only, and say so
        outcome.error = BugError(display(task.file), error)
        outcome.rendered = []
    return outcome


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make from HTML already rendered: plain data, for a warm worker."""

    output: Output
    kind: str
    html: str
    stylesheets: tuple[str, ...]
    pictures: frozenset[str]
    variant: str | None
    time_limit: float | None
    shown: str  # the sheet, as named in messages
    # whether a warm worker may lay out its page groups apart (documents/pagegroups.py): only
    # with the built-in templates and stylesheets, whose selectors are known not to reach
    # across groups (a theme's are not checked)
    page_groups: bool = False
    print_shop: bool = False  # finished for offset printing (documents/printshop.py)
    # the pages it must come out as, and the error if not (documents/kinds.py: PageCount)
    page_count: PageCount | None = None


def render_pdf(job: PdfJob) -> tuple[Output, bytes, list[str]]:
    """Make one PDF (and finish it, e.g. impose a booklet): the output with its pages, the
    bytes, the engine's warnings. Raises RenderError naming the sheet and the handout."""
    renderer = shared_renderer()
    name = job.output.path.name
    try:
        pdf = renderer.pdf(job.html, stylesheets=list(job.stylesheets),
                           time_limit=job.time_limit, variant=job.variant,
                           pictures=job.pictures,
                           keep_as=str(job.output.path) if job.page_groups else None,
                           print_shop=job.print_shop)
    except RenderError as error:
        raise RenderError(f"{job.shown}: {name}: {error}") from None
    finish = KINDS[job.kind].finish
    data, pages = finish(pdf.data) if finish else (pdf.data, pdf.pages)
    if job.page_count is not None and pages != job.page_count.pages:
        raise RenderError(job.page_count.refusal.format(made=pages, name=name))
    return (Output(job.output.path, job.output.key, pages), data,
            [f"{job.shown}: {name}: {w}" for w in pdf.warnings])


def render_into(outcome: SheetOutcome, defer: list[PdfJob] | None = None) -> None:
    """Render the task's stale outputs into `outcome`; the PDFs are only listed in `defer`
    (their HTML rendered) when it is given, for warm workers to make."""
    from ..sheet.loader import load, sheet_inputs
    from ..sheet.translation import behind_source
    from ..view.quizview import edition_view
    from ..view.sheetview import build_view, with_organisation

    task, options = outcome.task, outcome.task.options
    loaded = load(task.file, max_bytes=options.max_bytes, data=task.data)
    sheet = loaded.sheet
    outcome.slug = sheet.slug
    view = build_view(sheet)
    if options.project is not None:
        view = with_organisation(view, options.project.organisation.in_language(view.labels))
    editions = options.editions()
    orders = arrangements(sheet, editions)
    views = Views(view, [(e, edition_view(view, sheet, e, orders[e.name], options.page_refs))
                         for e in editions],
                  options)
    outcome.inputs = sheet_inputs(sheet)
    refuse = options.stale_translations == "refuse"
    behind, source = behind_source(loaded, task.file, "error" if refuse else "warning")
    if source is not None:
        outcome.inputs.append(source)
    if behind and refuse:
        raise SheetError(behind)
    outcome.warnings.extend(str(replace(problem, severity="error")) for problem in behind)
    existing = dict(task.existing)

    def unchanged(output: Output, engine: str) -> bool:
        """Whether the file on disk is already what this output's engine print makes."""
        outcome.engines[output.key] = engine
        known = existing.get(output.key)
        if (known is None or known[0] != engine
                or task.output_dir / known[2] != output.path):
            return False
        outcome.kept.append((output, known[1]))
        return True

    fmt = format_of(options)
    refused = fmt.refuses(loaded) if fmt.refuses else []
    if refused:  # nothing of this sheet is rendered, nor written
        raise SheetError(refused)
    for planned, _ in task.outputs:
        kind = planned.kind
        target = output_path(task.output_dir, sheet.slug, planned.key, kind.suffix(fmt.suffix))
        output = Output(target, planned.key)
        if kind.produce is not None:  # data: the same in every format
            rendered = Rendered(data=kind.produce(views, planned.edition))
        else:
            paper, print_shop = kind.layout(options)
            printed = kind.view(views, planned.edition)
            try:
                rendered = fmt.render(Handout(kind, printed, paper, print_shop,
                                              shared_renderer(options.project), options,
                                              printed.pictures_for(paper)))
            except RenderError as error:  # a format that cannot write this sheet says why
                raise RenderError(f"{loaded.shown}: {target.name}: {error}") from None
        if rendered.data is not None:
            if not unchanged(output, digest(rendered.data)):
                outcome.rendered.append((output, rendered.data))
            continue
        engine = rendered.engine
        if engine is None:
            raise TypeError(f"the {fmt.name} format rendered {kind.name} as nothing")
        if unchanged(output, engine_fingerprint(kind.name, fmt.name, rendered.holds)):
            continue
        job = PdfJob(output, kind.name, engine.html, engine.stylesheets, engine.pictures,
                     engine.variant, options.time_limit, loaded.shown,
                     page_groups=engine.page_groups, print_shop=engine.print_shop,
                     page_count=(kind.page_count(loaded, printed, paper)
                                 if kind.page_count else None))
        if defer is not None:
            defer.append(job)
            continue
        made, data, warnings = render_pdf(job)
        outcome.warnings.extend(warnings)
        outcome.rendered.append((made, data))
    if options.strict and outcome.warnings:
        raise RenderError(f"{loaded.shown}: not written, because of the warnings above "
                          "(--strict)")
