"""Write results so that a failure never leaves a half-written, lost or mixed set of files.

A sheet's files are written as one set (`write_set`): each to a temporary `.part` file beside
its target, flushed to disk; then a journal listing the renames; then the renames; then the
journal is removed. A failure before the renames deletes the temporary files and keeps the
earlier files; a failure during them puts the earlier files back. A build killed during the
renames leaves the journal: the next build into the folder finishes the renames (`recover`),
and removes any temporary file left by a kill. All of this runs under a lock on the output
folder (`locked`), so that two builds into one folder never interleave a sheet's files.

An output folder may come from someone else (a folder committed to a shared repository): what
handouts reads back from it is never trusted. A journal is replayed only when every name in
it is one of handouts' own files of that sheet folder (`journal_problem`); links are never
followed, and every file read back is read within a limit (`read_own`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..defaults import DEFAULT_WAIT
from ..errors import OutputError
from ..paths import read_at_most
from .formats import FORMATS
from .kinds import KINDS
from .lockholder import Holder, holder

LOCK = ".handouts-lock"
JOURNAL = ".handouts-journal.json"
PART = ".part"  # temporary files: .NAME.RANDOM.part
BACKUP = ".old"  # earlier files kept during the renames: .NAME.RANDOM.old
JOURNAL_LIMIT = 1_000_000  # bytes: a sheet's journal is a few hundred
SAY_WAITING_AFTER = 2.0  # seconds: a shorter wait is not worth a line


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


class Busy(OutputError):
    """Another build held the output folder's lock for longer than the wait allowed."""


class NoLock(OutputError):
    """The output folder's lock file cannot be opened (a link or a folder in its place): no
    build can write into the folder."""


def check_folder(folder: Path) -> None:
    """Say, before anything is rendered, why `folder` could not take the output: a file in
    its place (or in the place of a folder above it), or no permission to write in it or to
    create it. Creates nothing (a build whose sheets all fail leaves no folder)."""
    existing = folder
    while not os.path.lexists(existing) and existing.parent != existing:
        existing = existing.parent
    if existing != folder and not existing.is_dir():
        raise OutputError(f"{folder}: the output folder cannot be created ({existing} is a "
                          "file): choose another one with -o")
    if existing == folder and not folder.is_dir():
        raise OutputError(f"{folder}: a file has this name; the output needs a folder here: "
                          "choose another one with -o")
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "is not writable" if existing == folder else (
            f"cannot be created ({existing} is not writable)")
        raise OutputError(f"{folder}: the output folder {what}: choose another one with -o, "
                          "or change its permissions")


