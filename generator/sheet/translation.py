"""Translations kept in sync with their source sheet, through PO files.

A sheet's translatable passages ("units") are its texts, each named by its place in the sheet
(`quiz[2].choices[1]`, 1-based as people count). Everything else — dates, addresses, quiz
answers, page references, pictures, points — is carried over from the source, never
translated. `export_po` writes one PO unit per passage (gettext's format, which Poedit and
Weblate open), its context the passage's place, its comment what the field is for; when a
translation exists, its texts fill the units and those whose source changed since are marked
fuzzy. `import_po` writes the translated sheet: the source's data with the translated texts,
and `translation_of` naming the source and, for each passage translated, a digest of the
source text it was translated from. `staleness` compares those digests with the source as it
is now: what `check` reports and what `build` refuses (or warns about, by a setting).
Pure text in, text out: the caller reads and writes the files.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polib

from ..defaults import DEFAULT_MAX_BYTES
from ..errors import HandoutsError, Problem
from ..paths import bounded_bytes, display
from .loader import LoadedSheet, _model_at, load
from .yamlsource import dotted_path

# Fields that are not words to translate: carried over from the source as they are.
CARRIED_OVER = frozenset({
    "format", "lang", "slug", "url", "pages", "date", "reviewed", "published",
    "points", "shuffle", "pin_last", "time", "pictogram", "picture", "logo", "key_points_pictogram",
    "phone", "email", "address", "authors", "author", "site", "checked_by", "reviews",
    "translation_of",
})
# ...and at these places only (their keys, list indexes left out): a FAQ's answer is words.
CARRIED_OVER_AT = frozenset({("quiz", "answer"), ("quiz", "kahoot", "answer")})
DIGEST_LENGTH = 12
SHEET_HEADER = "X-Handouts-Sheet"  # the source sheet's slug: a PO file for another is refused
SOURCE_HEADER = "X-Handouts-Source"  # the source sheet's file name, for people
# What a translation must keep of its source text: link addresses, and the inline Markdown
# marks (a lost `**` makes the rest of the paragraph bold).
_ADDRESS = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>\s]+)>")
_MARKS = ("**", "`")


class TranslationError(HandoutsError):
    """A PO file that cannot be imported (another sheet's, unreadable, or a translation that
    breaks its source's links or marks): nothing is written."""


@dataclass(frozen=True)
class Unit:
    """One translatable passage: its place (`id`), where it is in the data (`path`), its
    text, its line in the file, and what the field is for (for the translator)."""

    id: str
    path: tuple[str | int, ...]
    text: str
    line: int | None
    note: str


def text_digest(text: str) -> str:
    """A short digest of a source text: equal, the translation is of this very text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def _note(path: tuple[str | int, ...]) -> str:
    """The field's description from the model: what the passage is, for the translator."""
    field = next((part for part in reversed(path) if isinstance(part, str)), None)
    keys = path[:-1] if isinstance(path[-1], str) else path[:-2]
    model = _model_at(tuple(keys))
    if model is None or field is None or field not in model.model_fields:
        return ""
    return model.model_fields[field].description or ""


def units(loaded: LoadedSheet) -> list[Unit]:
    """The sheet's translatable passages, in the order of the file."""
    found: list[Unit] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            keys = tuple(part for part in path if isinstance(part, str))
            for key, item in value.items():
                if key not in CARRIED_OVER and (*keys, key) not in CARRIED_OVER_AT:
                    walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, str) and value.strip() and path:
            position = loaded.document.locate(path)
            found.append(Unit(dotted_path(path), path, value.strip(),
                              position[0] if position else None, _note(path)))

    walk(loaded.document.data, ())
    return found


@dataclass(frozen=True)
class Staleness:
    """What a translation lacks against its source as it is now: passages whose source text
    changed since they were translated, and passages never translated (each as the
    translation's unit at that place, or the source's when the translation has none)."""

    changed: list[Unit]
    missing: list[Unit]

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing)


def staleness(translation: LoadedSheet, source: LoadedSheet) -> Staleness:
    """Compare the digests the translation recorded with the source's texts now."""
    link = translation.sheet.translation_of
    recorded = dict(link.source) if link else {}
    here = {unit.id: unit for unit in units(translation)}
    changed, missing = [], []
    for unit in units(source):
        shown = here.get(unit.id, unit)
        if unit.id not in recorded:
            missing.append(shown)
        elif recorded[unit.id] != text_digest(unit.text):
            changed.append(shown)
    return Staleness(changed, missing)


