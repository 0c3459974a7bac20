"""The build: read → fingerprint → load and validate → views → render → write.

Each sheet file is read once, here; those bytes are fingerprinted, then parsed and validated
once (in a worker process for a batch). A sheet's handouts are all rendered in memory by the
worker, which returns them; only this process writes files. A bad sheet does not stop the
others, an unexpected exception (a bug) fails its sheet only, and the record of incremental
builds is saved as each sheet completes. Outputs whose inputs did not change are skipped (see
incremental.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..documents.writer import check_folder, in_the_way, plain_name, prepare_folder
from ..errors import (
    BugError,
    HandoutsError,
    Interrupted,
    OutputError,
    Problem,
    RenderError,
    SheetError,
)
from ..options import BuildOptions, Planned
from ..paths import ReadRefused, bounded_bytes, display
from .pool import Signals, Stop

if TYPE_CHECKING:  # pragma: no cover
    from ..documents.render import Renderer
    from ..settings import Project
    from .warm import WarmPool

# Told of a wait for another build's lock on the output folder (the folder), to say so.
OnWait = Callable[[Path], None] | None


@dataclass(frozen=True)
class Output:
    path: Path
    key: str  # kind and edition, e.g. "quiz-B"; names the output in the incremental record
    pages: int | None = None


@dataclass
class BuildResult:
    written: list[Output] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[HandoutsError] = field(default_factory=list)  # one per failed sheet
    # not a sheet's: the record's, the output folder's
    record_failures: list[HandoutsError] = field(default_factory=list)
    sheets: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.record_failures


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
        import atexit
        import gc

        from ..documents.render import Renderer

        _renderer = Renderer()
        atexit.register(gc.freeze)
    return _renderer


def forget_built_in_files() -> None:
    """handouts' own templates, stylesheets or language files were saved (under `watch`, by
    someone working on them): read them again, with the digest that fingerprints every
    output with them, so that the next build makes what they now make."""
    global _renderer
    from ..sheet import locales
    from .incremental import tool_digest

    tool_digest.cache_clear()
    locales.forget()
    _renderer = None  # its stylesheets were read once; templates are checked by Jinja
    _themed.clear()


def render_sheet(task: SheetTask) -> SheetOutcome:
    """Load the sheet from the bytes read by the parent and render its stale outputs in
    memory; never raises for a sheet (a bug becomes a BugError naming the file)."""
    outcome = SheetOutcome(task)
    try:
        _render_into(outcome)
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


def render_pdf(job: PdfJob) -> tuple[Output, bytes, list[str]]:
    """Make one PDF (and finish it, e.g. impose a booklet): the output with its pages, the
    bytes, the engine's warnings. Raises RenderError naming the sheet and the handout."""
    from ..documents.kinds import KINDS

    renderer = shared_renderer()
    name = job.output.path.name
    try:
        pdf = renderer.pdf(job.html, stylesheets=list(job.stylesheets),
                           time_limit=job.time_limit, variant=job.variant,
                           pictures=job.pictures,
                           keep_as=str(job.output.path) if job.page_groups else None)
    except RenderError as error:
        raise RenderError(f"{job.shown}: {name}: {error}") from None
    finish = KINDS[job.kind].finish
    data, pages = finish(pdf.data) if finish else (pdf.data, pdf.pages)
    return (Output(job.output.path, job.output.key, pages), data,
            [f"{job.shown}: {name}: {w}" for w in pdf.warnings])


