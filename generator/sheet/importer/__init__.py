"""`handouts import`: turn a published sheet page (copied text or saved HTML) into a sheet.

The page is first reduced to numbered lines (`Line`): copied text line by line, HTML block by
block with its links kept (`lines_from_html`). One parser (`parse_lines`) reads both, so the
two forms cannot drift apart. The web edition's own pages are read by their structure
instead (`read_web_page`): they give back the sheet they were built from.

Faithful, never inventive: texts are kept word for word; only the template's own furniture
(labels, markers, page references, numbering) is taken off. What cannot be placed goes to the
report with its input line and into the YAML as a comment, never silently away.

The package follows the data: `lines` (input → lines), `text` (normalising, furniture off),
`sections` (headings, language, dates), `state`, `header` and `parser` (one pass over the
lines, a reader per section), `assembly` (the sheet, the quiz's two parts joined),
`yamlwriter` (YAML with the import's comments), `web` (the web edition's pages), `report`
(what all of them share). This module is the entry point: `import_page`, `read_page`.
"""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...paths import printable_name
from ...paths import write_new as write_new_file
from ..model import SLUG_PATTERN
from .assembly import parse_lines, slug_for
from .lines import (
    MAX_HTML_DEPTH,
    MAX_INPUT_BYTES,
    lines_from_html,
    lines_from_text,
    looks_like_html,
    read_bounded,
)
from .report import (
    MISSING,
    ImportReport,
    ImportResult,
    Line,
    Link,
    Missing,
    PageError,
    ReportItem,
)
from .sections import Heading, detect_language, find_heading, is_boilerplate, parse_date, tags_of
from .text import item_text, normalise, split_numbering, split_pages, strip_markers
from .web import WEB_GENERATOR, is_web_edition, read_web_page, web_text
from .yamlwriter import comment_line, quote, to_yaml

__all__ = [
    "MAX_HTML_DEPTH", "MAX_INPUT_BYTES", "MISSING", "READERS", "WEB_GENERATOR", "Heading",
    "ImportReport", "ImportResult", "Line", "Link", "Missing", "PageError", "ReportItem",
    "comment_line", "detect_language", "find_heading", "import_page", "is_boilerplate",
    "is_web_edition", "item_text", "lines_from_html", "lines_from_text", "looks_like_html",
    "normalise", "parse_date", "parse_lines", "quote", "read_bounded", "read_page",
    "read_web_page", "slug_for", "split_numbering", "split_pages", "strip_markers", "tags_of",
    "to_yaml", "web_text", "write_new",
]

# The readers: each turns the input into lines, or (the web edition's) straight into the
# sheet, from the structure of our own pages.
READERS: dict[str, Callable[..., list[Line] | ImportResult]] = {
    "html": lines_from_html,
    "text": lambda data: lines_from_text(data.decode("utf-8-sig")),
    "web": read_web_page,
}


def read_page(page: Path, lang: str | None, target: Path | None,
              folder: Path) -> tuple[str, ImportReport, Path]:
    """Read PAGE; the sheet's YAML, the report and where to write it (TARGET, or
    FOLDER/SLUG.yaml with a slug made from the title)."""
    data = read_bounded(page, MAX_INPUT_BYTES, error=PageError, what="a sheet page")
    slug = target.stem if target is not None and SLUG_PATTERN.match(target.stem) else None
    try:
        text, report = import_page(data, page.name, lang=lang, slug=slug, folder=page.parent)
    except PageError as error:
        raise PageError(f"{printable_name(str(page))}: {error.message}; nothing was "
                        "written") from None
    if target is None:
        target = folder / f"{report.slug}.yaml"
    return text, report, target


def write_new(target: Path, text: str) -> None:
    """Write the sheet; never over an existing file."""
    write_new_file(target, text, rename="choose another name with -o",
                   relocate="choose another place with -o", error=PageError)


def import_page(data: bytes, name: str, *, lang: str | None = None, slug: str | None = None,
                folder: Path | None = None) -> tuple[str, ImportReport]:
    """The YAML text of the sheet a page holds, and the report of the import (FOLDER: where
    the page is, for the web edition's pages beside it)."""
    if len(data) > MAX_INPUT_BYTES:
        raise PageError(f"the file is {len(data):,} bytes; a sheet page may be at most "
                        f"{MAX_INPUT_BYTES:,} bytes: is it the right file?")
    form = "html" if looks_like_html(name, data) else "text"
    if form == "html" and is_web_edition(name, data):
        result = READERS["web"](data, folder, lang=lang, slug=slug)
        assert isinstance(result, ImportResult)  # the web reader reads the whole sheet
        return to_yaml(result.data, result.comments, _import_header(name)), result.report
    try:
        lines = READERS[form](data)
        assert isinstance(lines, list)  # the text and HTML readers give the page's lines
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PageError(f"line {line}: this is not UTF-8 text: save the page again as UTF-8 "
                           "text, or as HTML") from None
    result = parse_lines(lines, lang=lang, slug=slug, form=form)
    return to_yaml(result.data, result.comments, _import_header(name)), result.report


def _import_header(name: str) -> list[str]:
    return [f"Imported by `handouts import` from {name}: compare it with the page, then",
            "read the `import:` comments below and delete them once dealt with."]

