"""Project settings: `handouts.toml`, found in the current folder or its parents.

The file gives an organisation's look (name, logo, colours, fonts, licence, theme folder) and
the defaults of the command's options (output folder, paper, PDF variant, language of new
sheets, quiz options), and is checked as strictly as a sheet. The parts: `keys` (what the file
may hold), `checker` (reading and checking it), `colours` and `fonts` (the look's rules),
`starter` (the starter file and the JSON Schema); the organisation and the look, as printed,
are the view's (`view/organisation.py`). Every command reads the settings: nothing heavy is
imported but PyYAML (through the sheet's YAML reader) until a logo or a font file is checked.
"""

from __future__ import annotations

import os
from pathlib import Path

from .checker import load
from .keys import ENVIRONMENT, FILE_NAME, THEME_FOLDER, Settings, SettingsError, keys
from .starter import SCHEMA_FILE, json_schema, schema_reference, schema_text, starter

__all__ = ["ENVIRONMENT", "FILE_NAME", "SCHEMA_FILE", "THEME_FOLDER", "Settings",
           "SettingsError", "find", "json_schema", "keys", "load", "load_found",
           "schema_reference", "schema_text", "starter"]


def find(start: Path | None = None) -> Path | None:
    """handouts.toml in `start` (default: the current folder) or its nearest parent; the
    file named by HANDOUTS_SETTINGS instead when it is set ("none": no settings)."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen:
        return None if chosen.lower() == "none" else Path(chosen)
    folder = (start or Path.cwd()).resolve()
    for parent in (folder, *folder.parents):
        candidate = parent / FILE_NAME
        if os.path.lexists(candidate):  # a FIFO, a device or a loop too: `load` refuses it
            return candidate
    return None


def load_found(start: Path | None = None) -> Settings | None:
    """The settings that apply here, or None."""
    path = find(start)
    return load(path) if path else None
