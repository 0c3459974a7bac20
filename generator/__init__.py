"""handouts: one YAML resource analysis sheet in, print-ready PDF handouts out.

The Python API is `generator.api` (build, check, new, schema: what the command does). It and
the error types are loaded on first use, so that `import generator` stays light:

    from generator import api
    result = api.build(["content/my-sheet.yaml"], "output", versions=3, seed="42")

(`generator.build` and `generator.schema` are the modules of those steps, hence `api.`.)
"""

__version__ = "0.1.0"

_ERRORS = {"HandoutsError", "SheetError", "RenderError", "OutputError", "OptionsError",
           "BugError", "Interrupted", "Problem"}


def __getattr__(name: str):
    from importlib import import_module

    if name == "api":
        return import_module(".api", __name__)
    if name in {"BuildOptions", "BuildResult", "CheckReport", "SheetCheck"}:
        return getattr(import_module(".api", __name__), name)
    if name in _ERRORS:
        return getattr(import_module(".errors", __name__), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
