"""Incremental builds: each output remembers a fingerprint of what made it.

The fingerprint covers the sheet's bytes, the pictures it used, the templates, styles and code
of this copy of handouts, the versions of handouts and WeasyPrint, and the options that change
the result. An output whose fingerprint still matches, and whose file is still the one written,
is skipped, without importing the PDF engine. When the sheet did change, a second level:
each output also remembers what the PDF engine was given (`engine_fingerprint`); an output
whose HTML, stylesheets and PDF options come out the same is not rendered nor written again.
The record lives in OUTPUT/.handouts-manifest.json; a missing or damaged record only means
everything is built again. It is read back from a folder that may come from someone else, so
it is trusted for nothing but "rebuild or not": an output it names must be one of handouts'
own files of a sheet folder (SLUG/SLUG-KIND.EXT), and every file it makes handouts hash is
read within a limit, without following a link in the output folder (`read_own`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..documents.writer import own_file_name, read_own, write_atomic
from ..options import BuildOptions, not_fingerprinted
from ..paths import PACKAGE, ReadRefused, asset, bounded_sha256, read_bounded
from ..sheet.locales import MAX_LOCALE_BYTES, LocaleError, files

MANIFEST = ".handouts-manifest.json"
MAX_DIGEST_BYTES = 1_000_000_000  # hashed a chunk at a time, never held whole
FORMAT = 1
MANIFEST_LIMIT = 64_000_000  # bytes: a sheet's record is about 2 KB
# The largest output or picture hashed to tell whether it changed: a larger one is taken as
# changed (built again), never read.
READ_BACK_LIMIT = 256_000_000
# Every build option is in the fingerprint, except those the option table (options.OPTIONS)
# says never change an output's bytes, each with its reason.
NOT_FINGERPRINTED = not_fingerprinted()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of an input or an output, read by the `paths` rules; None when it is not a
    regular file of at most MAX_DIGEST_BYTES (a FIFO never blocks, a device is never read)."""
    try:
        return bounded_sha256(path, MAX_DIGEST_BYTES, "a file handouts made or read")
    except ReadRefused:
        return None


def output_digest(folder: Path, recorded: object) -> str | None:
    """The digest of the output a record names, RELATIVE to the output `folder`: None (so
    it is built again) unless the name is SLUG/SLUG-KIND.EXT, the sheet folder not a link,
    and the file a regular one of at most READ_BACK_LIMIT bytes (a link is not followed)."""
    if not isinstance(recorded, str):
        return None
    parts = recorded.split("/")
    if len(parts) != 2 or not own_file_name(parts[0], parts[1]):
        return None
    sheet_folder = folder / parts[0]
    try:
        if not stat.S_ISDIR(os.lstat(sheet_folder).st_mode):
            return None
    except OSError:
        return None
    data = read_own(sheet_folder / parts[1], READ_BACK_LIMIT)
    return None if data is None else digest(data)


def _engine_version() -> str:
    """WeasyPrint's version, read from its source: importing it (or importlib.metadata) would
    cost more than a no-change build itself."""
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or spec.origin is None:  # pragma: no cover - a broken install
        return "unknown"
    match = re.search(r"VERSION = __version__ = '([^']+)'", Path(spec.origin).read_text())
    return match.group(1) if match else "unknown"


def _locale_files() -> list[Path]:
    """The language files in use (built-in and HANDOUTS_LOCALES), without reading them."""
    return list(files().values())


@lru_cache(maxsize=1)
def tool_digest() -> str:
    """Everything of handouts itself that shapes an output."""
    hasher = hashlib.sha256()
    hasher.update(f"handouts {__version__} weasyprint {_engine_version()}".encode())
    locale_files = _locale_files()
    files = [*sorted(asset("templates").glob("*")), *sorted(asset("styles").glob("*")),
             *sorted(PACKAGE.rglob("*.py")), *sorted((PACKAGE / "icc").glob("*.icc")),
             *locale_files]
    for path in files:
        if path in locale_files:  # HANDOUTS_LOCALES may name anything: read as loading does
            data = read_bounded(path, MAX_LOCALE_BYTES, error=LocaleError,
                                what="a language file")
        elif not path.is_file():
            continue  # templates/web/: the web edition's own templates
        else:
            data = path.read_bytes()  # handouts' own files, as installed
        hasher.update(path.name.encode())
        hasher.update(data)
    return hasher.hexdigest()


def significant_options(options: BuildOptions) -> dict[str, object]:
    """The options an output's fingerprint covers: all of them but NOT_FINGERPRINTED."""
    return {item.name: _plain(getattr(options, item.name)) for item in fields(options)
            if item.name not in NOT_FINGERPRINTED}


def _plain(value: object) -> object:
    """An option as JSON: the project settings by their fingerprint (their values and the
    bytes of the theme files, logo and fonts)."""
    return getattr(value, "fingerprint", value)


def fingerprint(sheet_bytes: bytes, kind: str, options: BuildOptions) -> str:
    significant = significant_options(options)
    hasher = hashlib.sha256(tool_digest().encode())
    hasher.update(json.dumps([kind, significant], sort_keys=True).encode())
    hasher.update(sheet_bytes)
    return hasher.hexdigest()


