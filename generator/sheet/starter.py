"""`handouts new`: a commented starter sheet that passes `check` and shows every field."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

from ..errors import HandoutsError
from ..paths import asset, write_new
from . import locales
from .model import LANGUAGES, slug_problem


def _schema_reference(folder: Path, project: Path | None = None) -> str | None:
    """The nearest schema.json above the folder (relative, so it works in any clone), else the
    one shipped with this copy of handouts. Within `project` only, when given (the studio's
    sheets carry no path of this computer): None when it holds none."""
    for parent in (folder, *folder.parents):
        if project is not None and not parent.is_relative_to(project):
            return None
        candidate = parent / "schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    return asset("schema.json").as_posix() if project is None else None


def _aligned(text: str, key: str) -> str:
    """The comment of KEY's line moved back to the column of the comments above it (the
    value put in its place was not as long as the placeholder)."""
    column = next((line.index("  #") for line in text.splitlines()
                   if line.startswith("format:") and "  #" in line), None)
    match = re.search(rf"(?m)^({key}: \S+?)\s+(# .*)$", text)
    if column is None or match is None:
        return text
    padded = match.group(1).ljust(column + 1) + " " + match.group(2)
    return text[:match.start()] + padded + text[match.end():]


def new_sheet(name: str, lang: str = "en", folder: Path = Path("content"),
              today: dt.date | None = None, project: Path | None = None) -> Path:
    """Write FOLDER/SLUG.yaml from the starter in the language's locale file; never
    overwrite. NAME is the sheet's name (its slug), or the analysed document's title: the
    name is then made from its first significant words, and the title written in the sheet.
    The commands its comment suggests name the file as given, or from `project` (the studio's
    folder, where its author would type them)."""
    slug, title = name, None
    problem = slug_problem(name)
    if problem and re.search(r"[ A-Z]|[^\x00-\x7f]", name):  # words, capitals: a title
        from .importer import slug_for

        title = " ".join(name.split())
        slug = slug_for(title, lang, fallback="")
        problem = slug_problem(slug) if slug else problem
    if problem:
        raise HandoutsError(f"'{slug or name}' cannot be used as a sheet name: {problem}")
    if lang not in LANGUAGES:
        raise HandoutsError(f"no starter in '{lang}': choose one of {', '.join(LANGUAGES)}")
    target = folder / f"{slug}.yaml"
    text = locales.get(lang).starter
    reference = _schema_reference(folder.resolve(), project.resolve() if project else None)
    if reference is None:  # no schema.json in the project: no line for editors to follow
        text = re.sub(r"\A# yaml-language-server: .*\n", "", text)
    shown = target
    if project is not None and target.resolve().is_relative_to(project.resolve()):
        shown = target.resolve().relative_to(project.resolve())
    for token, value in (("{schema}", reference or ""), ("{file}", shown.as_posix()),
                         ("{slug}", slug), ("{today}", (today or dt.date.today()).isoformat())):
        text = text.replace(token, value)
    text = _aligned(text, "slug")
    if title is not None:  # a YAML double-quoted string is a JSON string
        quoted = json.dumps(title, ensure_ascii=False)
        text = re.sub(r"(?m)^title: .*$", lambda _: f"title: {quoted}", text, count=1)
    write_new(target, text, rename="choose another name",
              relocate="choose another folder with --dir")
    return target
