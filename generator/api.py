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

from .batch.build import BuildResult
from .batch.build import build as run
from .batch.rendering import Output, SheetOutcome
from .batch.sources import find_sheets
from .documents.formats import format_of
from .errors import HandoutsError, OptionsError, Problem, SheetError
from .options import DEFAULT_SEED, OPTIONS, BuildOptions, validate
from .paths import display

if TYPE_CHECKING:
    from .batch.warm import WarmPool
    from .settings import Settings
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


def settings(start: Path | str | None = None) -> Settings | None:
    """The project settings that apply in `start` (default: the current folder): the nearest
    handouts.toml there or above, read and checked (SettingsError), or None."""
    from .settings import load_found

    return load_found(Path(start) if start is not None else None)


def options_with(project_settings: Settings | None, **values: Any) -> BuildOptions:
    """BuildOptions from keyword values, the settings' defaults filling the others, and the
    settings' look (organisation, colours, fonts, theme) as `project`."""
    if project_settings is not None:
        for spec in OPTIONS:
            value = project_settings.get(*spec.setting) if spec.setting else None
            if spec.field and spec.name not in values and value is not None:
                values[spec.name] = spec.from_word(value)
        values.setdefault("project", project_settings.project)
    return options(**values)


def default_output(project_settings: Settings | None) -> Path:
    """Where handouts go when no folder is named: the settings' [build] output (relative to
    the project), else output/."""
    if project_settings is not None:
        output: str = project_settings.get("build", "output", "output")
        return project_settings.root / output
    return DEFAULT_OUTPUT


def default_content(project_settings: Settings | None) -> Path | None:
    """The project's content/ when there are settings (None: today's content/ here)."""
    if project_settings is not None and (project_settings.root / "content").is_dir():
        return project_settings.root / "content"
    return None


def build(paths: Iterable[Path | str] | Path | str | None = None,
          output: Path | str = DEFAULT_OUTPUT, build_options: BuildOptions | None = None, *,
          force: bool = False, jobs: int = 1,
          on_start: Callable[[int], None] | None = None,
          on_output: Callable[[Output], None] | None = None,
          on_sheet: Callable[[SheetOutcome], None] | None = None,
          site_url: str | None = None,
          warm: WarmPool | None = None,
          on_wait: Callable[[Path], None] | None = None,
          **option_values: Any) -> BuildResult:
    """Build the handouts of the sheets in `paths` (files or folders; default: content/) into
    `output`. Options are BuildOptions fields (only=("quiz",), versions=3, seed="42",
    paper="letter"…) or a BuildOptions. With fmt="web", the web edition around the PDFs
    (`site_url`: the address it will be published at, for the feed, sitemap and sharing). A
    sheet that fails is in `result.failures`; options that cannot work raise OptionsError.
    `warm` workers (watch) make a sheet's PDFs at the same time. `on_wait` hears of a wait
    (over 2 s) for another build's lock on `output`; the wait is at most the `wait` option."""
    if build_options is not None and option_values:
        raise OptionsError("give either a BuildOptions or option keywords, not both")
    chosen = build_options or options(**option_values)
    if format_of(chosen).publishes_site:
        from .batch.web import build_site

        return build_site(_paths(paths), Path(output), chosen, site_url=site_url, force=force,
                          jobs=jobs, on_start=on_start, on_output=on_output,
                          on_sheet=on_sheet, on_wait=on_wait)
    return run(_paths(paths), Path(output), chosen, force=force, jobs=jobs, on_start=on_start,
               on_output=on_output, on_sheet=on_sheet, warm=warm, on_wait=on_wait)


