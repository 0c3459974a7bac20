"""Machine-readable answer keys: one CSV row per printed question of every edition."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .quizview import QuizQuestion
    from .versions import Edition

COLUMNS = ("version", "number", "answer", "sheet_question", "points")


def keys_csv(editions: list[tuple[Edition, list[QuizQuestion]]]) -> bytes:
    """`version` is the edition's name ("A", "before-B"; empty for the sheet's own order),
    `number` the printed question number, `answer` the printed letter and `sheet_question`
    the question's 1-based place in the sheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for edition, questions in editions:
        for question in questions:
            writer.writerow([edition.name, question.number, question.answer.letter,
                             question.sheet_number, question.points])
    return buffer.getvalue().encode("utf-8")