def language_name(lang: str, in_lang: str = "en") -> str:
    """`fr` → "French" (Babel's names; the code itself when Babel has none)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang).get_display_name(in_lang) or lang
    except (ValueError, UnknownLocaleError):
        return lang


def _listed(found: list[Unit], limit: int = 5) -> str:
    shown = [f"{unit.id} (line {unit.line})" if unit.line else unit.id
             for unit in found[:limit]]
    more = f" and {len(found) - limit} more" if len(found) > limit else ""
    return ", ".join(shown) + more


def _them(found: list[Unit]) -> str:
    return "it" if len(found) == 1 else "them"


def _passages(count: int) -> str:
    return f"{count} passage{'s' if count != 1 else ''}"


def stale_problems(translation: LoadedSheet, source: LoadedSheet, source_shown: str,
                   severity: str = "warning") -> list[Problem]:
    """`check`'s words for a translation behind its source, at the `translation_of` line."""
    found = staleness(translation, source)
    position = translation.document.locate(("translation_of",), key=True)
    line = position[0] if position else None
    language = language_name(source.sheet.lang)
    export = f"`handouts translate export {source_shown} --to {translation.sheet.lang}`"
    problems = []
    if found.changed:
        problems.append(Problem(
            translation.shown, line, None, "translation_of",
            f"{_passages(len(found.changed))} changed in the {language} sheet since this "
            f"translation: {_listed(found.changed)}: translate {_them(found.changed)} again "
            f"({export}, then "
            "`handouts translate import`)", severity))
    if found.missing:
        problems.append(Problem(
            translation.shown, line, None, "translation_of",
            f"{_passages(len(found.missing))} of the {language} sheet not translated yet: "
            f"{_listed(found.missing)}: translate {_them(found.missing)} ({export}, then "
            "`handouts translate import`)", severity))
    if severity == "error":
        problems = [replace(problem, message=problem.message + "; to build it as it is, set "
                            "`stale_translations = \"warn\"` under [build] in handouts.toml")
                    for problem in problems]
    return problems


def source_of(translation: LoadedSheet, file: Path) -> Path | None:
    """The file of the sheet `translation` translates, or None when it is no translation."""
    link = translation.sheet.translation_of
    return (file.parent / link.sheet) if link else None


def behind_source(translation: LoadedSheet, file: Path, severity: str = "warning"
                  ) -> tuple[list[Problem], tuple[Path, str] | None]:
    """What a translated sheet lacks against its source (no problem when it is no
    translation, or when its source cannot be read: `check` says so elsewhere), and the
    source file with the SHA-256 of its bytes (an input of the translation's handouts: when
    the source changes, they are made again and the staleness is seen)."""
    source_file = source_of(translation, file)
    if source_file is None or not source_file.is_file():
        return [], None
    try:
        data = bounded_bytes(source_file, DEFAULT_MAX_BYTES, "a sheet file")
        source = load(source_file, data=data)
    except (HandoutsError, OSError):
        return [], None
    known = (source_file.resolve(), hashlib.sha256(data).hexdigest())
    if source.sheet.lang == translation.sheet.lang:
        return [], known
    return stale_problems(translation, source, display(source_file), severity), known


# --- export -----------------------------------------------------------------------------

def export_po(source: LoadedSheet, lang: str, source_name: str,
              translation: LoadedSheet | None = None) -> str:
    """The PO file of `source`'s passages for translating into `lang`; with `translation`
    (the sheet already translated), its texts fill the units, fuzzy where the source text
    changed since (or where it was never recorded as translated)."""
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": f"handouts sheet {source.sheet.slug}",
        # dated by the source sheet's date: the same sheet gives the same file
        "POT-Creation-Date": f"{source.sheet.sheet.date.isoformat()} 00:00+0000",
        "PO-Revision-Date": f"{source.sheet.sheet.date.isoformat()} 00:00+0000",
        "Last-Translator": "",
        "Language-Team": language_name(lang, lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        SHEET_HEADER: source.sheet.slug,
        SOURCE_HEADER: source_name,
        "X-Source-Language": source.sheet.lang,
    }
    done: dict[str, str] = {}
    recorded: dict[str, str] = {}
    if translation is not None:
        done = {unit.id: unit.text for unit in units(translation)}
        link = translation.sheet.translation_of
        recorded = dict(link.source) if link else {}
    for unit in units(source):
        entry = polib.POEntry(msgctxt=unit.id, msgid=unit.text, comment=unit.note,
                              occurrences=[(source_name, str(unit.line or 0))])
        if unit.id in done and unit.id in recorded:
            entry.msgstr = done[unit.id]
            if recorded[unit.id] != text_digest(unit.text):
                entry.flags.append("fuzzy")
        po.append(entry)
    return str(po)


