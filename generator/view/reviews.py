"""The easy-read text as readers check it, and what their reviews say about it.

The proof-reading sheet numbers every item readers are asked about, in reading order: the
title, the first sentence, the cover picture, then each part's heading, picture and lines,
then the key points' picture and lines. A review (`easy_read.reviews`, written by `handouts
review`) keeps a digest of these items as they were checked, and one short digest per item:

- an item's digest is the first 8 hex digits of the SHA-256 of its kind and its text with
  runs of white space made one space (a picture: its file as written and the SHA-256 of its
  bytes), so re-wrapping a line in the YAML changes nothing, and a changed word does;
- the text's digest is the first 16 hex digits of the SHA-256 of every item's kind and text,
  in order: moving or removing a line changes it too.

The logo follows from them (`logo_printed`), and `check` says which items changed since
(`review_warnings`), in the sheet's language.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..sheet.model import EasyReadReview, Sheet
from . import labels
from .titles import about, leaflet_title

if TYPE_CHECKING:
    from ..errors import Problem
    from ..sheet.yamlsource import Path

LINE_DIGEST = 8  # hex digits kept per item: enough to tell a changed line from the others
TEXT_DIGEST = 16  # hex digits of the whole text's digest


@dataclass(frozen=True)
class CheckedItem:
    """One numbered item of the proof-reading sheet."""

    number: int  # as printed, from 1
    kind: str  # title, introduction, heading, line, key_point or picture
    text: str  # the text as written (a picture: what it shows, for the sheet's row)
    path: Path  # where it is in the sheet (for check's warnings)
    picture: str | None = None  # a picture's checked path
    content: str = ""  # what its digest covers

    @property
    def digest(self) -> str:
        return _sha(f"{self.kind}\0{self.content}")[:LINE_DIGEST]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _spaced(text: str) -> str:
    return " ".join(text.split())


def checked_items(sheet: Sheet) -> list[CheckedItem]:
    """Every item readers are asked about, numbered in reading order."""
    easy = sheet.easy_read
    text = labels.catalog(sheet.lang)
    title = leaflet_title(sheet)
    raw: list[tuple[str, str, Path, str | None]] = [
        ("title", title or text["easy_heading"], ("easy_read", "title") if easy.title
         else ("easy_read",), None)]
    if easy.introduction:
        raw.append(("introduction", easy.introduction, ("easy_read", "introduction"), None))
    else:
        shown = (text["easy_explains"].format(topic=about(_spaced(title))) if title
                 else text["easy_explains_report"])  # as the leaflet says it (leafletview)
        raw.append(("introduction", shown, ("easy_read",), None))
    if easy.picture:
        raw.append(("picture", easy.picture_alt or title or text["easy_heading"],
                    ("easy_read", "picture"), easy.picture))
    for p, part in enumerate(easy.summary):
        raw.append(("heading", part.heading, ("easy_read", "summary", p, "heading"), None))
        if part.pictogram:
            raw.append(("picture", part.pictogram_alt or part.heading,
                        ("easy_read", "summary", p, "pictogram"), part.pictogram))
        raw += [("line", line, ("easy_read", "summary", p, "lines", i), None)
                for i, line in enumerate(part.lines)]
    if easy.key_points and easy.key_points_pictogram:
        raw.append(("picture", easy.key_points_pictogram_alt or text["easy_key_points"],
                    ("easy_read", "key_points_pictogram"), easy.key_points_pictogram))
    raw += [("key_point", line, ("easy_read", "key_points", i), None)
            for i, line in enumerate(easy.key_points)]
    items = []
    for number, (kind, shown, path, picture) in enumerate(raw, start=1):
        if picture is not None:
            found = sheet.picture(picture)
            content = f"{picture}\0{found.digest if found else ''}"
        else:
            content = _spaced(shown)
        items.append(CheckedItem(number, kind, shown, path, picture, content))
    return items


def text_digest(items: list[CheckedItem]) -> str:
    """The digest of the whole text as checked (see the module's docstring)."""
    return _sha(json.dumps([[item.kind, item.content] for item in items],
                           ensure_ascii=False))[:TEXT_DIGEST]


def line_digests(items: list[CheckedItem]) -> str:
    """The items' short digests, in order, as a review keeps them."""
    return " ".join(item.digest for item in items)


@dataclass(frozen=True)
class ReviewState:
    """The latest review compared with the text as it is now."""

    review: EasyReadReview
    index: int  # its place in `easy_read.reviews`
    current: bool  # the same text as checked
    changed: list[CheckedItem]  # items written since (new or edited), in order


def review_state(sheet: Sheet) -> ReviewState | None:
    """The latest review and what changed since, or None when no review is recorded."""
    easy = sheet.easy_read
    latest = easy.latest_review()
    if latest is None:
        return None
    items = checked_items(sheet)
    reviewed = set(latest.lines.split())
    changed = [item for item in items if item.digest not in reviewed]
    return ReviewState(latest, easy.reviews.index(latest), latest.digest == text_digest(items),
                       changed)


def logo_printed(sheet: Sheet) -> bool:
    """The easy-to-read logo's rules: readers checked this very text and at least one of them
    is named. Without any review recorded, `checked_by` alone says so, as before reviews."""
    easy = sheet.easy_read
    if not easy.logo:
        return False
    state = review_state(sheet)
    if state is None:
        return bool(easy.checked_by)
    return state.current and bool(state.review.checkers)


def _numbers(items: list[CheckedItem], lang: str) -> str:
    return labels.format_list([str(item.number) for item in items], lang)


def review_warnings(sheet: Sheet, warning: Callable[[Path, str], Problem]
                    ) -> Iterator[Problem]:
    """`check`'s warnings about the readers' reviews, in the sheet's language: the items
    changed since the latest review (one warning at the review, one at each item), a latest
    review without a checker while there is a logo, and `checked_by` naming other people."""
    state = review_state(sheet)
    if state is None:
        return
    lang, easy = sheet.lang, sheet.easy_read
    date = labels.format_date(state.review.date, lang)
    at_review: Path = ("easy_read", "reviews", state.index)
    logo = labels.catalog(lang)["review_logo_left_out"] if easy.logo else ""
    if not state.current:
        if state.changed:
            count = len(state.changed)
            message = labels.plural(lang, "review_changed", count).format(
                count=count, date=date, numbers=_numbers(state.changed, lang))
            yield warning(at_review, message + logo)
            for item in state.changed:
                yield warning(item.path, labels.catalog(lang)["review_line_changed"].format(
                    date=date, number=item.number))
        else:
            yield warning(at_review, labels.catalog(lang)["review_moved"].format(date=date)
                          + logo)
    if easy.logo and not state.review.checkers:
        yield warning(at_review, labels.catalog(lang)["review_no_checker"].format(date=date))
    checkers = state.review.checkers
    if easy.checked_by and checkers and easy.checkers() != easy.checked_by:
        missing = [name for name in checkers if name.casefold() not in
                   easy.checked_by.casefold()]
        yield warning(("easy_read", "checked_by"),
                      labels.catalog(lang)["review_checked_by"].format(
                          names=labels.format_list(missing, lang), date=date))
