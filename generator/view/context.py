"""Turn a validated sheet into what the templates print.

Everything derived lives here, not in templates: section numbers, question numbers and
letters, the correct choice's text, formatted dates and page references, Markdown as HTML.
The view is typed from top to bottom (frozen dataclasses, no free dictionaries), so that a
template asking for a field that does not exist fails at once (StrictUndefined), and each part
is built by a small function of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace

from markupsafe import Markup

from ..settings import Organisation
from ..sheet.model import LETTERS, PagedText, Sheet
from ..sheet.model import Criterion as CriterionModel
from ..sheet.pictoset import is_builtin_file
from . import labels, typography
from .addresses import QrCode, qr_code, short_url
from .markup import inline, paragraphs
from .versions import Arrangement, Edition, original

SHORT_TITLE_LENGTH = 60
QUIZ_TITLE_LENGTH = 90  # characters: two lines of the quiz's title on A4 or Letter
QUIZ_TITLE_LENGTH_A5 = 55  # three lines beside the score box on A5
# The longest choice (characters) that still fits half the quiz's width: on every paper,
# and on A4 and Letter only. A question whose choices all fit sets them in two columns.
TWO_COLUMNS_EVERY_PAPER = 18
TWO_COLUMNS_WIDE_PAPER = 28
TAB_SLOTS = 6  # heights of the edition tab down the page's edge
SHORT_GRID_ROWS = 6  # a criteria grid this short moves to the next page whole


@dataclass(frozen=True)
class Heading:
    number: int
    title: str
    anchor: str


@dataclass(frozen=True)
class Headings:
    """The numbered sections of the full analysis; `references` is None when the sheet has
    none (the sections after it are numbered one less)."""

    summary: Heading
    key_points: Heading
    action_paths: Heading
    references: Heading | None
    values: Heading
    reliability: Heading
    quiz: Heading
    faq: Heading
    easy_read: Heading

    def __iter__(self) -> Iterator[Heading]:
        """The headings that are printed, in order."""
        for item in fields(self):
            heading = getattr(self, item.name)
            if heading is not None:
                yield heading


@dataclass(frozen=True)
class SourceView:
    authors: str  # a sentence: "A, B and C"
    publisher: str | None
    published: str | None
    url: str | None
    url_short: str | None = None  # host and path start: a long address cannot break mid-word
    url_qr: QrCode | None = None  # the full address as a QR code


@dataclass(frozen=True)
class Credit:
    """Who wrote the analysis sheet, and when."""

    author: str
    site: str | None
    date: str  # as people write it: 23 February 2026
    iso_date: str


@dataclass(frozen=True)
class SummaryPart:
    heading: Markup
    paragraphs: list[Markup]


@dataclass(frozen=True)
class Point:
    html: Markup
    pages: str | None


@dataclass(frozen=True)
class ReferenceView:
    title: Markup
    note: Markup | None
    url: str | None
    url_short: str | None = None


@dataclass(frozen=True)
class CriterionView:
    name: Markup
    assessment: Markup


@dataclass(frozen=True)
class CriteriaGrid:
    """A grid of criteria with the paragraphs that conclude it (the values' final summary,
    the reliability recommendation)."""

    criteria: list[CriterionView]
    verdict: list[Markup]

    @property
    def keep_whole(self) -> bool:
        """A short grid (six rows or fewer) is never split: a page never holds one row of it
        alone."""
        return len(self.criteria) <= SHORT_GRID_ROWS

    @property
    def body_rows(self) -> list[CriterionView]:
        """The rows of a long grid's main table: all but its last two, which are set as a
        table of their own kept whole, so that they always stay together (WeasyPrint 68.1
        ignores `break-before: avoid` between rows and splits rows inside avoided groups)."""
        return self.criteria if self.keep_whole else self.criteria[:-2]

    @property
    def tail_rows(self) -> list[CriterionView]:
        return [] if self.keep_whole else self.criteria[-2:]


@dataclass(frozen=True)
class Choice:
    letter: str  # uppercase, as printed everywhere (B and D never mistaken like b and d)
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
    choice_fit: str = ""  # "fit-all" / "fit-wide": two columns of choices (every / wide paper)


@dataclass(frozen=True)
class FaqEntry:
    number: int
    question: Markup
    answer: list[Markup]
    pages: str | None


@dataclass(frozen=True)
class EasyPart:
    heading: Markup
    lines: list[Markup]
    pictogram: str | None  # a file URI the PDF engine may read
    pictogram_alt: str


@dataclass(frozen=True)
class EasyClosing:
    """The leaflet's last block, in the reader's words: who wrote it, who checked it, who can
    help, where the full document is, when; then the credits the pictures' owners ask for."""

    written_by: str  # "Written by: Daniel Oberlé, Pratiques en santé Oberlé"
    checked_by: str | None
    help_heading: str | None  # "Who can help you?" when there is a contact
    contact: list[str]  # name, then "Phone: …", "E-mail: …", "Address: …"
    full_document: str | None  # the heading before the short address
    short_url: str | None
    qr: QrCode | None  # the full address as a QR code
    date: str  # "Date: February 2026"
    logo: str | None  # a data: URI of the checked bytes, only when checked_by is filled
    logo_alt: str
    credits: list[str]  # the pictograms' and the logo's credit lines


