"""Where the package's own files are: inside the installed package, or at the repository's top
(the layout people edit: templates/, styles/, schema.json)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def asset(name: str) -> Path:
    """`templates`, `styles` or `schema.json`, wherever this copy of handouts keeps them."""
    packaged = PACKAGE / name
    return packaged if packaged.exists() else PACKAGE.parent / name


def display(file: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(file.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop (Python 3.11)
        return str(file)