def _render_into(outcome: SheetOutcome, defer: list[PdfJob] | None = None) -> None:
    """Render the task's stale outputs into `outcome`; the PDFs are only listed in `defer`
    (their HTML rendered) when it is given, for warm workers to make."""
    from ..documents.formats import Handout, Rendered, format_of
    from ..documents.kinds import Views
    from ..sheet.loader import load, sheet_inputs
    from ..view.quizview import edition_view
    from ..view.sheetview import build_view, with_organisation
    from ..view.versions import arrangements
    from .incremental import digest, engine_fingerprint

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
    for planned, _ in task.outputs:
        kind = planned.kind
        target = output_path(task.output_dir, sheet.slug, planned.key, kind.suffix(fmt.suffix))
        output = Output(target, planned.key)
        if kind.produce is not None:  # data: the same in every format
            rendered = Rendered(data=kind.produce(views, planned.edition))
        else:
            paper, print_shop = kind.layout(options)
            rendered = fmt.render(Handout(kind, kind.view(views, planned.edition), paper,
                                          print_shop, shared_renderer(options.project),
                                          options, view.pictures))
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
                     page_groups=engine.page_groups)
        if defer is not None:
            defer.append(job)
            continue
        made, data, warnings = render_pdf(job)
        outcome.warnings.extend(warnings)
        outcome.rendered.append((made, data))
    if options.strict and outcome.warnings:
        raise RenderError(f"{loaded.shown}: not written, because of the warnings above "
                          "(--strict)")


def _read_sheet(file: Path, max_bytes: int) -> bytes | None:
    """The bytes of a sheet file, read once; None when it is not a readable regular file of
    at most `max_bytes` (the loader then says what is wrong, in its words)."""
    try:
        return bounded_bytes(file, max_bytes, "a sheet file")
    except ReadRefused:
        return None


def _plan(files: list[Path], output_dir: Path, options: BuildOptions, force: bool,
          result: BuildResult) -> list[SheetTask]:
    """Which sheets need building, and which of their outputs; the rest is unchanged."""
    from .incremental import Manifest, fingerprint

    manifest = Manifest.load(output_dir)
    planned = planned_outputs(options)
    tasks = []
    for file in files:
        data = _read_sheet(file, options.max_bytes)
        if data is None:
            tasks.append(SheetTask(file, None, tuple((p, "") for p in planned), output_dir,
                                   options))
            continue
        stale, existing = [], []
        for output in planned:
            fp = fingerprint(data, output.key, options)
            fresh = None if force else manifest.fresh_output(file, output.key, fp)
            if fresh is None:
                stale.append((output, fp))
                known = None if force else manifest.engine_output(file, output.key)
                if known:
                    existing.append((output.key, known))
            else:
                result.unchanged.append(fresh)
        if stale:
            tasks.append(SheetTask(file, data, tuple(stale), output_dir, options,
                                   tuple(existing)))
    return tasks


def planned_outputs(options: BuildOptions) -> list[Planned]:
    """The outputs the options plan (options.planned), but those of the kinds the format
    does not make."""
    from ..documents.formats import format_of

    fmt = format_of(options)
    return [planned for planned in options.planned() if fmt.makes(planned.kind)]


def _writable_sheet_folders(tasks: list[SheetTask], output_dir: Path,
                            result: BuildResult) -> list[SheetTask]:
    """The tasks whose sheet folder (known from the record) can be written, or will be
    created; each other sheet fails now, before it is rendered."""
    from .incremental import Manifest

    manifest = Manifest.load(output_dir)
    kept = []
    for task in tasks:
        slug = manifest.slug(task.file)
        folder = output_dir / slug if slug and plain_name(slug) else None
        if (folder is not None and folder.is_dir() and not folder.is_symlink()
                and not os.access(folder, os.W_OK | os.X_OK)):
            result.failures.append(OutputError(
                f"{folder}: this sheet's folder is not writable: change its permissions, or "
                "choose another output folder with -o; its earlier handouts are untouched"))
            continue
        kept.append(task)
    return kept


def _broken(task: SheetTask, error: BaseException) -> SheetOutcome:
    """The worker building this sheet died (and did again when it was tried alone)."""
    return SheetOutcome(task, error=BugError(
        display(task.file), "the process building it stopped abruptly: out of memory, or a "
        f"crash in a library ({type(error).__name__})"))