@contextlib.contextmanager
def locked(folder: Path, wait: float = DEFAULT_WAIT,
           on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock. Another build into it holding the lock is waited for,
    at most `wait` seconds (then OutputError); `on_wait` hears of a wait longer than
    SAY_WAITING_AFTER, once, so that a build does not seem to hang."""
    prepare_folder(folder)
    try:
        import fcntl  # noqa: F401 - only to know whether there are locks
    except ImportError:  # pragma: no cover - not a POSIX system: no lock between builds
        yield
        return
    try:
        handle = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW,
                         0o644)
    except OSError as error:
        raise NoLock(_unlockable(folder, error)) from None
    try:
        _take(handle, folder, wait, on_wait)
        yield
    finally:
        os.close(handle)  # releases the lock


def _take(handle: int, folder: Path, wait: float,
          on_wait: Callable[[Path], None] | None) -> None:
    """Take the lock on `handle`, trying again every 50 ms until `wait` seconds have passed
    (a blocking lock could neither say it waits nor give up)."""
    import fcntl

    start = time.monotonic()
    said = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - start
        if waited >= wait:
            raise Busy(_busy(folder, wait, holder(handle)))
        if not said and waited >= SAY_WAITING_AFTER and on_wait is not None:
            said = True
            on_wait(folder)
        time.sleep(min(0.05, max(0.0, wait - waited)))


def _unlockable(folder: Path, error: OSError) -> str:
    """Why the lock file cannot be opened, and what to do (a link or a folder in its place
    is said as such, not as the system's "too many levels of symbolic links")."""
    lock = folder / LOCK
    why = f"handouts keeps this file to stop two builds writing into {folder} at once"
    if lock.is_symlink() or lock.is_dir():
        what = "a symbolic link" if lock.is_symlink() else "a folder"
        return (f"{lock}: {why}, but {what} is in its place: delete it, or choose another "
                "output folder with -o")
    return (f"{lock}: {why}, and it cannot be made ({error.strerror}): check that you may "
            "write in that folder, or choose another output folder with -o")


def _busy(folder: Path, wait: float, found: Holder | None) -> str:
    """Why a build gives up waiting for the folder, and what to do: a lock is held only while
    a sheet's files are put in place, so another command holding it that long is stuck or
    paused; its process number, when the system says it, lets the author find it."""
    who = f"another handouts command (process {found.pid})" if found else \
        "another handouts command"
    if found and found.paused:
        return (f"{folder}: {who} is using this output folder, and it is paused (Ctrl+Z in "
                "its window): resume it (type `fg` in that window) or stop it, then build "
                "again")
    return (f"{folder}: {who} is still using this output folder after {wait:g} s of waiting: "
            "let it finish, or stop it (Ctrl+C in its window), then build again; or wait "
            "longer with --wait SECONDS")


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _temporary(target: Path, data: bytes, suffix: str = PART, mode: int = 0o644) -> Path:
    """`data` in a new file beside `target`, on disk; deleted again if anything fails."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
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


def write_atomic(target: Path, data: bytes,
                 check: Callable[[Path], object] | None = None) -> None:
    """Write to a temporary file beside `target`, then rename it into place in one step.
    With `check`: it is called with the temporary file first (a file that must be read in
    place to be checked, such as settings naming files beside them), and whatever it raises
    leaves `target` untouched. The author's own file keeps its permissions."""
    if check is None:
        write_set([(target, data)])
        return
    problem = in_the_way(target)
    if problem:
        raise OutputError(problem + "; the earlier file is untouched")
    mode = stat.S_IMODE(os.stat(target).st_mode) if is_regular(target) else 0o644
    try:
        temporary = _temporary(target, data, mode=mode)
    except OSError as error:
        raise OutputError(f"{target}: could not be written ({_why(error)}); the earlier file, "
                          "if any, is untouched") from None
    try:
        check(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _replace_one(target, temporary)


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


def read_own(path: Path, limit: int) -> bytes | None:
    """A file handouts wrote, read back: None when it is missing, is not a regular file (a
    symbolic link is not followed, a FIFO not waited on) or holds more than `limit` bytes."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = read_at_most(handle, limit + 1)
    except OSError:
        return None
    finally:
        os.close(handle)
    return data if len(data) <= limit else None


def is_regular(path: Path) -> bool:
    """Whether `path` is a regular file itself (a symbolic link to one is not)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


_PLAIN = re.compile(r"[^/\\\x00]+")


def plain_name(name: object) -> bool:
    """One file name, to be joined to a folder: no separator, NUL, '.' or '..'."""
    return isinstance(name, str) and name not in (".", "..") and bool(_PLAIN.fullmatch(name))


def own_file_name(slug: str, name: object) -> bool:
    """Whether `name` is one that handouts gives a handout of the sheet `slug`:
    SLUG-KIND[-before|-after][-LETTER].EXT, KIND from the kinds registry, EXT a format's
    suffix or a data kind's extension (so the record of a new format is trusted alike)."""
    if not plain_name(name) or not plain_name(slug):
        return False
    assert isinstance(name, str)
    kinds = "|".join(re.escape(kind) for kind in KINDS)
    suffixes = {known.suffix for known in FORMATS.values()} | {
        kind.extension for kind in KINDS.values() if kind.extension}
    extensions = "|".join(re.escape(suffix) for suffix in sorted(suffixes))
    return re.fullmatch(rf"{re.escape(slug)}-(?:{kinds})(?:-(?:before|after))?(?:-[A-Z])?"
                        rf"\.(?:{extensions})", name) is not None


def journal_problem(folder: Path, entry: object) -> str | None:
    """What makes a journal found in `folder` not one that handouts wrote there, said for
    people; None when every rename in it is from a temporary file of handouts' own to one of
    the sheet's handouts (the sheet's slug is the folder's name)."""
    renames = entry.get("renames") if isinstance(entry, dict) else None
    if not isinstance(renames, list):
        return "it is not a journal of renames"
    for item in renames:
        if not (isinstance(item, list) and len(item) == 2):
            return "a rename in it is not a pair of file names"
        target, temporary = item
        for name in (target, temporary):
            if not plain_name(name):
                return f"{name!r} is not a plain file name in this folder"
        if not own_file_name(folder.name, target):
            return f"{target!r} is not one of the handouts of sheet '{folder.name}'"
        if not re.fullmatch(rf"\.{re.escape(target)}\.[A-Za-z0-9_]+{re.escape(PART)}",
                            temporary):
            return f"{temporary!r} is not a temporary file handouts makes for {target!r}"
    return None


@dataclass
class Recovered:
    """What `recover` did: the notes of the journals replayed (the records of the sheets
    they completed), and the journals it refused, with the folders that hold them."""

    notes: list[dict[str, Any]] = field(default_factory=list)
    refused: dict[Path, str] = field(default_factory=dict)  # folder → message


def recover(folder: Path, sheet_folders: list[Path] | None = None) -> Recovered:
    """After a build was killed: finish the renames its journal lists, and delete the
    temporary files and backups it left, in the output folder and its sheet folders (or only
    `sheet_folders`, before writing into them). Call with the output folder's lock held. A
    journal that handouts did not write (see `journal_problem`) is refused and left for the
    user; nothing it names is touched."""
    done = Recovered()
    try:
        if sheet_folders is None:
            sheet_folders = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
        children = [folder, *(p for p in sheet_folders if p.is_dir() and not p.is_symlink())]
    except OSError:
        return done
    for child in children:
        problem = _replay(child, done)
        if problem:
            done.refused[child] = (
                f"{child / JOURNAL}: a build into {child} was stopped while putting its "
                "files in place and left this hidden file for the next build to finish the "
                f"job, but it cannot be followed safely ({problem}); nothing it names was "
                f"touched, and nothing is written into {child} while it is there: check the "
                f"files in that folder, then delete {JOURNAL} and build again")
            continue
        try:
            leftovers = [p for p in child.iterdir() if p.name.startswith(".")
                         and p.name.endswith((PART, BACKUP)) and is_regular(p)]
        except OSError:
            continue
        _discard(leftovers)
    return done


def _replay(child: Path, done: Recovered) -> str | None:
    """Finish the renames of `child`'s journal, if it has one; what is wrong with the journal
    when it is refused. A damaged journal of handouts' own (cut short, not JSON) is only
    deleted: the record's digests get the files rebuilt."""
    journal = child / JOURNAL
    try:
        info = os.lstat(journal)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a file"
    data = read_own(journal, JOURNAL_LIMIT)
    if data is None:
        return f"it is larger than {JOURNAL_LIMIT:,} bytes"
    try:
        entry = json.loads(data.decode("utf-8"))
    except ValueError:
        journal.unlink(missing_ok=True)
        return None
    problem = journal_problem(child, entry)
    if problem:
        return problem
    renames = []
    for target, temporary in entry["renames"]:  # all checked before any is done
        if not os.path.lexists(child / temporary):
            continue  # renamed already
        if not is_regular(child / temporary):
            return f"{temporary!r} is a symbolic link or not a file"
        if in_the_way(child / target):
            return f"{target!r} is a symbolic link or a folder, not a file"
        renames.append((child / temporary, child / target))
    for temporary_path, target_path in renames:
        with contextlib.suppress(OSError):
            os.replace(temporary_path, target_path)
    _fsync_folder(child)
    note = entry.get("note")
    if (isinstance(note, dict) and note.get("slug") == child.name
            and isinstance(note.get("sheet"), str) and isinstance(note.get("inputs"), dict)
            and isinstance(note.get("outputs"), dict)):
        done.notes.append(note)  # else the record's digests get the files rebuilt
    journal.unlink(missing_ok=True)
    return None
