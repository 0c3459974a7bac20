"""The Python API: what the `handouts` command does, as functions (the command is a thin layer
over these). Errors are handouts' own types (generator.errors), never Click's:

    from generator import api
    result = api.build(["content/my-sheet.yaml"], "output", versions=3, seed="42")
    for failure in result.failures: print(failure)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch.build import BuildResult
from .batch.build import build as run
from .batch.preview import PREVIEW_KINDS, Preview, Previewer
from .batch.rendering import Output, SheetOutcome
from .batch.sources import find_sheets
from .defaults import DEFAULT_MAX_BYTES
from .documents.formats import format_of
from .documents.writer import write_atomic
from .errors import HandoutsError, OptionsError, Problem, SheetError
from .options import DEFAULT_SEED, BuildOptions, validate
from .paths import ReadRefused, bounded_bytes, display
from .project import DEFAULT_OUTPUT as DEFAULT_OUTPUT
from .project import default_output as default_output
from .project import options as options
from .project import options_with as options_with
from .reviewing import (  # noqa: F401  (the API's: `handouts review`)
    MarksReport,
    RecordedReview,
    record_review,
    review_marks,
)
from .workshop import ResultsReport as ResultsReport  # the API's `handouts results`
from .workshop import ScanReport as ScanReport
from .workshop import results as results
from .workshop import scan as scan

if TYPE_CHECKING:
    from .batch.warm import WarmPool
    from .settings import Settings
    from .sheet.importer import ImportReport

DEFAULT_CONTENT = Path("content")


def _paths(paths: Iterable[Path | str] | Path | str | None) -> list[Path]:
    if paths is None:
        if not DEFAULT_CONTENT.is_dir():
            raise OptionsError("no sheet given and no content/ folder here: name a sheet "
                               "file or a folder of sheets, e.g. `handouts build my-sheet.yaml`")
        return [DEFAULT_CONTENT]
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(path) for path in paths] or _paths(None)




def settings(start: Path | str | None = None) -> Settings | None:
    """The project settings that apply in `start` (default: the current folder): the nearest
    handouts.toml there or above, read and checked (SettingsError), or None."""
    from .settings import load_found

    return load_found(Path(start) if start is not None else None)






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
    # what the sheet is (read when it is valid): for lists of sheets such as the studio's
    title: str | None = None
    lang: str | None = None
    date: str | None = None  # the sheet's date, YYYY-MM-DD
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
    # loaded first, as they read the locale files: a broken one is said before anything else
    from .view.checks import check as _checks  # noqa: F401
    validate({"strict": strict, "versions": versions, "seed": seed}
             | ({"paper": paper} if paper is not None else {}))
    files, missing = find_sheets(_paths(paths))
    report = CheckReport(missing=missing, strict=strict)
    for file in files:
        report.sheets.append(_check_one(file, None, versions, seed, paper))
    return report


def _check_one(file: Path, data: bytes | None, versions: int = 1,
               seed: str = DEFAULT_SEED, paper: str | None = None) -> SheetCheck:
    """`check` of one sheet: of its file, or of `data` as if the file held it; the leaflet's
    lines measured on `paper`, or on every paper when None."""
    from .sheet.loader import load
    from .view.checks import (
        balance_warning,
        letter_distribution,
        readability_summary,
        smog_summary,
        version_letters,
    )
    from .view.checks import check as warnings_of

    try:
        loaded = load(file, data=data)
    except SheetError as error:
        return SheetCheck(display(file), errors=error.problems, unlisted=error.more)
    found = SheetCheck(loaded.shown, warnings=warnings_of(loaded, [paper] if paper else None),
                       readability=readability_summary(loaded), smog=smog_summary(loaded),
                       title=loaded.sheet.title, lang=loaded.sheet.lang,
                       date=loaded.sheet.sheet.date.isoformat())
    if versions > 1:
        found.letters = letter_distribution(loaded, versions, seed)
        found.version_letters = version_letters(loaded, versions, seed)
        found.warnings = sorted(found.warnings + balance_warning(loaded),
                                key=lambda p: (p.line or 0, p.column or 0))
    return found


@dataclass
class OpenedSheet:
    """A sheet as the studio's editor opens it: its text, the SHA-256 of its bytes (to notice
    a change by another program at save), its data tree (None when the text cannot be read
    as YAML: then `check` says why) and what `check` says of it."""

    file: Path
    text: str
    digest: str
    data: Any
    check: SheetCheck


def _sheet_bytes(file: Path) -> bytes:
    """A sheet file's bytes, read as the loader reads them (bounded; no FIFO or device)."""
    try:
        return bounded_bytes(file, DEFAULT_MAX_BYTES, "a sheet file")
    except ReadRefused as refused:
        raise SheetError([Problem(display(file), None, None, "", refused.reason)]) from None


def open_sheet(file: Path | str) -> OpenedSheet:
    """Read a sheet for editing: text, digest, data tree and check (SheetError when the file
    cannot be read at all)."""
    from .sheet.roundtrip import NotWritten, data_of, digest

    file = Path(file)
    raw = _sheet_bytes(file)
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        data = data_of(text, display(file))
    except NotWritten:
        data = None
    return OpenedSheet(file, text, digest(raw), data, _check_one(file, raw))


