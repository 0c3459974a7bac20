"""Content format v1: the strict model of a resource analysis sheet.

Field descriptions become the JSON Schema editors use; validators raise messages written for
the people who type the YAML by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import locales, pictoset
from .kahootwording import KahootText, letter_of
from .pictures import MAX_PICTURE_BYTES, PICTURE_TYPES, Picture, PictureProblem, load_picture

FORMAT_VERSION = 1
LANGUAGES = tuple(locales.available())  # the languages of the locale files found
SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")
MAX_SLUG_LENGTH = 80
# Names Windows keeps for devices: a folder or file called so cannot be opened there.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", "clock$", "conin$", "conout$",
                            *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})
LETTERS = "abcdef"
MAX_CHOICES = len(LETTERS)
__all__ = ["MAX_PICTURE_BYTES", "PICTURE_TYPES"]

# Limits that bound the work and memory of one sheet, far above any real sheet (the samples'
# longest paragraph is 1,202 characters, their longest list 9 items). docs/trust.md: "A sheet
# is text, and bounded while it is read".
MAX_TEXT = 5_000  # a paragraph-like field: summary text, explanation, answer…
MAX_LINE = 500  # a title, heading, choice, name, easy-read line…
MAX_URL = 2_000
MAX_PAGES = 60  # a page reference is printed on one line
MAX_QUESTIONS = 100
MAX_ITEMS = 50  # summary parts, key points, references, FAQ, criteria, tags, lines…
MAX_TOTAL_PICTURE_BYTES = 10_000_000  # every pictogram of a sheet together, as printed


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot name output files, or None: one rule for `new`, the model and the
    default slug taken from the file name."""
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        return "use only lowercase letters a-z, digits and hyphens, like educational-alliances"
    if len(slug) > MAX_SLUG_LENGTH:
        return f"it has {len(slug)} characters; use at most {MAX_SLUG_LENGTH}"
    if slug in RESERVED_NAMES:
        return "it is a name Windows reserves for devices: choose another, like " \
            f"{slug}-sheet"
    return None


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                        max_length=MAX_TEXT)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                        max_length=MAX_LINE)]
Pages = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                         max_length=MAX_PAGES)]


def _check_url(value: str) -> str:
    """An http(s) address with a host, its scheme in lowercase (`HTTPS://` is `https://`:
    the pages treat both alike)."""
    parts = urlsplit(value)
    if (parts.scheme not in ("http", "https") or not parts.netloc
            or any(character.isspace() for character in value)):  # urlsplit drops a tab
        raise PydanticCustomError(
            "url",
            "'{url}' is not a web address: write a full address starting with https:// "
            "(or http://)",
            {"url": value},
        )
    return parts.scheme + value[len(parts.scheme):]


WebAddress = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=MAX_URL),
                       AfterValidator(_check_url)]


