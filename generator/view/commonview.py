"""The part of a sheet's view that every handout prints, and the formatting all parts share.

A handout kind prints one view: the common part (`CommonView`) composed with its own
(`quizview.QuizView`, `leafletview.LeafletView`, or the whole sheet, `sheetview.SheetView`),
so that a template gets what it prints and a field it does not print fails at once
(StrictUndefined). Everything derived lives in these views, not in templates; they are typed
from top to bottom (frozen dataclasses, no free dictionaries).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypeVar

from markupsafe import Markup

from ..sheet.model import Sheet
from . import labels, typography
from .markup import inline, paragraphs
from .organisation import Organisation

View = TypeVar("View", bound="CommonView")


@dataclass(frozen=True)
class Metadata:
    """What goes into the document's metadata (author, keywords, creation date)."""

    author: str
    keywords: str
    created: str


@dataclass(frozen=True, kw_only=True)
class CommonView:
    """What every handout prints: its language and labels, the sheet's title, the document's
    metadata, the edition on every page, the organisation; and the only pictures the PDF
    engine may read. Each kind's view adds what that kind prints."""

    lang: str
    slug: str
    labels: dict[str, str]  # the language's catalog, typography applied
    title: Markup
    plain_title: str
    short_title: str  # the running header: short_title, the title if short, or "" (titles.py)
    metadata: Metadata
    pictures: frozenset[str] = frozenset()  # data: URIs the PDF engine may read, and no other
    edition: str | None = None  # "Before · Version B"… printed on every page (no seed)
    organisation: Organisation | None = None  # from handouts.toml; None without settings

    def pictures_for(self, paper: str) -> frozenset[str]:
        """The `data:` URIs the PDF engine may read for this view printed on `paper` (a
        view that draws pictures of its own, like the answer sheet's QR codes, adds them)."""
        return self.pictures


class Formatter:
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


def catalog(sheet: Sheet) -> dict[str, str]:
    """The sheet's labels, plural forms chosen by its counts, typography applied."""
    counts = {"sec_quiz": len(sheet.quiz), "authors": len(sheet.source.authors)}
    return {key: typography.apply(value, sheet.lang)
            for key, value in labels.catalog(sheet.lang, counts).items()}


def metadata(sheet: Sheet) -> Metadata:
    return Metadata(author=sheet.sheet.author, keywords=", ".join(sheet.tags),
                    created=sheet.sheet.date.isoformat())


def uri(sheet: Sheet, path: str | None) -> str | None:
    """A picture as the `data:` URI of the bytes checked when the sheet was loaded: what the
    engine prints is what was checked, and an HTML file names no local path."""
    picture = sheet.picture(path)
    return picture.uri if picture else None


def narrow(view: CommonView, kind: type[View]) -> View:
    """The part of a whole view that one kind prints: its fields, as they are in `view`."""
    return kind(**{item.name: getattr(view, item.name) for item in fields(kind)})