def _run(tasks: list[SheetTask], jobs: int) -> Iterator[SheetOutcome]:
    """Outcomes in the order of the tasks, from this process or from a pool of `jobs`."""
    if jobs <= 1 or len(tasks) <= 1:
        return map(render_sheet, tasks)
    from .pool import run_in_pool

    return run_in_pool(render_sheet, tasks, jobs, _broken)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def _slug_failure(outcome: SheetOutcome, owners: dict[str, Path]) -> SheetError | None:
    """Two sheets of one batch (or a sheet and one built earlier into this folder) must not
    share a slug: the first one keeps it."""
    assert outcome.slug is not None
    owner = owners.setdefault(outcome.slug, outcome.task.file)
    if owner == outcome.task.file:
        return None
    return SheetError([Problem(display(outcome.task.file), None, None, "slug",
                               f"'{outcome.slug}' is also the slug of {display(owner)}: give "
                               "each sheet its own slug")])


def _commit(outcome: SheetOutcome, result: BuildResult, on_wait: OnWait) -> None:
    """Put a sheet's rendered files in place, all or none, and add them to the record; under
    the output folder's lock, so that a concurrent build neither interleaves a sheet's files
    nor loses records. A record that cannot be saved does not hide the sheet's result. A
    journal in the sheet's folder that handouts will not follow fails the sheet (the message
    moves from the build's record failures, where `_recover` put it, to the sheet)."""
    from ..documents.writer import locked, recover, write_set
    from .incremental import Manifest, digest

    task = outcome.task
    prints = {planned.key: fp for planned, fp in task.outputs}
    with locked(task.output_dir, task.options.wait, on_wait):
        folder = task.output_dir / str(outcome.slug)
        manifest = Manifest.load(task.output_dir)
        recovered = recover(task.output_dir, [folder])
        notes = recovered.notes
        refused = recovered.refused.get(folder)
        if refused:
            result.record_failures = [known for known in result.record_failures
                                      if str(known) != refused]
        digests = [(output, digest(data)) for output, data in outcome.rendered]
        note = manifest.note(task.file, str(outcome.slug), outcome.inputs, {
            output.key: (output.path, prints[output.key], data_digest)
            for output, data_digest in [*digests, *outcome.kept]}, outcome.engines)
        try:
            if refused:
                raise OutputError(refused)
            problem = in_the_way(folder) if folder.is_symlink() else None
            if problem:
                raise OutputError(problem + "; nothing was written for this sheet")
            prepare_folder(folder)
            write_set([(output.path, data) for output, data in outcome.rendered], note)
        except HandoutsError as error:
            outcome.error = error
        else:
            outcome.written = digests
            notes.append(note)
        outcome.rendered = []
        if notes:
            for known in notes:
                manifest.remember(known)
            try:
                manifest.save()
            except HandoutsError as error:
                result.record_failures.append(OutputError(
                    f"{error} (the record of what was built: the next build rebuilds these "
                    "handouts)"))


