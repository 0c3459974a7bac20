"""Putting a sheet's files in place together with their record, in one step.

Where the record of incremental builds (incremental.py) meets the writer's atomic sets
(documents/writer.py): under the output folder's lock, finish what a killed build left, write
the sheet's set with its record's note in the journal, then save the record. Apart from the
batch loop (build.py) so that this path, which goes back and forth between the two, reads
straight, once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..documents.writer import (
    Busy,
    NoLock,
    in_the_way,
    locked,
    prepare_folder,
    recover,
    write_set,
)
from ..errors import HandoutsError, OutputError
from .incremental import Manifest, digest
from .rendering import Output, SheetOutcome

# Told of a wait for another build's lock on the output folder (the folder), to say so.
OnWait = Callable[[Path], None] | None


def commit_sheet(outcome: SheetOutcome, record_failures: list[HandoutsError],
                 on_wait: OnWait) -> None:
    """Put a sheet's rendered files in place, all or none, and add them to the record; under
    the output folder's lock, so that a concurrent build neither interleaves a sheet's files
    nor loses records. A record that cannot be saved does not hide the sheet's result (it is
    one of `record_failures`). A journal in the sheet's folder that handouts will not follow
    fails the sheet (the message moves from the build's record failures, where
    `recover_folder` put it, to the sheet)."""
    task = outcome.task
    with locked(task.record_dir or task.output_dir, task.options.wait, on_wait):
        folder = task.output_dir / str(outcome.slug)
        manifest = Manifest.load(task.output_dir, task.record_dir)
        recovered = recover(task.output_dir, [folder])
        refused = recovered.refused.get(folder)
        if refused:
            record_failures[:] = [known for known in record_failures if str(known) != refused]
        digests = [(output, digest(data)) for output, data in outcome.rendered]
        note = _note(manifest, outcome, digests)
        try:
            _write(folder, outcome, note, refused)
        except HandoutsError as error:
            outcome.error = error
        else:
            outcome.written = digests
            recovered.notes.append(note)
        outcome.rendered = []
        _remember(manifest, recovered.notes, record_failures)


def recover_folder(output_dir: Path, record_failures: list[HandoutsError], wait: float,
                   on_wait: OnWait, record_dir: Path | None = None) -> bool:
    """Finish what a killed build left in the output folder, before deciding what is stale.
    A journal that is not followed is a record failure (its sheet's failure if it is built).
    False when another build held the folder's lock for longer than `wait` seconds, or the
    lock cannot be taken at all (then nothing is built)."""
    if not output_dir.is_dir() or not os.access(output_dir, os.W_OK | os.X_OK):
        return True  # nothing to finish, or nothing that could be (writing would say why)
    try:
        with locked(record_dir or output_dir, wait, on_wait):
            recovered = recover(output_dir)
            record_failures.extend(OutputError(message)
                                   for message in recovered.refused.values())
            if recovered.notes:
                _remember(Manifest.load(output_dir, record_dir), recovered.notes,
                          record_failures)
    except (Busy, NoLock) as error:  # no sheet could be written: said once
        record_failures.append(error)
        return False
    except HandoutsError as error:
        record_failures.append(_record_failure(error))
    return True


def _note(manifest: Manifest, outcome: SheetOutcome,
          digests: list[tuple[Output, str]]) -> dict[str, Any]:
    """What the record is to say of the sheet once its files are in place, rendered or kept;
    it travels in the writer's journal, so that a build killed during the renames is still
    recorded by the next one."""
    task = outcome.task
    prints = {planned.key: fp for planned, fp in task.outputs}
    return manifest.note(task.file, str(outcome.slug), outcome.inputs, {
        output.key: (output.path, prints[output.key], data_digest)
        for output, data_digest in [*digests, *outcome.kept]}, outcome.engines)


def _write(folder: Path, outcome: SheetOutcome, note: dict[str, Any],
           refused: str | None) -> None:
    """The sheet's rendered files in its folder, all or none; OutputError when the folder
    must not be written into (a journal refused there, a symbolic link in its place)."""
    if refused:
        raise OutputError(refused)
    problem = in_the_way(folder) if folder.is_symlink() else None
    if problem:
        raise OutputError(problem + "; nothing was written for this sheet")
    prepare_folder(folder)
    write_set([(output.path, data) for output, data in outcome.rendered], note)


def _remember(manifest: Manifest, notes: list[dict[str, Any]],
              record_failures: list[HandoutsError]) -> None:
    """Add the notes of the sheets just put in place to the record, and save it (the lock is
    held, `manifest` loaded under it)."""
    if not notes:
        return
    for note in notes:
        manifest.remember(note)
    try:
        manifest.save()
    except HandoutsError as error:
        record_failures.append(_record_failure(error))


def _record_failure(error: HandoutsError) -> OutputError:
    return OutputError(f"{error} (the record of what was built: the next build rebuilds "
                       "these handouts)")
