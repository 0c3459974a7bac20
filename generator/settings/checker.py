"""Reading handouts.toml: tomllib, then a strict check of every key, like a sheet's: unknown
keys with a did-you-mean, wrong types and values with FILE:LINE messages (tomllib gives no line
numbers, so a key's line is found by scanning the text). Files named by the settings (logo,
fonts, theme stylesheets) must be inside the project; the logo is checked like a pictogram and
the fonts are read here, so the PDF engine gets `data:` URIs and never a path."""

from __future__ import annotations

import base64
import difflib
import hashlib
import os
import re
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..defaults import MAX_STYLESHEET_BYTES
from ..errors import Problem
from ..options import Option, setting_options
from ..paths import ReadRefused, asset, bounded_bytes
from ..sheet.yamlsource import is_non_character
from ..view.addresses import bare_url
from ..view.organisation import Organisation, Project, contact_href, licence_url
from .colours import (
    MIN_GRAPHIC_CONTRAST,
    MIN_TEXT_CONTRAST,
    TEXT_BACKGROUNDS,
    contrast,
    darken_to,
    panel_tint,
)
from .fonts import embedding_refused, installed_families
from .keys import (
    COLOUR,
    FONT_TYPES,
    LOGO_TYPES,
    MAX_FONT_BYTES,
    MAX_SETTINGS_BYTES,
    MAX_THEME_FILE_BYTES,
    MAX_THEME_FILES,
    THEME_FOLDER,
    Settings,
    SettingsError,
    keys,
)


class _Lines:
    """Where each key is written: tomllib keeps no positions, so the text is scanned."""

    def __init__(self, text: str):
        self.sections: dict[str, int] = {}
        self.keys: dict[tuple[str, str], int] = {}
        section = ""
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            header = re.match(r"^\[\s*([A-Za-z0-9_-]+)\s*\]", stripped)
            if header:
                section = header.group(1)
                self.sections.setdefault(section, number)
                continue
            key = re.match(r"^([A-Za-z0-9_-]+)\s*=", stripped)
            if key:
                self.keys.setdefault((section, key.group(1)), number)

    def of(self, section: str, key: str | None = None) -> int | None:
        if key is None:
            return self.sections.get(section)
        return self.keys.get((section, key)) or self.sections.get(section)