@dataclass(frozen=True)
class EasyReadView:
    summary: list[EasyPart]
    key_points: list[Markup]
    title: Markup  # the plain-language title, or else the document's
    explains: str | None = None  # "This leaflet explains the document “…”." (plain title)
    picture: str | None = None  # the cover picture, a data: URI of the checked bytes
    picture_alt: str = ""
    key_points_pictogram: str | None = None
    key_points_alt: str = ""
    closing: EasyClosing | None = None


@dataclass(frozen=True)
class Metadata:
    """What goes into the document's metadata (author, keywords, creation date)."""

    author: str
    keywords: str
    created: str


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


@dataclass(frozen=True)
class SheetView:
    """Everything a handout template may print, already formatted and escaped."""

    lang: str
    slug: str
    labels: dict[str, str]  # the language's catalog, typography applied
    title: Markup
    plain_title: str
    short_title: str  # the running head: the sheet's short_title, or the title cut at a word
    quiz_title: Markup  # the quiz's and key's title: short_title, or the title if short enough
    quiz_title_a5: Markup  # the same for A5, cut sooner (at its colon, or at a word)
    source: SourceView
    sheet: Credit
    highlights: list[Markup]
    introduction: list[Markup]
    headings: Headings
    summary: list[SummaryPart]
    key_points: list[Point]
    action_paths: list[Point]
    references: list[ReferenceView]
    values: CriteriaGrid
    reliability: CriteriaGrid
    quiz: list[QuizQuestion]
    quiz_total: int
    quiz_instructions: str
    key_instructions: str
    faq: list[FaqEntry]
    easy_read: EasyReadView
    tags: list[str]
    metadata: Metadata
    pictures: frozenset[str] = frozenset()  # data: URIs the PDF engine may read, and no other
    edition: str | None = None  # "Before · Version B"… printed on every page (no seed)
    edition_mark: EditionMark | None = None  # the edition's tab
    seed_note: str | None = None  # "Versions drawn with seed 42": facilitator documents only
    all_editions: list[EditionColumn] = field(default_factory=list)  # for the marking grid
    tally: list[TallyRow] = field(default_factory=list)  # for the tally sheet
    organisation: Organisation | None = None  # from handouts.toml; None without settings

    @property
    def tally_has_versions(self) -> bool:
        """Whether editions print the questions in other orders (the tally then says where)."""
        return any(place.version for row in self.tally for place in row.before + row.after)

    @property
    def choice_letters(self) -> str:
        """The letters of the longest question's choices: the columns of an answer sheet."""
        return LETTERS[: max(len(question.choices) for question in self.quiz)].upper()


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


