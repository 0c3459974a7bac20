"""Responses mapped back to the sheet's questions and choices, then scored.

The printed numbers and letters of each edition are turned back into the sheet's with the
arrangements that printed them (versions.py: the same seed, the same code), so a result never
depends on a key typed by hand. Every mistake of the table is said at its cell, all at once;
then scores and statistics (stats.py) per participant, question and moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import Problem, SheetError
from ..sheet.model import LETTERS
from . import stats
from .versions import Arrangement, arrangements, editions, editions_digest

if TYPE_CHECKING:
    from ..sheet.model import Sheet
    from ..sheet.responses import Cell, ResponseRow, Responses

BLANK = -1  # no letter ticked
INVALID = -2  # several letters ticked


@dataclass(frozen=True)
class Doubled:
    """An answer with several letters ticked, at its cell: counted as wrong, listed by the
    report and said as a warning, so that the facilitator can look at the paper."""

    participant: str
    moment: str
    question: int  # the sheet's number (the report's)
    printed: int  # the number on the participant's paper
    letters: str
    file: str
    line: int
    column: int

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def warning(self) -> Problem:
        quiz = f" ({self.moment})" if self.moment else ""
        return Problem(self.file, self.line, self.column, "", (
            f"participant {self.participant or '(none)'}{quiz}, question {self.printed} of "
            f"the paper: several letters ticked ({self.letters}), counted as wrong; if the "
            "paper shows one answer, write its letter"), "warning")


@dataclass(frozen=True)
class Answered:
    """One completed quiz in the sheet's terms: per sheet question, the sheet's choice index
    ticked, BLANK or INVALID (its cells in `doubled`)."""

    participant: str
    moment: str  # "before", "after" or "" for a single quiz
    chosen: tuple[int, ...]
    where: str  # file:line, for the report of unpaired rows
    doubled: tuple[Doubled, ...] = ()


def map_responses(sheet: Sheet, responses: Responses, versions: int, seed: str
                  ) -> list[Answered]:
    """Each row through its edition's arrangement; SheetError listing every mistake."""
    problems: list[Problem] = []
    count = len(sheet.quiz)
    paired = any(row.moment.text for row in responses.rows)
    all_editions = editions(versions, seed, paired)
    orders = arrangements(sheet, all_editions)
    digest = editions_digest(sheet, orders)
    _check_columns(responses, count, sheet.slug, problems)
    seen: dict[tuple[str, str], int] = {}
    answered = []
    for row in responses.rows:
        moment = _moment(row, paired, problems)
        order = None if row.sheet_order else _order(row, moment, versions, orders, problems)
        if row.digest is not None and row.digest.text and row.digest.text != digest:
            problems.append(row.digest.problem(
                f"this table was made for other editions (digest {row.digest.text}; this sheet "
                f"printed with --versions {versions} --seed {seed} gives {digest}): give the "
                "versions and seed the quizzes were printed with, or the sheet they came from"))
        code = row.participant.text
        if not code:
            problems.append(row.participant.problem(
                "the participant code is empty: write the code written on the quiz"))
        elif moment is not None:
            first = seen.setdefault((code, moment), row.participant.line)
            if first != row.participant.line:
                quiz = f"a {moment} quiz" if moment else "a quiz"
                problems.append(row.participant.problem(
                    f"participant {code} already has {quiz} on line {first}: one quiz per "
                    "participant and moment; correct the code"))
        chosen = [BLANK] * count
        doubled = []
        for number, cell in sorted(row.answers.items()):
            if number > count:
                continue  # said once, at the column
            _answer(cell, number, order, sheet, chosen, problems, row.edition.text.upper())
            index = number - 1 if order is None else order.questions[number - 1]
            if chosen[index] == INVALID:
                doubled.append(Doubled(code, moment or "", index + 1, number, cell.text,
                                       cell.file, cell.line, cell.column))
        answered.append(Answered(code, moment or "", tuple(chosen),
                                 f"{row.participant.file}:{row.participant.line}",
                                 tuple(doubled)))
    if problems:
        problems.sort(key=lambda p: (p.file, p.line or 0, p.column or 0))
        raise SheetError(problems)
    return answered


