"""`check`'s word on `translation_of`: the sheet a translation names must be another sheet,
in another language, and the original (not itself a translation), so that the web edition
links every translation of a sheet to the same original, both ways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem, SheetError
from ..paths import display
from ..sheet.loader import LoadedSheet, load
from ..sheet.translation import behind_source
from ..sheet.yamlsource import dotted_path

WHERE = ("translation_of", "sheet")


def translation_target(file: Path, written: str) -> Path:
    """The file `translation_of.sheet` names: a path from the translating sheet's folder."""
    return (file.parent / written).resolve()


def translation_problems(loaded: LoadedSheet) -> Iterator[tuple[tuple[str, ...], str]]:
    """(where, message) for each problem of the sheet's `translation_of`; none without it,
    or when the sheet was not read from a file (the studio's unsaved text)."""
    link = loaded.sheet.translation_of
    if link is None or loaded.file is None:
        return
    target = translation_target(loaded.file, link.sheet)
    if target == loaded.file.resolve():
        yield WHERE, (f"'{link.sheet}' is this sheet itself: write the path of the sheet this "
                      "one translates, from this sheet's folder (e.g. ../en/my-sheet.yaml)")
        return
    if not target.is_file():
        yield WHERE, (f"'{link.sheet}' is not a file (looked for {display(target)}): write "
                      "the path of the sheet this one translates, from this sheet's folder "
                      "(e.g. ../en/my-sheet.yaml)")
        return
    try:
        original = load(target)
    except SheetError:
        yield WHERE, (f"'{link.sheet}' is not a valid sheet: run `handouts check` on it, fix "
                      "it, then check this one again")
        return
    if original.sheet.lang == loaded.sheet.lang:
        yield WHERE, (f"'{link.sheet}' is in the same language as this sheet "
                      f"({loaded.sheet.lang}): a translation names the sheet it was translated "
                      "from, in another language")
    if original.sheet.translation_of is not None:
        yield WHERE, (f"'{link.sheet}' is itself a translation (of "
                      f"'{original.sheet.translation_of.sheet}'): name the original sheet, so "
                      "that every translation of it names the same one")


def translation_warnings(loaded: LoadedSheet) -> Iterator[Problem]:
    """The problems as check's warnings, at the line of `translation_of.sheet`; when the
    link is right, the passages changed in the original since the translation, or not
    translated yet (sheet/translation.py)."""
    found = False
    for where, message in translation_problems(loaded):
        found = True
        line, column = loaded.document.locate(where) or (None, None)
        yield Problem(loaded.shown, line, column, dotted_path(where), message,
                      severity="warning")
    if not found and loaded.file is not None:
        yield from behind_source(loaded, loaded.file)[0]
