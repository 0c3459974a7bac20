"""After the workshop (#26): `handouts results`, the report of a quiz's responses, as a
function of the API (generator.api re-exports it). The reading is the sheet stage's
(sheet/responses.py), the mapping and the statistics the view stage's (view/results.py,
view/stats.py, view/resultsview.py), the files the documents stage's (documents/results.py);
here they are put together and the set is written, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .batch.rendering import output_path, shared_renderer
from .documents.writer import locked, prepare_folder, write_set
from .errors import Problem
from .project import default_output, options_with
from .sheet.responses import read_names, read_responses

if TYPE_CHECKING:
    from .settings import Settings


@dataclass
class ResultsReport:
    """What `results` wrote (the set, all or nothing) and the warnings met reading."""

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
    return ResultsReport([path for path, _ in files], read.warnings, paired,
                         len({a.participant for a in answered}))
