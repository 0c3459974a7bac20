"""The results report's files: its tables as CSV and XLSX, its PDFs, written as one set.

The three CSVs keep the columns the documentation names (UTF-8, comma, a header row, numbers
with a dot and three decimals). A cell we write that a spreadsheet would run as a formula
(`=`, `+`, `-`, `@`, a tab or a carriage return first: a participant code such as
`=HYPERLINK(…)`) is written with a leading apostrophe, so that opening the file runs nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..sheet.model import LETTERS
from .kinds import RESULTS, RESULTS_EASY_READ

if TYPE_CHECKING:
    from ..view.commonview import CommonView
    from ..view.results import Results
    from .render import Renderer

Value = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """One table of the report, as every format writes it."""

    name: str  # "questions", "participants", "summary": S-results-NAME.csv, the XLSX sheet
    header: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


def neutralised(text: str) -> str:
    """Text a spreadsheet shows as text: a would-be formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def number(value: Value) -> str:
    """A CSV cell: whole numbers as they are, others with a dot and three decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.3f}"
    return neutralised(value)


def tables(results: Results, names: dict[str, str] | None = None) -> list[Table]:
    """The questions', participants' and summary tables; `names` (code → name) adds a
    name column for the facilitator's copy."""
    letters = tuple(LETTERS[: results.choices])
    questions = tuple(
        (q.number, q.moment, q.respondents, q.correct, q.blank, q.invalid, q.difficulty,
         q.discrimination,
         *(q.shares[i] if i < len(q.shares) else None for i in range(len(letters))))
        for q in results.questions)
    named = ("name",) if names else ()
    if results.pre_post:
        header: tuple[str, ...] = ("participant", *named, "score_before", "score_after",
                                   "max", "normalised_gain")
        people = tuple((p.participant, *((names.get(p.participant, ""),) if names else ()),
                        p.before, p.after, results.maximum, p.gain)
                       for p in results.participants)
    else:
        header = ("participant", *named, "score", "max")
        people = tuple((p.participant, *((names.get(p.participant, ""),) if names else ()),
                        p.before, results.maximum) for p in results.participants)
    summary: list[tuple[Value, ...]] = []
    for moment in results.moments:
        summary += [("participants", moment.moment, moment.participants),
                    ("max", moment.moment, results.maximum),
                    ("mean", moment.moment, moment.mean), ("sd", moment.moment, moment.sd),
                    ("kr20", moment.moment, moment.kr20)]
    if results.paired is not None:
        paired = results.paired
        summary += [("paired", "", paired.count), ("unpaired", "", len(paired.unpaired)),
                    ("mean_gain", "", paired.mean_gain), ("hake_gain", "", paired.hake),
                    ("hake_band", "", paired.band), ("cohen_dz", "", paired.cohen_dz)]
    return [Table("questions", ("question", "moment", "respondents", "correct", "blank",
                                "invalid", "difficulty", "discrimination", *letters), questions),
            Table("participants", header, people),
            Table("summary", ("measure", "moment", "value"), tuple(summary))]


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows([number(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(all_tables: Sequence[Table], titles: dict[str, str]) -> bytes:
    """One worksheet per table (openpyxl), numbers as numbers, text as text (never a
    formula), each table's header bold and frozen."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    for first in book.worksheets:
        book.remove(first)
    for table in all_tables:
        sheet = book.create_sheet(titles.get(table.name, table.name)[:31])
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a string, whatever its first character
                elif isinstance(cell.value, float):
                    cell.number_format = "0.000"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


def _xlsx_value(value: Value) -> Value:
    return neutralised(value) if isinstance(value, str) else value


def _stable_zip(data: bytes) -> bytes:
    """The workbook with every member's date fixed and openpyxl's creation time taken out:
    the same results give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z",
                                 content)
            info = zipfile.ZipInfo(item.filename, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def report_files(slug: str, view: CommonView, results: Results, renderer: Renderer, *,
                 paper: str, variant: str | None, names: dict[str, str] | None = None
                 ) -> list[tuple[str, bytes]]:
    """Every file of the report, by name: the PDF report and its easy-read summary, the
    workbook and the three CSVs."""
    files = []
    for kind in (RESULTS, RESULTS_EASY_READ):
        html = renderer.html(kind, view, paper, inline_styles=False)
        pdf = renderer.pdf(html, stylesheets=renderer.styles(kind, view, paper),
                           variant=variant, pictures=view.pictures)
        files.append((f"{slug}-{kind.name}.pdf", pdf.data))
    made = tables(results, names)
    text = view.labels
    files.append((f"{slug}-results.xlsx", xlsx_bytes(made, {
        "questions": text["results_questions"], "participants": text["results_people"],
        "summary": text["results_figures"]})))
    files += [(f"{slug}-results-{table.name}.csv", csv_bytes(table)) for table in made]
    return files
