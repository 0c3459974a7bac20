"""Which files are sheets: the paths named on the command line, folders expanded. Light on
purpose: a build with nothing to do imports nothing more than this.

Every path problem is a message, never a traceback or a hang: a symbolic link loop, a named
pipe (FIFO) or a device named as a sheet is refused before anything tries to read it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import Problem
from ..paths import display, kind_of_file

SHEET_SUFFIXES = (".yaml", ".yml")


def _stat_problem(error: OSError, what: str) -> str:
    if error.errno == errno.ELOOP:
        return "this is a symbolic link that leads round in a loop: remove or fix the link"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"no such {what}: check the name"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "this cannot be read (permission denied): check who owns it"
    return f"this cannot be read ({error.strerror or error})"


def find_sheets(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Sheet files named directly or found (not recursively) in the folders named."""
    found: list[Path] = []
    problems: list[Problem] = []

    def refuse(path: Path, message: str) -> None:
        problems.append(Problem(display(path), None, None, "", message))

    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            refuse(path, _stat_problem(error, "file or folder"))
            continue
        if stat.S_ISDIR(mode):
            try:
                entries = sorted(path.iterdir())
            except OSError as error:
                refuse(path, _stat_problem(error, "folder"))
                continue
            sheets, before = [], len(problems)
            for entry in entries:
                if entry.suffix not in SHEET_SUFFIXES:
                    continue
                try:
                    entry_mode = os.stat(entry).st_mode
                except OSError as error:
                    if error.errno != errno.ENOENT:  # a dangling link is not a sheet
                        refuse(entry, _stat_problem(error, "file"))
                    continue
                if stat.S_ISREG(entry_mode):
                    sheets.append(entry)
                elif not stat.S_ISDIR(entry_mode):
                    refuse(entry, f"this is {kind_of_file(entry_mode)}, not a sheet file")
            if not sheets and len(problems) == before:
                refuse(path, "this folder holds no .yaml sheet")
            found.extend(sheets)
        elif stat.S_ISREG(mode):
            found.append(path)
        else:
            refuse(path, f"this is {kind_of_file(mode)}, not a sheet file: name a .yaml file")
    return found, problems
