"""Reading responses tables: CSV (comma, semicolon, BOM), XLSX, the scanner's extra columns,
Google Forms and Microsoft Forms exports matched by their words; each cell keeps its place."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from generator.errors import SheetError
from generator.sheet.loader import load_sheet
from generator.sheet.responses import read_names, read_responses
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sheet():
    return load_sheet(SAMPLE)


def _rows(responses):
    return [(row.participant.text, row.moment.text, row.edition.text,
             {n: c.text for n, c in row.answers.items()}) for row in responses.rows]


def test_csv_rows_letters_and_places(tmp_path, sheet):
    path = tmp_path / "r.csv"
    path.write_text("participant,moment,edition,1,2,3,4,5\n"
                    "P1,,,a,b, ,AB,d\n"
                    "\n"
                    "P2,,,c,,,,\n", encoding="utf-8")
    read = read_responses([path], sheet)
    assert _rows(read) == [("P1", "", "", {1: "A", 2: "B", 3: "", 4: "AB", 5: "D"}),
                           ("P2", "", "", {1: "C", 2: "", 3: "", 4: "", 5: ""})]
    second = read.rows[1]
    assert (second.participant.line, second.answers[1].line, second.answers[1].column) == (4, 4, 4)


def test_semicolons_and_a_byte_order_mark(tmp_path, sheet):
    """What Excel writes in French: "CSV UTF-8" with a BOM, semicolons between cells."""
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffparticipant;moment;edition;1;2;3;4;5\nP1;;;A;B;C;D;A\n"
                     .encode("utf-8"))
    assert _rows(read_responses([path], sheet)) == [
        ("P1", "", "", {1: "A", 2: "B", 3: "C", 4: "D", 5: "A"})]


def test_xlsx_first_worksheet(tmp_path, sheet):
    book = openpyxl.Workbook()
    book.active.append(["participant", "moment", "edition", 1, 2, 3, 4, 5])
    book.active.append([101, "before", None, "A", "b", None, "C", "D"])
    book.active.append([7.0, "after", None, "A", "b", None, "C", "D"])  # a code typed as 7
    book.save(tmp_path / "r.xlsx")
    read = read_responses([tmp_path / "r.xlsx"], sheet)
    assert _rows(read) == [("101", "before", "", {1: "A", 2: "B", 3: "", 4: "C", 5: "D"}),
                           ("7", "after", "", {1: "A", 2: "B", 3: "", 4: "C", 5: "D"})]
    assert (read.rows[0].answers[4].line, read.rows[0].answers[4].column) == (2, 7)


def test_scanner_columns_source_ignored_doubtful_warned(tmp_path, sheet):
    path = tmp_path / "scanned.csv"
    path.write_text("participant,moment,edition,1,2,3,4,5,source,doubtful\n"
                    "P1,,,A,B,C,D,A,\"scan.pdf\npage 1\",\n"
                    "P2,,,A,B,C,D,A,scan.pdf p2,\"2, 4\"\n", encoding="utf-8")
    read = read_responses([path], sheet)
    assert len(read.rows) == 2
    assert [str(w) for w in read.warnings] == [
        f"{path}:4:10: warning: participant P2: the scanner asks for a look at question(s) "
        "2, 4; check the paper, correct the line and empty this cell"]


def _google_export(sheet, answers: list[list[int | None]]) -> str:
    """A Google Forms CSV: timestamp and e-mail first, then each question's words (in
    another order, with typographic quotes straight), the chosen choice's words."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    order = list(reversed(range(len(sheet.quiz))))
    writer.writerow(["Timestamp", "Email Address",
                     *(sheet.quiz[i].question.replace("’", "'") + " " for i in order)])
    for n, picks in enumerate(answers):
        writer.writerow([f"2026/05/0{n + 1} 10:00:00", f"person{n}@example.org",
                         *("" if picks[i] is None else sheet.quiz[i].choices[picks[i]].upper()
                           for i in order)])
    return buffer.getvalue()


def test_google_forms_export_matched_by_words(tmp_path, sheet):
    path = tmp_path / "form.csv"
    path.write_text(_google_export(sheet, [[1, 0, 2, None, 3], [0, 1, 1, 1, 1]]),
                    encoding="utf-8")
    read = read_responses([path], sheet)
    assert read.sheet_order
    assert _rows(read) == [
        ("line 2", "", "", {1: "B", 2: "A", 3: "C", 4: "", 5: "D"}),
        ("line 3", "", "", {1: "A", 2: "B", 3: "B", 4: "B", 5: "B"})]
    assert "example.org" not in repr(read)  # e-mail addresses are never read


def test_microsoft_forms_workbook(tmp_path, sheet):
    book = openpyxl.Workbook()
    book.active.append(["ID", "Start time", "Completion time", "Email", "Name",
                        "participant", "moment", *(q.question for q in sheet.quiz)])
    book.active.append([1, "x", "y", "a@b.org", "Ann Smith", "K7", "after",
                        *(q.choices[0] for q in sheet.quiz)])
    book.save(tmp_path / "ms.xlsx")
    read = read_responses([tmp_path / "ms.xlsx"], sheet)
    assert _rows(read) == [("K7", "after", "", {n: "A" for n in range(1, 6)})]
    assert "Ann Smith" not in repr(read)


def test_a_forms_answer_that_is_no_choice(tmp_path, sheet):
    path = tmp_path / "form.csv"
    path.write_text(_google_export(sheet, [[1, 0, 2, None, 3]]).replace(
        sheet.quiz[0].choices[1].upper(), "Something else"), encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_responses([path], sheet)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2:7: `Something else` is not one of the choices of question 1: write one "
        "choice's text as the sheet has it, or leave the cell empty"]


def test_not_a_table(tmp_path, sheet):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"hello")
    with pytest.raises(SheetError) as caught:
        read_responses([path], sheet)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: is not a responses table: give a .csv or .xlsx file (in a spreadsheet: "
        "File, Save as, CSV UTF-8)"]


def test_names_list(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("participant,name\nP1,Ann\nP2,Bob\n", encoding="utf-8")
    assert read_names(path) == {"P1": "Ann", "P2": "Bob"}
    path.write_text("code,who\nP1,Ann\n", encoding="utf-8")
    with pytest.raises(SheetError, match="a names list has two columns, participant and name"):
        read_names(path)
