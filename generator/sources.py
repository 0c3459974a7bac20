"""Which files are sheets: the paths named on the command line, folders expanded. Light on
purpose: a build with nothing to do imports nothing more than this."""

from __future__ import annotations

from pathlib import Path

from .errors import Problem

SHEET_SUFFIXES = (".yaml", ".yml")


def display(file: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(file.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(file)


def find_sheets(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Sheet files named directly or found (not recursively) in the folders named."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            sheets = sorted(p for p in path.iterdir()
                            if p.suffix in SHEET_SUFFIXES and p.is_file())
            if not sheets:
                problems.append(Problem(display(path), None, None, "",
                                        "this folder holds no .yaml sheet"))
            found.extend(sheets)
        elif path.exists():
            found.append(path)
        else:
            problems.append(Problem(display(path), None, None, "",
                                    "no such file or folder: check the name"))
    return found, problems
