"""Write results so that a failure never leaves a half-written, lost or mixed set of files.

A sheet's files are written as one set (`write_set`): each to a temporary `.part` file beside
its target, flushed to disk; then a journal listing the renames; then the renames; then the
journal is removed. A failure before the renames deletes the temporary files and keeps the
earlier files; a failure during them puts the earlier files back. A build killed during the
renames leaves the journal: the next build into the folder finishes the renames (`recover`),
and removes any temporary file left by a kill. All of this runs under a lock on the output
folder (`locked`), so that two builds into one folder never interleave a sheet's files.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import OutputError

LOCK = ".handouts-lock"
JOURNAL = ".handouts-journal.json"
PART = ".part"  # temporary files: .NAME.RANDOM.part
BACKUP = ".old"  # earlier files kept during the renames: .NAME.RANDOM.old


def prepare_folder(folder: Path) -> None:
    """Create an output folder, or say in plain words why it cannot be used."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: a file has this name; the output needs a folder here: "
                          "choose another one with -o") from None
    except OSError as error:
        raise OutputError(f"{folder}: the output folder cannot be created "
                          f"({error.strerror}): choose another one with -o") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: the output folder is not writable: choose another one "
                          "with -o, or change its permissions")


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the output folder's lock (another build into it waits until it is released)."""
    prepare_folder(folder)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a POSIX system: no lock between builds
        yield
        return
    try:
        handle = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise OutputError(f"{folder / LOCK}: the output folder's lock cannot be made "
                          f"({error.strerror}): choose another folder with -o") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _temporary(target: Path, data: bytes, suffix: str = PART) -> Path:
    """`data` in a new file beside `target`, on disk; deleted again if anything fails."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _why(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    return error.strerror or str(error)


def in_the_way(target: Path) -> str | None:
    """What keeps `target` from being replaced by a file, said for people; None if nothing."""
    if target.is_symlink():
        return (f"{target}: a symbolic link is in the way; handouts does not write through "
                "links: delete it, or choose another output folder with -o")
    if target.is_dir():
        return (f"{target}: a folder is in the way of this file: move or delete it, or choose "
                "another output folder with -o")
    return None


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename it into place in one step."""
    write_set([(target, data)])


def write_set(files: list[tuple[Path, bytes]], note: dict[str, Any] | None = None) -> None:
    """Replace all of `files` (target, data; all in one folder) or none of them. `note` is
    kept in the journal, for `recover` to hand back if the renames are interrupted."""
    if not files:
        return
    for target, _ in files:
        problem = in_the_way(target)
        if problem:
            raise OutputError(problem + "; the earlier files are untouched")
    temporaries: list[Path] = []
    try:
        for target, data in files:
            temporaries.append(_temporary(target, data))
    except OSError as error:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        failed = files[len(temporaries)][0]
        raise OutputError(f"{failed}: could not be written ({_why(error)}); the earlier "
                          "files, if any, are untouched") from None
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise
    if len(files) == 1:  # one file: its rename is the whole change
        _replace_one(files[0][0], temporaries[0])
        return
    _replace_all([target for target, _ in files], temporaries, note)


def _replace_one(target: Path, temporary: Path) -> None:
    try:
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{target}: could not be written ({_why(error)}); the earlier file, "
                          "if any, is untouched") from None
    _fsync_folder(target.parent)


def _replace_all(targets: list[Path], temporaries: list[Path], note: dict[str, Any] | None) -> None:
    """Rename every temporary file into place, with a journal (for a kill) and backups of
    the earlier files (for a failure) so that the set is never left mixed."""
    folder = targets[0].parent
    backups: list[Path | None] = []
    journal = folder / JOURNAL
    try:
        for target in targets:
            backup = None
            if target.exists():
                backup = Path(tempfile.mktemp(prefix=f".{target.name}.", suffix=BACKUP,
                                              dir=folder))
                os.link(target, backup)
            backups.append(backup)
        renames = [[t.name, p.name] for t, p in zip(targets, temporaries, strict=True)]
        _replace_one(journal, _temporary(journal, json.dumps(
            {"renames": renames, "note": note}).encode("utf-8")))
    except (OSError, OutputError) as error:
        _discard([*temporaries, *(b for b in backups if b)])
        why = _why(error) if isinstance(error, OSError) else str(error)
        raise OutputError(f"{folder}: the handouts could not be written ({why}); the earlier "
                          "files are untouched") from None
    done = 0
    try:
        for target, temporary in zip(targets, temporaries, strict=True):
            os.replace(temporary, target)
            done += 1
        _fsync_folder(folder)
    except OSError as error:
        for target, backup in zip(targets[:done], backups[:done], strict=True):
            with contextlib.suppress(OSError):
                if backup:
                    os.replace(backup, target)
                else:
                    target.unlink()
        _discard([*temporaries[done:], *(b for b in backups if b)])
        journal.unlink(missing_ok=True)
        _fsync_folder(folder)
        raise OutputError(f"{targets[done]}: could not be written ({_why(error)}); the "
                          "earlier files are back in place") from None
    _discard([*(b for b in backups if b), journal])
    _fsync_folder(folder)


def _discard(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def recover(folder: Path, sheet_folders: list[Path] | None = None) -> list[dict[str, Any]]:
    """After a build was killed: finish the renames its journal lists, and delete the
    temporary files and backups it left, in the output folder and its sheet folders (or only
    `sheet_folders`, before writing into them). Call with the output folder's lock held. Returns
    the notes of the journals replayed (the records of the sheets they completed)."""
    notes: list[dict[str, Any]] = []
    try:
        if sheet_folders is None:
            sheet_folders = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
        children = [folder, *(p for p in sheet_folders if p.is_dir() and not p.is_symlink())]
    except OSError:
        return notes
    for child in children:
        journal = child / JOURNAL
        if journal.is_file():
            try:
                entry = json.loads(journal.read_text(encoding="utf-8"))
                for target, temporary in entry["renames"]:
                    if (child / temporary).is_file() and not in_the_way(child / target):
                        os.replace(child / temporary, child / target)
                _fsync_folder(child)
                if entry.get("note"):
                    notes.append(entry["note"])
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a damaged journal: the manifest's digests get the files rebuilt
            journal.unlink(missing_ok=True)
        try:
            leftovers = [p for p in child.iterdir() if p.name.startswith(".")
                         and p.name.endswith((PART, BACKUP)) and p.is_file()]
        except OSError:
            continue
        _discard(leftovers)
    return notes
