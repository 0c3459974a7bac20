"""`check`'s word on `translation_of`: the sheet a translation names must be another sheet,
in another language, and the original (not itself a translation), so that the web edition
links every translation of a sheet to the same original, both ways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem, SheetError
from ..paths import display
from ..sheet.loader import LoadedSheet, load
from ..sheet.translation import stale_problems
from ..sheet.yamlsource import dotted_path

WHERE: tuple[str, ...] = ("translation_of", "sheet")


def translation_target(file: Path, written: str) -> Path:
    """The file `translation_of.sheet` names: a path from the translating sheet's folder."""
    return (file.parent / written).resolve()


def translation_problems(loaded: LoadedSheet
                         ) -> tuple[list[tuple[tuple[str, ...], str]], LoadedSheet | None]:
    """(where, message) for each problem of the sheet's `translation_of` (none without it,
    or when the sheet was not read from a file: the studio's unsaved text), and the original
    sheet when it could be read (loaded once, for what changed since the translation too)."""
    link = loaded.sheet.translation_of
    if link is None or loaded.file is None:
        return [], None
    target = translation_target(loaded.file, link.sheet)
    if target == loaded.file.resolve():
        return [(WHERE, f"'{link.sheet}' is this sheet itself: write the path of the sheet "
                        "this one translates, from this sheet's folder (e.g. "
                        "../en/my-sheet.yaml)")], None
    if not target.is_file():
        return [(WHERE, f"'{link.sheet}' is not a file (looked for {display(target)}): write "
                        "the path of the sheet this one translates, from this sheet's folder "
                        "(e.g. ../en/my-sheet.yaml)")], None
    try:
        original = load(target)
    except SheetError:
        return [(WHERE, f"'{link.sheet}' is not a valid sheet: run `handouts check` on it, "
                        "fix it, then check this one again")], None
    problems: list[tuple[tuple[str, ...], str]] = []
    if original.sheet.lang == loaded.sheet.lang:
        problems.append((WHERE, f"'{link.sheet}' is in the same language as this sheet "
                                f"({loaded.sheet.lang}): a translation names the sheet it was "
                                "translated from, in another language"))
    if original.sheet.translation_of is not None:
        problems.append((WHERE, f"'{link.sheet}' is itself a translation (of "
                                f"'{original.sheet.translation_of.sheet}'): name the original "
                                "sheet, so that every translation of it names the same one"))
    return problems, original


def translation_warnings(loaded: LoadedSheet) -> Iterator[Problem]:
    """The problems as check's warnings, at the line of `translation_of.sheet`; when the
    link is right, the passages changed in the original since the translation, or not
    translated yet (sheet/translation.py)."""
    problems, original = translation_problems(loaded)
    for where, message in problems:
        line, column = loaded.document.locate(where) or (None, None)
        yield Problem(loaded.shown, line, column, dotted_path(where), message,
                      severity="warning")
    if not problems and original is not None and original.file is not None:
        yield from stale_problems(loaded, original, display(original.file))
