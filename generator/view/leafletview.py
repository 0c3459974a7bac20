"""The easy-to-read leaflet's part of a sheet's view: its plain-language parts with their
pictograms, and its closing block in the reader's words."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from markupsafe import Markup

from ..sheet.model import Sheet
from ..sheet.pictoset import catalog, is_builtin_file
from . import labels, titles
from .addresses import QrCode, qr_code, short_url
from .commonview import CommonView, Formatter, uri
from .reviews import checked_items, logo_printed


@dataclass(frozen=True)
class EasyPart:
    heading: Markup
    lines: list[Markup]
    pictogram: str | None  # a file URI the PDF engine may read
    pictogram_alt: str


# The built-in pictogram printed beside each way of reaching the contact.
CONTACT_PICTOGRAMS = {"phone": "telephone", "email": "mail", "address": "house"}
# The built-in pictograms of the proof-reading sheet's three boxes: understood, not sure, not.
MARK_PICTOGRAMS = ("thumbs-up", "thinking", "thumbs-down")


@cache
def builtin_uri(name: str) -> str:
    """A built-in pictogram as the data: URI of its checked bytes."""
    from ..sheet.pictures import load_picture

    return load_picture(catalog()[name].path).uri


@dataclass(frozen=True)
class ContactLine:
    """One line of "Who can help you?": its text, and the pictogram beside it with the word
    it stands for (what a screen reader says for it)."""

    text: str
    pictogram: str | None = None
    word: str = ""


@dataclass(frozen=True)
class EasyClosing:
    """The leaflet's last block, in the reader's words: who wrote it, who checked it, who can
    help, where the full document is, when; then the credits the pictures' owners ask for."""

    written_by: str  # "Written by: Daniel Oberlé, Pratiques en santé Oberlé"
    written_by_alone: str  # without the site, when the organisation printed names it
    checked_by: str | None
    help_heading: str | None  # "Who can help you?" when there is a contact
    contact: list[str]  # name, then "Phone: …", "E-mail: …", "Address: …"
    full_document: str | None  # the heading before the short address
    short_url: str | None
    qr: QrCode | None  # the full address as a QR code
    date: str  # "Date: February 2026"
    logo: str | None  # a data: URI of the checked bytes, only when reviews.logo_printed
    logo_alt: str
    credits: list[str]  # the pictograms' and the logo's credit lines
    contact_lines: tuple[ContactLine, ...] = ()  # the contact, with phone/e-mail/address pictograms


@dataclass(frozen=True)
class ProofRow:
    """One numbered item of the proof-reading sheet (reviews.checked_items): a sentence, or a
    picture readers are asked about."""

    number: int
    kind: str  # title, introduction, heading, line, key_point or picture
    text: Markup
    picture: str | None = None  # a data: URI of the checked bytes
    picture_alt: str = ""


@dataclass(frozen=True)
class EasyReadView:
    summary: list[EasyPart]
    key_points: list[Markup]
    title: Markup  # the plain title, never the long technical one (titles.py)
    plain_title: str  # the same as plain text: the PDF's displayed title
    explains: str  # "This leaflet explains a report about …", or the author's introduction
    picture: str | None = None  # the cover picture, a data: URI of the checked bytes
    picture_alt: str = ""
    key_points_pictogram: str | None = None
    key_points_alt: str = ""
    closing: EasyClosing | None = None
    has_pictures: bool = True  # False: no picture column, the text takes its width
    proof: tuple[ProofRow, ...] = ()  # the proof-reading sheet's rows, numbered
    proof_marks: tuple[str, ...] = ()  # the three boxes' pictograms (MARK_PICTOGRAMS)
    # The key points and closing block are too short to make a page of their own: the part
    # before them comes along (easy-read.css); a longer ending may start a page.
    short_ending: bool = False


@dataclass(frozen=True, kw_only=True)
class LeafletView(CommonView):
    """What the easy-to-read leaflet (and its booklet) prints: the common part and the
    leaflet's own."""

    easy_read: EasyReadView


def _month_year(sheet: Sheet, text: dict[str, str]) -> str:
    """"February 2026", "février 2026": the leaflet's date as readers say it."""
    return labels.format_month(sheet.sheet.date, sheet.lang)