class _Formatter:
    """The formatting shared by every part of a view: Markdown and typography in the sheet's
    language, page references, plain one-line texts."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def md(self, value: str) -> Markup:
        return inline(value, self.lang)

    def paragraphs(self, value: str | None) -> list[Markup]:
        return paragraphs(value, self.lang) if value else []

    def plain(self, value: str) -> str:
        return typography.apply(" ".join(value.split()), self.lang)

    def optional(self, value: str | None) -> str | None:
        return self.plain(value) if value else None

    def pages(self, value: str | None) -> str | None:
        return labels.format_pages(value, self.lang)

    def points(self, items: list[PagedText]) -> list[Point]:
        return [Point(self.md(item.text), self.pages(item.pages)) for item in items]

    def grid(self, criteria: list[CriterionModel], verdict: str) -> CriteriaGrid:
        return CriteriaGrid(
            [CriterionView(self.md(c.name), self.md(c.assessment)) for c in criteria],
            self.paragraphs(verdict),
        )


def _headings(sheet: Sheet, text: dict[str, str]) -> Headings:
    """Sections numbered in order; the references section is left out when empty."""
    names = [item.name for item in fields(Headings)]
    present = [name for name in names if name != "references" or sheet.references]
    found: dict[str, Heading | None] = dict.fromkeys(names)
    for number, name in enumerate(present, start=1):
        title = text[f"sec_{name}"].format(count=len(sheet.quiz))
        found[name] = Heading(number, title, f"section-{name.replace('_', '-')}")
    return Headings(**found)  # type: ignore[arg-type]


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
                   original_index == correct)
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
            )
        )
    return questions


def _choice_fit(choices: list[str]) -> str:
    """Whether every choice fits half the quiz's width, on every paper or on wide ones."""
    longest = max(len(" ".join(choice.split())) for choice in choices)
    if longest <= TWO_COLUMNS_EVERY_PAPER:
        return "fit-all"
    return "fit-wide" if longest <= TWO_COLUMNS_WIDE_PAPER else ""


def edition_mark(text: dict[str, str], edition: Edition) -> EditionMark:
    """The tab of one edition; its slot follows the version letter, so A, B, C… step down
    the page's edge and a mixed pile shows its editions from the side."""
    from .versions import VERSION_LETTERS

    slot = VERSION_LETTERS.index(edition.version) % TAB_SLOTS if edition.version else 0
    return EditionMark(
        letter=edition.version,
        phase=text[f"phase_{edition.phase}"] if edition.phase else None,
        slot=slot,
        solid=edition.phase != "after",
        label=edition_label(text, edition) or "",
        seed=text["seed_n"].format(seed=edition.seed) if edition.seed else None,
    )


def edition_view(view: SheetView, sheet: Sheet, edition: Edition,
                 arrangement: Arrangement) -> SheetView:
    """The view of one quiz edition: its questions in its order, its label and its tab."""
    mark = edition_mark(view.labels, edition) if edition.version or edition.phase else None
    return replace(view, quiz=quiz_questions(sheet, arrangement),
                   edition=edition_label(view.labels, edition), edition_mark=mark,
                   seed_note=view.labels["seed_label"].format(seed=edition.seed)
                   if edition.seed else None)


def marking_view(view: SheetView, editions: list[tuple[Edition, SheetView]],
                 seed: str | None) -> SheetView:
    """The view of the marking grid and of the tally sheet: every edition's questions side
    by side, and each sheet question's printed number in every edition."""
    text = view.labels
    return replace(view, all_editions=[
        EditionColumn(edition_label(text, edition, short=True), printed.quiz,
                      edition_mark(text, edition))
        for edition, printed in editions
    ], seed_note=text["seed_label"].format(seed=seed) if seed else None,
        tally=_tally(view, editions))


def _tally(view: SheetView, editions: list[tuple[Edition, SheetView]]) -> list[TallyRow]:
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


