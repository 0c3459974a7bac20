"""The sheet's quiz as Kahoot's quiz spreadsheet (XLSX), and the limits a sheet must meet.

The layout is Kahoot's own template (KahootQuizTemplate.xlsx, as downloaded from Kahoot's
"Import spreadsheet" page and reproduced by the tools that write it): a note in column B at
the top, the column headings on row 8 from column B, then one question a row from row 9, its
number in column A. Kahoot takes a question of at most 120 characters and 2 to 4 answers of
at most 75: a question over them is refused, each named at its line, unless the sheet gives
Kahoot a shorter wording under `kahoot:` (model.py); view/kahootlimits.py finds them, for
this refusal and for `check`'s warnings. Kahoot does not shuffle answers from a
spreadsheet: they come in the sheet's order (Kahoot's game options can shuffle them).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

from ..errors import Problem, RenderError
from ..sheet.kahootwording import KAHOOT_ANSWERS
from ..sheet.yamlsource import dotted_path
from ..view.kahootlimits import over_kahoot_limits
from .quizexport import quiz_of, stable_zip

if TYPE_CHECKING:  # pragma: no cover
    from ..sheet.loader import LoadedSheet
    from ..view.commonview import CommonView

HEADINGS = ("Question - max 120 characters", "Answer 1 - max 75 characters",
            "Answer 2 - max 75 characters", "Answer 3 - max 75 characters",
            "Answer 4 - max 75 characters",
            "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
            "Correct answer(s) - choose at least one")
HEADING_ROW = 8  # as in Kahoot's template; the questions follow it
FIRST_COLUMN = 2  # column B; column A numbers the questions
SAVED = dt.datetime(2000, 1, 1)  # the workbook's dates: the same quiz, the same bytes


def kahoot_problems(loaded: LoadedSheet) -> list[Problem]:
    """Every question Kahoot would refuse, at its line, and why: all of them at once (the
    limits are found by view/kahootlimits.py, which `check` warns of too)."""
    problems = []
    for over in over_kahoot_limits(loaded.sheet):
        if over.what == "question":
            message = (f"has {over.count} characters; Kahoot takes questions of at most "
                       f"{over.most}: shorten it, or give Kahoot a shorter one under this "
                       "question, as `kahoot:` then `question: …`")
        elif over.what == "choices":
            message = (f"has {over.count} choices; Kahoot takes 2 to {over.most}: give Kahoot "
                       f"{over.most} or fewer under this question, as `kahoot:` then "
                       "`choices:` and the letter of the right one in `answer:`")
        else:
            message = (f"has {over.count} characters; Kahoot takes answers of at most "
                       f"{over.most}: shorten it, or give Kahoot shorter choices under this "
                       "question, as `kahoot:` then `choices:`")
        line, column = loaded.document.locate(over.path) or (None, None)
        problems.append(Problem(loaded.shown, line, column, dotted_path(over.path), message))
    return problems


def kahoot_xlsx(view: CommonView) -> bytes:
    """Kahoot's quiz spreadsheet for the sheet's quiz, in the sheet's order."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    quiz = quiz_of(view)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.cell(2, FIRST_COLUMN, quiz.quiz_title.striptags()).font = Font(bold=True, size=14)
    sheet.cell(3, FIRST_COLUMN, quiz.labels["export_kahoot_note"])
    for offset, heading in enumerate(HEADINGS):
        cell = sheet.cell(HEADING_ROW, FIRST_COLUMN + offset, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row, question in enumerate(quiz.quiz, start=HEADING_ROW + 1):
        wording = question.kahoot
        if wording is None or len(wording.choices) > KAHOOT_ANSWERS:  # kahoot_problems said
            raise RenderError(f"question {question.number} cannot go to Kahoot: run the "
                              "build again to see why")
        sheet.cell(row, 1, question.number)
        sheet.cell(row, FIRST_COLUMN, wording.question)
        for offset, answer in enumerate(wording.choices, start=1):
            sheet.cell(row, FIRST_COLUMN + offset, answer)
        sheet.cell(row, FIRST_COLUMN + 5, wording.time)
        sheet.cell(row, FIRST_COLUMN + 6, wording.answer + 1)
    sheet.column_dimensions["B"].width = 60
    for letter in "CDEF":
        sheet.column_dimensions[letter].width = 30
    book.properties.created = book.properties.modified = SAVED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as written:
        return stable_zip([(info.filename, written.read(info))
                           for info in written.infolist()])
