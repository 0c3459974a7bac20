"""Where the package's own files are: inside the installed package, or at the repository's top
(the layout people edit: templates/, styles/, schema.json)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def asset(name: str) -> Path:
    """`templates`, `styles` or `schema.json`, wherever this copy of handouts keeps them."""
    packaged = PACKAGE / name
    return packaged if packaged.exists() else PACKAGE.parent / name
