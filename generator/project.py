"""A project: `handouts init` and `handouts theme export` (making a project folder, starting a
theme override from a built-in file), and the build options its settings give."""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

from .errors import HandoutsError, OptionsError
from .options import OPTIONS, BuildOptions
from .paths import asset, read_bounded
from .settings import FILE_NAME, THEME_FOLDER, Settings, schema_reference, starter

STARTER_SLUG = "my-first-sheet"
DEFAULT_OUTPUT = Path("output")
GITIGNORE = "output/\n"
MAX_GITIGNORE_BYTES = 1_000_000


def init_project(folder: Path, name: str | None = None, lang: str = "en") -> list[Path]:
    """handouts.toml, content/STARTER.yaml, theme/ and .gitignore in `folder`; refuses when
    the folder already holds a handouts.toml, and leaves every existing file as it is."""
    from .sheet.starter import new_sheet

    settings_file = folder / FILE_NAME
    if settings_file.exists():
        raise HandoutsError(f"{settings_file} already exists: this folder is a project "
                            "already; it was left as it is")
    made: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        title = name or folder.resolve().name.replace("-", " ").replace("_", " ").title()
        with open(settings_file, "x", encoding="utf-8") as stream:
            stream.write(starter(title, lang, schema_reference(folder.resolve())))
        made.append(settings_file)
        content = folder / "content"
        if not content.is_dir() or not any(content.glob("*.y*ml")):
            made.append(new_sheet(STARTER_SLUG, lang, content))
        theme = folder / THEME_FOLDER
        if not theme.is_dir():
            theme.mkdir()
            made.append(theme)
        ignore = folder / ".gitignore"
        old = (read_bounded(ignore, MAX_GITIGNORE_BYTES, error=HandoutsError,
                            what="a .gitignore file").decode("utf-8", "replace")
               if os.path.lexists(ignore) else "")
        known = old.splitlines()
        if not {"output", "output/", "/output", "/output/"} & set(known):
            with open(ignore, "a", encoding="utf-8") as stream:
                if known and not old.endswith("\n"):
                    stream.write("\n")
                stream.write(GITIGNORE)
            made.append(ignore)
    except OSError as error:
        raise HandoutsError(f"{folder}: cannot be written ({error.strerror or error}): choose "
                            "another folder") from None
    return made


def built_in_files() -> dict[str, Path]:
    """Templates and stylesheets a theme may replace, by name."""
    found = {path.name: path for path in sorted(asset("templates").glob("*.html"))}
    found.update({path.name: path for path in sorted(asset("styles").glob("*.css"))})
    return found


def export_theme_file(name: str, settings: Settings | None, folder: Path | None) -> Path:
    """Copy a built-in file into the theme folder, never over a file."""
    files = built_in_files()
    if name not in files:
        close = difflib.get_close_matches(name, list(files), n=1)
        hint = f"did you mean {close[0]}?" if close else f"choose among {', '.join(files)}"
        raise HandoutsError(f"'{name}' is not a built-in template or stylesheet: {hint}")
    if folder is None:
        if settings is None:
            raise HandoutsError("no handouts.toml here or above: run `handouts init` first, "
                                "or name the folder with --dir")
        theme = settings.project.theme if settings.project else None
        folder = Path(theme) if theme else settings.root / settings.get(
            "theme", "folder", THEME_FOLDER)
    target = folder / name
    if target.exists():
        raise HandoutsError(f"{target} already exists; it was left as it is")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(files[name], "rb") as source, open(target, "xb") as copy:
            shutil.copyfileobj(source, copy)
    except OSError as error:
        raise HandoutsError(f"{target}: cannot be written ({error.strerror or error})") from None
    return target


# What every face (the API, the command line, the studio) makes of options and settings.

def options(**values: Any) -> BuildOptions:
    """BuildOptions from keyword values, with an OptionsError naming an unknown one."""
    known = {f.name for f in fields(BuildOptions)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise OptionsError(f"unknown build option {', '.join(unknown)}: choose among "
                           f"{', '.join(sorted(known))}")
    if isinstance(values.get("only"), str):
        values["only"] = (values["only"],)
    if "only" in values:
        values["only"] = tuple(values["only"])
    return BuildOptions(**values)


def options_with(project_settings: Settings | None, **values: Any) -> BuildOptions:
    """BuildOptions from keyword values, the settings' defaults filling the others, and the
    settings' look (organisation, colours, fonts, theme) as `project`."""
    if project_settings is not None:
        for spec in OPTIONS:
            value = project_settings.get(*spec.setting) if spec.setting else None
            if spec.field and spec.name not in values and value is not None:
                values[spec.name] = spec.from_word(value)
        values.setdefault("project", project_settings.project)
    return options(**values)


def default_output(project_settings: Settings | None) -> Path:
    """Where handouts go when no folder is named: the settings' [build] output (relative to
    the project), else output/."""
    if project_settings is not None:
        output: str = project_settings.get("build", "output", "output")
        return project_settings.root / output
    return DEFAULT_OUTPUT
