"""The commands around a workshop, after the handouts are printed: `scan` (marked answer
sheets read back), `results` (the quiz's responses reported), `review` (the easy-read text
checked with its readers) and `translate` (a sheet handed to a translator as a PO file).
Thin, as every command: they call the API (api.py) and print what happened; cli.py adds
them to `handouts`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .clioptions import Languages, click_option, echo, found_settings, typed_options
from .errors import HandoutsError
from .options import option
from .paths import display

_Command = TypeVar("_Command", bound=Callable[..., Any])  # a command function, decorated


def scan_options(command: _Command) -> _Command:
    """The options the answer sheets were printed with: their editions depend on them."""
    for name in ("pre_post", "seed", "versions"):
        spec = option(name)
        command = click_option(spec, spec.help)(command)
    return command


@click.command()
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

    options = typed_options(choices, found_settings())

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



@click.command()
@click.argument("sheet", type=click.Path(path_type=Path))
@click.argument("responses", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of the sheet's folder (default: the settings', else output/).")
@click_option(option("versions"), "Quiz versions the quizzes were printed in (default: the "
              "settings').")
@click_option(option("seed"), "Seed the versions were drawn with (default: the settings').")
@click.option("--names", type=click.Path(path_type=Path), default=None, help="A CSV "
              "participant,name: names in the workbook and CSVs (the facilitator's copy).")
def results(sheet: Path, responses: tuple[Path, ...], output_dir: Path | None,
            versions: int, seed: str, names: Path | None) -> None:
    """Workshop results of SHEET from its RESPONSES tables (CSV or XLSX, forms exports too).

    Writes S-results.pdf, S-results-easy-read.pdf, S-results.xlsx and S-results-questions,
    -participants and -summary.csv; a mistake is said at its FILE:LINE:COLUMN, nothing written.
    """
    from .api import results as make_results

    settings = found_settings()
    context = click.get_current_context()

    def typed(name: str) -> bool:  # else handouts.toml's value, as `build` reads it
        return context.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT

    report = make_results(sheet, list(responses), output_dir, names=names,
                          versions=versions if typed("versions") else None,
                          seed=seed if typed("seed") else None, project_settings=settings)
    for warning in report.warnings:
        echo(str(warning), err=True)
    for path in report.files:
        echo(f"wrote {display(path)}")
    paired = f", {report.paired} with both quizzes" if report.paired is not None else ""
    echo(f"{report.participants} participants{paired}")


@click.group()
def translate() -> None:
    """Translate a sheet with a PO file (Poedit, Weblate): export it, translate, import it."""


@translate.command(name="export")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--to", "lang", type=Languages(), required=True,
              help="The language to translate into.")
@click.option("-o", "--output", "target", type=click.Path(path_type=Path), default=None,
              help="PO file to write. Default: SHEET-LANG.po beside the sheet.")
@click.option("--translation", type=click.Path(path_type=Path), default=None,
              help="The translated sheet, when it exists (its texts fill the PO file; those "
              "whose source changed are marked fuzzy). Default: SHEET-LANG.yaml.")
def translate_export(sheet: Path, lang: str, target: Path | None,
                     translation: Path | None) -> None:
    """Write the PO file of SHEET's texts, for translating into --to."""
    from .api import translate_export as export

    written = export(sheet, lang, target, translation)
    echo(f"wrote {display(written)}: translate it (Poedit, Weblate…), then "
         f"`handouts translate import {display(written)}`")


@translate.command(name="import")
@click.argument("po", type=click.Path(path_type=Path))
@click.option("-o", "--output", "target", type=click.Path(path_type=Path), default=None,
              help="Translated sheet to write or update. Default: SOURCE-LANG.yaml beside "
              "the source sheet.")
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help="The source sheet. Default: the one the PO file names.")
def translate_import(po: Path, target: Path | None, source: Path | None) -> None:
    """Write the translated sheet from PO (quiz answers, page references and the other
    values that are not words are the source's)."""
    from .api import check as check_sheets
    from .api import translate_import as import_po

    written = import_po(po, target, source)
    echo(f"wrote {display(written)}")
    for problem in check_sheets([written]).sheets[0].warnings:
        if problem.path == "translation_of":
            echo(f"  {problem}")


@click.command()
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--date", "when", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", help="When the readers checked the text (default: today).")
@click.option("--readers", type=click.IntRange(min=1), default=None, metavar="N",
              help="How many readers took part.")
@click.option("--checker", "checkers", multiple=True, metavar="NAME",
              help="A reader who agrees to be named as a checker (repeat for each).")
@click.option("--notes", default=None, help="What the group said, for the authors.")
@click.option("--marks", type=click.Path(path_type=Path), default=None, metavar="CSV",
              help="Instead: read the readers' ticks (number, understand, not_sure, "
              "not_understand) and say which items most readers found hard.")
def review(sheet: Path, when: Any, readers: int | None, checkers: tuple[str, ...],
           notes: str | None, marks: Path | None) -> None:
    """Record that readers checked the easy-read text of SHEET (with `--readers`), or read
    their marks back (with `--marks`). Print the sheet to check with `build --proof`."""
    from .reviewing import review_lines

    for line in review_lines(sheet, when.date() if when is not None else None, readers,
                             checkers, notes, marks):
        echo(line)


COMMANDS = (scan, results, review, translate)
