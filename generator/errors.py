"""Error types: every failure a user can cause ends as a HandoutsError with a plain message."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
from dataclasses import dataclass
from pathlib import Path

from . import __version__


@dataclass(frozen=True)
class Problem:
    """One mistake in a sheet, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    severity: str = "error"  # or "warning": printed, fatal only with --strict

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        kind = " warning:" if self.severity == "warning" else ""
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{kind}{field} {self.message}"


class HandoutsError(Exception):
    """Base class of every error handouts raises on purpose: its message says what is wrong,
    where, and how to fix it. The command line prints it and exits with code 1 (cli.py maps
    every type to its exit code, in one place)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# Problems listed for one sheet: a file of 90,000 mistakes is one mistake (the wrong file, or
# a hostile one), and a reader fixes the first ones first.
MAX_PROBLEMS_LISTED = 20


def more_problems(count: int) -> str:
    """The line that stands for the problems not listed."""
    return f"… and {count:,} more problem{'s' if count > 1 else ''}"


class SheetError(HandoutsError):
    """A sheet cannot be used: its first MAX_PROBLEMS_LISTED problems, listed at once, and
    how many more there are (`more`)."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems[:MAX_PROBLEMS_LISTED]
        self.more = more + len(problems) - len(self.problems)
        self.count = len(self.problems) + self.more
        header = (f"{self.count:,} problem{'s' if self.count > 1 else ''} in "
                  f"{problems[0].file}:")
        lines = [header, *(f"  {p}" for p in self.problems)]
        if self.more:
            lines.append(f"  {more_problems(self.more)}")
        super().__init__("\n".join(lines))

    # back from a worker process with its problems, not its message
    def __reduce__(self) -> tuple[type[SheetError], tuple[list[Problem], int]]:
        return (type(self), (self.problems, self.more))


class RenderError(HandoutsError):
    """A valid sheet could not be turned into a document."""


class OutputError(HandoutsError):
    """A result could not be written where it was asked to go."""


class OptionsError(HandoutsError):
    """The build options ask for something that cannot be made (a handout kind whose
    condition is not met, an unknown kind)."""


def bug_folders() -> list[Path]:
    """Where the details of a bug are saved: handouts' cache folder (XDG_CACHE_HOME or
    ~/.cache), else the system's temporary folder."""
    import tempfile

    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return [Path(cache) / "handouts", Path(tempfile.gettempdir())]


def save_traceback(error: BaseException, command: str = "") -> Path | None:
    """The traceback of an unexpected exception, saved in a new file for a bug report (its
    path), so the user sees one line and the maintainers get everything; None when no folder
    can be written."""
    import traceback

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join([f"handouts {__version__}, Python {platform.python_version()}, "
                    f"{platform.platform()}\n", f"command: {command}\n" if command else "",
                    *traceback.format_exception(type(error), error, error.__traceback__)])
    for folder in bug_folders():
        for attempt in range(100):
            suffix = f"-{attempt}" if attempt else ""
            path = folder / f"handouts-bug-{stamp}-{os.getpid()}{suffix}.txt"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError:
                break
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8", errors="replace") as stream:
                    stream.write(text)
            except OSError:  # a full disk: try the next folder
                with contextlib.suppress(OSError):
                    os.unlink(path)
                break
            return path
    return None


def _one_line(error: BaseException | str) -> str:
    """`Type: message` on one line, short enough to read."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:299] + "…"


class BugError(HandoutsError):
    """An unexpected exception while building one sheet: a bug in handouts, not in the sheet.
    The sheet fails; the rest of the batch is built. Its traceback is saved in a file the
    message names."""

    def __init__(self, file: str, error: BaseException | str, saved: str | None = None):
        self.file = file
        self.detail = detail = _one_line(error)
        if saved is None and isinstance(error, BaseException):
            path = save_traceback(error, f"building {file}")
            saved = str(path) if path else None
        self.saved = saved
        super().__init__(f"{file}: handouts failed unexpectedly ({detail}). This is a bug in "
                         "handouts, not in your sheet: please report it, with this message "
                         f"and the sheet file{f'; the details are in {saved}' if saved else ''}")

    def __reduce__(self) -> tuple[type[BugError], tuple[str, str, str | None]]:
        return (type(self), (self.file, self.detail, self.saved))


class UnexpectedError(HandoutsError):
    """An unexpected exception in a command, outside any one sheet: a bug in handouts, said
    in one line, its traceback saved in a file that line names."""

    def __init__(self, error: BaseException, command: str = ""):
        path = save_traceback(error, command)
        self.saved = str(path) if path else None
        if path:
            ending = f"with this message and the file {path}, which holds the details"
        else:
            ending = "with this message (the details could not be saved)"
        super().__init__(f"handouts failed unexpectedly ({_one_line(error)}). This is a bug "
                         f"in handouts, not in your files: please report it, {ending}")


class Interrupted(HandoutsError):
    """The build was stopped (Ctrl+C, or a signal to stop): what was written is complete."""

    def __init__(self, message: str, signal_number: int = 2):
        super().__init__(message)
        self.signal_number = signal_number

    def __reduce__(self) -> tuple[type[Interrupted], tuple[str, int]]:
        return (type(self), (self.message, self.signal_number))
