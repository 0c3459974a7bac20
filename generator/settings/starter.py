"""The starter handouts.toml of `init` and the JSON Schema of handouts.toml, both made from
the look's keys and the option table, so that a key is described once."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..options import Option, setting_options
from ..paths import asset
from .keys import COLOUR, keys

STARTER = """\
# handouts project settings: every handouts command run in this folder (or below) reads them.
# Command-line options win over the [build] and [quiz] defaults. Delete a line to use the
# built-in default. Reference: docs/organisation.md ("Your organisation").

[organisation]
name = "{name}"
# logo = "theme/logo.svg"           # SVG or PNG inside the project
# logo_alt = "Logo of {name}"       # what the logo shows, for screen readers
# website = "https://example.org"
# contact = "contact@example.org"   # an e-mail address or a telephone number

[colours]
primary = "#165a72"                  # headings, labels, rules: at least 4.5:1 on white
accent = "#b5720f"                   # panel edges: at least 3:1 on white

[fonts]
body = "Noto Serif"                  # an installed family, or a font file such as
heading = "Noto Sans"                # "theme/MyFont.ttf" (use a free font: OFL or similar)

[footer]
# licence = "CC BY-NC-SA 4.0"       # printed with its link
# licence_url = "https://…"         # for a licence handouts does not know
# text = "With the support of …"

[theme]
folder = "theme"                     # theme/quiz.html or theme/base.css replace the built-in
                                     # file (`handouts theme export quiz.html` copies one);
                                     # other .css files there are added after them
# stylesheets = ["extra.css"]       # to choose and order the added ones
"""


SCHEMA_FILE = "settings.schema.json"


def schema_reference(folder: Path) -> str:
    """The nearest settings.schema.json above the folder (relative, so it works in any
    clone), else the one shipped with this copy of handouts."""
    for parent in (folder, *folder.parents):
        candidate = parent / SCHEMA_FILE
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    return asset(SCHEMA_FILE).as_posix()


def starter(name: str, lang: str, schema: str | None = None) -> str:
    """A commented handouts.toml showing every key; its first line points editors that read
    `#:schema` (Even Better TOML, Taplo) at the JSON Schema."""
    safe = name.replace("\\", "\\\\").replace('"', '\\"')
    text = STARTER.replace("{name}", safe) + _option_sections(lang)
    return f"#:schema {schema}\n{text}" if schema else text


def _option_sections(lang: str) -> str:
    """The [build] and [quiz] sections of the starter: each option's default (the language
    `init` was given for `language`), with its comment, from the option table."""
    text = ""
    for section, specs in setting_options().items():
        text += f"\n[{section}]\n"
        for key, spec in specs.items():
            default = lang if spec.kind == "language" else spec.default
            written = str(default).lower() if isinstance(default, bool) else json.dumps(
                default, ensure_ascii=False)
            line = f"{key} = {written}"
            comment = spec.starter_comment()
            text += (f"{line:<36} # {comment}" if comment else line) + "\n"
    return text


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def json_schema() -> dict[str, Any]:
    """A JSON Schema of handouts.toml, for editors (Even Better TOML, Taplo)."""
    types: dict[str, dict[str, Any]] = {
        "string": {"type": "string", "minLength": 1},
        "path": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": "^https?://"},
        "colour": {"type": "string", "pattern": COLOUR.pattern},
        "font": {"type": "string", "minLength": 1},
        "paths": {"type": "array", "items": {"type": "string"}},
    }
    specs = setting_options()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "handouts.toml",
        "description": "Project settings of handouts: organisation, look, option defaults.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            section: {"type": "object", "additionalProperties": False, "properties": {
                key: {**(_option_schema(specs[section][key]) if kind == "option"
                         else types[kind]), "description": meaning}
                for key, (kind, meaning) in section_keys.items()}}
            for section, section_keys in keys().items()},
    }


def _option_schema(spec: Option) -> dict[str, Any]:
    """The JSON Schema of an option's settings key, from its declaration."""
    if spec.kind in ("choice", "language", "format"):
        return {"enum": list(spec.words())}
    if spec.kind == "flag":
        return {"type": "boolean"}
    if spec.kind in ("whole", "number"):
        schema: dict[str, Any] = {"type": "integer" if spec.kind == "whole" else "number"}
        if spec.low is not None:
            schema["exclusiveMinimum" if spec.above else "minimum"] = spec.low
        if spec.high is not None:
            schema["maximum"] = spec.high
        return schema
    return {"type": "string", "minLength": 1}