def _source(sheet: Sheet, fmt: _Formatter) -> SourceView:
    authors = [fmt.plain(author) for author in sheet.source.authors]
    return SourceView(
        authors=labels.format_list(authors, sheet.lang),
        publisher=fmt.optional(sheet.source.publisher),
        published=fmt.optional(sheet.source.published),
        url=sheet.source.url,
        url_short=short_url(sheet.source.url) if sheet.source.url else None,
        url_qr=qr_code(sheet.source.url, fmt.plain(labels.catalog(sheet.lang)["qr_label"]))
        if sheet.source.url else None,
    )


def _credit(sheet: Sheet, fmt: _Formatter) -> Credit:
    return Credit(
        author=fmt.plain(sheet.sheet.author),
        site=fmt.optional(sheet.sheet.site),
        date=labels.format_date(sheet.sheet.date, sheet.lang),
        iso_date=sheet.sheet.date.isoformat(),
    )


def _quiz_instructions(quiz: list[QuizQuestion], text: dict[str, str]) -> str:
    """Page references are mentioned only when some question has them."""
    sentences = [text["quiz_instructions"]]
    if any(question.pages for question in quiz):
        sentences.append(text["quiz_instructions_pages"])
    return " ".join(sentences)


def _key_instructions(quiz: list[QuizQuestion], text: dict[str, str]) -> str:
    one_point_each = all(question.points == 1 for question in quiz)
    return text["key_instructions" if one_point_each else "key_instructions_points"]


def _faq(sheet: Sheet, fmt: _Formatter) -> list[FaqEntry]:
    return [FaqEntry(number, fmt.md(item.question), fmt.paragraphs(item.answer),
                     fmt.pages(item.pages))
            for number, item in enumerate(sheet.faq, start=1)]


def _month_year(sheet: Sheet, text: dict[str, str]) -> str:
    """"February 2026", "février 2026": the leaflet's date as readers say it."""
    return labels.format_month(sheet.sheet.date, sheet.lang)


def _uri(sheet: Sheet, path: str | None) -> str | None:
    """A picture as the `data:` URI of the bytes checked when the sheet was loaded: what the
    engine prints is what was checked, and an HTML file names no local path."""
    picture = sheet.picture(path)
    return picture.uri if picture else None


def _easy_closing(sheet: Sheet, fmt: _Formatter, text: dict[str, str]) -> EasyClosing:
    easy = sheet.easy_read
    colon = text["colon"]
    author = fmt.plain(sheet.sheet.author)
    site = fmt.optional(sheet.sheet.site)
    if site and site.casefold() not in author.casefold():
        author = f"{author}, {site}"
    contact: list[str] = []
    if easy.contact:
        if easy.contact.name:
            contact.append(fmt.plain(easy.contact.name))
        for key in ("phone", "email", "address"):
            value = getattr(easy.contact, key)
            if value:  # the address in the language's typography; numbers kept as typed
                shown = fmt.plain(value) if key == "address" else " ".join(value.split())
                contact.append(f"{text['easy_' + key]}{colon} {shown}")
    url = sheet.source.url
    credits = []
    if any(is_builtin_file(path) for path in easy.picture_files()):
        credits.append(text["easy_pictogram_credit"])
    logo = easy.logo if easy.checked_by else None
    if logo:
        credits.append(text["easy_logo_credit"])
    return EasyClosing(
        written_by=f"{text['easy_written_by']}{colon} {author}",
        checked_by=(f"{text['easy_checked_by']}{colon} {fmt.plain(easy.checked_by)}"
                    if easy.checked_by else None),
        help_heading=text["easy_help"] if contact else None,
        contact=contact,
        full_document=text["easy_full_document"] if url else None,
        short_url=short_url(url) if url else None,
        qr=qr_code(url, text["easy_qr_label"]) if url else None,
        date=f"{text['date']}{colon} {_month_year(sheet, text)}",
        logo=_uri(sheet, logo),
        logo_alt=text["easy_logo_alt"],
        credits=credits,
    )


