"""Responses tables for the tests, written the way a facilitator fills them: from what each
printed quiz shows (its numbers and its choices' words), never through the results' own
mapping. `python -m tests.responses_data` writes tests/data/responses/ again (the committed
fixture; tests/test_results.py checks it is what this makes)."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from generator.sheet.loader import load_sheet
from generator.sheet.model import LETTERS, Sheet
from generator.view.markup import inline
from generator.view.quizview import quiz_questions
from generator.view.versions import arrangements, editions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "educational-alliances.yaml"
FIXTURE = (Path(__file__).resolve().parent / "data" / "responses"
           / "educational-alliances-pre-post.csv")
VERSIONS, SEED = 4, "7"


def printed_letter(sheet: Sheet, edition_name: str, versions: int, seed: str, pre_post: bool,
                   sheet_question: int, sheet_choice: int) -> tuple[int, str]:
    """(printed number, printed letter) of a sheet question's choice on one edition, found by
    the choice's words on the printed quiz."""
    orders = arrangements(sheet, editions(versions, seed, pre_post))
    printed = quiz_questions(sheet, orders[edition_name])
    question = next(q for q in printed if q.sheet_number == sheet_question + 1)
    words = inline(sheet.quiz[sheet_question].choices[sheet_choice], sheet.lang)
    choice = next(c for c in question.choices if c.html == words)
    return question.number, choice.letter


def table(sheet: Sheet, rows: list[tuple[str, str, str, list[int | None]]], versions: int,
          seed: str) -> bytes:
    """A responses CSV: rows of (participant, moment, version letter, sheet choice per sheet
    question or None for no answer)."""
    pre_post = any(moment for _, moment, _, _ in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = len(sheet.quiz)
    writer.writerow(["participant", "moment", "edition", *range(1, count + 1)])
    for participant, moment, version, chosen in rows:
        name = "-".join(part for part in (moment, version) if part)
        cells = [""] * count
        for question, choice in enumerate(chosen):
            if choice is not None:
                number, letter = printed_letter(sheet, name, versions, seed, pre_post,
                                                question, choice)
                cells[number - 1] = letter
        writer.writerow([participant, moment, version, *cells])
    return buffer.getvalue().encode("utf-8")


def sample_rows(sheet: Sheet, people: int = 24, seed: int = 2026
                ) -> list[tuple[str, str, str, list[int | None]]]:
    """A workshop: each participant before and after (two only before, one only after), a
    random version each time, right more often after; some answers left empty."""
    rng = random.Random(seed)
    rows = []
    keys = [LETTERS.index(q.answer) for q in sheet.quiz]
    for moment, right in (("before", 0.4), ("after", 0.75)):
        for n in range(1, people + 1):
            if (moment == "after" and n in (5, 17)) or (moment == "before" and n == 24):
                continue
            chosen: list[int | None] = []
            for key, question in zip(keys, sheet.quiz, strict=True):
                draw = rng.random()
                if draw < 0.05:
                    chosen.append(None)
                elif draw < right:
                    chosen.append(key)
                else:
                    chosen.append(rng.choice([c for c in range(len(question.choices))
                                              if c != key]))
            rows.append((f"P{n:02d}", moment, rng.choice("ABCD"), chosen))
    return rows


def main() -> None:
    sheet = load_sheet(SAMPLE)
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_bytes(table(sheet, sample_rows(sheet), VERSIONS, SEED))


if __name__ == "__main__":
    main()
