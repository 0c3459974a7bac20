"""After the workshop, as functions of the API (generator.api re-exports them): `handouts
scan` (#27), marked answer sheets read back into a responses table (the reading is the scan
package's: generator/scan/), and `handouts results` (#26), the report of a quiz's responses
(the reading is the sheet stage's, sheet/responses.py; the mapping and the statistics the
view stage's, view/results.py, stats.py, resultsview.py; the files the documents stage's,
documents/results.py). Here they are put together and written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch.rendering import output_path, shared_renderer
from .documents.writer import locked, prepare_folder, write_atomic, write_set
from .errors import Problem
from .options import BuildOptions
from .project import default_output, options_with
from .sheet.responses import read_names, read_responses
from .view.versions import arrangements, editions_digest

if TYPE_CHECKING:
    from .settings import Settings


@dataclass
class ResultsReport:
    """What `results` wrote (the set, all or nothing) and the warnings met reading (the
    scanner's doubtful lines, the answers with several letters ticked)."""

    files: list[Path]
    warnings: list[Problem]
    paired: int | None  # participants with both quizzes (a pre/post set)
    participants: int


def results(sheet: Path | str, responses: Iterable[Path | str], output: Path | str | None = None,
            *, versions: int | None = None, seed: str | None = None,
            names: Path | str | None = None,
            project_settings: Settings | None = None) -> ResultsReport:
    """The workshop results report of `sheet` from its responses tables, written into
    OUTPUT/S/ (default: the settings' output folder): S-results.pdf, S-results-easy-read.pdf,
    S-results.xlsx and three CSVs. `versions` and `seed` default to the settings' (those
    the quizzes were printed with); `names` maps codes to names, for the facilitator's copy.
    A mistake in a table raises SheetError (every one at its place) and writes nothing."""
    from .documents.results import report_files
    from .sheet.loader import load_sheet
    from .view.results import compute, map_responses
    from .view.resultsview import results_view
    from .view.sheetview import build_view, with_organisation

    given = {key: value for key, value in (("versions", versions), ("seed", seed))
             if value is not None}
    chosen = options_with(project_settings, **given)
    loaded = load_sheet(sheet)
    read = read_responses([Path(path) for path in responses], loaded)
    answered = map_responses(loaded, read, chosen.versions, chosen.seed)
    computed = compute(loaded, answered)
    view = build_view(loaded)
    if chosen.project is not None:
        view = with_organisation(view, chosen.project.organisation.in_language(view.labels))
    shown = results_view(view, loaded, computed)
    folder = Path(output) if output is not None else default_output(project_settings)
    made = report_files(loaded.slug, shown, computed, shared_renderer(chosen.project),
                        paper=chosen.paper, variant=chosen.pdf_variant,
                        names=read_names(Path(names)) if names is not None else None)
    target = output_path(folder, loaded.slug, "results", "pdf").parent
    files = [(target / name, data) for name, data in made]
    with locked(folder):  # the output folder's lock, as a build into it takes
        prepare_folder(target)
        write_set(files)
    paired = computed.paired.count if computed.paired else None
    order = {file: n for n, file in enumerate(read.files)}  # the tables in the order given
    warnings = sorted([*read.warnings, *(d.warning() for d in computed.doubled)],
                      key=lambda w: (order.get(w.file, len(order)), w.line or 0, w.column or 0))
    return ResultsReport([path for path, _ in files], warnings, paired,
                         len({a.participant for a in answered}))


@dataclass
class ScanReport:
    """What `scan` read: pages read, rows written, the doubtful answers to look at, and the
    pages that could not be read (`problems`: where, why)."""

    pages: int
    rows: int
    doubtful: int  # questions (and participant codes) flagged for a look
    problems: list[tuple[str, str]]
    written: list[Path]


def scan(sheet: Path | str, files: Iterable[Path | str], output: Path | str,
         build_options: BuildOptions | None = None, *, review: Path | str | None = None,
         on_page: Callable[[str, str | None], None] | None = None) -> ScanReport:
    """Read marked answer sheets (scanner PDFs, pictures, phone photos) of `sheet`, printed
    with `build_options` (versions, seed, pre-post), into the responses table `output` (CSV)
    and, with `review`, a folder with review.html: each doubtful answer's boxes as scanned.
    A page that cannot be read is reported in `problems` (and to `on_page(where, why)`),
    the others are read; the table and the review page are each written whole, or not at all."""
    from .scan import ReadPage
    from .scan import scan as read_pages
    from .scan.table import responses_csv, review_html, rows
    from .sheet.loader import load_sheet

    chosen = build_options or BuildOptions()
    target = Path(output)

    def heard(outcome: Any) -> None:
        if on_page is not None:
            said = isinstance(outcome, ReadPage)
            on_page(outcome.where, None if said else outcome.reason)

    result = read_pages(Path(sheet), [Path(file) for file in files], chosen, heard)
    table = rows(result)
    problems = [(problem.where, problem.reason) for problem in result.problems]
    loaded = load_sheet(Path(sheet))  # read again, as results will: the editions' digest
    digest = editions_digest(loaded, arrangements(loaded, chosen.editions()))
    files_out = [(target, responses_csv(table, digest))]
    if review is not None:
        folder = Path(review)
        prepare_folder(folder)
        files_out.append((folder / "review.html", review_html(table, problems)))
    if target.parent != Path(""):
        prepare_folder(target.parent)
    for file, data in files_out:
        write_atomic(file, data)
    return ScanReport(result.read, len(table), sum(len(row.doubtful) for row in table),
                      problems, [file for file, _ in files_out])