class Strict(BaseModel):
    """Unknown fields are mistakes (usually typos), never silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(Strict):
    authors: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS,
                                description="Authors of the analysed "
                                "document, one per item.")
    publisher: Line | None = Field(None, description="Organisation that published it.")
    published: Line | None = Field(None, description="When it was published: a year or a date.")
    url: WebAddress | None = Field(None, description="Web address of the document (http or "
                                   "https).")


class SheetInfo(Strict):
    author: Line = Field(description="Who wrote this analysis sheet.")
    site: Line | None = Field(None, description="Website or organisation of the sheet's author.")
    date: dt.date = Field(description="Date of the analysis sheet, written YYYY-MM-DD.")
    reviewed: dt.date | None = Field(None, description="When the sheet was last checked "
                                     "against its document and found still right, written "
                                     "YYYY-MM-DD (printed on the web edition as \"Last "
                                     "reviewed\").")


class TranslationOf(Strict):
    """The sheet this one translates: kept so that `check` can say what changed since."""

    sheet: Line = Field(description="The source sheet's file, as a path from this sheet's "
                        "folder (for example `../en/my-sheet.yaml`).")
    source: dict[str, Line] = Field(default_factory=dict, description="Written by `handouts "
                                    "translate import`: for each translated passage (its "
                                    "place in the sheet), a digest of the source text it was "
                                    "translated from. Not written by hand.")


class SummaryItem(Strict):
    heading: Line = Field(description="Sub-heading of this part of the summary.")
    text: Text = Field(description="Paragraph(s); inline Markdown allowed.")


class PagedText(Strict):
    text: Text = Field(description="The point, in one or two sentences; inline Markdown allowed.")
    pages: Pages | None = Field(None, description="Pages of the source, e.g. \"30-33\" or "
                               "\"10, 36-39\".")


class Reference(Strict):
    title: Line = Field(description="Title of the complementary resource.")
    note: Text | None = Field(None, description="What it brings, in a sentence.")
    url: WebAddress | None = Field(None, description="Web address (http or https).")


class Criterion(Strict):
    name: Line = Field(description="Name of the criterion, e.g. \"Literacy\".")
    assessment: Text = Field(description="How the document meets it.")


class ValuesGrid(Strict):
    criteria: list[Criterion] = Field(min_length=1, max_length=MAX_ITEMS,
                                     description="One item per value.")
    conclusion: Text = Field(description="Overall conclusion of the cross-analysis.")


class Reliability(Strict):
    criteria: list[Criterion] = Field(min_length=1, max_length=MAX_ITEMS,
                                     description="One item per criterion.")
    recommendation: Text = Field(description="Recommendation on using the resource.")


class Question(Strict):
    question: Text = Field(description="The question, as printed.")
    pages: Pages | None = Field(None, description="Pages of the source that answer it.")
    choices: list[Line] = Field(description=f"2 to {MAX_CHOICES} answer choices, without "
                                "their letters: the letters a), b)… are added when printed.")
    answer: Line = Field(description="Letter of the correct choice: a for the first, b for "
                         "the second…")
    explanation: Text | None = Field(None, description="Commented correction shown in the key.")
    points: int = Field(1, ge=1, le=100, description="Points for a correct answer (default 1).")
    shuffle: bool = Field(True, description="false keeps the choices in their order in every "
                          "version (for \"all of the above\" or ordered scales).")
    pin_last: bool = Field(False, description="true keeps the last choice last when the "
                           "others are shuffled (e.g. \"None of these\").")
    kahoot: KahootText | None = Field(None, description="Shorter wording for Kahoot's "
                                      "limits (`--format kahoot`): `question`, `choices`, "
                                      "`answer`, `time`; each optional.")

    @field_validator("choices")
    @classmethod
    def _two_to_six_distinct(cls, choices: list[str]) -> list[str]:
        if not 2 <= len(choices) <= MAX_CHOICES:
            raise PydanticCustomError(
                "choices_count",
                "has {count} choice(s); a question needs 2 to {most}",
                {"count": len(choices), "most": MAX_CHOICES},
            )
        seen: set[str] = set()
        for choice in choices:
            if choice.casefold() in seen:
                raise PydanticCustomError(
                    "choices_duplicate",
                    "the choice '{choice}' is given twice: each choice must be different",
                    {"choice": choice},
                )
            seen.add(choice.casefold())
        return choices

    @field_validator("answer")
    @classmethod
    def _letter_of_a_choice(cls, answer: str, info: ValidationInfo) -> str:
        return letter_of(answer, info.data.get("choices"), LETTERS, "a choice")

    @model_validator(mode="after")
    def _kahoot_answer_when_fewer(self) -> Question:
        """Fewer Kahoot choices than choices: which one is right cannot be guessed."""
        kahoot = self.kahoot
        if (kahoot is not None and kahoot.choices is not None and kahoot.answer is None
                and len(kahoot.choices) != len(self.choices)):
            raise PydanticCustomError(
                "kahoot_answer",
                "`kahoot:` gives {count} choices where the question has {known}: add "
                "`answer:` under `kahoot:` with the letter of the right one",
                {"count": len(kahoot.choices), "known": len(self.choices)})
        return self


class FaqItem(Strict):
    question: Text = Field(description="A question readers often ask.")
    answer: Text = Field(description="Its answer; inline Markdown allowed.")
    pages: Pages | None = Field(None, description="Pages of the source.")


def _picture_in_sheet_folder(value: str, info: ValidationInfo) -> str:
    """A picture must be a file of the sheet's own folder (or below it): no `..`, no link
    out, no other kind of file. Returns its absolute path; the bytes read and checked are
    kept in the validation context, to be printed exactly as checked."""
    folder = (info.context or {}).get("folder")
    if folder is None:  # validating without a file (e.g. a schema example): keep as written
        return value
    try:
        root = Path(folder).resolve()
        target = (root / value).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
        raise PydanticCustomError(
            "picture_loop", "'{path}' is a symbolic link that leads round in a loop: remove "
            "or fix the link", {"path": value}) from None
    if not target.is_relative_to(root):
        raise PydanticCustomError(
            "picture_outside",
            "'{path}' is outside the sheet's folder: put the picture in the sheet's folder "
            "(or a folder inside it) and write its path from there",
            {"path": value},
        )
    if target.suffix.lower() not in PICTURE_TYPES:
        raise PydanticCustomError(
            "picture_type", "'{path}' is not a picture handouts can print: use a PNG, JPEG "
            "or SVG file", {"path": value})
    if not target.exists():
        raise PydanticCustomError(
            "picture_missing", "'{path}' does not exist in the sheet's folder: check the "
            "name and the folder", {"path": value})
    return _read_once(target, value, info)


def _read_once(target: Path, value: str, info: ValidationInfo) -> str:
    """Read and check a picture's bytes once per sheet (even when several parts show it) and
    keep them in the validation context: the sheet prints exactly the bytes checked."""
    context = info.context if info.context is not None else {}
    pictures = context.setdefault("pictures", {})
    picture = pictures.get(str(target))
    if picture is None:
        try:
            picture = load_picture(target)
        except PictureProblem as problem:
            raise PydanticCustomError("picture_refused", "'{path}' {problem}",
                                      {"path": value, "problem": str(problem)}) from None
        printed = context.get("picture_bytes", 0) + len(picture.data)
        if printed > MAX_TOTAL_PICTURE_BYTES:
            raise PydanticCustomError(
                "picture_total", "'{path}' brings the sheet's pictograms over {most} bytes "
                "together: use smaller pictures",
                {"path": value, "most": f"{MAX_TOTAL_PICTURE_BYTES:,}"})
        context["picture_bytes"] = printed
        pictures[str(target)] = picture
    return str(target)


PicturePath = Annotated[Line, AfterValidator(_picture_in_sheet_folder)]


def _picture_or_builtin(value: str, info: ValidationInfo) -> str:
    """A built-in pictogram (`builtin:house` or `🏠`) or a picture of the sheet's folder;
    returns the absolute path of the file either way."""
    if pictoset.looks_builtin(value):
        try:
            path = pictoset.resolve(value).path
        except pictoset.UnknownPictogram as error:
            raise PydanticCustomError("pictogram_unknown", "{message}",
                                      {"message": str(error)}) from None
        if (info.context or {}).get("folder") is None:  # validating without a file
            return str(path)
        return _read_once(path, value, info)
    return _picture_in_sheet_folder(value, info)


Pictogram = Annotated[Text, AfterValidator(_picture_or_builtin)]
_PICTOGRAM_HELP = ("a built-in pictogram named `builtin:house` or by its emoji, e.g. \"🏠\" "
                   "(the list is in docs/format.md), or a PNG, JPEG or SVG file in the sheet's "
                   "folder, e.g. pictograms/home.svg")


class EasyReadPart(Strict):
    heading: Line = Field(description="A short heading, often a question.")
    lines: list[Line] = Field(min_length=1, max_length=MAX_ITEMS, description="One short "
                              "sentence per line.")
    pictogram: Pictogram | None = Field(
        None, description="Optional pictogram printed left of the part: " + _PICTOGRAM_HELP
        + ".")
    pictogram_alt: Line | None = Field(
        None, description="What the pictogram shows, for screen readers. Default: the "
        "heading.")


class EasyContact(Strict):
    name: Line | None = Field(None, description="Who can help readers: a person or a service.")
    phone: Line | None = Field(None, description="Phone number, as it should be dialled.")
    email: Line | None = Field(None, description="E-mail address.")
    address: Line | None = Field(None, description="Postal address, on one line.")

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise PydanticCustomError(
                "email", "'{email}' is not an e-mail address: write it like name@example.org",
                {"email": value})
        return value


class EasyReadReview(Strict):
    """One session where readers checked the easy-read text (`handouts review` writes it):
    what they checked is kept as digests, so that the logo and `check` know when the text
    changed since (view/reviews.py)."""

    date: dt.date = Field(description="When the readers checked the text, written YYYY-MM-DD.")
    readers: int = Field(ge=1, le=10_000, description="How many readers took part.")
    checkers: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS,
                                 description="The names of the readers who agree to be named "
                                 "as checkers (the easy-to-read logo needs at least one).")
    notes: Text | None = Field(None, description="What the group said, for the authors.")
    digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16,64}$")] = Field(
        description="Written by `handouts review`: a digest of the text as it was checked "
        "(title, lines, key points, pictures). Not written by hand.")
    lines: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}( [0-9a-f]{8})*$",
                                            max_length=30_000)] = Field(
        description="Written by `handouts review`: one short digest per numbered item of the "
        "proof-reading sheet, in order, so that `check` can say which lines changed. Not "
        "written by hand.")


class EasyRead(Strict):
    title: Line | None = Field(None, description="The leaflet's own title in plain words, "
                               "printed first, at most two lines (e.g. \"Screens and "
                               "sleep\"). Default: `short_title`, or the document's title, "
                               "if it fits two lines; else a plain heading like \"What the "
                               "report says\".")
    introduction: Line | None = Field(None, description="The leaflet's first sentence, under "
                                      "its title. Default: \"This leaflet explains a report "
                                      "about …\" with the plain title.")
    picture: Pictogram | None = Field(None, description="Cover picture beside the title: "
                                      + _PICTOGRAM_HELP + ".")
    picture_alt: Line | None = Field(None, description="What the cover picture shows, for "
                                     "screen readers. Default: the title.")
    summary: list[EasyReadPart] = Field(min_length=1, max_length=MAX_ITEMS,
                                        description="The summary in easy-to-read "
                                        "language, in parts.")
    key_points: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS,
                                   description="Key points, one short "
                                   "sentence each.")
    key_points_pictogram: Pictogram | None = Field(
        None, description="Pictogram printed left of the key points: " + _PICTOGRAM_HELP + ".")
    key_points_pictogram_alt: Line | None = Field(
        None, description="What the key points' pictogram shows. Default: the heading.")
    checked_by: Line | None = Field(None, description="Who tested the text with readers, "
                                    "e.g. a group of readers with learning disabilities.")
    contact: EasyContact | None = Field(None, description="Who can help readers: name, phone, "
                                        "e-mail, address (each optional).")
    logo: PicturePath | None = Field(
        None, description="The European easy-to-read logo, as a file your organisation "
        "obtained from Inclusion Europe (handouts does not ship it); printed only when "
        "`checked_by` is filled, or, once `reviews` are recorded, when the latest one covers "
        "the text as it is and names a checker.")
    reviews: list[EasyReadReview] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="The sessions where readers "
        "checked the text, oldest first, each added by `handouts review`. When there are "
        "reviews, the latest one's checkers are the ones the leaflet names.")

    def latest_review(self) -> EasyReadReview | None:
        """The review with the latest date (the last written among the same day's)."""
        if not self.reviews:
            return None
        return max(reversed(self.reviews), key=lambda review: review.date)

    def checkers(self) -> str | None:
        """Who checked the text, as the leaflet names them: `checked_by` as written, unless a
        review is recorded whose checkers it does not all name; then those checkers."""
        latest = self.latest_review()
        if latest is None or not latest.checkers:
            return self.checked_by
        if self.checked_by and all(name.casefold() in self.checked_by.casefold()
                                   for name in latest.checkers):
            return self.checked_by
        return ", ".join(latest.checkers)

    def picture_files(self) -> list[str]:
        """Every picture file the leaflet prints (checked paths, built-ins included)."""
        files = [self.picture, *(part.pictogram for part in self.summary),
                 self.key_points_pictogram, self.logo if self.checkers() else None]
        return [file for file in files if file]


class Sheet(Strict):
    """A resource analysis sheet, content format v1."""

    format: int = Field(description=f"Version of the content format: {FORMAT_VERSION}.")
    lang: Literal[LANGUAGES] = Field(  # type: ignore[valid-type]
        description="Language of the sheet and of the printed labels: "
        + ", ".join(LANGUAGES[:-1]) + " or " + LANGUAGES[-1] + ".")
    slug: Annotated[str, StringConstraints(max_length=MAX_SLUG_LENGTH)] = Field(
        description="Short name used for the output files: lowercase letters, digits and "
        "hyphens. Default: the file name without .yaml."
    )
    title: Line = Field(description="Title of the analysed document.")
    short_title: Line | None = Field(None, description="A shorter title, whole, for the "
                                     "places with little room: the quiz and answer-key title, "
                                     "the running header and the leaflet (when it has no "
                                     "plain title of its own). Needed when the title takes "
                                     "more than two lines on the quiz: titles are never cut.")
    source: Source = Field(default_factory=Source, description="The analysed document.")
    sheet: SheetInfo = Field(description="This analysis sheet.")
    highlights: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS,
                                   description="Short teaser lines.")
    introduction: Text | None = Field(None, description="Introduction, one or more paragraphs "
                                      "separated by a blank line.")
    summary: list[SummaryItem] = Field(min_length=1, max_length=MAX_ITEMS,
                                       description="1. Analytical summary.")
    key_points: list[PagedText] = Field(min_length=1, max_length=MAX_ITEMS,
                                        description="2. Key points of the "
                                        "document.")
    action_paths: list[PagedText] = Field(min_length=1, max_length=4, description="3. Action "
                                          "paths for local actors: one to four.")
    references: list[Reference] = Field(default_factory=list, max_length=MAX_ITEMS,
                                        description="4. Complementary "
                                        "references.")
    values: ValuesGrid = Field(description="5. Cross-analysis: values of health practices.")
    reliability: Reliability = Field(description="6. Reliability of the resource.")
    quiz: list[Question] = Field(min_length=1, max_length=MAX_QUESTIONS,
                                 description="7. Multiple-choice quiz.")
    faq: list[FaqItem] = Field(min_length=1, max_length=MAX_ITEMS,
                               description="8. Frequently asked questions.")
    easy_read: EasyRead = Field(description="9. Rewriting in easy-to-read language.")
    tags: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS,
                             description="Keywords, without '#'.")
    translation_of: TranslationOf | None = Field(None, description="When this sheet is a "
                                                 "translation: the sheet it translates.")

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise PydanticCustomError(
                "format_version",
                "this version of handouts reads format {known}; the sheet says {value}: "
                "write `format: {known}`",
                {"known": FORMAT_VERSION, "value": value},
            )
        return value

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        problem = slug_problem(value)
        if problem:
            raise PydanticCustomError("slug", "'{slug}' cannot be used as a file name: "
                                      "{problem}", {"slug": value, "problem": problem})
        return value

    @field_validator("tags")
    @classmethod
    def _strip_hash(cls, tags: list[str]) -> list[str]:
        return [tag.lstrip("#") for tag in tags]

    _pictures: dict[str, Picture] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _keep_checked_pictures(self, info: ValidationInfo) -> Sheet:
        self._pictures = dict((info.context or {}).get("pictures") or {})
        return self

    def picture(self, path: str | None) -> Picture | None:
        """A picture's bytes as read and checked when the sheet was loaded (by its checked
        path, as the picture fields hold it): the only bytes ever printed for it."""
        return self._pictures.get(path) if path else None
