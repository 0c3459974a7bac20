"""Responses tables for the tests, written the way a facilitator fills them: from what each
printed quiz shows (its numbers and its choices' words), never through the results' own
mapping. `python -m tests.responses_data` writes the committed fixtures of
tests/data/responses/ again (tests/test_results.py checks they are what this makes).

The answers are drawn from a small model of learners, so that the demo report shows what a
trainer meets in a real workshop rather than noise: each participant has an ability, each
question a difficulty and a discrimination (a two-parameter logistic model, "2PL"), and the
workshop adds to each ability. A wrong answer goes to the question's attractive distractor
(a likely misconception) more often than to the others; a few answers are left empty, a
few have two letters ticked.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

from generator.sheet.loader import load_sheet
from generator.sheet.model import LETTERS, Sheet
from generator.view.markup import inline
from generator.view.quizview import quiz_questions
from generator.view.versions import arrangements, editions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "educational-alliances.yaml"
FRENCH_SAMPLE = ROOT / "content" / "competences-psychosociales.yaml"
RESPONSES = Path(__file__).resolve().parent / "data" / "responses"
FIXTURE = RESPONSES / "educational-alliances-pre-post.csv"
FRENCH_FIXTURE = RESPONSES / "competences-psychosociales-pre-post.csv"
VERSIONS, SEED = 4, "7"  # the quizzes' editions: --versions 4 --seed 7
DRAW_SEED = 2027  # the model's draw

# A sheet choice per question, None for no answer, or several choices (an invalid tick).
Pick = int | None | tuple[int, ...]
Row = tuple[str, str, str, list[Pick]]


@dataclass(frozen=True)
class ItemModel:
    """One question of the model: P(right) = 1 / (1 + exp(-discrimination · (θ - difficulty)));
    `attractive` the sheet choice a wrong answer goes to most (the next choice when it is the
    answer itself)."""

    difficulty: float
    discrimination: float
    attractive: int


# The sample's five questions, in the sheet's order. Question 2 (the CPO's role as a
# coordinator) is easy once the workshop has shown it: after it, almost everyone gets it
# right, and the report flags it as telling little. Question 1's "individual, educational,
# national" is the misconception the workshop corrects: before, it draws as many as the answer.
MODEL = (ItemModel(0.4, 1.8, 0), ItemModel(-1.6, 1.4, 2), ItemModel(0.1, 1.9, 0),
         ItemModel(0.8, 1.6, 0), ItemModel(0.5, 1.5, 1))
ABILITY = (-0.4, 1.0)  # before the workshop: mean and standard deviation
GAIN = (1.4, 0.6)  # what the workshop adds to each ability: mean and standard deviation
ATTRACTION = 0.6  # the share of wrong answers that go to the attractive distractor
BLANK_RATE = {"before": 0.06, "after": 0.02}  # answers left empty
DOUBLE_RATE = 0.015  # two letters ticked (an invalid answer)


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


def table(sheet: Sheet, rows: list[Row], versions: int, seed: str) -> bytes:
    """A responses CSV: rows of (participant, moment, version letter, sheet choice per sheet
    question: None for no answer, a tuple for several letters ticked)."""
    pre_post = any(moment for _, moment, _, _ in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = len(sheet.quiz)
    writer.writerow(["participant", "moment", "edition", *range(1, count + 1)])
    for participant, moment, version, chosen in rows:
        name = "-".join(part for part in (moment, version) if part)
        cells = [""] * count
        for question, pick in enumerate(chosen):
            if pick is None:
                continue
            letters = []
            for choice in pick if isinstance(pick, tuple) else (pick,):
                number, letter = printed_letter(sheet, name, versions, seed, pre_post,
                                                question, choice)
                letters.append(letter)
            cells[number - 1] = "".join(sorted(letters))
        writer.writerow([participant, moment, version, *cells])
    return buffer.getvalue().encode("utf-8")


def _wrong(rng: random.Random, key: int, choices: int, attractive: int) -> int:
    lure = attractive if attractive != key else (key + 1) % choices
    if rng.random() < ATTRACTION:
        return lure
    return rng.choice([c for c in range(choices) if c not in (key, lure)])


def sample_rows(sheet: Sheet, people: int = 24, seed: int = DRAW_SEED) -> list[Row]:
    """A workshop drawn from the model: each participant before and after (P05 and P17 only
    before, P24 only after), a random version each time."""
    if len(sheet.quiz) != len(MODEL):
        raise ValueError(f"the model has {len(MODEL)} questions, the sheet {len(sheet.quiz)}")
    rng = random.Random(seed)
    keys = [LETTERS.index(q.answer) for q in sheet.quiz]
    ability = [rng.gauss(*ABILITY) for _ in range(people)]
    after = [theta + rng.gauss(*GAIN) for theta in ability]
    rows: list[Row] = []
    for moment, thetas in (("before", ability), ("after", after)):
        for n, theta in enumerate(thetas, start=1):
            if (moment == "after" and n in (5, 17)) or (moment == "before" and n == 24):
                continue
            chosen: list[Pick] = []
            for key, question, item in zip(keys, sheet.quiz, MODEL, strict=True):
                choices = len(question.choices)
                right = 1 / (1 + math.exp(-item.discrimination * (theta - item.difficulty)))
                draw = rng.random()
                if draw < BLANK_RATE[moment]:
                    chosen.append(None)
                elif draw < BLANK_RATE[moment] + DOUBLE_RATE:
                    chosen.append((key, _wrong(rng, key, choices, item.attractive)))
                elif rng.random() < right:
                    chosen.append(key)
                else:
                    chosen.append(_wrong(rng, key, choices, item.attractive))
            rows.append((f"P{n:02d}", moment, rng.choice("ABCD"), chosen))
    return rows


def main() -> None:
    RESPONSES.mkdir(parents=True, exist_ok=True)
    for source, fixture in ((SAMPLE, FIXTURE), (FRENCH_SAMPLE, FRENCH_FIXTURE)):
        sheet = load_sheet(source)
        fixture.write_bytes(table(sheet, sample_rows(sheet), VERSIONS, SEED))


if __name__ == "__main__":
    main()
