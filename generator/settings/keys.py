"""What handouts.toml may hold: its sections and keys (the look's here, the options' from the
option table), the limits on the files it names, and the settings once read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SheetError
from ..options import setting_options
from ..view.organisation import Project

FILE_NAME = "handouts.toml"
ENVIRONMENT = "HANDOUTS_SETTINGS"  # a settings file to use, or "none" for none
THEME_FOLDER = "theme"
MAX_SETTINGS_BYTES = 1_000_000
MAX_FONT_BYTES = 20_000_000
MAX_THEME_FILE_BYTES = MAX_FONT_BYTES  # a theme folder holds fonts and pictures too
MAX_THEME_FILES = 1_000
FONT_TYPES = {".ttf": ("font/ttf", b"\x00\x01\x00\x00", "truetype"),
              ".otf": ("font/otf", b"OTTO", "opentype"),
              ".woff": ("font/woff", b"wOFF", "woff"),
              ".woff2": ("font/woff2", b"wOF2", "woff2")}
LOGO_TYPES = (".svg", ".png")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# The keys of the look, their types and what they mean (the schema is made from this); the
# [build] and [quiz] keys are the option table's (options.OPTIONS): see `keys`.
LOOK_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "organisation": {
        "name": ("string", "printed with the logo on every handout"),
        "logo": ("path", "SVG or PNG inside the project, e.g. theme/logo.svg"),
        "logo_alt": ("string", "what the logo shows, for screen readers; default: "
                     "'Logo of NAME' in each sheet's language"),
        "website": ("url", "http(s) address, printed in the footer line"),
        "contact": ("string", "an e-mail address or a telephone number"),
    },
    "colours": {
        "primary": ("colour", "#rrggbb: headings, labels, rules; at least 4.5:1 on white"),
        "accent": ("colour", "#rrggbb: panel edges and the logo's rule; at least 3:1 on "
                   "white"),
    },
    "fonts": {
        "body": ("font", "an installed family (fc-list) or a .ttf/.otf/.woff/.woff2 file "
                 "inside the project: the full analysis's text"),
        "heading": ("font", "the same for headings, labels, the quiz and the key"),
    },
    "footer": {
        "licence": ("string", "the handouts' licence, e.g. CC BY-NC-SA 4.0"),
        "licence_url": ("url", "its address, for a licence handouts does not know"),
        "text": ("string", "one more short line, e.g. a funder's credit"),
    },
    "theme": {
        "folder": ("path", "templates and stylesheets that replace or add to the built-in "
                   "ones; default: theme"),
        "stylesheets": ("paths", "stylesheets added after the built-in ones, in order; "
                        "default: every .css in the theme folder without a built-in name"),
    },
}


def keys() -> dict[str, dict[str, tuple[str, str]]]:
    """Every section's keys with their type and meaning: the look's, then the options'."""
    sections = dict(LOOK_KEYS)
    for section, specs in setting_options().items():
        sections[section] = {key: ("option", spec.meaning()) for key, spec in specs.items()}
    return sections


class SettingsError(SheetError):
    """The settings file cannot be used: every problem, with its line."""


@dataclass(frozen=True)
class Settings:
    """A project's settings file, read and checked."""

    file: Path
    root: Path
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    project: Project | None = None
    watched: tuple[Path, ...] = ()  # what `watch` follows: the file and the theme folder

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.values.get(section, {}).get(key, default)
