"""The studio's settings page: handouts.toml as a form made from its JSON Schema (a key added
to the settings appears here without editing the studio), the theme's colours previewed with
their contrast, and a save that goes through the settings checker (`api.save_settings`)
keeping the file's comments (tomlkit)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

import tomlkit
from starlette.requests import Request
from starlette.responses import Response

from .. import api
from ..errors import HandoutsError, Problem
from ..settings import FILE_NAME, SettingsError, load
from ..settings.colours import MIN_GRAPHIC_CONTRAST, MIN_TEXT_CONTRAST, contrast
from ..settings.keys import COLOUR, MAX_SETTINGS_BYTES
from .common import Studio, page, shown
from .security import changes

# The contrast each colour needs on white (settings/colours.py says why).
NEEDED_CONTRAST = {"primary": MIN_TEXT_CONTRAST, "accent": MIN_GRAPHIC_CONTRAST}


@dataclass
class Field:
    """One key of handouts.toml as a form field."""

    section: str
    key: str
    kind: str  # text, choice, flag, whole, number, list, colour
    description: str
    value: str  # as typed in the form ("" for the built-in default)
    choices: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def id(self) -> str:
        return f"field-{self.section}-{self.key}".replace("_", "-")


def _kind(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "choice"
    kind = schema.get("type")
    if kind == "boolean":
        return "flag"
    if kind == "integer":
        return "whole"
    if kind == "number":
        return "number"
    if kind == "array":
        return "list"
    if schema.get("pattern") == COLOUR.pattern:
        return "colour"
    return "text"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def fields(values: dict[str, Any], problems: list[Problem] | tuple[Problem, ...] = (),
           typed: dict[str, str] | None = None) -> list[Field]:
    """Every key of the settings schema, in its order, with its value (typed, else read)."""
    schema = api.schema(settings_file=True)
    found = []
    for section, table in schema["properties"].items():
        for key, spec in table["properties"].items():
            name = f"{section}.{key}"
            read = values.get(section, {}) if isinstance(values.get(section), dict) else {}
            value = typed[name] if typed is not None and name in typed else _shown(
                read.get(key))
            found.append(Field(section, key, _kind(spec), spec.get("description", ""), value,
                               tuple(str(choice) for choice in spec.get("enum", ())),
                               tuple(p.message for p in problems if p.path == name)))
    return found


@dataclass
class Swatch:
    key: str
    colour: str
    ratio: float
    needed: float

    @property
    def enough(self) -> bool:
        return self.ratio >= self.needed


def swatches(values: dict[str, str]) -> list[Swatch]:
    """The theme's colours as written (only the well-formed ones), with their contrast on
    white."""
    return [Swatch(key, values[key], round(contrast(values[key], "#ffffff"), 2), needed)
            for key, needed in NEEDED_CONTRAST.items()
            if COLOUR.match(values.get(key, "") or "")]


def _read(studio: Studio) -> tuple[str, dict[str, Any], list[Problem]]:
    """The file's text, its values (as far as TOML reads them) and the checker's problems."""
    target = studio.project / FILE_NAME
    if not target.is_file():
        return "", {}, []
    text = target.read_bytes()[:MAX_SETTINGS_BYTES].decode("utf-8", errors="replace")
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        values = {}
    try:
        load(target)  # the project's own file, whatever HANDOUTS_SETTINGS names
        problems: list[Problem] = []
    except SettingsError as error:
        problems = error.problems
    return text, values, problems


def _render(request: Request, fields_shown: list[Field], problems: list[Problem], *,
            status_code: int = 200, saved: bool = False, exists: bool = True) -> Response:
    colours = {f.key: f.value for f in fields_shown if f.section == "colours"}
    placed = {f.name for f in fields_shown}
    groups: dict[str, list[Field]] = {}
    for field in fields_shown:
        groups.setdefault(field.section, []).append(field)
    return page(request, "settings.html", status_code, fields=fields_shown,
                groups=list(groups.items()),
                swatches=swatches(colours), saved=saved, exists=exists,
                file=FILE_NAME,
                general=[shown(request, str(p)) for p in problems if p.path not in placed])


async def settings_page(request: Request) -> Response:
    studio: Studio = request.app.state.studio
    _, values, problems = _read(studio)
    return _render(request, fields(values, problems), problems,
                   exists=(studio.project / FILE_NAME).is_file())


def _typed(value: str, kind: str) -> Any:
    """A form's text as the TOML value of its kind (what cannot be converted is kept as text,
    for the checker to say what is wrong with it)."""
    if kind == "flag":
        return {"true": True, "false": False}.get(value, value)
    if kind in ("whole", "number"):
        try:
            return int(value) if kind == "whole" else float(value)
        except ValueError:
            return value
    if kind == "list":
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def updated(text: str, form: dict[str, str], known: list[Field]) -> str:
    """The settings file's text with the form's values: changed keys rewritten in place
    (their comments kept), emptied ones removed, new ones added to their section."""
    document = tomlkit.parse(text) if text.strip() else tomlkit.document()
    for field in known:
        typed = form.get(field.name, "").strip()
        table = document.get(field.section)
        if not typed:
            if table is not None and field.key in table:
                del table[field.key]
            continue
        value = _typed(typed, field.kind)
        if table is None:
            table = tomlkit.table()
            document[field.section] = table
        if table.get(field.key) != value:
            table[field.key] = value
    return tomlkit.dumps(document)


@changes
async def save_settings(request: Request) -> Response:
    """The form checked by the settings checker, then written atomically; refused at the
    fields otherwise, the file left as it was."""
    studio: Studio = request.app.state.studio
    form = await request.form()
    typed = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    text, values, _ = _read(studio)
    known = fields(values)
    try:
        new_text = updated(text, typed, known)
    except (tomlkit.exceptions.TOMLKitError, ValueError) as error:
        problem = Problem(FILE_NAME, None, None, "", f"cannot be changed by this form ({error}):"
                          " fix it in a text editor")
        return _render(request, fields(values, typed=typed), [problem], status_code=400)
    try:
        api.save_settings(studio.project, new_text)
    except SettingsError as error:
        return _render(request, fields(values, error.problems, typed), error.problems,
                       status_code=400)
    except HandoutsError as error:  # the file cannot be replaced (a link or folder in the way)
        problem = Problem(FILE_NAME, None, None, "", shown(request, str(error)))
        return _render(request, fields(values, typed=typed), [problem], status_code=400)
    _, values, problems = _read(studio)
    return _render(request, fields(values, problems), problems, saved=True)
