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
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .labels import CATALOGS

FORMAT_VERSION = 1
LANGUAGES = tuple(CATALOGS)  # a language is supported when it has a label catalog
SLUG_PATTERN = re.compile(r"^[a-z0-9-]+$")
LETTERS = "abcdef"
PICTURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".svg": "image/svg+xml"}
MAX_PICTURE_BYTES = 2_000_000
MAX_CHOICES = len(LETTERS)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise PydanticCustomError(
            "url",
            "'{url}' is not a web address: write a full address starting with https:// "
            "(or http://)",
            {"url": value},
        )
    return value


WebAddress = Annotated[Text, AfterValidator(_check_url)]


class Strict(BaseModel):
    """Unknown fields are mistakes (usually typos), never silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(Strict):
    authors: list[Text] = Field(default_factory=list, description="Authors of the analysed "
                                "document, one per item.")
    publisher: Text | None = Field(None, description="Organisation that published it.")
    published: Text | None = Field(None, description="When it was published: a year or a date.")
    url: WebAddress | None = Field(None, description="Web address of the document (http or "
                                   "https).")


class SheetInfo(Strict):
    author: Text = Field(description="Who wrote this analysis sheet.")
    site: Text | None = Field(None, description="Website or organisation of the sheet's author.")
    date: dt.date = Field(description="Date of the analysis sheet, written YYYY-MM-DD.")


class SummaryItem(Strict):
    heading: Text = Field(description="Sub-heading of this part of the summary.")
    text: Text = Field(description="Paragraph(s); inline Markdown allowed.")


class PagedText(Strict):
    text: Text = Field(description="The point, in one or two sentences; inline Markdown allowed.")
    pages: Text | None = Field(None, description="Pages of the source, e.g. \"30-33\" or "
                               "\"10, 36-39\".")


class Reference(Strict):
    title: Text = Field(description="Title of the complementary resource.")
    note: Text | None = Field(None, description="What it brings, in a sentence.")
    url: WebAddress | None = Field(None, description="Web address (http or https).")


class Criterion(Strict):
    name: Text = Field(description="Name of the criterion, e.g. \"Literacy\".")
    assessment: Text = Field(description="How the document meets it.")


class ValuesGrid(Strict):
    criteria: list[Criterion] = Field(min_length=1, description="One item per value.")
    conclusion: Text = Field(description="Overall conclusion of the cross-analysis.")


class Reliability(Strict):
    criteria: list[Criterion] = Field(min_length=1, description="One item per criterion.")
    recommendation: Text = Field(description="Recommendation on using the resource.")


class Question(Strict):
    question: Text = Field(description="The question, as printed.")
    pages: Text | None = Field(None, description="Pages of the source that answer it.")
    choices: list[Text] = Field(description=f"2 to {MAX_CHOICES} answer choices, without "
                                "their letters: the letters a), b)… are added when printed.")
    answer: Text = Field(description="Letter of the correct choice: a for the first, b for "
                         "the second…")
    explanation: Text | None = Field(None, description="Commented correction shown in the key.")
    points: int = Field(1, ge=1, le=100, description="Points for a correct answer (default 1).")
    shuffle: bool = Field(True, description="false keeps the choices in their order in every "
                          "version (for \"all of the above\" or ordered scales).")
    pin_last: bool = Field(False, description="true keeps the last choice last when the "
                           "others are shuffled (e.g. \"None of these\").")

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
        choices = info.data.get("choices")
        letter = answer.strip().rstrip(")").lower()
        letters = LETTERS[: len(choices)] if choices else LETTERS
        if len(letter) != 1 or letter not in letters:
            raise PydanticCustomError(
                "answer_letter",
                "'{answer}' is not the letter of a choice: write one of {letters}",
                {"answer": answer, "letters": ", ".join(letters)},
            )
        return letter


class FaqItem(Strict):
    question: Text = Field(description="A question readers often ask.")
    answer: Text = Field(description="Its answer; inline Markdown allowed.")
    pages: Text | None = Field(None, description="Pages of the source.")


def _picture_in_sheet_folder(value: str, info: ValidationInfo) -> str:
    """A picture must be a file of the sheet's own folder (or below it): no `..`, no link
    out, no other kind of file. Returns its absolute path."""
    folder = (info.context or {}).get("folder")
    if folder is None:  # validating without a file (e.g. a schema example): keep as written
        return value
    root = Path(folder).resolve()
    target = (root / value).resolve()
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
    if not target.is_file():
        raise PydanticCustomError(
            "picture_missing", "'{path}' does not exist in the sheet's folder: check the "
            "name and the folder", {"path": value})
    if target.stat().st_size > MAX_PICTURE_BYTES:
        raise PydanticCustomError(
            "picture_size", "'{path}' is over {most} bytes: use a smaller picture",
            {"path": value, "most": MAX_PICTURE_BYTES})
    return str(target)


PicturePath = Annotated[Text, AfterValidator(_picture_in_sheet_folder)]


class EasyReadPart(Strict):
    heading: Text = Field(description="A short heading, often a question.")
    lines: list[Text] = Field(min_length=1, description="One short sentence per line.")
    pictogram: PicturePath | None = Field(
        None, description="Optional pictogram printed left of the part: a PNG, JPEG or SVG "
        "file in the sheet's folder, e.g. pictograms/home.svg.")
    pictogram_alt: Text | None = Field(
        None, description="What the pictogram shows, for screen readers. Default: the "
        "heading.")


class EasyRead(Strict):
    summary: list[EasyReadPart] = Field(min_length=1, description="The summary in easy-to-read "
                                        "language, in parts.")
    key_points: list[Text] = Field(default_factory=list, description="Key points, one short "
                                   "sentence each.")


class Sheet(Strict):
    """A resource analysis sheet, content format v1."""

    format: int = Field(description=f"Version of the content format: {FORMAT_VERSION}.")
    lang: Literal[LANGUAGES] = Field(  # type: ignore[valid-type]
        description="Language of the sheet and of the printed labels: "
        + " or ".join(LANGUAGES) + ".")
    slug: Annotated[str, StringConstraints(max_length=80)] = Field(
        description="Short name used for the output files: lowercase letters, digits and "
        "hyphens. Default: the file name without .yaml."
    )
    title: Text = Field(description="Title of the analysed document.")
    short_title: Text | None = Field(None, description="Optional shorter title, used for the "
                                     "quiz and answer-key title and the running head (a "
                                     "quiz title should take at most two lines).")
    source: Source = Field(default_factory=Source, description="The analysed document.")
    sheet: SheetInfo = Field(description="This analysis sheet.")
    highlights: list[Text] = Field(default_factory=list, description="Short teaser lines.")
    introduction: Text | None = Field(None, description="Introduction, one or more paragraphs "
                                      "separated by a blank line.")
    summary: list[SummaryItem] = Field(min_length=1, description="1. Analytical summary.")
    key_points: list[PagedText] = Field(min_length=1, description="2. Key points of the "
                                        "document.")
    action_paths: list[PagedText] = Field(min_length=1, max_length=4, description="3. Action "
                                          "paths for local actors: one to four.")
    references: list[Reference] = Field(default_factory=list, description="4. Complementary "
                                        "references.")
    values: ValuesGrid = Field(description="5. Cross-analysis: values of health practices.")
    reliability: Reliability = Field(description="6. Reliability of the resource.")
    quiz: list[Question] = Field(min_length=1, description="7. Multiple-choice quiz.")
    faq: list[FaqItem] = Field(min_length=1, description="8. Frequently asked questions.")
    easy_read: EasyRead = Field(description="9. Rewriting in easy-to-read language.")
    tags: list[Text] = Field(default_factory=list, description="Keywords, without '#'.")

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
        if not SLUG_PATTERN.match(value):
            raise PydanticCustomError(
                "slug",
                "'{slug}' cannot be used as a file name: use only lowercase letters a-z, digits "
                "and hyphens, like educational-alliances",
                {"slug": value},
            )
        return value

    @field_validator("tags")
    @classmethod
    def _strip_hash(cls, tags: list[str]) -> list[str]:
        return [tag.lstrip("#") for tag in tags]
