"""The build: read → fingerprint → load and validate → views → render → write.

Each sheet file is read once, here; those bytes are fingerprinted, then parsed and validated
once (in a worker process for a batch). A sheet's handouts are all rendered in memory by the
worker, which returns them (rendering.py); only this process writes files (commit.py). A bad
sheet does not stop the others, an unexpected exception (a bug) fails its sheet only, and the
record of incremental builds is saved as each sheet completes. Outputs whose inputs did not
change are skipped (see incremental.py).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..documents.formats import format_of
from ..documents.kinds import KINDS
from ..documents.pagegroups import split
from ..documents.writer import check_folder, plain_name
from ..errors import (
    BugError,
    HandoutsError,
    Interrupted,
    OutputError,
    Problem,
    SheetError,
)
from ..options import BuildOptions, Planned
from ..paths import ReadRefused, bounded_bytes, display
from .commit import OnWait, commit_sheet, recover_folder
from .incremental import Manifest, fingerprint
from .pool import Signals, Stop, run_in_pool
from .rendering import Output, PdfJob, SheetOutcome, SheetTask, render_into, render_sheet
from .sources import find_sheets

if TYPE_CHECKING:  # pragma: no cover
    from .warm import WarmPool


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


def _read_sheet(file: Path, max_bytes: int) -> bytes | None:
    """The bytes of a sheet file, read once; None when it is not a readable regular file of
    at most `max_bytes` (the loader then says what is wrong, in its words)."""
    try:
        return bounded_bytes(file, max_bytes, "a sheet file")
    except ReadRefused:
        return None


def _plan(files: list[Path], output_dir: Path, options: BuildOptions, force: bool,
          result: BuildResult, record_dir: Path | None = None) -> list[SheetTask]:
    """Which sheets need building, and which of their outputs; the rest is unchanged."""
    manifest = Manifest.load(output_dir, record_dir)
    planned = planned_outputs(options)
    tasks = []
    for file in files:
        data = _read_sheet(file, options.max_bytes)
        if data is None:
            tasks.append(SheetTask(file, None, tuple((p, "") for p in planned), output_dir,
                                   options, record_dir=record_dir))
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
                                   tuple(existing), record_dir))
    return tasks


def planned_outputs(options: BuildOptions) -> list[Planned]:
    """The outputs the options plan (options.planned), but those of the kinds the format
    does not make; a whole sheet's export (`per_edition=False`) once per kind, in the
    sheet's order."""
    fmt = format_of(options)
    plan = [planned for planned in options.planned() if fmt.makes(planned.kind)]
    if fmt.per_edition:
        return plan
    kinds = dict.fromkeys(planned.kind.name for planned in plan)
    return [Planned(name, KINDS[name], None) for name in kinds]


def _writable_sheet_folders(tasks: list[SheetTask], output_dir: Path, result: BuildResult,
                            record_dir: Path | None = None) -> list[SheetTask]:
    """The tasks whose sheet folder (known from the record) can be written, or will be
    created; each other sheet fails now, before it is rendered."""
    manifest = Manifest.load(output_dir, record_dir)
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
    record_dir: Path | None = None,
) -> BuildResult:
    """Build the handouts of every sheet found in `paths` into `output_dir`.

    Outputs whose fingerprint is unchanged are skipped unless `force`; `jobs` > 1 spreads the
    sheets over that many processes. `on_start` hears how many sheets need building,
    `on_output` of each file written and `on_sheet` of each sheet done, in sheet order;
    `on_wait` of a wait for another build's lock on the output folder (options.wait).
    `record_dir`: where the record of the build and the folder's lock live, when not in
    `output_dir` (the web edition's folder is published whole).
    With `warm` workers (watch), a sheet's PDFs are made at the same time and each written as
    soon as it is ready (see `_build_warm`); not with --strict, which writes all or none.
    Raises OptionsError when the options ask for what cannot be made; every problem of a
    sheet is a failure in the result, never an exception.
    """
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
    if not recover_folder(output_dir, result.record_failures, options.wait, on_wait,
                          record_dir):
        return result  # another build kept the folder for longer than --wait
    tasks = _plan(files, output_dir, options, force, result, record_dir)
    tasks = _writable_sheet_folders(tasks, output_dir, result, record_dir)
    if on_start:
        on_start(len(tasks))
    if warm is not None and not warm.primed:
        warm.primed = True
        _prime(files, {task.file for task in tasks}, output_dir, options, warm)
    if not tasks:
        return result
    manifest = Manifest.load(output_dir, record_dir)
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
        render_into(SheetOutcome(task), defer=jobs)
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
        render_into(outcome, defer=jobs)
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


def signal_name(number: int) -> str:
    return "Ctrl+C" if number == signal.SIGINT else signal.Signals(number).name


def _finish(outcome: SheetOutcome, owners: dict[str, Path], result: BuildResult,
            on_wait: OnWait = None) -> None:
    """Check a rendered sheet's slug, write its files, and account for it in the result."""
    result.warnings.extend(outcome.warnings)
    if outcome.error is None:
        outcome.error = _slug_failure(outcome, owners)
    if outcome.error is None:
        try:
            commit_sheet(outcome, result.record_failures, on_wait)
        except HandoutsError as error:  # the folder's lock could not be made
            outcome.error = error
        except Exception as error:  # a bug: this sheet fails, the batch goes on
            outcome.error = BugError(display(outcome.task.file), error)
    if outcome.error is not None:
        result.failures.append(outcome.error)
    result.written.extend(output for output, _ in outcome.written)
    if outcome.error is None:
        result.unchanged.extend(output.path for output, _ in outcome.kept)
