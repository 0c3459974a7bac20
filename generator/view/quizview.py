"""The quiz's part of a sheet's view: its questions numbered and lettered once (so that quiz,
key, grid and CSV cannot disagree), each edition's order and marks, the marking grid's columns
and the tally sheet's rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import TypeVar

from markupsafe import Markup

from ..sheet.kahootwording import KAHOOT_TIME
from ..sheet.model import LETTERS, Question, Sheet
from . import labels
from .addresses import QrCode, qr_code
from .commonview import CommonView
from .markup import inline, paragraphs, plain, plain_paragraphs
from .versions import VERSION_LETTERS, Arrangement, Edition, original

# The longest choice (characters) that still fits half the quiz's width: on every paper,
# and on A4 and Letter only. A question whose choices all fit sets them in two columns.
TWO_COLUMNS_EVERY_PAPER = 18
TWO_COLUMNS_WIDE_PAPER = 28
TAB_SLOTS = 6  # heights of the edition tab down the page's edge
# The machine-readable answer sheet (read back by `handouts scan`): questions per page, per
# column of a page, and digits of the participant code. A5 is too narrow for two columns of
# six boxes and too short for fifteen lines under the header: one column of eight a page.
SCAN_PER_PAGE = 30
SCAN_PER_COLUMN = 15
SCAN_PER_PAGE_ON = {"a5": 8}  # papers with fewer questions a page (one column)
CODE_DIGITS = 4
SCAN_CODE_PREFIX = "HO1"  # the QR code's format, and its version


@dataclass(frozen=True)
class Choice:
    letter: str  # uppercase, as printed everywhere (B and D never mistaken like b and d)
    html: Markup
    correct: bool
    text: str = ""  # plain text, for the quiz exports that take no HTML (GIFT, Kahoot)


@dataclass(frozen=True)
class KahootQuestion:
    """A question as Kahoot's spreadsheet gets it: the `kahoot:` wording where the sheet
    gives one, else the question's own, as plain text (the limits are checked on these)."""

    question: str
    choices: list[str]
    answer: int  # the right choice's place, 0-based
    time: int  # seconds


def kahoot_question(item: Question, lang: str) -> KahootQuestion:
    """The Kahoot wording of one sheet question."""
    short = item.kahoot
    choices = (short.choices if short and short.choices
               else [plain(choice, lang) for choice in item.choices])
    letter = short.answer if short and short.answer else item.answer
    return KahootQuestion(short.question if short and short.question
                          else plain(item.question, lang),
                          choices, LETTERS.index(letter),
                          short.time if short and short.time else KAHOOT_TIME)


@dataclass(frozen=True)
class QuizQuestion:
    number: int  # as printed
    sheet_number: int  # its place in the sheet, 1-based
    html: Markup
    pages: str | None
    choices: list[Choice]
    answer: Choice
    explanation: list[Markup]
    points: int = 1
    choice_fit: str = ""  # "fit-all" / "fit-wide": two columns of choices (every / wide paper)
    # what the quiz exports (documents/quizexport.py…) need besides the printed quiz
    text: str = ""  # the question as plain text
    explanation_text: list[str] = field(default_factory=list)  # its paragraphs, plain
    shuffle: bool = True
    pin_last: bool = False
    kahoot: KahootQuestion | None = None


@dataclass(frozen=True)
class EditionMark:
    """What tells an edition apart on paper at a glance, in black and white too: its letter
    large on a tab, the phase word above it, the tab's height down the page's edge (one slot
    per version letter) and its fill (solid before, outlined after)."""

    letter: str | None  # "B"
    phase: str | None  # "Before", in the sheet's language
    slot: int  # 0 to TAB_SLOTS - 1
    solid: bool
    label: str  # for participants, without the seed: "Before · Version B"
    seed: str | None  # for facilitators only: "seed 42"


@dataclass(frozen=True)
class EditionColumn:
    """One edition's questions in its printed order: a column of the marking grid."""

    label: str | None
    questions: list[QuizQuestion]
    mark: EditionMark | None = None


@dataclass(frozen=True)
class PrintedPlace:
    """Where a sheet question is printed in one edition: "B" → number 3."""

    version: str  # the version letter, or "" when the edition keeps the sheet's order
    number: int


@dataclass(frozen=True)
class TallyRow:
    """A row of the tally sheet: one question of the sheet, with its printed number in
    every edition before and after, so that a mixed pile of papers can be counted."""

    sheet_number: int
    html: Markup
    before: list[PrintedPlace]
    after: list[PrintedPlace]