def _check_columns(responses: Responses, count: int, slug: str,
                   problems: list[Problem]) -> None:
    for number, cell in sorted(responses.numbers.items()):
        if number > count:
            problems.append(cell.problem(
                f"question {number}: the quiz of {slug} has {count} questions; remove this "
                "column, or check that the table was made for this sheet"))
    missing = [n for n in range(1, count + 1) if n not in responses.numbers]
    if missing and responses.numbers and not responses.sheet_order:
        first = min(responses.numbers.values(), key=lambda c: c.column)
        problems.append(Problem(first.file, first.line, first.column, "",
                                f"the table has {len(responses.numbers)} question columns but "
                                f"the quiz of {slug} has {count}: is it made for another "
                                f"sheet? Add the column(s) {', '.join(map(str, missing))}"))


def _moment(row: ResponseRow, paired: bool, problems: list[Problem]) -> str | None:
    word = row.moment.text.casefold()
    if word in ("before", "after"):
        return word
    if word:
        problems.append(row.moment.problem(f"moment `{row.moment.text}`: write before or "
                                           "after, or leave it empty for a single quiz"))
        return None
    if paired:
        problems.append(row.moment.problem("the moment is empty but other lines say before "
                                           "or after: write before or after"))
        return None
    return ""


def _order(row: ResponseRow, moment: str | None, versions: int,
           orders: dict[str, Arrangement], problems: list[Problem]) -> Arrangement | None:
    """The arrangement the row's quiz was printed in, or None after saying why not."""
    if moment is None:
        return None
    letter = row.edition.text.upper()
    printed = ", ".join(sorted({name.rsplit("-", 1)[-1] for name in orders if name}))
    if versions == 1:
        if letter:
            problems.append(row.edition.problem(
                f"edition `{row.edition.text}`: the quiz was printed in one version; leave "
                "the edition empty, or give --versions N as the quizzes were printed"))
            return None
        return orders[moment]
    if not letter:
        problems.append(row.edition.problem(f"the edition is empty: write the version letter "
                                            f"printed on the quiz ({printed})"))
        return None
    name = "-".join(part for part in (moment, letter) if part)
    if name not in orders:
        problems.append(row.edition.problem(
            f"unknown edition `{row.edition.text}`: the quizzes were printed as {printed} "
            f"(--versions {versions}); write the letter printed on the quiz"))
        return None
    return orders[name]


def _answer(cell: Cell, number: int, order: Arrangement | None, sheet: Sheet,
            chosen: list[int], problems: list[Problem], edition: str) -> None:
    """The sheet's choice behind a printed letter; several letters are INVALID."""
    letters = {c for c in cell.text.upper() if c not in " ,;/+&"}
    if not letters:
        return
    if len(letters) > 1:
        index = number - 1 if order is None else order.questions[number - 1]
        chosen[index] = INVALID
        return
    letter = letters.pop()
    index = number - 1 if order is None else order.questions[number - 1]
    choices = len(sheet.quiz[index].choices)
    position = LETTERS.upper().find(letter)
    if position < 0 or position >= choices:
        available = f"A–{LETTERS[choices - 1].upper()}"
        printed = f" of edition {edition}" if edition and order is not None else ""
        problems.append(cell.problem(
            f"question {number}{printed} has no choice {cell.text} (its choices are "
            f"{available}): write the letter ticked, or leave the cell empty"))
        return
    chosen[index] = position if order is None else order.choices[index][position]


@dataclass(frozen=True)
class QuestionResult:
    """One sheet question at one moment."""

    number: int  # the sheet's
    moment: str
    respondents: int
    correct: int
    blank: int
    invalid: int
    difficulty: float | None  # share correct (blank and invalid count as wrong)
    discrimination: float | None
    shares: tuple[float, ...]  # per sheet choice, in the sheet's letter order
    flags: tuple[str, ...]  # too_easy, too_hard, negative, distractor


@dataclass(frozen=True)
class MomentResult:
    moment: str
    participants: int
    mean: float | None
    sd: float | None
    kr20: float | None
    scores: tuple[int, ...]


@dataclass(frozen=True)
class ParticipantResult:
    participant: str
    before: int | None  # or the score of a single quiz
    after: int | None
    gain: float | None  # normalised gain, paired participants only


@dataclass(frozen=True)
class PairedResult:
    count: int
    mean_before: float | None
    mean_after: float | None
    mean_gain: float | None
    hake: float | None
    band: str | None
    cohen_dz: float | None
    unpaired: tuple[tuple[str, str, str], ...]  # (code, its one moment, "results.csv:9")