def build(
    paths: list[Path],
    output_dir: Path,
    options: BuildOptions | None = None,
    *,
    force: bool = False,
    jobs: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_output: Callable[[Output], None] | None = None,
    on_sheet: Callable[[SheetOutcome], None] | None = None,
    warm: WarmPool | None = None,
    on_wait: OnWait = None,
) -> BuildResult:
    """Build the handouts of every sheet found in `paths` into `output_dir`.

    Outputs whose fingerprint is unchanged are skipped unless `force`; `jobs` > 1 spreads the
    sheets over that many processes. `on_start` hears how many sheets need building,
    `on_output` of each file written and `on_sheet` of each sheet done, in sheet order;
    `on_wait` of a wait for another build's lock on the output folder (options.wait).
    With `warm` workers (watch), a sheet's PDFs are made at the same time and each written as
    soon as it is ready (see `_build_warm`); not with --strict, which writes all or none.
    Raises OptionsError when the options ask for what cannot be made; every problem of a
    sheet is a failure in the result, never an exception.
    """
    from ..documents.formats import format_of
    from .incremental import Manifest
    from .sources import find_sheets

    options = options or BuildOptions()
    options.planned()  # options that cannot work fail before anything is read
    fmt = format_of(options)
    result = BuildResult()
    files, missing = find_sheets(paths)
    result.failures.extend(SheetError([problem]) for problem in missing)
    result.sheets = len(files)
    if files:
        try:
            check_folder(output_dir)
        except OutputError as error:  # said once, before rendering, not once per sheet
            result.record_failures.append(error)
            return result
    if not _recover(output_dir, result, options, on_wait):
        return result  # another build kept the folder for longer than --wait
    tasks = _plan(files, output_dir, options, force, result)
    tasks = _writable_sheet_folders(tasks, output_dir, result)
    if on_start:
        on_start(len(tasks))
    if warm is not None and not warm.primed:
        warm.primed = True
        _prime(files, {task.file for task in tasks}, output_dir, options, warm)
    if not tasks:
        return result
    manifest = Manifest.load(output_dir)
    building = {task.file for task in tasks}
    owners: dict[str, Path] = {}
    for file in files:
        slug = manifest.slug(file) if file not in building else None
        if slug:
            owners.setdefault(slug, file)
    if warm is not None and not options.strict and fmt.warm:
        with Signals() as signals:
            try:
                for task in tasks:
                    outcome = _build_warm(task, warm, owners, result, signals, on_output,
                                          on_wait)
                    if on_sheet:
                        on_sheet(outcome)
            except Stop as stop:
                warm.close()
                count = len(result.written)
                raise Interrupted(
                    f"stopped by {signal_name(stop.signal_number)}: {count} "
                    f"file{'s' if count != 1 else ''} written before it, each complete",
                    stop.signal_number) from None
        return result
    outcomes = _run(tasks, jobs)
    with Signals() as signals:
        try:
            for outcome in outcomes:
                with signals.critical():  # a stop waits until this sheet is written and told
                    _finish(outcome, owners, result, on_wait)
                    if on_output:
                        for output, _ in outcome.written:
                            on_output(output)
                    if on_sheet:
                        on_sheet(outcome)
        except Stop as stop:
            _close(outcomes)
            name = signal_name(stop.signal_number)
            count = len(result.written)
            raise Interrupted(
                f"stopped by {name}: {count} file{'s' if count != 1 else ''} written "
                f"before it, each complete; the sheets not finished keep their earlier "
                "handouts", stop.signal_number) from None
        finally:
            _close(outcomes)
    return result


def _prime(files: list[Path], building: set[Path], output_dir: Path, options: BuildOptions,
           warm: WarmPool) -> None:
    """When `watch` starts: have the warm workers lay out the long handouts (those in page
    groups) of the sheet saved last, unless this build makes them anyway, so that its first
    save already lays out only what it changed. Only saves time: a sheet that cannot be
    read or rendered is not primed (its build says why)."""
    from ..documents.pagegroups import split

    if not files:
        return

    def saved(file: Path) -> int:
        try:
            return file.stat().st_mtime_ns
        except OSError:
            return 0

    newest = max(files, key=saved)
    data = _read_sheet(newest, options.max_bytes) if newest not in building else None
    if data is None:
        return
    task = SheetTask(newest, data, tuple((planned, "") for planned in
                                         planned_outputs(options)), output_dir, options)
    jobs: list[PdfJob] = []
    try:
        _render_into(SheetOutcome(task), defer=jobs)
    except Exception:  # only an optimisation: the sheet's build reports what is wrong
        return
    warm.prime([job for job in jobs if job.page_groups and split(job.html) is not None])


