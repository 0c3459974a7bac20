"""Project settings: `handouts.toml`, found in the current folder or its parents.

The file gives an organisation's look (name, logo, colours, fonts, licence, theme folder) and
the defaults of the command's options (output folder, paper, PDF variant, language of new
sheets, quiz options). It is read with tomllib and validated strictly, like a sheet: unknown
keys are refused with a did-you-mean, wrong types and values with FILE:LINE messages (tomllib
gives no line numbers, so a key's line is found by scanning the text). Files named by the
settings (logo, fonts, theme stylesheets) must be inside the project; the logo is checked like
a pictogram and the fonts are read here, so the PDF engine gets `data:` URIs and never a path.

Only the standard library is imported at the top: every command reads the settings.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from .errors import Problem, SheetError
from .options import Option, setting_options
from .sheet.yamlsource import is_non_character
from .view.addresses import bare_url

FILE_NAME = "handouts.toml"
ENVIRONMENT = "HANDOUTS_SETTINGS"  # a settings file to use, or "none" for none
THEME_FOLDER = "theme"
MAX_SETTINGS_BYTES = 1_000_000
MAX_FONT_BYTES = 20_000_000
MAX_STYLESHEET_BYTES = 1_000_000
MAX_THEME_FILE_BYTES = MAX_FONT_BYTES  # a theme folder holds fonts and pictures too
MAX_THEME_FILES = 1_000
FONT_TYPES = {".ttf": ("font/ttf", b"\x00\x01\x00\x00", "truetype"),
              ".otf": ("font/otf", b"OTTO", "opentype"),
              ".woff": ("font/woff", b"wOFF", "woff"),
              ".woff2": ("font/woff2", b"wOF2", "woff2")}
LOGO_TYPES = (".svg", ".png")
MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA, normal text
MIN_GRAPHIC_CONTRAST = 3.0  # WCAG 2 AA, rules and panel edges (1.4.11)
# What the primary colour is printed on (paper, and the lightest grey panel that
# tests/test_accessibility.py checks), and the other text colours of base.css printed on its
# tint.
TEXT_BACKGROUNDS = ("#ffffff", "#f4f7f9")
PANEL_TEXT = ("#1f2a33", "#4f5d69")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Licences printed in the footer with their link; another licence is printed with
# `licence_url` when given, else its name alone.
LICENCES = {
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "Licence Ouverte 2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "Etalab 2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "GFDL 1.3": "https://www.gnu.org/licenses/fdl-1.3.html",
}
_CREATIVE_COMMONS = re.compile(r"^CC (BY(?:-NC)?(?:-SA|-ND)?) (4\.0|3\.0|2\.0)$", re.IGNORECASE)

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
class Organisation:
    """Who publishes the handouts: printed on every handout (see templates/_macros.html)."""

    name: str | None = None
    logo_uri: str | None = None  # a checked picture, as a data: URI
    logo_alt: str | None = None
    website: str | None = None
    website_short: str | None = None  # without https:// and the last slash
    contact: str | None = None
    contact_href: str | None = None  # mailto: or tel:
    licence: str | None = None
    licence_url: str | None = None
    footer_text: str | None = None

    @property
    def licence_url_short(self) -> str | None:
        """The licence's address as printed: without https:// and the last slash."""
        if not self.licence_url:
            return None
        return bare_url(self.licence_url)

    def in_language(self, labels: Mapping[str, str]) -> Organisation:
        """The organisation as a sheet in another language prints it: without a `logo_alt`
        of its own, the logo is "Logo of NAME" in the sheet's language."""
        if self.logo_alt or not self.logo_uri:
            return self
        alt = labels["organisation_logo_alt"].format(name=self.name) if self.name \
            else labels["organisation_logo"]
        return replace(self, logo_alt=alt)

    @property
    def has_footer(self) -> bool:
        return bool(self.licence or self.website or self.contact or self.footer_text)


