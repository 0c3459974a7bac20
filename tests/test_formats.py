"""Output formats as a registry (documents/formats.py), and the public entry points that the
warm workers use (#23, items 2 and 4)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _private_reaches(path: Path) -> list[str]:
    """Every private name a module takes from another: imported (`from .build import _x`)
    or read as an attribute of something else than itself (`renderer._x`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found += [f"{node.module}.{alias.name}" for alias in node.names
                      if alias.name.startswith("_")]
        elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
              and not node.attr.startswith("__")
              and not (isinstance(node.value, ast.Name) and node.value.id == "self")):
            found.append(f"{ast.unparse(node.value)}.{node.attr}")
    return found


def test_warm_workers_use_only_public_entry_points():
    assert _private_reaches(PACKAGE / "batch" / "warm.py") == []