def _easy_read(sheet: Sheet, fmt: _Formatter, text: dict[str, str]) -> EasyReadView:
    easy = sheet.easy_read
    title = fmt.plain(sheet.title)
    return EasyReadView(
        title=fmt.md(easy.title or sheet.title),
        explains=text["easy_explains"].format(title=title) if easy.title else None,
        picture=_uri(sheet, easy.picture),
        picture_alt=fmt.plain(easy.picture_alt or easy.title or sheet.title),
        key_points_pictogram=_uri(sheet, easy.key_points_pictogram),
        key_points_alt=fmt.plain(easy.key_points_pictogram_alt or text["easy_key_points"]),
        closing=_easy_closing(sheet, fmt, text),
        summary=[
            EasyPart(
                heading=fmt.md(part.heading),
                lines=[fmt.md(line) for line in part.lines],
                pictogram=_uri(sheet, part.pictogram),
                pictogram_alt=part.pictogram_alt or part.heading,
            )
            for part in sheet.easy_read.summary
        ],
        key_points=[fmt.md(line) for line in sheet.easy_read.key_points],
    )


def _pictures(sheet: Sheet) -> frozenset[str]:
    """The only pictures the PDF engine may be given: the sheet's checked pictures and the
    built-in pictograms it names, as `data:` URIs of their checked bytes."""
    return frozenset(uri for path in sheet.easy_read.picture_files()
                     if (uri := _uri(sheet, path)))


def build_view(sheet: Sheet) -> SheetView:
    """The one view of a sheet that every handout kind prints a part of."""
    lang = sheet.lang
    fmt = _Formatter(lang)
    counts = {"sec_quiz": len(sheet.quiz), "authors": len(sheet.source.authors)}
    text = {key: typography.apply(value, lang)
            for key, value in labels.catalog(lang, counts).items()}
    quiz = quiz_questions(sheet)
    source = _source(sheet, fmt)
    easy_read = _easy_read(sheet, fmt, text)
    closing = easy_read.closing
    codes = {code.uri for code in (source.url_qr, closing.qr if closing else None) if code}
    return SheetView(
        lang=lang,
        slug=sheet.slug,
        labels=text,
        title=fmt.md(sheet.title),
        plain_title=fmt.plain(sheet.title),
        short_title=fmt.plain(sheet.short_title or shorten(sheet.title)),
        quiz_title=fmt.md(sheet.short_title) if sheet.short_title
        else fmt.md(shorten(sheet.title, QUIZ_TITLE_LENGTH)),
        quiz_title_a5=fmt.md(sheet.short_title) if sheet.short_title
        else fmt.md(shorten(sheet.title, QUIZ_TITLE_LENGTH_A5)),
        source=source,
        sheet=_credit(sheet, fmt),
        highlights=[fmt.md(line) for line in sheet.highlights],
        introduction=fmt.paragraphs(sheet.introduction),
        headings=_headings(sheet, text),
        summary=[SummaryPart(fmt.md(item.heading), fmt.paragraphs(item.text))
                 for item in sheet.summary],
        key_points=fmt.points(sheet.key_points),
        action_paths=fmt.points(sheet.action_paths),
        references=[ReferenceView(fmt.md(ref.title), fmt.md(ref.note) if ref.note else None,
                                  ref.url, short_url(ref.url) if ref.url else None)
                    for ref in sheet.references],
        values=fmt.grid(sheet.values.criteria, sheet.values.conclusion),
        reliability=fmt.grid(sheet.reliability.criteria, sheet.reliability.recommendation),
        quiz=quiz,
        quiz_total=sum(question.points for question in quiz),
        quiz_instructions=_quiz_instructions(quiz, text),
        key_instructions=_key_instructions(quiz, text),
        faq=_faq(sheet, fmt),
        easy_read=easy_read,
        tags=list(sheet.tags),
        metadata=Metadata(author=sheet.sheet.author, keywords=", ".join(sheet.tags),
                          created=sheet.sheet.date.isoformat()),
        pictures=_pictures(sheet) | codes,
    )
