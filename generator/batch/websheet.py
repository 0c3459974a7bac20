"""A sheet as the web edition shows it: its view, plus what only the web needs.

The PDFs on disk offered for download (with their size and pages), the pictograms published
beside the pages, the tags' page names, the self-check quiz's feedback, and the texts as the
sheet writes them, for `handouts import` to read a page back. One sheet at a time, from its
view, so that site and prints cannot disagree; the pages (webpages.py) only print it.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..documents.writer import read_own
from ..options import BuildOptions
from ..sheet import locales
from ..sheet.importer import contract
from ..sheet.pictoset import is_builtin_file
from ..sheet.pictures import Picture, PictureProblem, clean_svg
from ..view import labels, typography
from ..view.quizview import edition_label
from ..view.sheetview import SheetView, build_view
from .incremental import READ_BACK_LIMIT
from .rendering import output_path

if TYPE_CHECKING:
    from ..sheet.model import Sheet


_PAGES_NODE = re.compile(rb"<<((?:(?!<<|>>).)*?/Type\s*/Pages\b(?:(?!<<|>>).)*)>>", re.DOTALL)
_COUNT = re.compile(rb"/Count\s+(\d+)")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


@dataclass(frozen=True)
class PdfLink:
    """One printable handout offered for download beside the pages."""

    href: str  # the file's name, beside the sheet's pages
    label: str  # "Quiz", "Quiz — Version B"
    details: str  # "PDF, 86 KB, 2 pages"


@dataclass(frozen=True)
class TagLink:
    name: str  # as the sheet writes it: "SantéMentale", shown as "#SantéMentale"
    path: str  # from the site's root: tags/NAME.html

    @property
    def spoken(self) -> str:
        """The tag in separate words, as screen readers should read it: "Santé Mentale"
        (a `#CamelCase` word is spelt out or read as one long word)."""
        return spaced_words(self.name)


@dataclass(frozen=True)
class WebQuestion:
    """A quiz question with the feedback the self-check script shows, written here."""

    number: int
    name: str  # the radio group's name, q1…
    right: str  # "Right!"
    wrong: str  # "Not quite. The right answer is b) …"


@dataclass(frozen=True)
class WebSheet:
    """A sheet as the site shows it: its view plus what only the web needs."""

    view: SheetView
    description: str  # plain text, for search engines, sharing and the feed
    pdfs: list[PdfLink]
    tags: list[TagLink]
    pictures: dict[str, str]  # a picture's data: URI in the view → its path beside the pages
    questions: list[WebQuestion]
    quiz_intro: str  # how the self-check quiz works, and what its page numbers mean
    quiz_intro_static: str  # the same without the script: no "Check" button to press
    picture_files: dict[str, bytes] = field(default_factory=dict)  # path in the site → bytes
    data: Any = None  # the loaded sheet: its texts as written, for `handouts import` (md())
    authors: list[tuple[str, str]] = field(default_factory=list)  # (author shown, what follows)
    contact: list[tuple[str, str]] = field(default_factory=list)  # (field, value as written)
    file: Path | None = None  # the sheet's file: translations name each other by it
    crumb: str = ""  # the sheet in the breadcrumbs: its short title, else its title
    reviewed: str | None = None  # "15 October 2026": when it was last checked (sheet.reviewed)

    @property
    def folder(self) -> str:
        return self.view.slug + "/"


def spaced_words(tag: str) -> str:
    """"SantéMentale" → "Santé Mentale", "HIVPrevention" → "HIV Prevention", "COVID19Data" →
    "COVID19 Data": a space where a capital starts a word inside a CamelCase tag."""
    out = []
    for index, char in enumerate(tag):
        before = tag[index - 1] if index else ""
        after = tag[index + 1] if index + 1 < len(tag) else ""
        if char.isupper() and before and not before.isspace() and (
                before.islower() or before.isdigit() or (before.isupper() and after.islower())):
            out.append(" ")
        out.append(char)
    return "".join(out)


def tag_file_name(tag: str) -> str:
    """A tag's page name: ASCII letters, digits and hyphens, or a digest when none is left."""
    ascii_text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return name or "tag-" + hashlib.sha256(tag.encode()).hexdigest()[:10]


def pdf_pages(data: bytes) -> int | None:
    """The page count of a PDF written by the engine: the /Count of its page tree, read in the
    file and in its compressed object streams (no PDF library is needed at run time)."""
    chunks = [data]
    for match in _STREAM.finditer(data):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    counts = [int(count.group(1)) for chunk in chunks for node in _PAGES_NODE.finditer(chunk)
              for count in _COUNT.finditer(node.group(1))]
    return max(counts) if counts else None


def published_picture(picture: Picture) -> bytes:
    """The bytes a pictogram is published as. An SVG is checked again by parsing (as the
    loader did) and written again from the checked tree, so that a browser that opens it on
    its own reads exactly what was checked; a PNG or JPEG is the bytes checked and printed.
    Raises PictureProblem."""
    if picture.media_type != "image/svg+xml":
        return picture.data
    clean = clean_svg(picture.data)
    # A built-in pictogram, checked all the same, keeps its bytes: `handouts import` knows it
    # by them (and gives the sheet back `builtin:NAME`, not a file).
    return picture.data if is_builtin_file(picture.path) else clean