# --- import -----------------------------------------------------------------------------

def read_po(text: str, shown: str) -> polib.POFile:
    """The PO file's units, or TranslationError at the line polib could not read."""
    try:
        return polib.pofile(text, wrapwidth=78)
    except (OSError, ValueError) as error:
        raise TranslationError(f"{shown}: this is not a PO file handouts can read ({error}): "
                               "export it again with `handouts translate export`") from None


def _kept_marks(source: str, translated: str) -> str | None:
    """What a translation lost of its source's links and marks, or None."""
    wanted = {match.group(1) or match.group(2) for match in _ADDRESS.finditer(source)}
    kept = {match.group(1) or match.group(2) for match in _ADDRESS.finditer(translated)}
    lost = sorted(wanted - kept)
    if lost:
        return (f"the link address {lost[0]} of the source text is missing: keep every "
                "`[words](address)` of the source, translating only the words")
    for mark in _MARKS:
        if translated.count(mark) != source.count(mark):
            return (f"the source text has {source.count(mark)} `{mark}` marks and the "
                    f"translation {translated.count(mark)}: keep them around the same words")
    return None


def _set(data: Any, path: tuple[str | int, ...], value: str) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def translated_data(po_text: str, po_shown: str, source: LoadedSheet, target: Path,
                    source_file: Path, known_languages: tuple[str, ...],
                    existing: LoadedSheet | None = None) -> Any:
    """The translated sheet's data: the source's, with each translated unit's text, the PO's
    language, a slug of its own, and `translation_of` with the digests of the source texts
    translated. Fuzzy or empty units keep the existing translation's text (or the source's)
    and are not recorded as translated. Every problem of the PO file is reported at once."""
    po = read_po(po_text, po_shown)
    problems: list[str] = []
    slug = po.metadata.get(SHEET_HEADER, "")
    if slug != source.sheet.slug:
        raise TranslationError(
            f"{po_shown}: this PO file was made for the sheet '{slug or '?'}', not for "
            f"'{source.sheet.slug}' ({source.shown}): export the right sheet with "
            f"`handouts translate export {source.shown} --to LANGUAGE`")
    lang = po.metadata.get("Language", "").strip().replace("-", "_").split("_")[0].lower()
    if lang not in known_languages:
        raise TranslationError(
            f"{po_shown}: its Language header says '{lang}'; handouts prints sheets in "
            f"{', '.join(known_languages)}: set `Language: xx` in the PO file's header")
    if lang == source.sheet.lang:
        raise TranslationError(f"{po_shown}: the translation is in the source's own language "
                               f"({lang}): set the language it is translated into")
    by_id = {unit.id: unit for unit in units(source)}
    old = {unit.id: unit.text for unit in units(existing)} if existing else {}
    old_link = existing.sheet.translation_of if existing else None
    recorded = dict(old_link.source) if old_link else {}
    data: Any = copy.deepcopy(source.document.data)
    digests: dict[str, str] = {}
    for unit_id, text in old.items():  # a unit the PO file leaves out keeps its translation
        if unit_id in by_id:
            _set(data, by_id[unit_id].path, text)
            if unit_id in recorded:
                digests[unit_id] = recorded[unit_id]
    for entry in po:
        unit = by_id.get(entry.msgctxt or "")
        where = f"{po_shown}:{entry.linenum}"
        if unit is None:
            problems.append(f"{where}: `{entry.msgctxt}` is not a passage of {source.shown}: "
                            "was this PO file exported from another version of the sheet? "
                            "Export it again and copy the translations over")
            continue
        translated = (entry.msgstr or "").strip()
        if not translated or entry.fuzzy:  # what the translation had stays, to be checked
            continue
        lost = _kept_marks(entry.msgid, translated)
        if lost:
            problems.append(f"{where}: {unit.id}: {lost}")
            continue
        _set(data, unit.path, translated)
        digests[unit.id] = text_digest(entry.msgid.strip())
    if problems:
        raise TranslationError("\n".join(problems))
    data["lang"] = lang
    data["slug"] = (existing.sheet.slug if existing else f"{source.sheet.slug}-{lang}")
    relative = Path(os.path.relpath(source_file.resolve(), target.resolve().parent)).as_posix()
    data["translation_of"] = {"sheet": relative, "source": digests} if digests else {
        "sheet": relative}
    return data
