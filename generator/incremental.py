"""Incremental builds: each output remembers a fingerprint of what made it.

The fingerprint covers the sheet's bytes, the pictures it used, the templates, styles and code
of this copy of handouts, the versions of handouts and WeasyPrint, and the options that change
the result. An output whose fingerprint still matches, and whose file is still the one written,
is skipped, without importing the PDF engine. The record lives in OUTPUT/.handouts-manifest.json;
a missing or damaged record only means everything is built again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from . import __version__
from .options import BuildOptions
from .paths import PACKAGE, asset

MANIFEST = ".handouts-manifest.json"
FORMAT = 1
# Options that change what is printed; --strict, --time-limit and --max-size do not.
SIGNIFICANT_OPTIONS = ("fmt", "paper", "print_shop", "pdf_variant", "versions", "seed",
                       "pre_post")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


def _engine_version() -> str:
    """WeasyPrint's version, read from its source: importing it (or importlib.metadata) would
    cost more than a no-change build itself."""
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or spec.origin is None:  # pragma: no cover - a broken install
        return "unknown"
    match = re.search(r"VERSION = __version__ = '([^']+)'", Path(spec.origin).read_text())
    return match.group(1) if match else "unknown"


@lru_cache(maxsize=1)
def tool_digest() -> str:
    """Everything of handouts itself that shapes an output."""
    hasher = hashlib.sha256()
    hasher.update(f"handouts {__version__} weasyprint {_engine_version()}".encode())
    files = [*sorted(asset("templates").glob("*")), *sorted(asset("styles").glob("*")),
             *sorted(PACKAGE.glob("*.py"))]
    for path in files:
        if not path.is_file():
            continue  # templates/web/: the web edition's own templates
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def fingerprint(sheet_bytes: bytes, kind: str, options: BuildOptions) -> str:
    significant = {name: value for name, value in asdict(options).items()
                   if name in SIGNIFICANT_OPTIONS}
    hasher = hashlib.sha256(tool_digest().encode())
    hasher.update(json.dumps([kind, significant], sort_keys=True).encode())
    hasher.update(sheet_bytes)
    return hasher.hexdigest()


class Manifest:
    """What was built into one output folder, and from what."""

    def __init__(self, folder: Path, sheets: dict | None = None):
        self.folder = folder
        self.sheets: dict[str, dict] = sheets or {}

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and isinstance(data.get("sheets"), dict):
                return cls(folder, data["sheets"])
        except (OSError, ValueError, AttributeError):
            pass
        return cls(folder)

    @staticmethod
    def key(sheet: Path) -> str:
        return str(sheet.resolve())

    def fresh_output(self, sheet: Path, kind: str, fp: str) -> Path | None:
        """The output of `kind` for `sheet` when it is still exactly what `fp` would make."""
        entry = self.sheets.get(self.key(sheet))
        if not entry:
            return None
        record = entry.get("outputs", {}).get(kind)
        if not record or record.get("fingerprint") != fp:
            return None
        for path, known in entry.get("inputs", {}).items():
            if file_digest(Path(path)) != known:
                return None
        output = self.folder / record["path"]
        if file_digest(output) != record.get("digest"):
            return None
        return output

    def slug(self, sheet: Path) -> str | None:
        return self.sheets.get(self.key(sheet), {}).get("slug")

    def record(self, sheet: Path, slug: str, inputs: list[Path],
               outputs: dict[str, tuple[Path, str, str]]) -> None:
        """Remember what was just written for `sheet`: kind → (path, fingerprint, digest)."""
        entry = self.sheets.setdefault(self.key(sheet), {})
        if entry.get("slug") != slug:
            entry.clear()
        entry["slug"] = slug
        entry["inputs"] = {str(path): file_digest(path) for path in inputs}
        kinds = entry.setdefault("outputs", {})
        for kind, (path, fp, data_digest) in outputs.items():
            kinds[kind] = {"path": path.relative_to(self.folder).as_posix(),
                           "fingerprint": fp, "digest": data_digest}

    def save(self) -> None:
        from .writer import write_atomic

        text = json.dumps({"format": FORMAT, "sheets": self.sheets}, indent=1, sort_keys=True)
        write_atomic(self.folder / MANIFEST, text.encode("utf-8"))
