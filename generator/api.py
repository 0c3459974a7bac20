"""The Python API: what the `handouts` command does, as functions (the command is a thin layer
over these). Errors are handouts' own types (generator.errors), never Click's:

    from generator import api
    result = api.build(["content/my-sheet.yaml"], "output", versions=3, seed="42")
    for failure in result.failures: print(failure)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch.build import BuildResult, Output, SheetOutcome
from .errors import HandoutsError, OptionsError, Problem, SheetError
from .options import DEFAULT_SEED, BuildOptions

if TYPE_CHECKING:
    from .sheet.importer import ImportReport

DEFAULT_CONTENT = Path("content")
DEFAULT_OUTPUT = Path("output")


def _paths(paths: Iterable[Path | str] | Path | str | None) -> list[Path]:
    if paths is None:
        if not DEFAULT_CONTENT.is_dir():
            raise OptionsError("no sheet given and no content/ folder here: name a sheet "
                               "file or a folder of sheets, e.g. `handouts build my-sheet.yaml`")
        return [DEFAULT_CONTENT]
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(path) for path in paths] or _paths(None)


def options(**values: Any) -> BuildOptions:
    """BuildOptions from keyword values, with an OptionsError naming an unknown one."""
    known = {f.name for f in fields(BuildOptions)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise OptionsError(f"unknown build option {', '.join(unknown)}: choose among "
                           f"{', '.join(sorted(known))}")
    if isinstance(values.get("only"), str):
        values["only"] = (values["only"],)
    if "only" in values:
        values["only"] = tuple(values["only"])
    return BuildOptions(**values)


def build(paths: Iterable[Path | str] | Path | str | None = None,
          output: Path | str = DEFAULT_OUTPUT, build_options: BuildOptions | None = None, *,
          force: bool = False, jobs: int = 1,
          on_start: Callable[[int], None] | None = None,
          on_output: Callable[[Output], None] | None = None,
          on_sheet: Callable[[SheetOutcome], None] | None = None,
          site_url: str | None = None,
          **option_values: Any) -> BuildResult:
    """Build the handouts of the sheets in `paths` (files or folders; default: content/) into
    `output`. Options are BuildOptions fields (only=("quiz",), versions=3, seed="42",
    paper="letter"…) or a BuildOptions. With fmt="web", the web edition around the PDFs
    (`site_url`: the address it will be published at, for the feed, sitemap and sharing). A
    sheet that fails is in `result.failures`; options that cannot work raise OptionsError."""
    from functools import partial

    from .batch.build import build as run

    if build_options is not None and option_values:
        raise OptionsError("give either a BuildOptions or option keywords, not both")
    chosen = build_options or options(**option_values)
    if chosen.fmt == "web":
        from .batch.web import build_site

        run = partial(build_site, site_url=site_url)
    return run(_paths(paths), Path(output), chosen, force=force, jobs=jobs, on_start=on_start,
               on_output=on_output, on_sheet=on_sheet)


@dataclass
class SheetCheck:
    """What `check` found in one sheet: its errors (then it is invalid), or its warnings."""

    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    readability: str | None = None  # the easy-read text's score, in words
    letters: dict[str, int] = field(default_factory=dict)  # correct letter → count

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class CheckReport:
    sheets: list[SheetCheck] = field(default_factory=list)
    missing: list[Problem] = field(default_factory=list)  # paths that hold no sheet
    strict: bool = False

    @property
    def ok(self) -> bool:
        """Every sheet valid and every path found; with `strict`, no warning either."""
        return not self.missing and all(
            sheet.valid and not (self.strict and sheet.warnings) for sheet in self.sheets)


def check(paths: Iterable[Path | str] | Path | str | None = None, *, strict: bool = False,
          versions: int = 1, seed: str = DEFAULT_SEED) -> CheckReport:
    """Validate sheets without building them, with an editor's warnings; with `versions` > 1,
    also count the correct letters over that many quiz versions."""
    from .batch.sources import find_sheets
    from .paths import display
    from .sheet.loader import load
    from .view.checks import check as warnings_of
    from .view.checks import letter_distribution, readability_summary

    files, missing = find_sheets(_paths(paths))
    report = CheckReport(missing=missing, strict=strict)
    for file in files:
        try:
            loaded = load(file)
        except SheetError as error:
            report.sheets.append(SheetCheck(display(file), errors=error.problems))
            continue
        found = SheetCheck(loaded.shown, warnings=warnings_of(loaded),
                           readability=readability_summary(loaded))
        if versions > 1:
            found.letters = letter_distribution(loaded, versions, seed)
        report.sheets.append(found)
    return report


def new(slug: str, lang: str = "en", folder: Path | str = DEFAULT_CONTENT) -> Path:
    """Write a commented starter sheet FOLDER/SLUG.yaml (never overwrites); its path."""
    from .sheet.starter import new_sheet

    return new_sheet(slug, lang, Path(folder))


def import_page(page: Path | str, target: Path | str | None = None, lang: str | None = None,
                folder: Path | str = DEFAULT_CONTENT) -> tuple[Path, ImportReport]:
    """Turn a published sheet (text copied from a browser, or the page saved as HTML) into a
    YAML sheet written to `target` (default: FOLDER/SLUG.yaml), never over a file; returns
    where it was written and the report of what could not be placed."""
    from .sheet.importer import read_page, write_new

    text, report, written = read_page(Path(page), lang, Path(target) if target else None,
                                      Path(folder))
    write_new(written, text)
    return written, report


def schema() -> dict[str, Any]:
    """The JSON Schema of the sheet format."""
    from .sheet.schema import json_schema

    return json_schema()


__all__ = ["BuildOptions", "BuildResult", "CheckReport", "HandoutsError", "SheetCheck",
           "build", "check", "new", "options", "schema"]
