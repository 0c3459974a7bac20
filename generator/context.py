"""Turn a validated sheet into what the templates print.

Everything derived lives here, not in templates: section numbers, question numbers and
letters, the correct choice's text, formatted dates and page references, Markdown as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from markupsafe import Markup

from . import labels, typography
from .markup import inline, paragraphs
from .model import LETTERS, PagedText, Sheet
from .versions import Arrangement, Edition, original

SECTION_ORDER = (
    "summary",
    "key_points",
    "action_paths",
    "references",
    "values",
    "reliability",
    "quiz",
    "faq",
    "easy_read",
)
SHORT_TITLE_LENGTH = 60


@dataclass(frozen=True)
class Heading:
    number: int
    title: str
    anchor: str


@dataclass(frozen=True)
class Point:
    html: Markup
    pages: str | None


@dataclass(frozen=True)
class Choice:
    letter: str
    html: Markup
    correct: bool


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


@dataclass
class SheetView:
    """Everything a handout template may print, already formatted and escaped."""

    lang: str
    slug: str
    labels: dict[str, str]
    title: Markup
    plain_title: str
    short_title: str
    source: dict
    sheet: dict
    highlights: list[Markup]
    introduction: list[Markup]
    headings: dict[str, Heading]
    summary: list[dict]
    key_points: list[Point]
    action_paths: list[Point]
    references: list[dict]
    values: dict
    reliability: dict
    quiz: list[QuizQuestion]
    quiz_total: int
    quiz_instructions: str
    key_instructions: str
    faq: list[dict]
    easy_read: dict
    tags: list[str]
    pictures: frozenset[str] = frozenset()  # file URIs the PDF engine may read, and no other
    edition: str | None = None  # "Version B · seed 42", "Before"… printed on every page
    all_editions: list = field(default_factory=list)  # (label, questions), for the grid
    metadata: dict = field(default_factory=dict)

    @property
    def choice_letters(self) -> str:
        """The letters of the longest question's choices: the columns of an answer sheet."""
        return LETTERS[: max(len(question.choices) for question in self.quiz)]


def shorten(text: str, limit: int = SHORT_TITLE_LENGTH) -> str:
    """A running-header title: cut at a word or at a colon, never mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text.split(":")[0].strip()
    if 0 < len(head) <= limit:
        return head
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"


def _points(items: list[PagedText], lang: str) -> list[Point]:
    return [Point(inline(item.text, lang), labels.format_pages(item.pages, lang))
            for item in items]


def _headings(sheet: Sheet, text: dict[str, str]) -> dict[str, Heading]:
    present = [key for key in SECTION_ORDER if key != "references" or sheet.references]
    headings = {}
    for number, key in enumerate(present, start=1):
        title = text[f"sec_{key}"].format(count=len(sheet.quiz))
        headings[key] = Heading(number, title, f"section-{key.replace('_', '-')}")
    return headings


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
            Choice(letter, inline(item.choices[original_index], lang), original_index == correct)
            for letter, original_index in zip(LETTERS, arrangement.choices[index], strict=False)
        ]
        questions.append(
            QuizQuestion(
                number=number,
                sheet_number=index + 1,
                html=inline(item.question, lang),
                pages=labels.format_pages(item.pages, sheet.lang),
                choices=choices,
                answer=next(choice for choice in choices if choice.correct),
                explanation=paragraphs(item.explanation, lang) if item.explanation else [],
                points=item.points,
            )
        )
    return questions


def edition_view(view: SheetView, sheet: Sheet, edition: Edition,
                 arrangement: Arrangement) -> SheetView:
    """The view of one quiz edition: its questions in its order, and its label."""
    return replace(view, quiz=quiz_questions(sheet, arrangement),
                   edition=edition_label(view.labels, edition))


def marking_view(view: SheetView, editions: list[tuple[Edition, SheetView]],
                 seed: str | None) -> SheetView:
    """The view of the marking grid: every edition's questions side by side."""
    return replace(view, all_editions=[
        (edition_label(view.labels, edition, short=True), printed.quiz)
        for edition, printed in editions
    ], edition=view.labels["seed_label"].format(seed=seed) if seed else None)


