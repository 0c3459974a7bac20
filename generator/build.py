"""The build: load → validate → build the view → render HTML → render PDF → write atomically.

Each sheet is rendered completely in memory before anything is written, so a sheet that fails
leaves its earlier outputs exactly as they were; a bad sheet does not stop the others. Outputs
whose inputs did not change are skipped (see incremental.py), and a batch can be spread over
several processes, each keeping one renderer (fonts, templates) for all its sheets.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import HandoutsError, OutputError, Problem, RenderError, SheetError
from .kinds import KINDS
from .options import BuildOptions


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
    failures: list[HandoutsError] = field(default_factory=list)
    sheets: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class SheetTask:
    """One sheet to build: the kinds whose outputs are stale, with their fingerprints."""

    file: Path
    fingerprints: dict[str, str]
    output_dir: Path
    options: BuildOptions


@dataclass
class SheetOutcome:
    """What building one sheet gave; plain data, so that it can come back from a worker."""

    task: SheetTask
    slug: str | None = None
    written: list[tuple[Output, str]] = field(default_factory=list)  # output, digest
    inputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # an invalid sheet
    error: str | None = None  # any other failure, as its message

    def failure(self) -> HandoutsError | None:
        if self.problems:
            return SheetError(self.problems)
        return HandoutsError(self.error) if self.error else None


def output_path(output_dir: Path, slug: str, key: str, fmt: str) -> Path:
    """DIR/S/S-KEY.EXT; the slug is validated, and the result must stay inside DIR."""
    target = output_dir / slug / f"{slug}-{key}.{fmt}"
    if not target.resolve().is_relative_to(output_dir.resolve()):
        raise OutputError(f"{slug}: this slug would write outside {output_dir}")
    return target


_renderer = None


def _shared_renderer():
    """One renderer per process: fonts, templates and styles are loaded once."""
    global _renderer
    if _renderer is None:
        from .render import Renderer

        _renderer = Renderer()
    return _renderer


def build_sheet(task: SheetTask) -> SheetOutcome:
    """Render the stale outputs of one sheet, then write them; never raises for a sheet."""
    from .context import build_view, edition_view, marking_view
    from .incremental import digest
    from .keys import keys_csv
    from .loader import load_sheet
    from .versions import arrangements
    from .writer import prepare_folder, write_atomic

    outcome = SheetOutcome(task)
    options = task.options
    plan = {key: (kind_name, edition) for key, kind_name, edition in options.planned()}
    try:
        sheet = load_sheet(task.file, max_bytes=options.max_bytes)
        outcome.slug = sheet.slug
        view = build_view(sheet)
        editions = options.editions()
        orders = arrangements(sheet, editions)
        edition_views = {e.name: edition_view(view, sheet, e, orders[e.name]) for e in editions}
        outcome.inputs = [Path(part.pictogram) for part in sheet.easy_read.summary
                          if part.pictogram]
        renderer = _shared_renderer()
        rendered: list[tuple[Output, bytes]] = []
        for key in task.fingerprints:
            kind_name, edition = plan[key]
            if kind_name == "keys":
                target = output_path(task.output_dir, sheet.slug, key, "csv")
                data = keys_csv([(e, edition_views[e.name].quiz) for e in editions])
                rendered.append((Output(target, key), data))
                continue
            kind = KINDS[kind_name]
            kind_view = edition_views[edition.name] if edition else view
            if kind.needs in ("editions", "pre_post"):  # every edition side by side
                kind_view = marking_view(view, [(e, edition_views[e.name]) for e in editions],
                                         options.seed if options.versions > 1 else None)
            target = output_path(task.output_dir, sheet.slug, key, options.fmt)
            if options.fmt == "html":
                html = renderer.html(kind, kind_view, options.paper, options.print_shop)
                rendered.append((Output(target, key), html.encode("utf-8")))
                continue
            html = renderer.html(kind, kind_view, options.paper, options.print_shop,
                                 inline_styles=False)
            pdf = renderer.pdf(html, stylesheets=renderer.styles(kind, kind_view, options.paper,
                                                                 options.print_shop),
                               time_limit=options.time_limit, variant=options.pdf_variant,
                               pictures=view.pictures)
            outcome.warnings.extend(f"{task.file}: {target.name}: {w}" for w in pdf.warnings)
            rendered.append((Output(target, key, pdf.pages), pdf.data))
        if options.strict and outcome.warnings:
            raise RenderError(f"{task.file}: not written, because of the warnings above "
                              "(--strict)")
        prepare_folder(task.output_dir / sheet.slug)
        for output, data in rendered:
            write_atomic(output.path, data)
            outcome.written.append((output, digest(data)))
    except SheetError as error:
        outcome.problems = error.problems
    except HandoutsError as error:
        outcome.error = error.format_message()
    return outcome


def _quick_slug(file: Path) -> str | None:
    """The slug a sheet asks for, read without validating it (to catch two sheets writing
    into one folder before either is built)."""
    from .yamlsource import parse_yaml

    try:
        document, _ = parse_yaml(file.read_text(encoding="utf-8"), str(file))
    except (OSError, UnicodeDecodeError):
        return None
    data = document.data if document else None
    slug = data.get("slug") if isinstance(data, dict) else None
    return slug if isinstance(slug, str) else file.stem


def _plan(files: list[Path], output_dir: Path, options: BuildOptions, force: bool,
          result: BuildResult) -> list[SheetTask]:
    """Which sheets need building, and which of their outputs; the rest is unchanged."""
    from .incremental import Manifest, fingerprint

    manifest = Manifest.load(output_dir)
    keys = [key for key, _, _ in options.planned()]
    tasks = []
    for file in files:
        try:
            sheet_bytes = file.read_bytes()
        except OSError:
            sheet_bytes = b""  # the loader will say what is wrong with the file
        prints = {key: fingerprint(sheet_bytes, key, options) for key in keys}
        stale = {}
        for key, fp in prints.items():
            fresh = None if force else manifest.fresh_output(file, key, fp)
            if fresh is None:
                stale[key] = fp
            else:
                result.unchanged.append(fresh)
        if stale:
            tasks.append(SheetTask(file, stale, output_dir, options))
    return tasks


def _slug_clashes(files: list[Path], tasks: list[SheetTask], output_dir: Path
                  ) -> dict[Path, str]:
    from .incremental import Manifest

    if len(files) < 2:
        return {}
    manifest = Manifest.load(output_dir)
    building = {task.file for task in tasks}
    owners: dict[str, Path] = {}
    clashes = {}
    for file in files:
        slug = _quick_slug(file) if file in building else manifest.slug(file)
        if slug is None:
            continue
        if slug in owners and file in building:
            clashes[file] = (f"'{slug}' is also the slug of {owners[slug]}: give each sheet "
                             "its own slug")
        owners.setdefault(slug, file)
    return clashes


def _run(tasks: list[SheetTask], jobs: int) -> Iterator[SheetOutcome]:
    """Outcomes in the order of the tasks, from this process or from a pool of `jobs`."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(build_sheet, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: WeasyPrint and its libraries must be imported afresh in each worker.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        yield from pool.map(build_sheet, tasks)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


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
) -> BuildResult:
    """Build the handouts of every sheet found in `paths` into `output_dir`.

    Outputs whose fingerprint is unchanged are skipped unless `force`; `jobs` > 1 spreads the
    sheets over that many processes. `on_start` hears how many sheets need building,
    `on_output` of each file written and `on_sheet` of each sheet done, in sheet order.
    """
    from .incremental import Manifest
    from .sources import find_sheets

    options = options or BuildOptions()
    result = BuildResult()
    files, missing = find_sheets(paths)
    result.failures.extend(SheetError([problem]) for problem in missing)
    result.sheets = len(files)
    tasks = _plan(files, output_dir, options, force, result)
    clashes = _slug_clashes(files, tasks, output_dir)
    for task in tasks:
        if task.file in clashes:
            result.failures.append(SheetError([Problem(str(task.file), None, None, "slug",
                                                       clashes[task.file])]))
    tasks = [task for task in tasks if task.file not in clashes]
    if on_start:
        on_start(len(tasks))
    if not tasks:
        return result
    manifest = Manifest.load(output_dir)
    for outcome in _run(tasks, jobs):
        result.warnings.extend(outcome.warnings)
        failure = outcome.failure()
        if failure:
            result.failures.append(failure)
        elif outcome.slug:
            manifest.record(outcome.task.file, outcome.slug, outcome.inputs, {
                output.key: (output.path, outcome.task.fingerprints[output.key], data_digest)
                for output, data_digest in outcome.written
            })
        for output, _ in outcome.written:
            result.written.append(output)
            if on_output:
                on_output(output)
        if on_sheet:
            on_sheet(outcome)
    if result.written:
        manifest.save()
    return result
