"""The `handouts` command. Thin: it parses options and calls the Python API in build.py."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from . import __version__
from .kinds import KINDS
from .options import DEFAULT_MAX_BYTES, DEFAULT_SEED, DEFAULT_TIME_LIMIT, PDF_VARIANTS

DEFAULT_CONTENT = Path("content")
PROGRESS_BAR_FROM = 3  # sheets to build: about a second each, so a bar beyond a few seconds


def _kind_names(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in KINDS]
    if unknown:
        raise click.BadParameter(
            f"unknown handout kind {', '.join(unknown)}; choose among {', '.join(KINDS)}"
        )
    return names


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handouts")
def cli() -> None:
    """Turn resource analysis sheets (YAML) into print-ready PDF handouts."""


def build_options(command):
    """The options `build` and `watch` share, in the order --help shows them."""
    options = [
        click.option("-o", "--output", "output_dir", default=Path("output"), show_default=True,
                     type=click.Path(path_type=Path), help="Folder the handouts are written to."),
        click.option("--only", multiple=True, callback=_kind_names, metavar="KINDS",
                     help=f"Only these handouts, comma-separated: {', '.join(KINDS)}."),
        click.option("--format", "fmt", type=click.Choice(["pdf", "html", "web"]),
                     default="pdf", show_default=True,
                     help="html writes the exact HTML that becomes the PDF; web, a static site "
                     "with the PDFs (see --site-url)."),
        click.option("--paper", type=click.Choice(["a4", "letter", "a5"]), default="a4",
                     show_default=True),
        click.option("--print-shop", is_flag=True, help="Add 3 mm bleed and crop marks."),
        click.option("--pdf-variant", type=click.Choice([*PDF_VARIANTS, "none"]),
                     default="pdf/ua-1", show_default=True,
                     help="Tagged PDF/UA by default; pdf/a-3u to archive; none for a plain, "
                     "untagged PDF."),
        click.option("--strict", is_flag=True,
                     help="Fail a sheet (write nothing for it) when the PDF engine warns."),
        click.option("--time-limit", type=click.FloatRange(min=1), default=DEFAULT_TIME_LIMIT,
                     show_default=True, metavar="SECONDS",
                     help="Longest time one document may take to render."),
        click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
                     show_default=True, metavar="BYTES", help="Largest sheet file accepted."),
        click.option("--versions", type=click.IntRange(1, 26), default=1, show_default=True,
                     help="Quiz versions A, B…, questions and choices shuffled from --seed; "
                     "with a marking grid and a CSV of the keys."),
        click.option("--seed", default=DEFAULT_SEED, show_default=True,
                     help="Draws the versions' orders: same seed, same versions."),
        click.option("--answer-sheet", is_flag=True,
                     help="Also a separate answer sheet (a box per question and letter)."),
        click.option("--pre-post", is_flag=True,
                     help="The quiz twice, labelled Before and After, with a tally sheet."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _options(only, fmt, paper, print_shop, pdf_variant, strict, time_limit, max_size,
             versions, seed, answer_sheet, pre_post):
    from .options import BuildOptions

    return BuildOptions(only=tuple(only), fmt=fmt, paper=paper, print_shop=print_shop,
                        pdf_variant=None if pdf_variant == "none" else pdf_variant,
                        strict=strict, time_limit=time_limit, max_bytes=max_size,
                        versions=versions, seed=seed, answer_sheet=answer_sheet,
                        pre_post=pre_post)


def _build_and_report(paths: list[Path], output_dir: Path, options, *, force: bool = False,
                      jobs: int = 1, site_url: str | None = None) -> bool:
    """Run a build, print what it did (lines, or a progress bar on a terminal for a batch),
    then a summary; True when every sheet was built."""
    from .build import build as run_build

    if options.fmt == "web":  # the web edition: the PDFs, then the site around them
        from functools import partial

        from .web import build_site
        run_build = partial(build_site, site_url=site_url)

    def line(output) -> None:
        pages = f" ({output.pages} page{'s' if output.pages != 1 else ''})" if output.pages else ""
        click.echo(f"wrote {output.path}{pages}")

    with contextlib.ExitStack() as stack:
        bar = None

        def start(sheets_to_build: int) -> None:
            nonlocal bar
            if sys.stdout.isatty() and sheets_to_build > PROGRESS_BAR_FROM:
                bar = stack.enter_context(click.progressbar(
                    length=sheets_to_build, label="building", show_pos=True))

        result = run_build(paths, output_dir, options, force=force, jobs=jobs,
                           on_start=start,
                           on_output=lambda output: None if bar else line(output),
                           on_sheet=lambda outcome: bar.update(1) if bar else None)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for failure in result.failures:
        failure.show()
    written, unchanged, failed = len(result.written), len(result.unchanged), len(result.failures)
    parts = [f"{written} file{'s' if written != 1 else ''} written"]
    if unchanged:
        parts.append(f"{unchanged} unchanged (--force rebuilds them)")
    if failed:
        parts.append(f"{failed} sheet{'s' if failed != 1 else ''} failed, "
                     f"{'their' if failed != 1 else 'its'} earlier handouts kept as they were")
    click.echo(", ".join(parts) + ".", err=bool(failed))
    return not failed


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@build_options
@click.option("--force", is_flag=True, help="Rebuild even the outputs whose inputs did not "
              "change.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Sheets built at once, each in its own process. Default: one per core.")
@click.option("--site-url", callback=lambda ctx, param, value: _site_url(value),
              metavar="URL", help="With --format web: the address the site will have, for "
              "its Atom feed, sitemap and sharing links.")
def build(paths: tuple[Path, ...], output_dir: Path, force: bool, jobs: int | None,
          site_url: str | None, **choices) -> None:
    """Build the handouts of the sheets in PATHS (files or folders; default: content/).

    For a sheet with slug S, writes DIR/S/S-full-analysis.pdf, S-easy-read.pdf, S-quiz.pdf
    and S-answer-key.pdf. Outputs whose inputs did not change are skipped.
    """
    from .build import default_jobs

    ok = _build_and_report(list(paths or (_default_content(),)), output_dir,
                           _options(**choices), force=force, jobs=jobs or default_jobs(),
                           site_url=site_url)
    if not ok:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@build_options
def watch(paths: tuple[Path, ...], output_dir: Path, **choices) -> None:
    """Build PATHS, then rebuild what changes each time a sheet, a pictogram, a template or a
    style is saved. Stop with Ctrl+C."""
    from .watch import watch_and_build

    paths = paths or (_default_content(),)
    options = _options(**choices)
    watch_and_build(list(paths), output_dir,
                    lambda: _build_and_report(list(paths), output_dir, options))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit code 1).")
@click.option("--versions", type=click.IntRange(1, 26), default=1,
              help="Also report how often each letter is correct over this many versions.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True)
def check(paths: tuple[Path, ...], strict: bool, versions: int, seed: str) -> None:
    """Check sheets without building them: errors, then an editor's warnings.

    Every message reads FILE:LINE:COLUMN: field: what is wrong and how to fix it.
    """
    from .checks import check as run_checks
    from .checks import letter_distribution, readability_summary
    from .errors import HandoutsError, SheetError
    from .loader import load
    from .sources import find_sheets

    files, missing = find_sheets(list(paths) or [_default_content()])
    failed = bool(missing)
    for problem in missing:
        click.echo(str(problem), err=True)
    for file in files:
        try:
            loaded = load(file)
        except SheetError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem))
            count = len(error.problems)
            click.echo(f"{error.problems[0].file}: invalid, {count} "
                       f"problem{'s' if count > 1 else ''}")
            continue
        warnings = run_checks(loaded)
        for warning in warnings:
            click.echo(str(warning))
        score = readability_summary(loaded)
        summary = f"{loaded.shown}: valid"
        if warnings:
            summary += f", {len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
            failed = failed or strict
        if score:
            summary += f" (easy-read: {score})"
        click.echo(summary)
        if versions > 1:
            counts = letter_distribution(loaded, versions, seed)
            listed = ", ".join(f"{letter} {count}" for letter, count in counts.items())
            click.echo(f"{loaded.shown}: correct letters over {versions} versions (seed "
                       f"{seed}): {listed}")
    if failed:
        raise HandoutsError("some sheets need fixing" + (" (--strict: warnings count)"
                                                         if strict else ""))


@cli.command()
@click.argument("slug")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=Path("content"),
              show_default=True, help="Folder to write SLUG.yaml into.")
def new(slug: str, lang: str, folder: Path) -> None:
    """Write a commented starter sheet FOLDER/SLUG.yaml (never overwrites)."""
    from .starter import new_sheet

    target = new_sheet(slug, lang, folder)
    click.echo(f"wrote {target}: fill it in, then `handouts check {target}`")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the sheet format (for editors and other tools)."""
    from .schema import schema_text

    click.echo(schema_text(), nl=False)


def _site_url(value: str | None) -> str | None:
    if value is None:
        return None
    from .web import normalise_site_url

    try:
        return normalise_site_url(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _default_content() -> Path:
    from .errors import HandoutsError

    if not DEFAULT_CONTENT.is_dir():
        raise HandoutsError("no sheet given and no content/ folder here: name a sheet "
                            "file or a folder of sheets, e.g. `handouts build my-sheet.yaml`")
    return DEFAULT_CONTENT


def main() -> None:
    cli()