def edition_label(text: dict[str, str], edition: Edition, short: bool = False) -> str | None:
    """The edition's name as printed: "Before · Version B · seed 42" on its pages, or
    "Before B" as a column of the marking grid."""
    parts = []
    if edition.phase:
        parts.append(text[f"phase_{edition.phase}"])
    if edition.version:
        parts.append(edition.version if short else
                     text["version_label"].format(version=edition.version, seed=edition.seed))
    return (" " if short else " · ").join(parts) or None


def build_view(sheet: Sheet) -> SheetView:
    """The one view of a sheet that every handout kind prints a part of."""
    lang = sheet.lang
    text = {key: typography.apply(value, lang) for key, value in labels.catalog(lang).items()}

    def md(value: str) -> Markup:
        return inline(value, lang)

    def plain(value: str | None) -> str | None:
        return typography.apply(" ".join(value.split()), lang) if value else value

    quiz = quiz_questions(sheet)
    date_text = labels.format_date(sheet.sheet.date, lang)
    return SheetView(
        lang=lang,
        slug=sheet.slug,
        labels=text,
        title=md(sheet.title),
        plain_title=plain(sheet.title),
        short_title=plain(shorten(sheet.title)),
        source={
            "authors": labels.format_list([plain(a) for a in sheet.source.authors], lang),
            "publisher": plain(sheet.source.publisher),
            "published": plain(sheet.source.published),
            "url": sheet.source.url,
        },
        sheet={
            "author": plain(sheet.sheet.author),
            "site": plain(sheet.sheet.site),
            "date": date_text,
            "iso_date": sheet.sheet.date.isoformat(),
        },
        highlights=[md(line) for line in sheet.highlights],
        introduction=paragraphs(sheet.introduction, lang) if sheet.introduction else [],
        headings=_headings(sheet, text),
        summary=[
            {"heading": md(item.heading), "paragraphs": paragraphs(item.text, lang)}
            for item in sheet.summary
        ],
        key_points=_points(sheet.key_points, lang),
        action_paths=_points(sheet.action_paths, lang),
        references=[
            {
                "title": md(ref.title),
                "note": md(ref.note) if ref.note else None,
                "url": ref.url,
            }
            for ref in sheet.references
        ],
        values={
            "criteria": [
                {"name": md(c.name), "assessment": md(c.assessment)}
                for c in sheet.values.criteria
            ],
            "conclusion": paragraphs(sheet.values.conclusion, lang),
        },
        reliability={
            "criteria": [
                {"name": md(c.name), "assessment": md(c.assessment)}
                for c in sheet.reliability.criteria
            ],
            "recommendation": paragraphs(sheet.reliability.recommendation, lang),
        },
        quiz=quiz,
        quiz_total=sum(question.points for question in quiz),
        key_instructions=text["key_instructions" if all(q.points == 1 for q in quiz)
                              else "key_instructions_points"],
        quiz_instructions=" ".join(
            [text["quiz_instructions"]]
            + ([text["quiz_instructions_pages"]] if any(q.pages for q in quiz) else [])
        ),
        faq=[
            {
                "number": number,
                "question": md(item.question),
                "answer": paragraphs(item.answer, lang),
                "pages": labels.format_pages(item.pages, lang),
            }
            for number, item in enumerate(sheet.faq, start=1)
        ],
        easy_read={
            "summary": [
                {
                    "heading": md(part.heading),
                    "lines": [md(line) for line in part.lines],
                    "pictogram": part.picture.uri if part.picture else None,
                    "pictogram_alt": part.pictogram_alt or part.heading,
                }
                for part in sheet.easy_read.summary
            ],
            "key_points": [md(line) for line in sheet.easy_read.key_points],
        },
        tags=list(sheet.tags),
        pictures=frozenset(
            part.picture.uri for part in sheet.easy_read.summary if part.picture
        ),
        metadata={
            "author": sheet.sheet.author,
            "keywords": ", ".join(sheet.tags),
            "created": sheet.sheet.date.isoformat(),
        },
    )
