"""The package follows the data path: each stage imports only the stages before it, at import
time and at run time (an import inside a function counts), and no module imports itself back
through others."""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("sheet", "view", "documents", "batch")  # the folders, in the order the data flows
# Every module's level, lowest first; a module imports only its own level and lower ones.
# `options` and `settings` know the kinds and formats (documents) and make the organisation's
# look (view); what earlier stages need of them lives in `defaults` and `view/organisation`.
LEVELS: tuple[tuple[str, ...], ...] = (
    ("__init__", "errors", "paths", "defaults"),  # the base every stage may use
    ("sheet",),
    ("view",),
    ("documents",),
    ("options", "settings"),  # the option table and handouts.toml
    ("batch",),
    ("scan",),  # marked answer sheets read back (`handouts scan`)
    # the library's face, and what the others share
    ("clioptions", "api", "project", "reviewing", "workshop"),
    ("studio",),  # a face over the API, started by the command line (`handouts serve`)
    ("cli", "cliworkshop", "__main__"),  # the command line
)


def _name(path: Path) -> str:
    """A module's dotted name below `generator` ("" for the package itself)."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(dotted: str) -> str:
    """The module a dotted name below `generator` loads: `sheet.model.Sheet` is sheet.model."""
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


@cache
def _tree(name: str) -> ast.AST:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _runtime_nodes(tree: ast.AST) -> list[tuple[ast.AST, bool]]:
    """Every node that can run, with whether it is inside a function: `if TYPE_CHECKING:`
    blocks are left out, as Python never runs them."""
    found: list[tuple[ast.AST, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                      ast.Lambda))
            found.append((child, inner))
            visit(child, inner)

    visit(tree, False)
    return found


@cache
def imports(name: str) -> list[tuple[str, int, bool]]:
    """The generator modules a module imports when it runs: (module, line, in a function)."""
    path = MODULES[name]
    package = name.split(".") if path.stem == "__init__" else name.split(".")[:-1]
    package = [part for part in package if part]
    found = []
    for node, in_function in _runtime_nodes(_tree(name)):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
            elif node.module and node.module.split(".")[0] == "generator":
                base = []
            else:
                continue
            module = [part for part in (node.module or "").split(".") if part]
            if not node.level:
                module = module[1:]
            targets = [".".join([*base, *module, alias.name]) for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name.removeprefix("generator").lstrip(".") for alias in node.names
                       if alias.name.split(".")[0] == "generator"]
        found += [(_resolve(target), node.lineno, in_function) for target in targets]
    return found


def level(name: str) -> int:
    head = name.split(".")[0] or "__init__"
    return next(index for index, names in enumerate(LEVELS) if head in names)


@pytest.mark.parametrize("name", sorted(MODULES), ids=lambda name: name or "__init__")
def test_a_module_imports_only_its_level_and_the_ones_before(name):
    later = sorted({f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: imports "
                    f"{target or '__init__'}{' (in a function)' if in_function else ''}"
                    for target, line, in_function in imports(name)
                    if level(target) > level(name)})
    assert not later, f"{name or '__init__'} ({LEVELS[level(name)]}) imports a later stage:\n" \
        + "\n".join(later)


def _cycles() -> list[list[str]]:
    """Each import cycle of the module graph, function-level imports included, as the chain
    of modules that closes it (a → b → a): a strongly connected component (Tarjan's)."""
    graph = {name: sorted({target for target, _, _ in imports(name) if target != name})
             for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in graph:
        if node not in index:
            connect(node)
    return [_chain(graph, sorted(component)) for component in components]


def _chain(graph: dict[str, list[str]], component: list[str]) -> list[str]:
    """One closed path through a cycle's modules, from its first: the chain to show."""
    start = component[0]
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for target in graph[path[-1]]:
            if target == start:
                return [*path, start]
            if target in component and target not in path:
                paths.append([*path, target])
    return component  # pragma: no cover - a component always holds a cycle


def test_no_module_imports_itself_back():
    assert _cycles() == [], "import cycles:\n" + "\n".join(
        " → ".join(name or "__init__" for name in chain) for chain in _cycles())


def test_the_stages_hold_the_modules():
    flat = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__", "__main__", "api", "cli", "clioptions", "cliworkshop",
                    "defaults", "errors", "options", "paths", "project", "reviewing",
                    "workshop"]
    folders = {p.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py")
               if p.parent != PACKAGE}
    assert folders == {*STAGES, "settings", "studio", "scan"}
    assert all(level(name) is not None for name in MODULES)


# --- imports inside functions: only to keep a heavy library unloaded until it is needed, or
# to keep `handouts --help` from loading what it does not use -----------------------------

# Libraries slow to import (tens of milliseconds to a second, measured with
# `python -X importtime`), or needed only to render, watch or run processes.
HEAVY = {"weasyprint", "pydyf", "pypdf", "pydantic", "pydantic_core", "lxml", "PIL",
         "fontTools", "segno", "jinja2", "markupsafe", "babel", "yaml", "tinycss2", "click",
         "pikepdf", "pypdfium2", "starlette", "uvicorn", "ruamel", "multipart",
         "watchfiles", "multiprocessing", "concurrent", "openpyxl", "matplotlib", "numpy",
         "docx", "cv2"}  # python-docx: --format docx; OpenCV: scan
PLATFORM = {"fcntl", "ctypes", "msvcrt"}  # not on every system: imported where used, guarded
# What `handouts --help` loads of handouts: the command line, its options and their choices.
HELP = {"", "cli", "clioptions", "cliworkshop", "options", "defaults", "errors", "paths",
        "documents", "documents.formats", "documents.kinds"}
HELP_PROBE = ("import sys\nfrom generator.cli import cli\ntry:\n    cli(['--help'])\n"
              "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))")


@cache
def _loaded_by_help() -> frozenset[str]:
    """Every module `handouts --help` loads, as Python names them."""
    printed = subprocess.run([sys.executable, "-c", HELP_PROBE], capture_output=True,
                             text=True, check=True).stdout
    return frozenset(printed.split())


def test_help_loads_only_the_command_line_and_no_heavy_library():
    loaded = _loaded_by_help()
    ours = {name.removeprefix("generator").lstrip(".") for name in loaded
            if name.split(".")[0] == "generator"}
    assert ours == HELP
    assert {name.split(".")[0] for name in loaded} & HEAVY == {"click"}


def _libraries(name: str, in_function: bool) -> list[tuple[str, int]]:
    """The outside libraries a module imports (at the top, or in its functions)."""
    found = []
    for node, inside in _runtime_nodes(_tree(name)):
        if inside != in_function:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.append((node.module, node.lineno))
    return [(lib, line) for lib, line in found if lib.split(".")[0] != "generator"]


@cache
def _loads_heavy(name: str) -> bool:
    """Whether importing a generator module loads a heavy library, through its top-level
    imports and theirs (the layers have no cycle: see above)."""
    if any(lib.split(".")[0] in HEAVY for lib, _ in _libraries(name, False)):
        return True
    return any(_loads_heavy(target) for target, _, inside in imports(name)
               if not inside and target != name)


# Modules another helper is splitting or editing in this round: their function-level imports
# are moved when those changes are merged (then this set is emptied).
ELSEWHERE: set[str] = set()


@pytest.mark.parametrize("name", sorted(set(MODULES) - ELSEWHERE),
                         ids=lambda name: name or "__init__")
def test_an_import_inside_a_function_is_heavy_or_kept_out_of_help(name):
    """A light module imported inside a function belongs at the top, unless `--help` loads
    the importing module and not the imported one."""
    help_loads = name in HELP

    def kept_out(module: str) -> bool:
        return help_loads and module not in _loaded_by_help()

    light = [f"{lib} (line {line})" for lib, line in _libraries(name, True)
             if lib.split(".")[0] not in HEAVY | PLATFORM and not kept_out(lib)]
    light += [f"{target or '__init__'} (line {line})" for target, line, inside in imports(name)
              if inside and not _loads_heavy(target)
              and not kept_out(f"generator.{target}".rstrip("."))]
    assert not light, f"{name or '__init__'}: import at the top (light, no cycle): " \
        + ", ".join(sorted(set(light)))
