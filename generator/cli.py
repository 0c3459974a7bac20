"""The `handouts` command. Thin: it parses options, calls the Python API (api.py), prints what
happened, and maps handouts' errors to messages and exit codes in one place (`Handouts`)."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .clioptions import click_option, table_options, typed_options
from .defaults import PAPER_SIZES
from .errors import HandoutsError, Interrupted, SheetError, UnexpectedError, more_problems
from .options import option
from .paths import display, printable_name

if TYPE_CHECKING:  # pragma: no cover
    from click._termui_impl import ProgressBar

    from .batch.rendering import Output
    from .batch.warm import WarmPool
    from .options import BuildOptions
    from .settings import Settings

    _StrChoice = click.Choice[str]
else:  # click.Choice is generic (subscriptable) only from click 8.2; 8.1 is in our range
    _StrChoice = click.Choice

_Command = TypeVar("_Command", bound=Callable[..., Any])  # a command function, decorated

PROGRESS_BAR_FROM = 3  # sheets to build: about a second each, so a bar beyond a few seconds


class _Languages(_StrChoice):
    """The language codes of the locale files, listed when the command line needs them (a
    locale folder that is wrong is then reported as our own error, not at import)."""

    def __init__(self) -> None:
        super().__init__([])

    @property
    def choices(self) -> tuple[str, ...]:
        from .sheet.locales import codes

        return codes()

    @choices.setter
    def choices(self, value: object) -> None:
        pass



def exit_code(error: HandoutsError) -> int:
    """1 for everything a user can fix; 128 + the signal for a stopped build, as shells do."""
    if isinstance(error, Interrupted):
        return 128 + error.signal_number
    return 1


def show_error(error: HandoutsError) -> None:
    echo(f"error: {error}", err=True)


# Control characters (C0 but tab and newline, DEL, C1) and the bidirectional overrides: a
# sheet's text, field names or file names must not move the cursor, retitle the window,
# clear the screen or reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f"
                          "\u202a-\u202e\u2066-\u2069]")


def sanitize(text: str) -> str:
    """`text` safe to print on a terminal: unprintable characters shown as escapes."""
    return _UNPRINTABLE.sub(lambda match: ascii(match.group())[1:-1], text)


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Every line the command prints goes through here, sanitised."""
    click.echo(sanitize(message), err=err, nl=nl)


# What Click raises to end a command on purpose (they are RuntimeErrors too): not bugs.
_CLICK_ENDINGS = (click.exceptions.Exit, click.exceptions.Abort, click.ClickException)


class Handouts(click.Group):
    """The one place where handouts' errors become a message and an exit code (usage mistakes
    stay Click's: exit code 2). Any other exception, in any command, is a bug in handouts:
    one line that says so and names the file its traceback was saved to, exit code 1 (as a
    sheet's bug in `build`) — never a bare traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HandoutsError as error:
            show_error(error)
            ctx.exit(exit_code(error))
        except KeyboardInterrupt:  # before or after a build's own handling of Ctrl+C
            stopped = Interrupted("stopped by Ctrl+C")
            show_error(stopped)
            ctx.exit(exit_code(stopped))
        except _CLICK_ENDINGS:
            raise
        except Exception as error:
            if isinstance(error, OSError) and error.errno == errno.EPIPE:
                raise  # the reader went away (`| head`): Click ends quietly
            bug = UnexpectedError(error, " ".join(["handouts", *map(shlex.quote,
                                                                    sys.argv[1:])]))
            show_error(bug)
            ctx.exit(exit_code(bug))


@click.group(cls=Handouts, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handouts")
def cli() -> None:
    """Turn resource analysis sheets (YAML) into print-ready PDF handouts."""


def build_options(command: _Command) -> _Command:
    """The options `build` and `watch` share, in the order --help shows them: the output
    folder, then the option table's (options.OPTIONS)."""
    command = table_options("build")(command)
    return click.option("-o", "--output", "output_dir", default=Path(option("output").default),
                        show_default=True, type=click.Path(path_type=Path),
                        help="Folder the handouts are written to.")(command)


def scan_options(command: _Command) -> _Command:
    """The options the answer sheets were printed with: their editions depend on them."""
    for name in ("pre_post", "seed", "versions"):
        spec = option(name)
        command = click_option(spec, spec.help)(command)
    return command


def _settings() -> Settings | None:
    """handouts.toml of the current folder or a parent, checked; None without one."""
    from .settings import load_found

    return load_found()


def _where(paths: tuple[Path, ...], output_dir: Path,
           settings: Settings | None) -> tuple[list[Path] | None, Path]:
    """The sheets and the output folder: typed, else the project's, else today's defaults."""
    from .api import default_content, default_output

    context = click.get_current_context()
    if context.get_parameter_source("output_dir") is click.core.ParameterSource.DEFAULT:
        output_dir = _near(default_output(settings))
    content = default_content(settings)
    return list(paths) or ([_near(content)] if content else None), output_dir


