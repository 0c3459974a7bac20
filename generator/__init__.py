"""handouts: one YAML resource analysis sheet in, print-ready PDF handouts out.

The Python API is `generator.api` (build, check, new, import_page, schema: what the command
does), its functions also reachable from the package itself. They and the error types are
loaded on first use, so that `import generator` stays light:

    import generator
    result = generator.build(["content/my-sheet.yaml"], "output", versions=3, seed="42")

The package is laid out by stage of the data path, each importing only the stages before it:
`sheet/` (read, validate and import sheets; languages; pictures), `view/` (what is printed,
and the warnings of `check`), `documents/` (the handout kinds; HTML, PDF, files), then the
option table (`options.py`) and the project settings (`settings/`), `batch/` (plans,
fingerprints, processes, watch, the web edition), and here the face: the command line and the
API. The errors, paths and shared defaults (`defaults.py`) are below every stage.
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_ERRORS = {"HandoutsError", "SheetError", "RenderError", "OutputError", "OptionsError",
           "BugError", "Interrupted", "Problem"}


def __getattr__(name: str) -> Any:
    if name == "api":
        return import_module(".api", __name__)
    if name in {"build", "check", "new", "import_page", "schema"}:
        return getattr(import_module(".api", __name__), name)
    if name in {"BuildOptions", "BuildResult", "CheckReport", "SheetCheck"}:
        return getattr(import_module(".api", __name__), name)
    if name in _ERRORS:
        return getattr(import_module(".errors", __name__), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
