"""The package follows the data path: each stage imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("sheet", "view", "documents", "batch")  # in the order the data flows
BASE = {"errors", "paths", "options", "settings", "__version__"}  # every stage may use
FACE = {"cli", "clioptions", "api", "__main__", "project"}  # the stages never import the face


def _imports(path: Path) -> list[str]:
    """Every generator module a file imports, as a dotted name below `generator`."""
    package = list(path.parent.relative_to(PACKAGE).parts)  # ["sheet", "importer"]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            parts = base + (node.module.split(".") if node.module else [])
            if node.module is None:
                found += [".".join([*parts, alias.name]) for alias in node.names]
            else:
                found.append(".".join(parts))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def _stage(path: Path) -> str:
    """The stage a module belongs to: its first folder below `generator`."""
    return path.relative_to(PACKAGE).parts[0]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE))[:-3])
def test_a_stage_imports_only_the_stages_before_it(path):
    own = STAGES.index(_stage(path))
    for name in _imports(path):
        head = name.split(".")[0]
        assert head not in FACE, f"{path.name} imports {name}"
        if head in STAGES:
            assert STAGES.index(head) <= own, f"{path.name} ({STAGES[own]}) imports {name}"
        else:
            assert head in BASE or head == "", f"{path.name} imports {name}"


def test_the_stages_hold_the_modules():
    flat = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__", "__main__", "api", "cli", "clioptions", "errors", "options",
                    "paths", "project", "settings"]
    assert {_stage(p) for p in MODULES} == set(STAGES)
