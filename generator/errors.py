"""Error types: every failure a user can cause ends as a HandoutsError with a plain message."""

from __future__ import annotations

from dataclasses import dataclass


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


class BugError(HandoutsError):
    """An unexpected exception while building one sheet: a bug in handouts, not in the sheet.
    The sheet fails; the rest of the batch is built."""

    def __init__(self, file: str, error: BaseException | str):
        self.file = file
        detail = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.detail = detail
        super().__init__(f"{file}: handouts failed unexpectedly ({detail}). This is a bug in "
                         "handouts, not in your sheet: please report it, with this message "
                         "and the sheet file")

    def __reduce__(self) -> tuple[type[BugError], tuple[str, str]]:
        return (type(self), (self.file, self.detail))


class Interrupted(HandoutsError):
    """The build was stopped (Ctrl+C, or a signal to stop): what was written is complete."""

    def __init__(self, message: str, signal_number: int = 2):
        super().__init__(message)
        self.signal_number = signal_number

    def __reduce__(self) -> tuple[type[Interrupted], tuple[str, int]]:
        return (type(self), (self.message, self.signal_number))