def check_data(file: Path | str, data: Any) -> SheetCheck:
    """`check` of a sheet as it would be saved with `data` (its file untouched): the same
    messages as the command, at the lines the saved file would have."""
    file = Path(file)
    try:
        text = edited_sheet(file, data).text
    except HandoutsError as error:
        return SheetCheck(display(file), errors=[Problem(display(file), None, None, "",
                                                         str(error))])
    return _check_one(file, text.encode("utf-8"))


@dataclass
class EditedSheet:
    """A sheet as the studio's form holds it, written as `save_sheet` would write it (its
    lines and columns are the saved file's), and the file's text as it is now."""

    text: str
    saved: str

    def new_places(self) -> dict[tuple[int, int], tuple[str | int, ...]]:
        """The places (line, column) in `text` of the fields the file does not hold yet, each
        with its field's path, e.g. ('quiz', 2, 'choices')."""
        from .sheet.roundtrip import new_places

        return new_places(self.saved, self.text)


def edited_sheet(file: Path | str, data: Any) -> EditedSheet:
    """`data` written into the sheet file's text as `save_sheet` would, the file untouched
    (SheetError or NotWritten, with its message, when that text cannot be made)."""
    from .sheet.roundtrip import NotWritten, saved_text

    file = Path(file)
    shown = display(file)
    raw = _sheet_bytes(file)
    try:
        text = saved_text(raw, data, shown=shown)
        before = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise NotWritten(f"{shown}: the file is not UTF-8 text; the studio does not write "
                         "over it") from None
    return EditedSheet(text, before)


def save_sheet(file: Path | str, data: Any, seen: str | None, *,
               overwrite: bool = False) -> str:
    """Write `data` into the sheet file, keeping its comments, order and quoting where the
    values did not change, atomically; the new digest. `seen` is the digest the editor
    loaded: if the file changed since, SheetChanged, unless `overwrite` (the author chose to
    keep the studio's version). An invalid sheet is saved too (check says what is wrong)."""
    from .sheet.roundtrip import NotWritten, SheetChanged, apply_bytes, digest

    file = Path(file)
    shown = display(file)
    raw = _sheet_bytes(file) if file.exists() else b""
    if not overwrite and digest(raw) != seen:
        raise SheetChanged(f"{shown} was changed by another program since the studio opened "
                           "it: reload it (your changes here are lost), or keep your version "
                           "(the other change is lost)")
    try:  # its byte order mark and line ends kept
        encoded = apply_bytes(raw, data, shown=shown)
    except UnicodeDecodeError:
        raise NotWritten(f"{shown}: the file is not UTF-8 text; the studio does not write "
                         "over it") from None
    write_atomic(file, encoded)
    return digest(encoded)


def sheet_files(folder: Path | str) -> list[Path]:
    """The sheet files of a folder, as `build` and `check` find them (not recursively)."""
    return find_sheets([Path(folder)])[0]


def save_settings(folder: Path | str, text: str) -> Settings:
    """Write FOLDER/handouts.toml as `text` once the settings checker accepts it (else a
    SettingsError at the fields, and nothing written); atomically: a reader sees the old file
    or the new one, never half of one."""
    from .settings import FILE_NAME, SettingsError, load

    target = Path(folder) / FILE_NAME

    def checked(temporary: Path) -> None:  # read beside the file: its paths are the same
        try:
            load(temporary)
        except SettingsError as error:
            raise SettingsError([replace(problem, file=display(target))
                                 for problem in error.problems], error.more) from None

    write_atomic(target, text.encode("utf-8"), check=checked)
    return load(target)


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


def new(name: str, lang: str = "en", folder: Path | str = DEFAULT_CONTENT, *,
        project: Path | str | None = None) -> Path:
    """Write a commented starter sheet FOLDER/NAME.yaml (never overwrites); its path. NAME
    may be the analysed document's title: the file is named after it, and the sheet holds
    it. With `project`, the commands in its comment name the file from there."""
    from .sheet.starter import new_sheet

    return new_sheet(name, lang, Path(folder), project=Path(project) if project else None)


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


def translate_export(sheet: Path | str, lang: str, target: Path | str | None = None,
                     translation: Path | str | None = None) -> Path:
    """Write the PO file for translating `sheet` into `lang` (default: SHEET-LANG.po beside
    it); when the translated sheet exists (`translation`, default SHEET-LANG.yaml), its texts
    fill the units and those whose source changed since are fuzzy. Returns the PO file."""
    from .sheet.loader import load
    from .sheet.translation import export_po

    source_file = Path(sheet)
    source = load(source_file)
    po_file = Path(target) if target else _beside(source_file, lang, ".po")
    done_file = Path(translation) if translation else _beside(source_file, lang, ".yaml")
    done = load(done_file) if done_file.is_file() else None
    name = Path(os.path.relpath(source_file.resolve(), po_file.resolve().parent)).as_posix()
    write_atomic(po_file, export_po(source, lang, name, done).encode("utf-8"))
    return po_file