def _easy_closing(sheet: Sheet, fmt: Formatter, text: dict[str, str]) -> EasyClosing:
    easy = sheet.easy_read
    colon = text["colon"]
    alone = author = fmt.plain(sheet.sheet.author)
    site = fmt.optional(sheet.sheet.site)
    if site and site.casefold() not in author.casefold():
        author = f"{author}, {site}"
    contact: list[str] = []
    lines: list[ContactLine] = []
    if easy.contact:
        if easy.contact.name:
            contact.append(fmt.plain(easy.contact.name))
            lines.append(ContactLine(contact[-1]))
        for key in ("phone", "email", "address"):
            value = getattr(easy.contact, key)
            if value:  # the address in the language's typography; numbers kept as typed
                shown = fmt.plain(value) if key == "address" else " ".join(value.split())
                contact.append(f"{text['easy_' + key]}{colon} {shown}")
                lines.append(ContactLine(contact[-1], builtin_uri(CONTACT_PICTOGRAMS[key]),
                                         text["easy_" + key]))
    url = sheet.source.url
    credits = []
    if any(line.pictogram for line in lines) or any(
            is_builtin_file(path) for path in easy.picture_files()):
        credits.append(text["easy_pictogram_credit"])
    logo = easy.logo if logo_printed(sheet) else None
    checkers = easy.checkers()
    if logo:
        credits.append(text["easy_logo_credit"])
    return EasyClosing(
        written_by=f"{text['easy_written_by']}{colon} {author}",
        written_by_alone=f"{text['easy_written_by']}{colon} {alone}",
        checked_by=(f"{text['easy_checked_by']}{colon} {fmt.plain(checkers)}"
                    if checkers else None),
        help_heading=text["easy_help"] if contact else None,
        contact=contact,
        full_document=text["easy_full_document"] if url else None,
        short_url=short_url(url) if url else None,
        qr=qr_code(url, text["easy_qr_label"]) if url else None,
        date=f"{text['date']}{colon} {_month_year(sheet, text)}",
        logo=uri(sheet, logo),
        logo_alt=text["easy_logo_alt"],
        credits=credits,
        contact_lines=tuple(lines),
    )


# A page holding only the key points and the closing block looks like the leaflet's back page
# from this many printed lines (each sentence is one line); below, it looks like leftovers. A
# leaflet page holds about 17 lines at A5, 23 at A4.
ENDING_PAGE_LINES = 10


def _ending_lines(key_points: list[Markup], closing: EasyClosing) -> int:
    """The printed lines of the key points and of the closing block, the organisation's
    (which the renderer adds later) left out."""
    points = 1 + len(key_points) if key_points else 0
    helps = 1 + len(closing.contact) if closing.contact else 0
    full_document = 2 if closing.short_url else 0
    return (points + 1 + bool(closing.checked_by) + helps + full_document + 1
            + len(closing.credits))


def _introduction(sheet: Sheet, fmt: Formatter, text: dict[str, str], title: str | None
                  ) -> str:
    """The leaflet's first sentence: the author's, or one made from its plain title."""
    if sheet.easy_read.introduction:
        return fmt.plain(sheet.easy_read.introduction)
    if title is None:
        return text["easy_explains_report"]
    return text["easy_explains"].format(topic=titles.about(fmt.plain(title)))


def easy_read(sheet: Sheet, fmt: Formatter, text: dict[str, str]) -> EasyReadView:
    easy = sheet.easy_read
    title = titles.leaflet_title(sheet)
    heading = fmt.md(title) if title else Markup.escape(text["easy_heading"])
    key_points = [fmt.md(line) for line in easy.key_points]
    closing = _easy_closing(sheet, fmt, text)
    return EasyReadView(
        title=heading,
        plain_title=fmt.plain(title) if title else text["easy_heading"],
        explains=_introduction(sheet, fmt, text, title),
        picture=uri(sheet, easy.picture),
        picture_alt=fmt.plain(easy.picture_alt or title or text["easy_heading"]),
        key_points_pictogram=uri(sheet, easy.key_points_pictogram),
        key_points_alt=fmt.plain(easy.key_points_pictogram_alt or text["easy_key_points"]),
        closing=closing,
        has_pictures=bool(easy.picture_files()),
        summary=[
            EasyPart(
                heading=fmt.md(part.heading),
                lines=[fmt.md(line) for line in part.lines],
                pictogram=uri(sheet, part.pictogram),
                pictogram_alt=part.pictogram_alt or part.heading,
            )
            for part in sheet.easy_read.summary
        ],
        key_points=key_points,
        short_ending=_ending_lines(key_points, closing) < ENDING_PAGE_LINES,
        proof=_proof_rows(sheet, fmt),
        proof_marks=tuple(builtin_uri(name) for name in MARK_PICTOGRAMS),
    )


def _proof_rows(sheet: Sheet, fmt: Formatter) -> tuple[ProofRow, ...]:
    """The items readers check, as the proof-reading sheet prints them."""
    rows = []
    for item in checked_items(sheet):
        if item.picture is not None:
            rows.append(ProofRow(item.number, item.kind, Markup.escape(fmt.plain(item.text)),
                                 uri(sheet, item.picture), fmt.plain(item.text)))
        elif item.kind == "introduction":  # as the leaflet prints it: plain text
            rows.append(ProofRow(item.number, item.kind, Markup.escape(fmt.plain(item.text))))
        else:
            rows.append(ProofRow(item.number, item.kind, fmt.md(item.text)))
    return tuple(rows)


def pictures(sheet: Sheet) -> frozenset[str]:
    """The only pictures the PDF engine may be given: the sheet's checked pictures and the
    built-in pictograms it names, as `data:` URIs of their checked bytes."""
    contact = sheet.easy_read.contact
    shown = [builtin_uri(name) for key, name in CONTACT_PICTOGRAMS.items()
             if contact is not None and getattr(contact, key)]
    marks = [builtin_uri(name) for name in MARK_PICTOGRAMS]  # the proof-reading sheet's
    return frozenset([*(found for path in sheet.easy_read.picture_files()
                        if (found := uri(sheet, path))), *shown, *marks])