@dataclass(frozen=True, kw_only=True)
class QuizView(CommonView):
    """What the quiz, the answer key, the answer sheet, the marking grid and the tally sheet
    print: the common part, the quiz as printed in one edition, and the edition's marks."""

    quiz_title: Markup  # the quiz's and key's title, whole: short_title, or else the title
    quiz_title_a5: Markup  # the same on A5 (one title everywhere: titles.py)
    quiz: list[QuizQuestion]
    quiz_total: int
    quiz_instructions: str
    key_instructions: str
    page_refs: bool = True  # the quiz prints its page references (never a "Before" quiz's)
    edition_mark: EditionMark | None = None  # the edition's tab
    seed_note: str | None = None  # "Versions drawn with seed 42": facilitator documents only
    all_editions: list[EditionColumn] = field(default_factory=list)  # for the marking grid
    edition_version: str = ""  # "B", or "" (the answer sheet's QR code names its edition)
    edition_phase: str = ""  # "before", "after" or ""
    tally: list[TallyRow] = field(default_factory=list)  # for the tally sheet

    @property
    def tally_has_versions(self) -> bool:
        """Whether editions print the questions in other orders (the tally then says where)."""
        return any(place.version for row in self.tally for place in row.before + row.after)

    @property
    def weighted(self) -> bool:
        """Whether some question counts for more (or less) than one point: then the answer
        sheet and the key's glance grid print every question's points."""
        return any(question.points != 1 for question in self.quiz)

    def pictures_for(self, paper: str) -> frozenset[str]:
        """The sheet's pictures, and the answer sheet's QR codes on this paper."""
        return self.pictures | {page.qr.uri for page in self.answer_pages(paper)}

    def answer_pages(self, paper: str) -> list[AnswerPage]:
        """The answer sheet's pages: up to SCAN_PER_PAGE questions each, in columns of
        SCAN_PER_COLUMN (fewer on A5), each page with its QR code (sheet, edition, page,
        paper, digest)."""
        per_page = SCAN_PER_PAGE_ON.get(paper, SCAN_PER_PAGE)
        per_column = min(per_page, SCAN_PER_COLUMN)
        chunks = [self.quiz[start:start + per_page]
                  for start in range(0, len(self.quiz), per_page)]
        digest = quiz_digest(self.slug, self.edition_version, self.edition_phase, self.quiz)
        pages = []
        for number, chunk in enumerate(chunks, start=1):
            code = ScanCode(self.slug, self.edition_version, self.edition_phase, number,
                            paper, digest)
            columns = [chunk[start:start + per_column]
                       for start in range(0, len(chunk), per_column)]
            pages.append(AnswerPage(number, columns,
                                    qr_code(code.payload(), self.labels["scan_code_alt"],
                                            border=0)))
        return pages

    @property
    def choice_letters(self) -> str:
        """The letters of the longest question's choices: the columns of an answer sheet."""
        return LETTERS[: max(len(question.choices) for question in self.quiz)].upper()


Quiz = TypeVar("Quiz", bound=QuizView)


@dataclass(frozen=True)
class ScanCode:
    """What an answer sheet's QR code holds: `HO1|slug|B|before|1|a4|digest` (empty fields
    for no version or no phase). The scanner renders this sheet's page again from it, and
    refuses a sheet whose digest is not the quiz edition's it is given."""

    slug: str
    version: str
    phase: str
    page: int
    paper: str
    digest: str

    def payload(self) -> str:
        return "|".join((SCAN_CODE_PREFIX, self.slug, self.version, self.phase,
                         str(self.page), self.paper, self.digest))

    @classmethod
    def parse(cls, text: str) -> ScanCode | None:
        """The code read from a QR code, or None when it is not one of ours."""
        parts = text.split("|")
        if len(parts) != 7 or parts[0] != SCAN_CODE_PREFIX or not parts[4].isdigit():
            return None
        return cls(parts[1], parts[2], parts[3], int(parts[4]), parts[5], parts[6])

    @property
    def edition_name(self) -> str:
        """As in file names and Edition.name: "before-B", "A", ""."""
        return "-".join(part for part in (self.phase, self.version) if part)


@dataclass(frozen=True)
class AnswerPage:
    """One page of the machine-readable answer sheet."""

    number: int
    columns: list[list[QuizQuestion]]
    qr: QrCode


def quiz_digest(slug: str, version: str, phase: str, quiz: list[QuizQuestion]) -> str:
    """8 hex digits that change with anything that moves a box or changes what it means: the
    edition, the questions' order, their choices' order and words, their points."""
    hasher = hashlib.sha256("\0".join((slug, version, phase)).encode())
    for question in quiz:
        hasher.update(f"\1{question.number}\0{question.sheet_number}\0{question.points}".encode())
        for choice in question.choices:
            hasher.update(f"\2{choice.letter}\0{choice.html}".encode())
    return hasher.hexdigest()[:8]


