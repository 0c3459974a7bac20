"""Languages as data: one TOML file per language, discovered at start-up.

A locale file holds everything handouts knows about a language: its labels (with singular and
plural forms where a count is printed), the Babel locale of its dates and lists, its page
reference words, its typography rules, its readability formula and threshold, and the text of
its starter sheet. The built-in ones are `generator/locales/*.toml`; each folder named in the
environment variable HANDOUTS_LOCALES (several separated like PATH) adds the `*.toml` files in
it, and a file there replaces a built-in one of the same name. The file's name is the code
written as `lang:` in sheets. `en.toml` is the reference: every locale has its label keys and
placeholders, so a language with a missing or misspelt label is refused when it is loaded,
with the file and the key, never half-printed.

Only the standard library is imported here (tomllib), so listing languages stays cheap for the
command line's `--help` and for no-change rebuilds.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from ..paths import PACKAGE
from .localefile import (
    CODE,
    IMPORT_LISTS,
    MAX_LOCALE_BYTES,
    PLURAL_FORMS,
    REFERENCE,
    SPACES,
    SYLLABLE_RULES,
    EasyReadWords,
    Label,
    Locale,
    LocaleError,
    Pages,
    Readability,
    Typography,
    load,
    plural_form,
)

ENVIRONMENT = "HANDOUTS_LOCALES"  # folders of more locale files, separated like PATH
BUILT_IN = PACKAGE / "locales"

__all__ = [
    "BUILT_IN",
    "CODE",
    "ENVIRONMENT",
    "IMPORT_LISTS",
    "MAX_LOCALE_BYTES",
    "PLURAL_FORMS",
    "REFERENCE",
    "SPACES",
    "SYLLABLE_RULES",
    "EasyReadWords",
    "Label",
    "Locale",
    "LocaleError",
    "Pages",
    "Readability",
    "Typography",
    "available",
    "codes",
    "files",
    "folders",
    "forget",
    "get",
    "load",
    "made_from_locales",
    "plural_form",
]


# Discovery ---------------------------------------------------------------------------------


def folders() -> list[Path]:
    """Where locale files are looked for: the built-in folder, then HANDOUTS_LOCALES's."""
    extra = [Path(part) for part in os.environ.get(ENVIRONMENT, "").split(os.pathsep) if part]
    return [BUILT_IN, *extra]


def files() -> dict[str, Path]:
    """Each language's file by code; a later folder's file replaces an earlier one's."""
    found: dict[str, Path] = {}
    for folder in folders():
        if not folder.is_dir():
            raise LocaleError(f"{ENVIRONMENT}: '{folder}' is not a folder: name folders that "
                              "hold locale files (xx.toml), separated by "
                              f"'{os.pathsep}'")
        for path in sorted(folder.glob("*.toml")):
            found[path.stem] = path
    if REFERENCE not in found:
        raise LocaleError(f"{BUILT_IN / (REFERENCE + '.toml')}: missing: this copy of "
                          "handouts is incomplete; reinstall it")
    return found


def codes() -> tuple[str, ...]:
    """The language codes available, without reading the files: English first."""
    return tuple(sorted(files(), key=lambda code: (code != REFERENCE, code)))


def forget() -> None:
    """Read the locale files again at the next use (`watch`, after one was saved), and
    whatever was made from them."""
    _loaded.cache_clear()
    for clear in _MADE_FROM_LOCALES:
        clear()


_MADE_FROM_LOCALES: list[Any] = []  # cache_clear of what other modules make from locales


def made_from_locales(function: Any) -> Any:
    """Mark a cached function of a language's data as one `forget` clears too."""
    _MADE_FROM_LOCALES.append(function.cache_clear)
    return function


@cache
def _loaded(paths: tuple[tuple[str, Path], ...]) -> dict[str, Locale]:
    reference = load(dict(paths)[REFERENCE], REFERENCE)
    result = {}
    problems: list[str] = []
    for code, path in paths:
        try:
            result[code] = reference if code == REFERENCE else load(path, code, reference)
        except LocaleError as error:
            problems.append(str(error))
    if problems:
        raise LocaleError("\n".join(problems))
    return result


def available() -> dict[str, Locale]:
    """Every locale, read and checked (once per process and set of files)."""
    found = files()
    return _loaded(tuple((code, found[code]) for code in codes()))


def get(code: str) -> Locale:
    """One language's locale; an unknown code is our own error, naming the known ones."""
    locales = available()
    if code not in locales:
        raise LocaleError(f"no locale '{code}': choose one of {', '.join(locales)}, or add "
                          f"{code}.toml to a folder named in {ENVIRONMENT}")
    return locales[code]