@dataclass
class SheetCheck:
    """What `check` found in one sheet: its errors (then it is invalid), or its warnings."""

    file: str
    errors: list[Problem] = field(default_factory=list)  # the first ones (errors.py)
    unlisted: int = 0  # how many more errors were found and not listed
    warnings: list[Problem] = field(default_factory=list)
    readability: str | None = None  # the easy-read text's score, in words
    smog: str | None = None  # the SMOG grades of the leaflet and the full analysis, in words
    letters: dict[str, int] = field(default_factory=dict)  # correct letter → count
    # each version's correct letters in printed order: {"A": ["C", "A", "B"…], …}
    version_letters: dict[str, list[str]] = field(default_factory=dict)

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
          versions: int = 1, seed: str = DEFAULT_SEED, paper: str | None = None) -> CheckReport:
    """Validate sheets without building them, with an editor's warnings; with `versions` > 1,
    also count the correct letters over that many quiz versions, and in each (with a warning
    when the quiz cannot spread them evenly). The leaflet's lines are
    measured on `paper`, or on every paper when None."""
    from .sheet.loader import load
    from .view.checks import (
        balance_warning,
        letter_distribution,
        readability_summary,
        smog_summary,
        version_letters,
    )
    from .view.checks import check as warnings_of

    validate({"strict": strict, "versions": versions, "seed": seed}
             | ({"paper": paper} if paper is not None else {}))
    files, missing = find_sheets(_paths(paths))
    report = CheckReport(missing=missing, strict=strict)
    for file in files:
        try:
            loaded = load(file)
        except SheetError as error:
            report.sheets.append(SheetCheck(display(file), errors=error.problems,
                                            unlisted=error.more))
            continue
        found = SheetCheck(loaded.shown, warnings=warnings_of(loaded, [paper] if paper else None),
                           readability=readability_summary(loaded),
                           smog=smog_summary(loaded))
        if versions > 1:
            found.letters = letter_distribution(loaded, versions, seed)
            found.version_letters = version_letters(loaded, versions, seed)
            found.warnings = sorted(found.warnings + balance_warning(loaded),
                                    key=lambda p: (p.line or 0, p.column or 0))
        report.sheets.append(found)
    return report


def init(folder: Path | str = ".", name: str | None = None, lang: str = "en") -> list[Path]:
    """Make a project in `folder`: handouts.toml (commented, every key shown), content/ with a
    starter sheet, an empty theme/ and a .gitignore for output/; never overwrites. Returns
    what was made."""
    from .project import init_project

    return init_project(Path(folder), name, lang)


def export_theme(name: str, project_settings: Settings | None = None,
                 folder: Path | str | None = None) -> Path:
    """Copy the built-in template or stylesheet `name` into the theme folder (of the settings,
    or `folder`), to start an override from; never overwrites."""
    from .project import export_theme_file

    return export_theme_file(name, project_settings, Path(folder) if folder else None)


def new(name: str, lang: str = "en", folder: Path | str = DEFAULT_CONTENT) -> Path:
    """Write a commented starter sheet FOLDER/NAME.yaml (never overwrites); its path. NAME
    may be the analysed document's title: the file is named after it, and the sheet holds
    it."""
    from .sheet.starter import new_sheet

    return new_sheet(name, lang, Path(folder))


def import_page(page: Path | str, target: Path | str | None = None, lang: str | None = None,
                folder: Path | str = DEFAULT_CONTENT) -> tuple[Path, ImportReport]:
    """Turn a published sheet (text copied from a browser, the page saved as HTML, or a page
    of the web edition) into a YAML sheet written to `target` (default: FOLDER/SLUG.yaml),
    never over a file; returns where it was written and the report of what could not be
    placed."""
    from .sheet.importer import read_page, write_new

    text, report, written = read_page(Path(page), lang, Path(target) if target else None,
                                      Path(folder))
    write_new(written, text)
    return written, report


def schema(settings_file: bool = False) -> dict[str, Any]:
    """The JSON Schema of the sheet format, or of handouts.toml with `settings_file`."""
    if settings_file:
        from .settings import json_schema as settings_schema

        return settings_schema()
    from .sheet.schema import json_schema

    return json_schema()


__all__ = ["BuildOptions", "BuildResult", "CheckReport", "HandoutsError", "SheetCheck",
           "build", "check", "export_theme", "init", "new", "options", "options_with", "schema",
           "settings"]
