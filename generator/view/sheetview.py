"""The whole view of a sheet: what the full analysis and the web edition print.

`build_view` turns a validated sheet into it once; it holds the quiz's part (`quizview`) and
the leaflet's (`leafletview`), both on the common part (`commonview`), and the analysis' own:
section numbers, the source and the sheet's credit, the summary, points, references, the
criteria grids and the FAQ. A kind that prints less is given its part (`commonview.narrow`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace

from markupsafe import Markup

from ..sheet.model import Criterion as CriterionModel
from ..sheet.model import PagedText, Sheet
from . import labels, titles
from .addresses import QrCode, bare_url, qr_code, short_url
from .commonview import Formatter, catalog, metadata
from .leafletview import LeafletView, easy_read, pictures
from .organisation import Organisation
from .quizview import (
    QuizView,
    key_instructions,
    quiz_instructions,
    quiz_questions,
)

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
    site: str | None  # None when the organisation printed on the handouts is the same
    date: str  # as people write it: 23 February 2026
    iso_date: str
    by: str = ""  # "Analysis by ", "Analyse d’" before the author (labels.before_name)


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

    @property
    def url_printed(self) -> str | None:
        """The whole address without its scheme: a reference list is where a reader copies
        an address from paper, so it is printed in full (it breaks where it must)."""
        return bare_url(self.url) if self.url else None


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
class FaqEntry:
    number: int
    question: Markup
    answer: list[Markup]
    pages: str | None


@dataclass(frozen=True, kw_only=True)
class SheetView(QuizView, LeafletView):
    """The whole sheet, already formatted and escaped: what the full analysis and the web
    edition print (the quiz's and the leaflet's parts, and the analysis' own)."""

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
    faq: list[FaqEntry]
    tags: list[str]


def _headings(sheet: Sheet, text: dict[str, str]) -> Headings:
    """Sections numbered in order; the references section is left out when empty."""
    names = [item.name for item in fields(Headings)]
    present = [name for name in names if name != "references" or sheet.references]
    found: dict[str, Heading | None] = dict.fromkeys(names)
    for number, name in enumerate(present, start=1):
        title = text[f"sec_{name}"].format(count=len(sheet.quiz))
        found[name] = Heading(number, title, f"section-{name.replace('_', '-')}")
    return Headings(**found)  # type: ignore[arg-type]


def _source(sheet: Sheet, fmt: Formatter) -> SourceView:
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


def _credit(sheet: Sheet, fmt: Formatter, text: dict[str, str]) -> Credit:
    author = fmt.plain(sheet.sheet.author)
    return Credit(
        author=author,
        site=fmt.optional(sheet.sheet.site),
        date=labels.format_date(sheet.sheet.date, sheet.lang),
        iso_date=sheet.sheet.date.isoformat(),
        by=labels.before_name(text["analysis_by"], author, sheet.lang),
    )


def _bare(name: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?|/+$", "", " ".join(name.split()).casefold())


def repeats(site: str, organisation: Organisation) -> bool:
    """Whether the sheet's `site` names the organisation already printed: its name, a part
    of it ("Health Promotion Network" in "Riverside Health Promotion Network") or its
    website."""
    said = _bare(site)
    names = [_bare(known) for known in (organisation.name, organisation.website) if known]
    return any(said and (said in known or known in said) for known in names)


def with_organisation(view: SheetView, organisation: Organisation) -> SheetView:
    """The view printed under the organisation of handouts.toml: the sheet's `site` is left
    out of the credits when it names that organisation (printed already, once is enough)."""
    view = replace(view, organisation=organisation)
    if not view.sheet.site or not repeats(view.sheet.site, organisation):
        return view
    closing = view.easy_read.closing
    easy = replace(view.easy_read, closing=replace(closing, written_by=closing.written_by_alone)
                   ) if closing else view.easy_read
    return replace(view, sheet=replace(view.sheet, site=None), easy_read=easy)


def _faq(sheet: Sheet, fmt: Formatter) -> list[FaqEntry]:
    return [FaqEntry(number, fmt.md(item.question), fmt.paragraphs(item.answer),
                     fmt.pages(item.pages))
            for number, item in enumerate(sheet.faq, start=1)]


def _points(fmt: Formatter, items: list[PagedText]) -> list[Point]:
    return [Point(fmt.md(item.text), fmt.pages(item.pages)) for item in items]


def _grid(fmt: Formatter, criteria: list[CriterionModel], verdict: str) -> CriteriaGrid:
    return CriteriaGrid(
        [CriterionView(fmt.md(c.name), fmt.md(c.assessment)) for c in criteria],
        fmt.paragraphs(verdict),
    )


def build_view(sheet: Sheet) -> SheetView:
    """The whole view of a sheet, which every handout kind prints a part of."""
    fmt = Formatter(sheet.lang)
    text = catalog(sheet)
    quiz = quiz_questions(sheet)
    source = _source(sheet, fmt)
    leaflet = easy_read(sheet, fmt, text)
    closing = leaflet.closing
    codes = {code.uri for code in (source.url_qr, closing.qr if closing else None) if code}
    quiz_title = fmt.md(titles.quiz_title(sheet))
    return SheetView(
        lang=sheet.lang,
        slug=sheet.slug,
        labels=text,
        title=fmt.md(sheet.title),
        plain_title=fmt.plain(sheet.title),
        short_title=fmt.plain(titles.running_title(sheet)),
        metadata=metadata(sheet),
        pictures=pictures(sheet) | codes,
        quiz_title=quiz_title,
        quiz_title_a5=quiz_title,
        quiz=quiz,
        quiz_total=sum(question.points for question in quiz),
        quiz_instructions=quiz_instructions(quiz, text),
        key_instructions=key_instructions(quiz, text),
        easy_read=leaflet,
        source=source,
        sheet=_credit(sheet, fmt, text),
        highlights=[fmt.md(line) for line in sheet.highlights],
        introduction=fmt.paragraphs(sheet.introduction),
        headings=_headings(sheet, text),
        summary=[SummaryPart(fmt.md(item.heading), fmt.paragraphs(item.text))
                 for item in sheet.summary],
        key_points=_points(fmt, sheet.key_points),
        action_paths=_points(fmt, sheet.action_paths),
        references=[ReferenceView(fmt.md(ref.title), fmt.md(ref.note) if ref.note else None,
                                  ref.url, short_url(ref.url) if ref.url else None)
                    for ref in sheet.references],
        values=_grid(fmt, sheet.values.criteria, sheet.values.conclusion),
        reliability=_grid(fmt, sheet.reliability.criteria, sheet.reliability.recommendation),
        faq=_faq(sheet, fmt),
        tags=list(sheet.tags),
    )
