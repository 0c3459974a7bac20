"""Error types: every failure a user can cause ends as a HandoutsError with a plain message."""

from __future__ import annotations

from dataclasses import dataclass

import click


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


class HandoutsError(click.ClickException):
    """Base class of every error shown to users; the CLI prints it and exits with code 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", file=file, err=True)


class SheetError(HandoutsError):
    """A sheet cannot be used: every problem found in it, listed at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        header = f"{count} problem{'s' if count > 1 else ''} in {problems[0].file}:"
        super().__init__("\n".join([header, *(f"  {p}" for p in problems)]))


class RenderError(HandoutsError):
    """A valid sheet could not be turned into a document."""


class OutputError(HandoutsError):
    """A result could not be written where it was asked to go."""