@dataclass(frozen=True)
class Results:
    maximum: int
    pre_post: bool
    moments: tuple[MomentResult, ...]
    questions: tuple[QuestionResult, ...]
    participants: tuple[ParticipantResult, ...]
    paired: PairedResult | None
    choices: int  # the most choices of a question: the CSV's letter columns
    doubled: tuple[Doubled, ...] = ()  # the answers with several letters, in table order


def score(sheet: Sheet, chosen: tuple[int, ...]) -> int:
    return sum(q.points for q, c in zip(sheet.quiz, chosen, strict=True)
               if c == LETTERS.index(q.answer))


def compute(sheet: Sheet, answered: list[Answered]) -> Results:
    """Every figure of the report, from the mapped quizzes."""
    maximum = sum(q.points for q in sheet.quiz)
    pre_post = any(a.moment for a in answered)
    moments = ("before", "after") if pre_post else ("",)
    keys = [LETTERS.index(q.answer) for q in sheet.quiz]
    moment_results, question_results = [], []
    for moment in moments:
        group = [a for a in answered if a.moment == moment]
        right = [[c == k for c, k in zip(a.chosen, keys, strict=True)] for a in group]
        totals = [float(score(sheet, a.chosen)) for a in group]
        moment_results.append(MomentResult(
            moment, len(group), stats.mean(totals), stats.sd(totals),
            stats.kr20(right), tuple(int(t) for t in totals)))
        for index, question in enumerate(sheet.quiz):
            question_results.append(_question(index, question.points, len(question.choices),
                                              keys[index], moment, group, right, totals))
    participants, paired = _participants(sheet, answered, maximum, pre_post)
    return Results(maximum, pre_post, tuple(moment_results), tuple(question_results),
                   participants, paired, max(len(q.choices) for q in sheet.quiz),
                   tuple(d for a in answered for d in a.doubled))


def _question(index: int, points: int, choices: int, key: int, moment: str,
              group: list[Answered], right: list[list[bool]], totals: list[float]
              ) -> QuestionResult:
    n = len(group)
    picked = [a.chosen[index] for a in group]
    correct = sum(row[index] for row in right)
    shares = tuple(picked.count(c) / n if n else 0.0 for c in range(choices))
    difficulty = correct / n if n else None
    discrimination = stats.point_biserial([row[index] for row in right], totals, points)
    flags = []
    if difficulty is not None and difficulty > stats.TOO_EASY:
        flags.append("too_easy")
    if difficulty is not None and difficulty < stats.TOO_HARD:
        flags.append("too_hard")
    if discrimination is not None and discrimination < 0:
        flags.append("negative")
    if any(share > shares[key] for c, share in enumerate(shares) if c != key):
        flags.append("distractor")
    return QuestionResult(index + 1, moment, n, correct, picked.count(BLANK),
                          picked.count(INVALID), difficulty, discrimination, shares,
                          tuple(flags))


def _participants(sheet: Sheet, answered: list[Answered], maximum: int, pre_post: bool
                  ) -> tuple[tuple[ParticipantResult, ...], PairedResult | None]:
    if not pre_post:
        return tuple(ParticipantResult(a.participant, score(sheet, a.chosen), None, None)
                     for a in answered), None
    before = {a.participant: a for a in answered if a.moment == "before"}
    after = {a.participant: a for a in answered if a.moment == "after"}
    rows, pairs, unpaired = [], [], []
    for code in list(before) + [c for c in after if c not in before]:
        b = score(sheet, before[code].chosen) if code in before else None
        a = score(sheet, after[code].chosen) if code in after else None
        gain = None
        if b is not None and a is not None:
            pairs.append((float(b), float(a)))
            gain = stats.normalised_gain(b, a, maximum)
        else:
            only = before.get(code) or after[code]
            unpaired.append((code, only.moment, only.where))
        rows.append(ParticipantResult(code, b, a, gain))
    bs, afs = [p[0] for p in pairs], [p[1] for p in pairs]
    mb, ma = stats.mean(bs), stats.mean(afs)
    hake = stats.normalised_gain(mb, ma, maximum) if mb is not None and ma is not None else None
    return tuple(rows), PairedResult(
        len(pairs), mb, ma, ma - mb if mb is not None and ma is not None else None, hake,
        stats.hake_band(hake) if hake is not None else None, stats.cohen_dz(bs, afs),
        tuple(unpaired))
