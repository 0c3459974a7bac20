"""The built-in pictograms: a few dozen OpenMoji drawings that authors name instead of
hunting for files.

A sheet names one as `builtin:house` or by its emoji character (`🏠`). The drawings are
vendored in `generator/pictograms/` with their licence (CC BY-SA 4.0); `index.tsv` there is
the one list of names, characters and OpenMoji codes. Their credit is printed on every
leaflet that uses one, as the licence asks.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import HandoutsError
from ..paths import PACKAGE, read_bounded

PREFIX = "builtin:"
FOLDER = PACKAGE / "pictograms"
VARIATION_SELECTOR = "\ufe0f"
MAX_SUGGESTED_NAME = 40  # a name longer is close to no pictogram's (the longest has 13)


@dataclass(frozen=True)
class Builtin:
    name: str
    emoji: str
    path: Path


class UnknownPictogram(ValueError):
    """A name or character that is not in the set; the message says what to write."""


def _bare(emoji: str) -> str:
    return emoji.replace(VARIATION_SELECTOR, "")


@lru_cache(maxsize=1)
def catalog() -> dict[str, Builtin]:
    """Every built-in pictogram by name, in the order of the index."""
    found = {}

    index = read_bounded(FOLDER / "index.tsv", 1_000_000, error=HandoutsError,
                         what="the pictograms' index")
    for row in index.decode("utf-8").splitlines():
        if not row or row.startswith("#"):
            continue
        name, emoji, _code, _annotation = row.split("\t")
        found[name] = Builtin(name, emoji, FOLDER / f"{name}.svg")
    return found


def looks_builtin(value: str) -> bool:
    """`builtin:NAME`, or a short text with no letter, digit, dot or slash (an emoji)."""
    value = value.strip()
    if value.startswith(PREFIX):
        return True
    return 0 < len(value) <= 12 and not any(c.isascii() and (c.isalnum() or c in "./\\")
                                             for c in value)


def resolve(value: str) -> Builtin:
    """The built-in pictogram that `value` names, or UnknownPictogram with a suggestion."""
    value = value.strip()
    every = catalog()
    if value.startswith(PREFIX):
        name = value[len(PREFIX):].strip().lower()
        if name in every:
            return every[name]
        close = (difflib.get_close_matches(name, list(every), n=1, cutoff=0.6)
                 if len(name) <= MAX_SUGGESTED_NAME else [])
        hint = (f"did you mean `{PREFIX}{close[0]}`?" if close else
                f"write one of {', '.join(every)}")
        raise UnknownPictogram(f"'{value}' is not a built-in pictogram: {hint}")
    by_emoji = {_bare(item.emoji): item for item in every.values()}
    if _bare(value) in by_emoji:
        return by_emoji[_bare(value)]
    raise UnknownPictogram(f"'{value}' is not one of the built-in pictograms: write "
                           f"`{PREFIX}NAME` with a name from the list in docs/format.md (e.g. "
                           f"`{PREFIX}house`), or use a picture file in the sheet's folder")


def is_builtin_file(path: str | Path) -> bool:
    """True for a file of the built-in set (its credit must be printed)."""
    return Path(path).resolve().parent == FOLDER