def _build_warm(task: SheetTask, warm: WarmPool, owners: dict[str, Path], result: BuildResult,
                signals: Signals, on_output: Callable[[Output], None] | None,
                on_wait: OnWait) -> SheetOutcome:
    """One sheet in watch: its HTML here, its PDFs on the warm workers at once, smallest
    first. The sheet's files are written as one set, as a build writes them, once the last
    PDF is ready: a stop (TERM, HUP, Ctrl+C) while they are made leaves every earlier file
    as it was, never a new answer key beside an old analysis. A PDF that fails leaves its
    earlier file and record (the next build makes it again); the others are written."""
    outcome = SheetOutcome(task)
    jobs: list[PdfJob] = []
    try:
        _render_into(outcome, defer=jobs)
    except HandoutsError as error:
        outcome.error = error
    except Exception as error:  # a bug: fail this sheet only, and say so
        outcome.error = BugError(display(task.file), error)
    if outcome.error is None:
        outcome.error = _slug_failure(outcome, owners)
    if outcome.error is not None:
        outcome.rendered = []
        result.warnings.extend(outcome.warnings)
        result.failures.append(outcome.error)
        return outcome
    failures: list[HandoutsError] = []
    for _, made in (warm.render(jobs) if jobs else iter(())):
        if isinstance(made, HandoutsError):
            failures.append(made)
        elif isinstance(made, Exception):  # the worker died, or a bug
            failures.append(BugError(display(task.file), made))
        else:
            output, data, warnings = made
            outcome.warnings.extend(warnings)
            outcome.rendered.append((output, data))
    result.failures.extend(failures)
    if not outcome.rendered and not outcome.kept:
        result.warnings.extend(outcome.warnings)
        return outcome
    with signals.critical():  # a stop waits until the set is written and told
        _finish(outcome, owners, result, on_wait)
        if on_output:
            for output, _ in outcome.written:
                on_output(output)
    return outcome


def _close(outcomes: Iterator[SheetOutcome]) -> None:
    """Stop the workers now (a generator's `close` runs its clean-up)."""
    close = getattr(outcomes, "close", None)
    if close:
        close()


def _recover(output_dir: Path, result: BuildResult, options: BuildOptions,
             on_wait: OnWait) -> bool:
    """Finish what a killed build left in the output folder, before deciding what is stale.
    A journal that is not followed is a record failure (its sheet's failure if it is built).
    False when another build held the folder's lock for longer than `options.wait`."""
    from ..documents.writer import Busy, locked, recover
    from .incremental import Manifest

    if not output_dir.is_dir() or not os.access(output_dir, os.W_OK | os.X_OK):
        return True  # nothing to finish, or nothing that could be (writing would say why)
    try:
        with locked(output_dir, options.wait, on_wait):
            recovered = recover(output_dir)
            result.record_failures.extend(OutputError(message)
                                          for message in recovered.refused.values())
            if recovered.notes:
                manifest = Manifest.load(output_dir)
                for note in recovered.notes:
                    manifest.remember(note)
                manifest.save()
    except Busy as error:
        result.record_failures.append(error)
        return False
    except HandoutsError as error:
        result.record_failures.append(OutputError(
            f"{error} (the record of what was built: the next build rebuilds these handouts)"))
    return True


def signal_name(number: int) -> str:
    import signal

    return "Ctrl+C" if number == signal.SIGINT else signal.Signals(number).name


def _finish(outcome: SheetOutcome, owners: dict[str, Path], result: BuildResult,
            on_wait: OnWait = None) -> None:
    """Check a rendered sheet's slug, write its files, and account for it in the result."""
    result.warnings.extend(outcome.warnings)
    if outcome.error is None:
        outcome.error = _slug_failure(outcome, owners)
    if outcome.error is None:
        try:
            _commit(outcome, result, on_wait)
        except HandoutsError as error:  # the folder's lock could not be made
            outcome.error = error
        except Exception as error:  # a bug: this sheet fails, the batch goes on
            outcome.error = BugError(display(outcome.task.file), error)
    if outcome.error is not None:
        result.failures.append(outcome.error)
    result.written.extend(output for output, _ in outcome.written)
    if outcome.error is None:
        result.unchanged.extend(output.path for output, _ in outcome.kept)