@dataclass(frozen=True)
class Project:
    """What the settings change in rendering, ready to use and small enough to travel to a
    worker process: nothing is read from disk after this (but theme templates)."""

    organisation: Organisation
    css: str  # custom properties and @font-face rules, after the built-in stylesheets
    stylesheets: tuple[tuple[str, str], ...] = ()  # theme stylesheets: (name, text)
    theme: str | None = None  # the theme folder, when there is one
    resources: frozenset[str] = frozenset()  # data: URIs the engine may load (logo, fonts)
    fingerprint: str = ""  # settings' values and theme files' bytes


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


# Finding -----------------------------------------------------------------------------------


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


# Reading -----------------------------------------------------------------------------------


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
    from .paths import ReadRefused, bounded_bytes

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
        from .paths import ReadRefused, bounded_bytes

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
            contact_href=_contact_href(contact) if contact else None,
            licence=licence,
            licence_url=footer.get("licence_url") or (licence_url(licence) if licence else None),
            footer_text=footer.get("text"))

    def logo(self, name: str) -> str | None:
        from .sheet.pictures import PictureProblem, load_picture

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
        from .paths import asset

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


def embedding_refused(data: bytes) -> str | None:
    """Why a font file may not be embedded in a PDF (its OS/2 fsType says "restricted
    licence embedding"), or None; a file fontTools cannot read is left to the PDF engine."""
    import io

    try:
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), lazy=True)
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    except Exception:  # a font fontTools cannot read (or no brotli for WOFF2)
        return None
    if fs_type & 0x000F == 0x0002:
        return ("its licence forbids embedding it in documents: choose a free font (SIL Open "
                "Font License, Apache…), e.g. from fonts.google.com")
    return None


def _contact_href(contact: str) -> str | None:
    if re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", contact):
        return f"mailto:{contact}"
    digits = re.sub(r"[\s.()-]", "", contact)
    if re.match(r"^\+?\d{6,15}$", digits):
        return f"tel:{digits}"
    return None


def licence_url(name: str) -> str | None:
    """The address of a well-known licence, from its usual short name."""
    found = _CREATIVE_COMMONS.match(name.strip())
    if found:
        return (f"https://creativecommons.org/licenses/{found.group(1).lower()}/"
                f"{found.group(2)}/")
    for known, url in LICENCES.items():
        if known.casefold() == name.strip().casefold():
            return url
    return None


@cache
def installed_families() -> dict[str, str] | None:
    """Installed font families by casefolded name, from fontconfig; None when fc-list is
    missing (the PDF engine then falls back, and says so with --strict)."""
    if not shutil.which("fc-list"):
        return None
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                                timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip().casefold(): name.strip() for line in listed.splitlines()
            for name in line.split(",") if name.strip()}


# Colours -----------------------------------------------------------------------------------


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """`amount` of `colour` over `other` (a tint)."""
    mixed = (round(a * amount + b * (1 - amount))
             for a, b in zip(_channels(colour), _channels(other), strict=True))
    return "#" + "".join(f"{value:02x}" for value in mixed)


def darken_to(colour: str, ratio: float) -> str:
    """The nearest shade of `colour` (mixed with black) that reaches `ratio` on white and on
    the light panels."""
    for step in range(101):
        shade = mix(colour, "#000000", 1 - step / 100)
        if min(contrast(shade, background) for background in TEXT_BACKGROUNDS) >= ratio:
            return shade
    return "#000000"


def panel_tint(primary: str) -> str:
    """The tinted panel behind text (--accent-soft): 10% of the primary colour, lighter when
    the primary, the ink or the muted text would fall under 4.5:1 on it."""
    for percent in range(10, -1, -1):
        tint = mix(primary, "#ffffff", percent / 100)
        if all(contrast(text, tint) >= MIN_TEXT_CONTRAST for text in (primary, *PANEL_TEXT)):
            return tint
    return "#ffffff"


# Starter and schema ------------------------------------------------------------------------

STARTER = """\
# handouts project settings: every handouts command run in this folder (or below) reads them.
# Command-line options win over the [build] and [quiz] defaults. Delete a line to use the
# built-in default. Reference: the README's "Your organisation" section.

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
    from .paths import asset

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
    import json

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
    import json

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