def engine_fingerprint(kind: str, fmt: str, holds: Sequence[str]) -> str:
    """What the engine of a format is given for one document (`Rendered.holds`, e.g. the
    HTML, the stylesheets, the pictures it may fetch and the PDF variant: see
    documents/formats.py), with the code and engine versions, which also decide what is done
    with the PDF, e.g. a booklet's imposition: hence the kind. Equal prints give equal bytes,
    so a handout whose print did not change is not rendered again even when its sheet did."""
    hasher = hashlib.sha256(tool_digest().encode())
    hasher.update(json.dumps([kind, fmt, len(holds)]).encode())
    for text in holds:
        hasher.update(len(text).to_bytes(8, "big"))
        hasher.update(text.encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


class Manifest:
    """What was built into one output folder, and from what."""

    def __init__(self, folder: Path, sheets: dict[str, dict[str, Any]] | None = None,
                 record_dir: Path | None = None):
        self.folder = folder  # the outputs' folder: the paths recorded are relative to it
        self.sheets: dict[str, dict[str, Any]] = sheets or {}
        # where the record itself lives: the output folder, or (for the web edition, whose
        # folder is published) a folder outside it (web.record_folder)
        self.record_dir = record_dir or folder

    @classmethod
    def load(cls, folder: Path, record_dir: Path | None = None) -> Manifest:
        """The record of `folder` (kept in `record_dir`, by default `folder` itself); an
        empty one when it is missing, damaged, a link, or larger than MANIFEST_LIMIT
        (everything is then built again)."""
        text = read_own((record_dir or folder) / MANIFEST, MANIFEST_LIMIT)
        try:
            data = json.loads(text.decode("utf-8")) if text is not None else None
            if (isinstance(data, dict) and data.get("format") == FORMAT
                    and isinstance(data.get("sheets"), dict)
                    and all(isinstance(entry, dict) for entry in data["sheets"].values())):
                return cls(folder, data["sheets"], record_dir)
        except ValueError:
            pass
        return cls(folder, record_dir=record_dir)

    @staticmethod
    def key(sheet: Path) -> str:
        return str(sheet.resolve())

    def fresh_output(self, sheet: Path, kind: str, fp: str) -> Path | None:
        """The output of `kind` for `sheet` when it is still exactly what `fp` would make."""
        record = self._record(sheet, kind)
        if record is None or record.get("fingerprint") != fp:
            return None
        inputs = self.sheets[self.key(sheet)].get("inputs")
        if not isinstance(inputs, dict):
            return None
        for path, known in inputs.items():
            if file_digest(Path(path)) != known:
                return None
        known_digest = record.get("digest")
        if known_digest is None or output_digest(self.folder, record.get("path")) != known_digest:
            return None
        output: Path = self.folder / record["path"]
        return output

    def _record(self, sheet: Path, kind: str) -> dict[str, Any] | None:
        """The record of the output of `kind` for `sheet`, when it is a mapping."""
        entry = self.sheets.get(self.key(sheet))
        outputs = entry.get("outputs") if isinstance(entry, dict) else None
        record = outputs.get(kind) if isinstance(outputs, dict) else None
        return record if isinstance(record, dict) else None

    def engine_output(self, sheet: Path, kind: str) -> tuple[str, str, str] | None:
        """The engine fingerprint, digest and path (in the folder) recorded for the output of
        `kind`, when its file is still the one written (else None: it must be rendered and
        written again)."""
        record = self._record(sheet, kind)
        if record is None:
            return None
        engine, known, path = record.get("engine"), record.get("digest"), record.get("path")
        if not (isinstance(engine, str) and isinstance(known, str) and isinstance(path, str)):
            return None
        if output_digest(self.folder, path) != known:
            return None
        return engine, known, path

    def slug(self, sheet: Path) -> str | None:
        slug = self.sheets.get(self.key(sheet), {}).get("slug")
        return slug if isinstance(slug, str) else None

    def note(self, sheet: Path, slug: str, inputs: list[tuple[Path, str]],
             outputs: dict[str, tuple[Path, str, str]],
             engines: dict[str, str] | None = None) -> dict[str, Any]:
        """What to remember of a sheet just built (kind → path, fingerprint, digest), as plain
        data: it travels in the writer's journal until the files are in place. `inputs` are
        the pictures with the digest of the bytes rendered (not of the file as it is now: a
        picture saved during the build makes the next build render again). `engines` are
        the outputs' engine fingerprints (see `engine_fingerprint`)."""
        engines = engines or {}
        return {
            "sheet": self.key(sheet), "slug": slug,
            "inputs": {str(path): known for path, known in inputs},
            "outputs": {kind: {"path": path.relative_to(self.folder).as_posix(),
                               "fingerprint": fp, "digest": data_digest,
                               **({"engine": engines[kind]} if kind in engines else {})}
                        for kind, (path, fp, data_digest) in outputs.items()},
        }

    def remember(self, note: dict[str, Any]) -> None:
        """Add a sheet's note to the record, keeping its other outputs unless its slug
        changed."""
        entry = self.sheets.setdefault(note["sheet"], {})
        if entry.get("slug") != note["slug"]:
            entry.clear()
        entry["slug"] = note["slug"]
        entry["inputs"] = note["inputs"]
        entry.setdefault("outputs", {}).update(note["outputs"])

    def save(self) -> None:
        """Write the record (call with the output folder's lock held, after `load`ing it
        afresh, so that a concurrent build's records are kept)."""
        text = json.dumps({"format": FORMAT, "sheets": self.sheets}, indent=1, sort_keys=True)
        write_atomic(self.record_dir / MANIFEST, text.encode("utf-8"))
