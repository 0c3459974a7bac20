"""Responses tables, read: what participants ticked, as typed rows that keep each cell's place.

One row per completed quiz: `participant`, `moment` (before, after or empty), `edition` (the
printed version letter, or empty), then one column per printed question number holding the
letter ticked. The scanner's tables add `source` (ignored) and `doubtful` (question numbers a
person should look at: a warning); a `digest` column, when present, names the editions the
table was made for. Google Forms and Microsoft Forms exports (a column per question text, the
choice's text as answer) are recognised and matched to the sheet's questions by their text.

Pure reading: nothing is mapped to editions or scored here (view/results.py does), but every
cell keeps its file, line and column so that a later mistake is said where it is. The column
of a message is the table's column (1 for the first), as a spreadsheet counts them.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, SheetError
from ..paths import ReadRefused, bounded_bytes, display

if TYPE_CHECKING:
    from .model import Sheet

MAX_RESPONSES_BYTES = 20_000_000  # a table of 100,000 quizzes is about 5 MB
MAX_ROWS = 100_000
FIXED = ("participant", "moment", "edition")
SCANNER = ("source", "doubtful")  # written by `handouts scan`
DIGEST = "digest"  # the editions' digest (versions.editions_digest), optional
MOMENTS = ("before", "after")


def _cell(cells: list[str], shown: str, line: int, index: int | None) -> Cell:
    """The cell at `index` of a row (empty when the row is short or there is no such column),
    with its place: the column is 1 when there is none."""
    text = cells[index].strip() if index is not None and index < len(cells) else ""
    return Cell(text, shown, line, (index if index is not None else 0) + 1)


@dataclass(frozen=True)
class Cell:
    """One value of the table and where it is."""

    text: str
    file: str
    line: int
    column: int

    def problem(self, message: str, severity: str = "error") -> Problem:
        return Problem(self.file, self.line, self.column, "", message, severity)


@dataclass(frozen=True)
class ResponseRow:
    """One completed quiz. `answers` holds the letter ticked (uppercase, "" for none) under
    the printed question number; for a forms export (`Responses.sheet_order`), under the
    sheet's question number, the sheet's own letter."""

    participant: Cell
    moment: Cell
    edition: Cell
    answers: dict[int, Cell]
    digest: Cell | None = None
    sheet_order: bool = False  # from a forms export: answers keyed by the sheet's numbers


@dataclass
class Responses:
    """Every table read, in order; `numbers` the question numbers their columns name, with
    the header cell of each (the first file's), and the warnings met while reading."""

    rows: list[ResponseRow] = field(default_factory=list)
    numbers: dict[int, Cell] = field(default_factory=dict)
    sheet_order: bool = False  # some answers already in the sheet's order (a forms export)
    files: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_responses(paths: list[Path], sheet: Sheet) -> Responses:
    """Read every table (CSV or XLSX), all problems reported at once (SheetError)."""
    responses = Responses()
    problems: list[Problem] = []
    for path in paths:
        shown = display(path)
        responses.files.append(shown)
        try:
            table = _table(path, shown)
        except _Unreadable as error:
            problems.append(Problem(shown, error.line, None, "", error.message))
            continue
        before = len(problems)
        kind = _shape(table, shown, sheet, problems)
        if kind == "forms":
            _read_forms(table, shown, sheet, responses, problems)
        elif kind == "table" and len(problems) == before:
            _read_table(table, shown, responses, problems)
    if len(responses.rows) > MAX_ROWS:
        problems.append(Problem(responses.files[0], None, None, "",
                                f"{len(responses.rows):,} quizzes: at most {MAX_ROWS:,} are "
                                "read at once; split the table"))
    if problems:
        raise SheetError(problems)
    return responses


class _Unreadable(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


# A table: rows of (line, cells), each cell its text and its 1-based column.
Table = list[tuple[int, list[str]]]


def _table(path: Path, shown: str) -> Table:
    try:
        data = bounded_bytes(path, MAX_RESPONSES_BYTES, "a responses table (CSV or XLSX)")
    except ReadRefused as refused:
        raise _Unreadable(refused.reason) from None
    if path.suffix.lower() == ".xlsx" or data[:4] == b"PK\x03\x04":
        return _xlsx_table(data)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        raise _Unreadable("is not a responses table: give a .csv or .xlsx file (in a "
                          "spreadsheet: File, Save as, CSV UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _Unreadable("this line is not UTF-8 text: save the table again as \"CSV "
                          "UTF-8\"", line) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # Excel in French writes ";"
    rows: Table = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise _Unreadable(f"the CSV cannot be read ({error}): is a quote left open?",
                          reader.line_num) from None
    return rows


def _xlsx_table(data: bytes) -> Table:
    """The first worksheet's rows, values as text (openpyxl: read-only, no formulas run)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _Unreadable(f"is not a readable XLSX workbook ({error}): save it again from "
                          "the spreadsheet, or as CSV UTF-8") from None
    try:
        sheet = book.worksheets[0]
        rows: Table = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_text(value) for value in values]
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shape(table: Table, shown: str, sheet: Sheet, problems: list[Problem]) -> str:
    """"table" (our columns), "forms" (question texts as columns) or "" (refused)."""
    if not table:
        problems.append(Problem(shown, 1, 1, "", "the table is empty: its first line names "
                                "the columns (participant, moment, edition, 1, 2, …), then "
                                "one line per completed quiz"))
        return ""
    line, header = table[0]
    names = [cell.strip().casefold() for cell in header]
    if _question_columns(header, sheet):  # a forms export: questions by their words
        return "forms"
    if "participant" not in names:
        problems.append(Problem(shown, line, 1, "", "no `participant` column: the first "
                                "line names the columns, e.g. participant,moment,edition,1,2,3"))
        return ""
    if len(table) == 1:
        problems.append(Problem(shown, line + 1, 1, "", "the table is empty: add one line "
                                "per completed quiz under the column names"))
        return ""
    return "table"


def _read_table(table: Table, shown: str, responses: Responses,
                problems: list[Problem]) -> None:
    header_line, header = table[0]
    columns: dict[str, int] = {}
    numbers: dict[int, int] = {}
    for index, name in enumerate(header):
        key = name.strip().casefold()
        where = Cell(name, shown, header_line, index + 1)
        if key.isdigit() and int(key) > 0:
            if int(key) in numbers:
                problems.append(where.problem(f"question {int(key)} has two columns: keep one"))
            numbers[int(key)] = index
            responses.numbers.setdefault(int(key), where)
        elif key in (*FIXED, *SCANNER, DIGEST):
            columns[key] = index
        elif key:
            problems.append(where.problem(
                f"unknown column `{_short(name)}`: the columns are participant, moment, "
                "edition, then the printed question numbers 1, 2, … (and source, doubtful "
                "from the scanner)"))
    if not numbers:
        problems.append(Problem(shown, header_line, len(header) + 1, "", "no question "
                                "columns: add one per printed question, named 1, 2, 3, …"))
    for line, cells in table[1:]:
        cell = functools.partial(_cell, cells, shown, line)

        answers = {}
        for number, index in numbers.items():
            found = cell(index)
            letters = found.text.replace(" ", "").upper()
            answers[number] = Cell(letters, found.file, found.line, found.column)
        row = ResponseRow(cell(columns.get("participant")), cell(columns.get("moment")),
                          cell(columns.get("edition")), answers,
                          cell(columns[DIGEST]) if DIGEST in columns else None)
        responses.rows.append(row)
        if "doubtful" in columns and cell(columns["doubtful"]).text:
            doubtful = cell(columns["doubtful"])
            responses.warnings.append(doubtful.problem(
                f"participant {row.participant.text or '(none)'}: the scanner asks for a look "
                f"at question(s) {doubtful.text}; check the paper, correct the line and empty "
                "this cell", "warning"))


def _read_forms(table: Table, shown: str, sheet: Sheet, responses: Responses,
                problems: list[Problem]) -> None:
    """A Google Forms or Microsoft Forms export: each question's column found by its text,
    each answer by its choice's text; a `participant` or `moment` column is used when
    present, names and e-mail addresses never read."""
    from .model import LETTERS

    responses.sheet_order = True
    header_line, header = table[0]
    matched = _question_columns(header, sheet)
    for number in matched.values():
        responses.numbers.setdefault(number, Cell(header[_index_of(matched, number)],
                                                  shown, header_line,
                                                  _index_of(matched, number) + 1))
    missing = [n for n in range(1, len(sheet.quiz) + 1) if n not in matched.values()]
    if missing:
        problems.append(Problem(shown, header_line, 1, "", "no column has the text of "
                                f"question {', '.join(map(str, missing))} of the sheet: was the "
                                "form made from this sheet? Copy the question's text into the "
                                "form's column name"))
    named = {name.strip().casefold(): index for index, name in enumerate(header)}
    for line, cells in table[1:]:
        cell = functools.partial(_cell, cells, shown, line)

        answers = {}
        for index, number in matched.items():
            found = cell(index)
            choices = {_plain(choice): LETTERS[i].upper()
                       for i, choice in enumerate(sheet.quiz[number - 1].choices)}
            letter = choices.get(_plain(found.text), "") if found.text else ""
            if found.text and not letter:
                problems.append(found.problem(
                    f"`{_short(found.text)}` is not one of the choices of question {number}: "
                    "write one choice's text as the sheet has it, or leave the cell empty"))
            answers[number] = Cell(letter, shown, line, index + 1)
        participant = cell(named.get("participant"))
        if not participant.text:
            participant = Cell(f"line {line}", shown, line, 1)
        responses.rows.append(ResponseRow(participant, cell(named.get("moment")),
                                          Cell("", shown, line, 1), answers,
                                          sheet_order=True))
    if len(table) == 1:
        problems.append(Problem(shown, header_line + 1, 1, "", "the export holds no answers "
                                "yet: export it again once the form has responses"))


def _index_of(matched: dict[int, int], number: int) -> int:
    return next(index for index, found in matched.items() if found == number)


def _question_columns(header: list[str], sheet: Sheet) -> dict[int, int]:
    """Column index → sheet question number, for the columns named by a question's text."""
    texts = {_plain(question.question): number
             for number, question in enumerate(sheet.quiz, start=1)}
    found: dict[int, int] = {}
    for index, name in enumerate(header):
        number = texts.get(_plain(name))
        if number is not None and number not in found.values():
            found[index] = number
    return found


_MARKUP = re.compile(r"[*_`]")
_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d\u00ab\u00bb\u00a0\u202f", "''\"\"\"\"  ")


def _plain(text: str) -> str:
    """Text compared without case, Markdown marks, typographic quotes and spaces."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return " ".join(_MARKUP.sub("", text).casefold().split()).rstrip(" ?:.")


def _short(text: str, most: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def read_names(path: Path) -> dict[str, str]:
    """The facilitator's list of participant codes and names (`participant`, `name`)."""
    shown = display(path)
    try:
        table = _table(path, shown)
    except _Unreadable as error:
        raise SheetError([Problem(shown, error.line, None, "", error.message)]) from None
    header = [cell.strip().casefold() for cell in table[0][1]] if table else []
    if "participant" not in header or "name" not in header:
        raise SheetError([Problem(shown, 1, 1, "", "a names list has two columns, "
                                  "participant and name, and one line per participant")])
    code, name = header.index("participant"), header.index("name")
    return {cells[code].strip(): cells[name].strip() for _, cells in table[1:]
            if len(cells) > max(code, name)}
