"""Where the package's own files are (inside the installed package, or at the repository's top:
the layout people edit, templates/, styles/, schema.json), and paths and files as messages
show them and as every stage reads them: never blocking, never more than asked."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import HandoutsError

PACKAGE = Path(__file__).resolve().parent


def asset(name: str) -> Path:
    """`templates`, `styles` or `schema.json`, wherever this copy of handouts keeps them."""
    packaged = PACKAGE / name
    return packaged if packaged.exists() else PACKAGE.parent / name


# In a file name, every control character (newline and tab too: a name holds no line break)
# and the invisible direction marks, shown as escapes, as the command line shows ESC and BEL.
_UNPRINTABLE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                                  "\u202a-\u202e\u2066-\u2069]")


def printable_name(name: str) -> str:
    """A file name as a message shows it: 'a\\nb.yaml' for a name with a newline in it."""
    return _UNPRINTABLE_IN_NAME.sub(lambda match: ascii(match.group())[1:-1], name)


def display(file: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it, its
    control characters escaped (a name with a newline cannot split a message in two)."""
    try:
        shown = str(file.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop (Python 3.11)
        shown = str(file)
    return printable_name(shown)


def read_at_most(descriptor: int, size: int) -> bytes:
    """At most `size` bytes from an open file, whatever its size claims (it may grow)."""
    chunks, remaining = [], size
    while remaining > 0:
        chunk = os.read(descriptor, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class ReadRefused(Exception):
    """A file `read_bounded` would not read: `reason` ends a sentence that starts with the
    path (`shown`); `size` is the file's size when that was the reason, else None."""

    def __init__(self, shown: str, reason: str, size: int | None = None) -> None:
        super().__init__(f"{shown}: {reason}")
        self.shown = shown
        self.reason = reason
        self.size = size


def bounded_bytes(path: Path, limit: int, what: str, *, follow_links: bool = True) -> bytes:
    """`read_bounded`, raising ReadRefused: for callers that list problems of their own."""
    with _opened(path, limit, what, follow_links) as (descriptor, shown):
        data = read_at_most(descriptor, limit + 1)
        if len(data) > limit:  # it grew after fstat
            raise ReadRefused(shown, _too_big(len(data), limit, what), len(data))
        return data


def bounded_sha256(path: Path, limit: int, what: str) -> str:
    """The SHA-256 of a file read by the same rules as `bounded_bytes`, a chunk at a time
    (a large output is hashed without being held whole); raises ReadRefused."""
    hasher = hashlib.sha256()
    with _opened(path, limit, what, True) as (descriptor, shown):
        read = 0
        while chunk := os.read(descriptor, 1 << 20):
            read += len(chunk)
            if read > limit:
                raise ReadRefused(shown, _too_big(read, limit, what), read)
            hasher.update(chunk)
    return hasher.hexdigest()


@contextlib.contextmanager
def _opened(path: Path, limit: int, what: str,
            follow_links: bool) -> Iterator[tuple[int, str]]:
    """A regular file of at most `limit` bytes (as fstat says), opened without blocking."""
    shown = _as_named(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        # O_NONBLOCK: opening a FIFO returns at once (a blocking open waits for a writer)
        descriptor = os.open(path, flags)
    except OSError as error:
        raise ReadRefused(shown, _open_problem(error, what, follow_links)) from None
    try:
        info = os.fstat(descriptor)  # the file opened, not the name (it may change meanwhile)
        if stat.S_ISDIR(info.st_mode):
            raise ReadRefused(shown, f"this is a folder, not {what}")
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(shown, f"this is {kind_of_file(info.st_mode)}, not {what}")
        if info.st_size > limit:
            raise ReadRefused(shown, _too_big(info.st_size, limit, what), info.st_size)
        yield descriptor, shown
    except OSError as error:
        raise ReadRefused(shown, f"this file {path_problem(error)}") from None
    finally:
        os.close(descriptor)


def read_bounded(path: Path, limit: int, *, error: type[Exception], what: str,
                 follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, by the rules every reader of
    handouts follows: the kind of file first (a folder, a FIFO, a device, a socket or a looping
    link is refused, and never blocks: it is opened with O_NONBLOCK and checked with fstat on
    the opened descriptor), then its size as fstat says, then a read of at most `limit` + 1
    bytes (a file that grows is refused too). Otherwise raises `error("SHOWN: REASON")`, the
    reason saying what the file is ("this is a named pipe (FIFO), not a font file", "the file
    is 3,000,000,000 bytes; a font file may be at most 20,000,000 bytes: is it the right
    file?"). `what` names what was expected, with its article ("a font file").
    `follow_links=False` refuses a symbolic link itself (O_NOFOLLOW)."""
    try:
        return bounded_bytes(path, limit, what, follow_links=follow_links)
    except ReadRefused as refused:
        raise error(str(refused)) from None


def _as_named(path: Path) -> str:
    """A path for a message, as `display` but naming a link itself, not where it leads."""
    try:
        shown = str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        shown = str(path)
    return printable_name(shown)


def _too_big(size: int, limit: int, what: str) -> str:
    return f"the file is {size:,} bytes; {what} may be at most {limit:,} bytes: is it the " \
        "right file?"


def _open_problem(error: OSError, what: str, follow_links: bool) -> str:
    if error.errno == errno.ENOENT:
        return "no such file: check the name and folder"
    if error.errno == errno.EISDIR:
        return f"this is a folder, not {what}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "this file cannot be read (permission denied): check who owns it"
    if error.errno == errno.ELOOP and not follow_links:
        return f"this is a symbolic link, not {what}: handouts does not follow links here"
    return f"this file {path_problem(error)}"


def kind_of_file(mode: int) -> str:
    """"a folder", "a named pipe (FIFO)"… for a message."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def path_problem(error: OSError) -> str:
    """An OSError on a path, as the end of a sentence that starts with the path."""
    if error.errno == errno.ELOOP:
        return "is a symbolic link that leads round in a loop: remove or fix the link"
    if error.errno == errno.ENOENT:
        return "does not exist: check the name and the folder"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied): check who owns it"
    if error.errno == errno.EISDIR:
        return "is a folder, not a file"
    if error.errno == errno.ENOTDIR:
        return "is not in a folder: a part of the path is a file"
    if error.errno == errno.ENAMETOOLONG:
        return "has a name too long for the system"
    return f"cannot be read ({error.strerror or error})"


def write_new(target: Path, text: str, *, rename: str, relocate: str,
              error: type[Exception] | None = None) -> None:
    """Write a new text file (its folder made when needed), never over an existing one, and
    whole or not at all: the text goes to a temporary file beside it, synced to disk, then
    linked to its name (which fails if the name is taken). A full disk or a crash leaves no
    half file to refuse the retry. The messages say what to do instead, `rename` when it
    exists, `relocate` when it cannot be written ("choose another folder with --dir")."""
    if error is None:
        error = HandoutsError
    shown = printable_name(str(target))
    exists = error(f"{shown} already exists; it was left as it is: {rename}, or delete it "
                   "first")
    if target.exists() or target.is_symlink():
        raise exists
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            remaining = memoryview(text.encode("utf-8"))
            while remaining:
                remaining = remaining[os.write(descriptor, remaining):]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        _publish(temporary, target)
    except FileExistsError:
        raise exists from None
    except OSError as problem:
        raise error(f"{shown}: cannot be written ({problem.strerror}): {relocate}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _publish(temporary: Path, target: Path) -> None:
    """Give the finished temporary file its name, never over another file: a hard link (it
    fails if the name exists), or, where the file system has no links, a rename after a
    check."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as problem:
        if problem.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.EMLINK, errno.ENOSYS):
            raise
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        os.rename(temporary, target)


def private_cache(*parts: str) -> Path | None:
    """A folder of ours under the user's cache folder ($XDG_CACHE_HOME/handouts/PARTS, or
    ~/.cache/handouts/PARTS), made if needed; None when it cannot be made, is not a folder,
    or could be written by someone else (what it holds is then never trusted)."""
    try:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        folder = Path(base, "handouts", *parts)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.lstat(folder)
        if (not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022
                or (hasattr(os, "getuid") and info.st_uid != os.getuid())
                or not os.access(folder, os.W_OK | os.X_OK)):
            return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    return folder
