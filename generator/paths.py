"""Where the package's own files are (inside the installed package, or at the repository's top:
the layout people edit, templates/, styles/, schema.json), and paths and files as messages
show them and as every stage reads them: never blocking, never more than asked."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from pathlib import Path

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
        from .errors import HandoutsError

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