def _size(size: int, text: dict[str, str], lang: str) -> str:
    from babel.numbers import format_decimal

    return text["web_kb"].format(size=format_decimal(math.ceil(size / 1000),
                                                     locale=locales.get(lang).babel))


def _pdf_links(view: SheetView, output_dir: Path, options: BuildOptions) -> list[PdfLink]:
    """The sheet's PDFs that exist, in the order of the handout kinds, with size and pages."""
    text = view.labels
    links = []
    for planned in options.planned():
        kind, edition = planned.kind, planned.edition
        if kind.produce is not None:
            continue  # data, like the CSV of keys
        path = output_path(output_dir, view.slug, planned.key, kind.suffix("pdf"))
        data = read_own(path, READ_BACK_LIMIT)  # not through a link, nor past the limit
        if data is None:
            continue
        label = text[kind.label]
        name = edition_label(text, edition) if edition else None
        pages = pdf_pages(data)
        details = ["PDF", _size(len(data), text, view.lang)]
        if pages:
            details.append(text["web_pages_one" if pages == 1 else "web_pages_many"]
                           .format(count=pages))
        links.append(PdfLink(path.name, f"{label} — {name}" if name else label,
                             ", ".join(details)))
    return links


def _pictures(sheet: Sheet, slug: str) -> tuple[dict[str, str], dict[str, bytes], list[str]]:
    """Where each checked pictogram goes in the site (pictograms/NAME beside the pages), and
    warnings for the SVGs that are not published."""
    uris: dict[str, str] = {}
    files: dict[str, bytes] = {}
    warnings = []
    for checked in sheet.easy_read.picture_files():
        picture = sheet.picture(checked)
        if picture is None or picture.uri in uris:
            continue
        path = picture.path
        try:
            data = published_picture(picture)
        except PictureProblem as problem:
            warnings.append(f"{slug}: {path.name} {problem}: it is left out of the web pages "
                            "(the PDFs print it)")
            continue
        name = f"pictograms/{path.name}"
        number = 2
        while f"{slug}/{name}" in files:
            name = f"pictograms/{path.stem}-{number}{path.suffix}"
            number += 1
        uris[picture.uri] = name
        files[f"{slug}/{name}"] = data
    return uris, files, warnings


def _description(view: SheetView) -> str:
    """One plain paragraph that says what the sheet is about."""
    lines = view.highlights or view.introduction[:1] or view.summary[0].paragraphs[:1]
    return " ".join(Markup(line).striptags() for line in lines)


def _questions(view: SheetView) -> list[WebQuestion]:
    text = view.labels
    return [WebQuestion(
        number=question.number,
        name=f"q{question.number}",
        right=text["web_right"],
        wrong=text["web_wrong"].format(
            answer=f"{question.answer.letter}) {Markup(question.answer.html).striptags()}"),
    ) for question in view.quiz]


def _quiz_intro(view: SheetView, key: str = "web_quiz_intro") -> str:
    """Page numbers are mentioned only when some question has them."""
    text = view.labels
    sentences = [text[key]]
    if any(question.pages for question in view.quiz):
        sentences.append(text["quiz_instructions_pages"])
    return " ".join(sentences)


def web_sheet(sheet: Sheet, output_dir: Path, options: BuildOptions
              ) -> tuple[WebSheet, list[str]]:
    """The web view of a loaded sheet, and warnings about what it could not publish."""
    view = build_view(sheet)
    pictures, files, warnings = _pictures(sheet, view.slug)
    tags = [TagLink(tag, f"tags/{tag_file_name(tag)}.html") for tag in view.tags]
    return WebSheet(view=view, description=_description(view),
                    pdfs=_pdf_links(view, output_dir, options), tags=tags, pictures=pictures,
                    questions=_questions(view), quiz_intro=_quiz_intro(view),
                    quiz_intro_static=_quiz_intro(view, "web_quiz_intro_static"),
                    picture_files=files, data=sheet, authors=_author_pieces(sheet),
                    contact=_contact_fields(sheet),
                    crumb=(typography.apply(" ".join(sheet.short_title.split()), view.lang)
                           if sheet.short_title else view.plain_title),
                    reviewed=(labels.format_date(sheet.sheet.reviewed, view.lang)
                              if sheet.sheet.reviewed else None)), warnings


# --- what `handouts import` needs to read a page back into its sheet ----------------------


def _author_pieces(sheet: Sheet) -> list[tuple[str, str]]:
    """The authors' sentence ("A, B and C") as (author, the words after it): the page shows
    the same sentence, each author in an element of its own."""
    authors = [typography.apply(" ".join(a.split()), sheet.lang) for a in sheet.source.authors]
    if not authors:
        return []
    marks = [f"\x00{index}\x00" for index in range(len(authors))]
    sentence = labels.format_list(marks, sheet.lang)
    pieces = re.split("\x00\\d+\x00", sentence)  # before the first, between, after the last
    return [(author, pieces[index + 1]) for index, author in enumerate(authors)]


def _contact_fields(sheet: Sheet) -> list[tuple[str, str]]:
    """The leaflet's contact lines' fields, in the order the view writes them."""
    contact = sheet.easy_read.contact
    if contact is None:
        return []
    return [(key, getattr(contact, key)) for key in contract.CONTACT_FIELDS
            if getattr(contact, key)]