def translate_import(po: Path | str, target: Path | str | None = None,
                     source: Path | str | None = None) -> Path:
    """Write the translated sheet from a PO file (default: SOURCE-LANG.yaml beside the source
    the PO file names), keeping the comments of an existing translation; all or nothing."""
    from .sheet.loader import load
    from .sheet.model import LANGUAGES
    from .sheet.roundtrip import apply
    from .sheet.translation import SOURCE_HEADER, TranslationError, read_po, translated_data

    po_file = Path(po)
    po_text = _text_of(po_file, "a PO file")
    header = read_po(po_text, display(po_file)).metadata
    source_file = Path(source) if source else po_file.parent / header.get(SOURCE_HEADER, "")
    if not source_file.is_file():
        raise TranslationError(f"{display(po_file)}: its source sheet {display(source_file)} "
                               "is not there: give it with --source SHEET")
    source_sheet = load(source_file)
    lang = header.get("Language", "").split("_")[0].split("-")[0].lower()
    target_file = Path(target) if target else _beside(source_file, lang, ".yaml")
    existing = load(target_file) if target_file.is_file() else None
    if existing is not None and (existing.sheet.translation_of is None or (
            target_file.parent / existing.sheet.translation_of.sheet).resolve()
            != source_file.resolve()):
        raise TranslationError(f"{display(target_file)} is not a translation of "
                               f"{display(source_file)}: it is left as it is; choose another "
                               "file with -o")
    data = translated_data(po_text, display(po_file), source_sheet, target_file, source_file,
                           LANGUAGES, existing)
    base = target_file.read_text(encoding="utf-8-sig") if existing else \
        source_file.read_text(encoding="utf-8-sig")
    text = apply(base, data, shown=display(target_file))
    load(target_file, data=text.encode("utf-8"))  # a sheet that would not load is not written
    write_atomic(target_file, text.encode("utf-8"))
    return target_file


def _beside(sheet: Path, lang: str, suffix: str) -> Path:
    return sheet.with_name(f"{sheet.stem}-{lang}{suffix}")


def _text_of(file: Path, what: str) -> str:
    try:
        return bounded_bytes(file, DEFAULT_MAX_BYTES, what).decode("utf-8-sig")
    except ReadRefused as refused:
        raise HandoutsError(f"{display(file)}: {refused.reason}") from None
    except UnicodeDecodeError:
        raise HandoutsError(f"{display(file)}: the file is not UTF-8 text: save it as "
                            "UTF-8 (Poedit and Weblate do)") from None


def previewer(workers: int = 2) -> Previewer:
    """A preview service (the studio's): warm PDF workers, started now, and the last previews
    of each sheet; `close()` it when done (or use it in a `with` block)."""
    return Previewer(workers).start()


def preview(sheet: Path | str, data: bytes | None = None,
            kinds: Iterable[str] | None = None, *, service: Previewer | None = None,
            build_options: BuildOptions | None = None) -> Preview:
    """A sheet's handouts as the studio previews them (PDF bytes and each page as a PNG), from
    `data` (the text in the editor, saved or not; default: the file as saved), the project's
    settings and theme in `build_options` (see `options_with`). An invalid sheet gives its
    `check` messages in `problems`, and no handout. `kinds`: some of full-analysis, easy-read,
    quiz, answer-key (default: the four). With a `service`, only the handouts an edit changed
    are made again, on its warm workers; without, one is started for this call."""
    file = Path(sheet)
    chosen = build_options or BuildOptions()
    if data is None:
        try:
            data = bounded_bytes(file, chosen.max_bytes, "a sheet file")
        except ReadRefused as refused:
            raise SheetError([Problem(display(file), None, None, "", refused.reason)]) from None
    wanted = tuple(kinds) if kinds is not None else PREVIEW_KINDS
    if service is not None:
        return service.preview(file, data, chosen, wanted)
    with Previewer(1) as once:
        return once.preview(file, data, chosen, wanted)


def web_preview(sheet: Path | str, data: bytes,
                build_options: BuildOptions | None = None) -> tuple[str, dict[str, bytes]]:
    """A sheet's web edition as the studio previews it, from `data` (the text in the editor):
    its slug and the site's files by path (`SLUG/index.html`…), in memory. An invalid sheet
    raises SheetError with `check`'s messages."""
    from .batch.webpreview import web_pages

    return web_pages(Path(sheet), data, build_options or BuildOptions())


def schema(settings_file: bool = False) -> dict[str, Any]:
    """The JSON Schema of the sheet format, or of handouts.toml with `settings_file`."""
    if settings_file:
        from .settings import json_schema as settings_schema

        return settings_schema()
    from .sheet.schema import json_schema

    return json_schema()


__all__ = ["BuildOptions", "BuildResult", "CheckReport", "HandoutsError", "OpenedSheet",
           "SheetCheck", "build", "check", "check_data", "edited_sheet", "export_theme", "init",
           "new", "open_sheet", "options", "options_with", "preview", "previewer", "save_sheet",
           "scan", "schema", "settings"]

