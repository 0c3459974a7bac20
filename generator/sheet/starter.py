"""`handouts new`: a commented starter sheet that passes `check` and shows every field."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..errors import HandoutsError
from ..paths import asset, write_new
from . import locales
from .model import LANGUAGES, slug_problem


def _schema_reference(folder: Path) -> str:
    """The nearest schema.json above the folder (relative, so it works in any clone), else the
    one shipped with this copy of handouts."""
    for parent in (folder, *folder.parents):
        candidate = parent / "schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    return asset("schema.json").as_posix()


def new_sheet(slug: str, lang: str = "en", folder: Path = Path("content"),
              today: dt.date | None = None) -> Path:
    """Write FOLDER/SLUG.yaml from the starter in the language's locale file; never
    overwrite."""
    problem = slug_problem(slug)
    if problem:
        raise HandoutsError(f"'{slug}' cannot be used as a sheet name: {problem}")
    if lang not in LANGUAGES:
        raise HandoutsError(f"no starter in '{lang}': choose one of {', '.join(LANGUAGES)}")
    target = folder / f"{slug}.yaml"
    text = locales.get(lang).starter
    reference = _schema_reference(folder.resolve())
    for token, value in (("{schema}", reference), ("{file}", str(target)), ("{slug}", slug),
                         ("{today}", (today or dt.date.today()).isoformat())):
        text = text.replace(token, value)
    write_new(target, text, rename="choose another name",
              relocate="choose another folder with --dir")
    return target