def quiz_questions(sheet: Sheet, arrangement: Arrangement | None = None) -> list[QuizQuestion]:
    """The quiz as printed in one arrangement (default: the sheet's own order), numbered and
    lettered here so that quiz, key, grid and CSV cannot disagree."""
    lang = sheet.lang
    arrangement = arrangement or original(sheet)
    questions = []
    for number, index in enumerate(arrangement.questions, start=1):
        item = sheet.quiz[index]
        correct = LETTERS.index(item.answer)
        choices = [
            Choice(letter.upper(), inline(item.choices[original_index], lang),
                   original_index == correct, plain(item.choices[original_index], lang))
            for letter, original_index in zip(LETTERS, arrangement.choices[index], strict=False)
        ]
        questions.append(
            QuizQuestion(
                number=number,
                sheet_number=index + 1,
                html=inline(item.question, lang),
                pages=labels.format_pages(item.pages, lang),
                choices=choices,
                answer=next(choice for choice in choices if choice.correct),
                explanation=paragraphs(item.explanation, lang) if item.explanation else [],
                points=item.points,
                choice_fit=_choice_fit(item.choices),
                text=plain(item.question, lang),
                explanation_text=plain_paragraphs(item.explanation, lang)
                if item.explanation else [],
                shuffle=item.shuffle,
                pin_last=item.pin_last,
                kahoot=kahoot_question(item, lang),
            )
        )
    return questions


def _choice_fit(choices: list[str]) -> str:
    """Whether every choice fits half the quiz's width, on every paper or on wide ones."""
    longest = max(len(" ".join(choice.split())) for choice in choices)
    if longest <= TWO_COLUMNS_EVERY_PAPER:
        return "fit-all"
    return "fit-wide" if longest <= TWO_COLUMNS_WIDE_PAPER else ""


def quiz_instructions(quiz: list[QuizQuestion], text: dict[str, str],
                      page_refs: bool = True) -> str:
    """Page references are mentioned only when the quiz prints some."""
    sentences = [text["quiz_instructions"]]
    if page_refs and any(question.pages for question in quiz):
        sentences.append(text["quiz_instructions_pages"])
    return " ".join(sentences)


def key_instructions(quiz: list[QuizQuestion], text: dict[str, str]) -> str:
    one_point_each = all(question.points == 1 for question in quiz)
    return text["key_instructions" if one_point_each else "key_instructions_points"]


def edition_mark(text: dict[str, str], edition: Edition) -> EditionMark:
    """The tab of one edition; its slot follows the version letter, so A, B, C… step down
    the page's edge and a mixed pile shows its editions from the side."""
    slot = VERSION_LETTERS.index(edition.version) % TAB_SLOTS if edition.version else 0
    return EditionMark(
        letter=edition.version,
        phase=text[f"phase_{edition.phase}"] if edition.phase else None,
        slot=slot,
        solid=edition.phase != "after",
        label=edition_label(text, edition) or "",
        seed=text["seed_n"].format(seed=edition.seed) if edition.seed else None,
    )


def edition_view(view: Quiz, sheet: Sheet, edition: Edition, arrangement: Arrangement,
                 page_refs: bool = True) -> Quiz:
    """The view of one quiz edition: its questions in its order, its label and its tab, and
    its page references unless asked not to or a pre-test (they would point to the answers
    before the session; the key keeps them for the facilitator)."""
    mark = edition_mark(view.labels, edition) if edition.version or edition.phase else None
    questions = quiz_questions(sheet, arrangement)
    shown = page_refs and edition.phase != "before"
    return replace(view, quiz=questions, page_refs=shown,
                   quiz_instructions=quiz_instructions(questions, view.labels, shown),
                   edition=edition_label(view.labels, edition), edition_mark=mark,
                   edition_version=edition.version or "", edition_phase=edition.phase or "",
                   seed_note=view.labels["seed_label"].format(seed=edition.seed)
                   if edition.seed else None)


def marking_view(view: Quiz, editions: list[tuple[Edition, Quiz]], seed: str | None) -> Quiz:
    """The view of the marking grid and of the tally sheet: every edition's questions side
    by side, and each sheet question's printed number in every edition."""
    text = view.labels
    return replace(view, all_editions=[
        EditionColumn(edition_label(text, edition, short=True), printed.quiz,
                      edition_mark(text, edition))
        for edition, printed in editions
    ], seed_note=text["seed_label"].format(seed=seed) if seed else None,
        tally=_tally(view, editions))


def _tally(view: Quiz, editions: list[tuple[Edition, Quiz]]) -> list[TallyRow]:
    def places(sheet_number: int, phase: str | None) -> list[PrintedPlace]:
        return [PrintedPlace(edition.version or "",
                             next(q.number for q in printed.quiz
                                  if q.sheet_number == sheet_number))
                for edition, printed in editions if edition.phase == phase]

    return [TallyRow(question.sheet_number, question.html,
                     places(question.sheet_number, "before"),
                     places(question.sheet_number, "after"))
            for question in view.quiz]


def edition_label(text: dict[str, str], edition: Edition, short: bool = False) -> str | None:
    """The edition's name as printed: "Before · Version B" on its pages (the seed is for
    facilitators only), or "Before B" as a column of the marking grid."""
    parts = []
    if edition.phase:
        parts.append(text[f"phase_{edition.phase}"])
    if edition.version:
        parts.append(edition.version if short else f"{text['version']} {edition.version}")
    return (" " if short else " · ").join(parts) or None