def _near(path: Path) -> Path:
    """A project path as typed from here (relative when below the current folder)."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else Path(relative)


def _build_and_report(paths: list[Path] | None, output_dir: Path, options: BuildOptions, *,
                      force: bool = False, jobs: int = 1, site_url: str | None = None,
                      warm: WarmPool | None = None) -> bool:
    """Run a build, print what it did (lines, or a progress bar on a terminal for a batch),
    then a summary; True when every sheet was built."""
    from .api import build as run_build

    def line(output: Output) -> None:
        pages = f" ({output.pages} page{'s' if output.pages != 1 else ''})" if output.pages else ""
        echo(f"wrote {printable_name(str(output.path))}{pages}")

    with contextlib.ExitStack() as stack:
        bar: ProgressBar[int] | None = None

        def start(sheets_to_build: int) -> None:
            nonlocal bar
            if sys.stdout.isatty() and sheets_to_build > PROGRESS_BAR_FROM:
                bar = stack.enter_context(click.progressbar(
                    length=sheets_to_build, label="building", show_pos=True))

        result = run_build(paths, output_dir, options, force=force, jobs=jobs, warm=warm,
                           on_start=start, on_wait=_say_waiting,
                           on_output=lambda output: None if bar else line(output),
                           on_sheet=lambda outcome: bar.update(1) if bar else None,
                           site_url=site_url)
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    for failure in [*result.failures, *result.record_failures]:
        show_error(failure)
    written, unchanged, failed = len(result.written), len(result.unchanged), len(result.failures)
    parts = [f"{written} file{'s' if written != 1 else ''} written"]
    if unchanged:
        parts.append(f"{unchanged} unchanged (--force rebuilds them)")
    if failed:
        parts.append(f"{failed} sheet{'s' if failed != 1 else ''} failed, "
                     f"{'their' if failed != 1 else 'its'} earlier handouts kept as they were")
    echo(", ".join(parts) + ".", err=not result.ok)
    return result.ok


def _say_waiting(folder: Path) -> None:
    echo(f"waiting for the build in progress in {folder}… (another handouts build holds its "
         "lock)", err=True)


site_url_option = click.option(
    "--site-url", callback=lambda ctx, param, value: _site_url(value), metavar="URL",
    help="With --format web: the address the site will have, for its Atom feed, sitemap and "
    "sharing links.")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@build_options
@click.option("--force", is_flag=True, help="Rebuild even the outputs whose inputs did not "
              "change.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Sheets built at once, each in its own process. Default: one per core.")
@site_url_option
def build(paths: tuple[Path, ...], output_dir: Path, force: bool, jobs: int | None,
          site_url: str | None, **choices: Any) -> None:
    """Build the handouts of the sheets in PATHS (files or folders; default: content/).

    For a sheet with slug S, writes DIR/S/S-full-analysis.pdf, S-easy-read.pdf, S-quiz.pdf
    and S-answer-key.pdf. Outputs whose inputs did not change are skipped.
    """
    from .batch.build import default_jobs

    settings = _settings()
    found, output_dir = _where(paths, output_dir, settings)
    ok = _build_and_report(found, output_dir, typed_options(choices, settings),
                           force=force, jobs=jobs or default_jobs(), site_url=site_url)
    if not ok:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@build_options
@site_url_option
def watch(paths: tuple[Path, ...], output_dir: Path, site_url: str | None,
          **choices: Any) -> None:
    """Build PATHS, then rebuild what changes each time a sheet, a pictogram, a template, a
    style, handouts.toml or a theme file is saved. Stop with Ctrl+C."""
    from .api import _paths
    from .batch.watch import warm_workers, watch_and_build

    settings = _settings()
    typed, output_dir = _where(paths, output_dir, settings)
    found = _paths(typed)
    typed_options(choices, settings).planned()  # said once, before watching
    context = click.get_current_context()

    def rebuild() -> bool:
        """The settings are read again at each change: a broken save is reported, and the
        watch goes on."""
        try:
            with context.scope():
                options = typed_options(choices, _settings())
        except HandoutsError as error:
            show_error(error)
            return False
        return _build_and_report(found, output_dir, options, warm=warm, site_url=site_url)

    with warm_workers() as warm:
        watch_and_build(found, output_dir, rebuild,
                        extra=settings.watched if settings else ())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@table_options("check")
@click.option("--paper", type=click.Choice(list(PAPER_SIZES)), default=None,
              help="Measure the easy-read leaflet's lines on this paper only (default: on "
              "every paper: a4, letter and a5, the booklet's).")
def check(paths: tuple[Path, ...], strict: bool, versions: int, seed: str,
          paper: str | None) -> None:
    """Check sheets without building them: errors, then an editor's warnings.

    Every message reads FILE:LINE:COLUMN: field: what is wrong and how to fix it.
    """
    from .api import check as run_checks

    _settings()  # a broken handouts.toml is said here too
    report = run_checks(list(paths) or None, strict=strict, versions=versions, seed=seed,
                        paper=paper)
    for problem in report.missing:
        echo(str(problem), err=True)
    for sheet in report.sheets:
        if not sheet.valid:
            for problem in sheet.errors:
                echo(str(problem))
            if sheet.unlisted:
                echo(f"{sheet.file}: {more_problems(sheet.unlisted)}")
            count = len(sheet.errors) + sheet.unlisted
            echo(f"{sheet.file}: invalid, {count:,} problem{'s' if count > 1 else ''}")
            continue
        for warning in sheet.warnings:
            echo(str(warning))
        summary = f"{sheet.file}: valid"
        if sheet.warnings:
            count = len(sheet.warnings)
            summary += f", {count} warning{'s' if count > 1 else ''}"
        notes = [f"easy-read: {sheet.readability}"] if sheet.readability else []
        notes += [sheet.smog] if sheet.smog else []
        if notes:
            summary += f" ({'; '.join(notes)})"
        echo(summary)
        if sheet.letters:
            listed = ", ".join(f"{letter} {count}" for letter, count in sheet.letters.items())
            echo(f"{sheet.file}: correct letters over {versions} versions (seed {seed}): "
                 f"{listed}")
            for version, letters in sheet.version_letters.items():
                counts = ", ".join(f"{letter} {letters.count(letter)}"
                                   for letter in sorted(set(letters)))
                echo(f"{sheet.file}: version {version}: {counts}; in order {' '.join(letters)}")
    if not report.ok:
        raise HandoutsError("some sheets need fixing" + (" (--strict: warnings count)"
                                                         if strict else ""))


@cli.command()
@click.argument("sheet", type=click.Path(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path),
              default=Path("responses.csv"), show_default=True,
              help="The responses table to write (CSV), as `handouts results` reads it.")
@click.option("--review", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Also DIR/review.html: each doubtful answer's boxes as scanned, and what "
              "was read.")
@scan_options
def scan(sheet: Path, files: tuple[Path, ...], output: Path, review: Path | None,
         **choices: Any) -> None:
    """Read marked answer sheets (scanner PDFs, PNG or JPEG pictures, phone photos) into a
    responses table.

    Give the sheet and the options the answer sheets were printed with (--versions, --seed,
    --pre-post; handouts.toml's by default). A page that cannot be read is one line, with its
    file and page; the other pages are read.
    """
    from .api import scan as read_scans

    options = typed_options(choices, _settings())

    def heard(where: str, problem: str | None) -> None:
        if problem is not None:
            echo(f"{where}: {problem}", err=True)

    report = read_scans(sheet, list(files), output, options, review=review, on_page=heard)
    flagged = (f", {report.doubtful} answer{'s' if report.doubtful != 1 else ''} to look at "
               "(column doubtful)" if report.doubtful else "")
    echo(f"{report.pages} page{'s' if report.pages != 1 else ''} read into {report.rows} "
         f"row{'s' if report.rows != 1 else ''}{flagged}.")
    for file in report.written:
        echo(f"wrote {display(file)}")
    if report.problems:
        count = len(report.problems)
        raise HandoutsError(f"{count} page{'s' if count > 1 else ''} or file"
                            f"{'s' if count > 1 else ''} could not be read (see above); the "
                            "others are in the table")


@cli.command()
@click.argument("name")
@click.option("--lang", type=_Languages(), default="en", show_default=True,
              help="The sheet's language: one of the locale files found (default: "
              "handouts.toml's [build] language).")
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=Path("content"),
              show_default=True, help="Folder to write the sheet into.")
def new(name: str, lang: str, folder: Path) -> None:
    """Write a commented starter sheet FOLDER/NAME.yaml (never overwrites). NAME is the
    sheet's name (lowercase letters, digits and hyphens, like screens-and-sleep), or the
    analysed document's title in quotes: the name is made from it, and the title written
    in the sheet."""
    from .api import new as new_sheet

    settings = _settings()
    context = click.get_current_context()
    if settings is not None and settings.get("build", "language") and \
            context.get_parameter_source("lang") is click.core.ParameterSource.DEFAULT:
        lang = settings.get("build", "language")
    target = new_sheet(name, lang, folder)
    named = "" if target.stem == name else ", named after the title it holds"
    shown = printable_name(str(target))
    echo(f"wrote {shown}{named}: fill it in, then `handouts check {shown}`")


@cli.command(name="import")
@click.argument("page", type=click.Path(path_type=Path))
@click.option("-o", "--output", "target", type=click.Path(path_type=Path), default=None,
              help="Sheet to write. Default: content/SLUG.yaml, SLUG made from the title.")
@click.option("--lang", type=_Languages(), default=None,
              help="Language of the page, one of the locale files found (its [import] words "
              "read the page). Default: found from its headings.")
def import_(page: Path, target: Path | None, lang: str | None) -> None:
    """Turn a published sheet PAGE (text copied from a browser, or the page saved as HTML)
    into a YAML sheet, and report what could not be placed (never overwrites)."""
    from .api import import_page
    from .sheet.loader import load

    target, report = import_page(page, target, lang)
    for line in report.lines(display(page), display(target)):
        echo(line)
    try:
        load(target)
    except SheetError as error:
        count = error.count
        echo(f"{display(target)} does not pass `handouts check` yet: {count:,} "
                   f"problem{'s' if count > 1 else ''} to fix:", err=True)
        for problem in error.problems:
            echo(f"  {problem}", err=True)
        if error.more:
            echo(f"  {more_problems(error.more)}", err=True)
        sys.exit(1)
    echo(f"{display(target)} passes `handouts check`.")


@cli.command()
@click.option("--settings", "settings_file", is_flag=True,
              help="The schema of handouts.toml instead of the sheet format's.")
def schema(settings_file: bool) -> None:
    """Print the JSON Schema of the sheet format (for editors and other tools)."""
    if settings_file:
        from .settings import schema_text as settings_schema_text

        echo(settings_schema_text(), nl=False)
        return
    from .sheet.schema import schema_text

    echo(schema_text(), nl=False)


def _site_url(value: str | None) -> str | None:
    if value is None:
        return None
    from .batch.web import normalise_site_url

    try:
        return normalise_site_url(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path), default=Path("."))
@click.option("--name", default=None, help="The organisation's name (default: the folder's).")
@click.option("--lang", type=_Languages(), default="en", show_default=True,
              help="Language of the starter sheet and of new sheets.")
def init(folder: Path, name: str | None, lang: str) -> None:
    """Make a project in FOLDER (default: here): handouts.toml, content/ with a starter
    sheet, an empty theme/ and a .gitignore for output/ (never overwrites)."""
    from .api import init as make_project

    for path in make_project(folder, name, lang):
        echo(f"made {printable_name(str(path))}{'/' if path.is_dir() else ''}")
    echo(f"next: fill in {printable_name(str(folder / 'handouts.toml'))} (your organisation), "
         "then `handouts build`")


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port of the studio's address (on 127.0.0.1 only).")
@click.option("--no-browser", is_flag=True, help="Do not open the studio in a browser.")
def serve(folder: Path | None, port: int, no_browser: bool) -> None:
    """Open the studio: a local web editor of the sheets of the project in FOLDER (default:
    the project found here or above, as `build` finds it), with their handouts beside them.
    Listens on 127.0.0.1 only. Stop it with Ctrl+C."""
    import webbrowser

    from .studio.server import listen
    from .studio.server import serve as run

    project = _project_folder(folder)
    sock = listen(port)
    address = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    echo(f"the studio of {printable_name(str(project))} is at {address} (Ctrl+C stops it)")
    if not no_browser:
        webbrowser.open(address)
    run(project, sock)
    echo("studio stopped")


def _project_folder(folder: Path | None) -> Path:
    """FOLDER, else the folder of the handouts.toml found here or above (as `build` finds
    it; not checked here: the studio's settings page says what is wrong with it), else
    here."""
    from .settings import find

    if folder is not None:
        if not folder.is_dir():
            raise HandoutsError(f"{printable_name(str(folder))} is not a folder: name your "
                                "project's folder (the one with handouts.toml or content/)")
        return folder.resolve()
    found = find()
    return found.resolve().parent if found is not None and found.is_file() else Path.cwd()


@cli.group()
def theme() -> None:
    """The theme folder: templates and stylesheets that replace or add to the built-in
    ones."""


@theme.command(name="export")
@click.argument("name")
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=None,
              help="Folder to copy into (default: the project's theme folder).")
def theme_export(name: str, folder: Path | None) -> None:
    """Copy the built-in template or stylesheet NAME (e.g. quiz.html, base.css) into the
    theme folder, to change it there (never overwrites)."""
    from .api import export_theme

    target = export_theme(name, None if folder else _settings(), folder)
    echo(f"wrote {printable_name(str(target))}: edit it; handouts uses it instead of the "
         f"built-in {name}")


def main() -> None:
    cli()