def _suggest(name: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    listed = ", ".join(choices)
    return f"did you mean `{close[0]}`?" if close else f"choose among {listed}"


def load(path: Path) -> Settings:
    """Read and check a settings file; raises SettingsError listing every problem."""
    shown = _shown(path)
    try:
        raw = bounded_bytes(path, MAX_SETTINGS_BYTES, "a settings file")
    except ReadRefused as refused:
        raise SettingsError([Problem(shown, None, None, "", refused.reason)]) from None
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SettingsError([Problem(shown, None, None, "", "is not UTF-8 text: save it as "
                                     "UTF-8")]) from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        message = re.sub(r"\s*\(at line.*\)$", "", str(error))
        raise SettingsError([Problem(shown, int(found.group(1)) if found else None,
                                     int(found.group(2)) if found else None, "",
                                     f"not valid TOML ({message}): check the quotes, "
                                     "brackets and `=` of this line")]) from None
    checker = _Checker(path.resolve().parent, shown, _Lines(text))
    values = checker.check(data)
    project = checker.project(values, raw)
    if checker.problems:
        raise SettingsError(sorted(checker.problems, key=lambda p: p.line or 0))
    watched = (path, *((Path(project.theme),) if project.theme else ()))
    return Settings(path, path.resolve().parent, values, project, watched)


def _shown(path: Path) -> str:
    """The path as given when it is absolute and outside the current folder (/dev/zero),
    else relative to the current folder (../handouts.toml)."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    if path.is_absolute() and shown.startswith(".." + os.sep) and not _in_parents(path):
        return str(path)
    return shown


def _in_parents(path: Path) -> bool:
    """Whether `path` is a file of the current folder's parents (found by `find`)."""
    return Path(os.path.abspath(path)).parent in Path.cwd().resolve().parents


class _Checker:
    def __init__(self, root: Path, shown: str, lines: _Lines):
        self.root = root
        self.shown = shown
        self.lines = lines
        self.problems: list[Problem] = []
        self.refused: set[Path] = set()  # files already reported, not again for the theme

    def problem(self, section: str, key: str | None, message: str) -> None:
        where = f"{section}.{key}" if key else section
        self.problems.append(Problem(self.shown, self.lines.of(section, key), None, where,
                                     message))

    def check(self, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
        values: dict[str, dict[str, Any]] = {}
        known = keys()
        for section, table in data.items():
            if section not in known:
                self.problems.append(Problem(
                    self.shown, self.lines.of(section), None, section,
                    f"unknown section `[{section}]`: {_suggest(section, known)}"))
                continue
            if not isinstance(table, dict):
                self.problem(section, None, f"must be a table `[{section}]` of keys")
                continue
            values[section] = {}
            for key, value in table.items():
                if key not in known[section]:
                    self.problem(section, key, f"unknown key `{key}` in [{section}]: "
                                 f"{_suggest(key, known[section])}")
                    continue
                spec = setting_options().get(section, {}).get(key)
                checked = (self.option(section, key, spec, value) if spec
                           else self.value(section, key, known[section][key][0], value))
                if checked is not None:
                    values[section][key] = checked
        return values

    def option(self, section: str, key: str, spec: Option, value: Any) -> Any:
        """An option's default (options.OPTIONS) when it is one the option takes, else None
        (and a problem): numbers and true/false by their rule, the rest as text first."""
        if spec.kind in ("flag", "whole", "number"):
            if not spec.accepts(value):
                self.problem(section, key, f"{spec.rule}, not {value!r}")
                return None
            return value
        text = self.value(section, key, "string", value)
        if text is None or spec.kind not in ("choice", "language", "format") \
                or text in spec.words():
            return text
        unknown = "has no locale file" if spec.kind == "language" else ""
        self.problem(section, key, f"'{text}'{' ' if unknown else ''}{unknown}: "
                     f"{_suggest(text, spec.words())}")
        return None

    def value(self, section: str, key: str, kind: str, value: Any) -> Any:
        """The value when it has the right type and form, else None (and a problem)."""

        def wrong(message: str) -> None:
            self.problem(section, key, message)

        if kind == "paths":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return wrong('must be a list of file names, e.g. ["extra.css"]')
            return value
        if not isinstance(value, str):
            return wrong(f"must be text in quotes, not {value!r}")
        if not value.strip():
            return wrong("is empty: write a value, or delete the line")
        if any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in value):
            return wrong("holds control characters: retype it")
        if odd := next((c for c in value if is_non_character(ord(c))), None):
            return wrong(f"holds a code that is not a character (U+{ord(odd):04X}), often left "
                         "by copy-paste: delete it")
        if kind == "colour" and not COLOUR.match(value):
            return wrong(f"'{value}' is not a colour: write it as #rrggbb, e.g. #1b5e7a")
        if kind == "url" and not re.match(r"^https?://[^\s/]+\S*$", value):
            return wrong(f"'{value}' is not a web address: start it with https://")
        return value

    def inside(self, section: str, key: str, name: str) -> Path | None:
        """A file named in the settings: relative to the project and inside it."""
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root):
            self.problem(section, key, f"'{name}' is outside the project folder (the "
                         "folder of handouts.toml): copy it inside, e.g. into theme/")
            return None
        if not os.path.lexists(path):
            self.problem(section, key, f"'{name}' is not a file in the project folder: "
                         "check its name (relative to handouts.toml)")
            return None
        return path  # a folder, a FIFO, a device: its reader says what it is, never blocks

    def read(self, section: str, key: str, name: str, path: Path, limit: int,
             what: str) -> bytes | None:
        """A file named in the settings, read by the `paths` rules; None (and a problem)
        when it is not a regular file of at most `limit` bytes."""
        try:
            return bounded_bytes(path, limit, what)
        except ReadRefused as refused:
            if path not in self.refused:
                self.problem(section, key, f"'{name}': {refused.reason}")
            self.refused.add(path)
            return None

    def project(self, values: dict[str, dict[str, Any]], raw: bytes) -> Project:
        """Read what the settings name (logo, fonts, theme) and make the rendering part."""
        hasher = hashlib.sha256(raw)
        organisation = self.organisation(values)
        resources: set[str] = set()
        if organisation.logo_uri:
            resources.add(organisation.logo_uri)
        css = [self.colours(values.get("colours", {}))]
        for role, variable, fallback in (("body", "--serif", '"Noto Serif", serif'),
                                         ("heading", "--sans", '"Noto Sans", sans-serif')):
            font = values.get("fonts", {}).get(role)
            if font:
                css.append(self.font(role, font, variable, fallback, resources))
        theme, stylesheets = self.theme(values.get("theme", {}))
        if theme:
            for path in self.theme_files(Path(theme)):
                data = self.read("theme", "folder", str(path.relative_to(self.root)), path,
                                 MAX_THEME_FILE_BYTES, "a theme file")
                hasher.update(str(path.relative_to(theme)).encode())
                hasher.update(data or b"")
        for uri in sorted(resources):
            hasher.update(uri.encode())
        return Project(organisation, "\n".join(part for part in css if part),
                       tuple(stylesheets), theme, frozenset(resources), hasher.hexdigest())

    def theme_files(self, folder: Path) -> list[Path]:
        """Every file of the theme folder but its folders (a FIFO, a device or a looping
        link among them is refused when read), at most MAX_THEME_FILES."""
        found: list[Path] = []
        for path in folder.rglob("*"):
            if path.is_dir():
                continue
            if len(found) == MAX_THEME_FILES:
                self.problem("theme", "folder", f"'{folder.relative_to(self.root)}' holds more "
                             f"than {MAX_THEME_FILES:,} files: keep only the theme's "
                             "templates, stylesheets, fonts and pictures in it")
                break
            found.append(path)
        return sorted(found)

    def organisation(self, values: dict[str, dict[str, Any]]) -> Organisation:
        section = values.get("organisation", {})
        footer = values.get("footer", {})
        name = section.get("name")
        logo_uri = None
        if section.get("logo"):
            logo_uri = self.logo(section["logo"])
        website = section.get("website")
        contact = section.get("contact")
        licence = footer.get("licence")
        return Organisation(
            name=name, logo_uri=logo_uri,
            logo_alt=section.get("logo_alt"),  # None: said in the sheet's language (in_language)
            website=website,
            website_short=bare_url(website) if website else None,
            contact=contact,
            contact_href=contact_href(contact) if contact else None,
            licence=licence,
            licence_url=footer.get("licence_url") or (licence_url(licence) if licence else None),
            footer_text=footer.get("text"))

    def logo(self, name: str) -> str | None:
        from ..sheet.pictures import PictureProblem, load_picture  # lxml: only with a logo

        path = self.inside("organisation", "logo", name)
        if path is None:
            return None
        if path.suffix.lower() not in LOGO_TYPES:
            self.problem("organisation", "logo", f"'{name}' is not an SVG or PNG file: save "
                         "the logo as .svg (best: sharp at any size) or .png")
            return None
        try:
            return load_picture(path).uri
        except PictureProblem as problem:
            self.problem("organisation", "logo", f"'{name}' {problem}")
            return None

    def colours(self, colours: dict[str, str]) -> str:
        rules = []
        primary, accent = colours.get("primary"), colours.get("accent")
        if primary:
            ratio = min(contrast(primary, background) for background in TEXT_BACKGROUNDS)
            if ratio < MIN_TEXT_CONTRAST:
                self.problem("colours", "primary", f"{primary} has a contrast of {ratio:.1f}:1 "
                             f"on white or the light panels, under the {MIN_TEXT_CONTRAST}:1 "
                             "text needs to be read by everyone: choose a darker colour "
                             f"(e.g. {darken_to(primary, MIN_TEXT_CONTRAST + 0.3)})")
            rules += [f"--accent: {primary};", f"--accent-soft: {panel_tint(primary)};"]
        if accent:
            ratio = contrast(accent, "#ffffff")
            if ratio < MIN_GRAPHIC_CONTRAST:
                self.problem("colours", "accent", f"{accent} on white has a contrast of "
                             f"{ratio:.1f}:1, under the {MIN_GRAPHIC_CONTRAST}:1 rules and "
                             f"panel edges need to be seen: choose a darker colour (e.g. "
                             f"{darken_to(accent, MIN_GRAPHIC_CONTRAST + 0.3)})")
            rules += [f"--warm: {accent};", f"--brand-accent: {accent};"]
        return f":root {{ {' '.join(rules)} }}" if rules else ""

    def font(self, role: str, value: str, variable: str, fallback: str,
             resources: set[str]) -> str:
        suffix = Path(value).suffix.lower()
        if suffix in FONT_TYPES:
            path = self.inside("fonts", role, value)
            if path is None:
                return ""
            media_type, magic, css_format = FONT_TYPES[suffix]
            data = self.read("fonts", role, value, path, MAX_FONT_BYTES, "a font file")
            if data is None:
                return ""
            if not data.startswith(magic) and not (suffix == ".ttf" and data[:4] == b"true"):
                self.problem("fonts", role, f"'{value}' is not a {suffix[1:].upper()} font "
                             "file: export it again, or name an installed family")
                return ""
            refused = embedding_refused(data)
            if refused:
                self.problem("fonts", role, f"'{value}': {refused}")
                return ""
            uri = f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
            resources.add(uri)
            family = f"handouts {role}"
            return (f'@font-face {{ font-family: "{family}"; src: url("{uri}") '
                    f'format("{css_format}"); }}\n:root {{ {variable}: "{family}", {fallback}; }}')
        if '"' in value or "\\" in value or ";" in value:
            self.problem("fonts", role, f"'{value}' is not a font family name")
            return ""
        families = installed_families()
        if families is not None and value.casefold() not in families:
            close = difflib.get_close_matches(value.casefold(), list(families), n=1)
            hint = (f"did you mean `{families[close[0]]}`?" if close
                    else "see `fc-list : family`")
            self.problem("fonts", role, f"'{value}' is not an installed font family: {hint} "
                         "(or install it, or put a .ttf/.otf file in the project and name it)")
            return ""
        return f':root {{ {variable}: "{value}", {fallback}; }}'

    def theme(self, section: dict[str, Any]) -> tuple[str | None, list[tuple[str, str]]]:
        name = section.get("folder", THEME_FOLDER)
        folder = (self.root / name).resolve()
        if not folder.is_relative_to(self.root):
            self.problem("theme", "folder", f"'{name}' is outside the project folder")
            return None, []
        if not folder.is_dir():
            if "folder" in section:
                self.problem("theme", "folder", f"'{name}' is not a folder in the project")
            return None, []
        built_in = {path.name for path in asset("styles").glob("*.css")}
        names = section.get("stylesheets")
        if names is None:
            names = sorted(path.name for path in folder.glob("*.css")
                           if path.name not in built_in)
        sheets = []
        for sheet in names:
            path = (folder / sheet).resolve()
            if not path.is_relative_to(folder) or not os.path.lexists(path):
                self.problem("theme", "stylesheets", f"'{sheet}' is not a file in the theme "
                             f"folder {name}/: check its name")
                continue
            data = self.read("theme", "stylesheets", sheet, path, MAX_STYLESHEET_BYTES,
                             "a stylesheet")
            if data is None:
                continue
            try:
                sheets.append((sheet, data.decode("utf-8")))
            except UnicodeDecodeError:
                self.problem("theme", "stylesheets", f"'{sheet}' is not UTF-8 text")
        return str(folder), sheets
