"""`handouts import`: turn a published sheet page (copied text or saved HTML) into a sheet.

The page is first reduced to numbered lines (`Line`): copied text line by line, HTML block by
block with its links kept (`lines_from_html`). One parser (`parse_lines`) reads both, so the
two forms cannot drift apart. The web edition's own pages are read by their structure
instead (`read_web_page`, the last section): they give back the sheet they were built from.

Faithful, never inventive: texts are kept word for word; only the template's own furniture
(labels, markers, page references, numbering) is taken off. What cannot be placed goes to the
report with its input line and into the YAML as a comment, never silently away.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ...errors import HandoutsError
from ...paths import ReadRefused, bounded_bytes, printable_name
from ..model import SLUG_PATTERN
from .vocab import COMMON_BOILERPLATE, MATCH_ORDER, SECTIONS, Vocabulary, vocabularies

Path_ = tuple[str | int, ...]
Kind = Literal["disagreement", "unplaced", "missing", "note"]
MAX_INPUT_BYTES = 5_000_000
LINK_WORDS = ("link", "lien", "enlace")


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Line:
    """One line of the page: a text line as copied, or one HTML block."""

    number: int                     # line in the input file (1-based)
    text: str
    links: tuple[Link, ...] = ()
    heading: bool = False           # an HTML heading element (h1–h6)
    level: int = 0                  # its level: 1 for the page's <h1>


@dataclass(frozen=True)
class ReportItem:
    line: int | None                # line in the input file
    kind: Kind
    field: str                      # where it belongs in the sheet, e.g. quiz[3].answer
    message: str

    def show(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.kind}: {self.field + ': ' if self.field else ''}{self.message}"


@dataclass
class ImportReport:
    """Everything a person should know about an import: each item at its input line."""

    form: str = "text"              # text | html
    lang: str = "en"
    lang_detected: bool = True
    slug: str = ""
    items: list[ReportItem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)   # lines of page furniture
    sections: list[str] = field(default_factory=list)  # sections found, in page order
    questions: int = 0
    faq: int = 0

    def add(self, line: int | None, kind: Kind, path: str, message: str) -> None:
        self.items.append(ReportItem(line, kind, path, message))

    def of_kind(self, kind: Kind) -> list[ReportItem]:
        return [item for item in self.items if item.kind == kind]

    def lines(self, page: str, sheet: str) -> list[str]:
        """The report as printed: what was read, one line per item (FILE:LINE: kind: field:
        message), the page furniture left out, then a summary."""
        language = {"en": "English", "fr": "French"}.get(self.lang, self.lang)
        how = "found from its headings" if self.lang_detected else "as asked"
        if self.form == "web" and self.lang_detected:
            how = "as the page says"
        form = {"html": "a page saved as HTML", "web": "a page of the web edition"}.get(
            self.form, "text copied from a browser")
        out = [f"{page}: {form}, in {language} ({how})"]
        out += [item.show(page) for item in self.items]
        if self.skipped:
            out.append(f"{page}: skipped as page furniture or repeats: lines "
                       + ", ".join(map(str, self.skipped)))
        kinds: tuple[Kind, ...] = ("disagreement", "unplaced", "missing", "note")
        counts = {kind: len(self.of_kind(kind)) for kind in kinds}
        names = {"disagreement": ("disagreement", "disagreements"),
                 "unplaced": ("line not placed", "lines not placed"),
                 "missing": ("field missing", "fields missing"), "note": ("note", "notes")}
        out.append(f"wrote {sheet}: {len(self.sections)} of 9 sections, {self.questions} quiz "
                   f"question{'s' if self.questions != 1 else ''}, {self.faq} FAQ "
                   f"item{'s' if self.faq != 1 else ''}; "
                   + ", ".join(f"{n} {names[k][n != 1]}" for k, n in counts.items()) + ".")
        return out


class Missing:
    """A required field the page did not give: written as a comment for the author."""


MISSING = Missing()
MissingFn = Callable[[Path_, str, int | None], Missing]


@dataclass
class ImportResult:
    data: dict[str, Any]
    comments: dict[Path_, list[str]]
    report: ImportReport


# --- reading ------------------------------------------------------------------------------


class PageError(HandoutsError):
    """The input cannot be imported at all (nothing is written)."""


def looks_like_html(name: str, data: bytes) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def lines_from_text(text: str) -> list[Line]:
    """Copied text: one line per non-blank line, with its number."""
    return [Line(number, stripped) for number, raw in enumerate(text.splitlines(), 1)
            if (stripped := raw.strip())]


_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "li", "ul",
           "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "table", "tr", "td", "th", "caption", "figure", "figcaption", "hr", "body", "address"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "form", "button", "iframe",
         "head", "select", "textarea", "object", "video", "audio", "canvas", "img"}


@dataclass
class _Open:
    """An HTML element being read: what its end needs, and where its children are."""

    element: Any
    tag: str
    start: int                      # where its text starts in the buffer (for a link)
    number: int                     # the next list item's number
    children: Iterator[Any]


def lines_from_html(data: bytes | str) -> list[Line]:
    """Saved HTML: one line per block as a browser copies it (bullets before list items,
    numbers before ordered ones), with the links of each block and its source line."""
    root = _html_tree(data)
    lines: list[Line] = []
    buffer: list[str] = []
    links: list[tuple[int, int, str]] = []
    state: dict[str, Any] = {"line": 0, "heading": 0, "prefix": ""}

    def flush() -> None:
        raw = "".join(buffer)
        text = " ".join(raw.replace("\u00a0", "\x00").split()).replace("\x00", "\u00a0").strip()
        if text:
            found = []
            for start, end, href in links:
                anchor = " ".join(raw[start:end].split())
                if href.startswith(("http://", "https://", "mailto:")):
                    found.append(Link(anchor, href.strip()))
            text = state["prefix"] + text
            state["prefix"] = ""
            lines.append(Line(state["line"] or 1, text, tuple(found), bool(state["heading"]),
                              state["heading"]))
        buffer.clear()
        links.clear()
        state["line"] = 0
        state["heading"] = 0

    def add(text: str | None, line: int | None) -> None:
        if text:
            if not state["line"] and text.strip():
                state["line"] = line or 0
            buffer.append(text)

    def enter(element: Any, ordinal: str = "") -> _Open | None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower().rsplit("}", 1)[-1]
        if tag in _SKIP or not tag:
            return None
        if tag in _BLOCKS or tag == "br":
            flush()
        if tag == "li":
            state["prefix"] = ordinal
        if tag in _HEADINGS:
            state["heading"] = int(tag[1])
        start = len("".join(buffer))
        add(element.text, element.sourceline)
        number = int(element.get("start", "1")) if tag == "ol" and \
            element.get("start", "1").isdigit() else 1
        return _Open(element, tag, start, number, iter(element))

    def leave(done: _Open) -> None:
        if done.tag == "a" and done.element.get("href"):
            links.append((done.start, len("".join(buffer)), done.element.get("href")))
        if done.tag in _BLOCKS:
            flush()

    # Depth first, with a stack of its own rather than recursion: a page nested as deep as
    # the parser allows is read to its end.
    body = root.find("body")
    top = enter(body if body is not None else root)
    stack = [top] if top is not None else []
    while stack:
        parent = stack[-1]
        child = next(parent.children, None)
        if child is None:
            leave(stack.pop())
            if stack:
                add(parent.element.tail, parent.element.sourceline)
            continue
        child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
        ordinal = ""
        if child_tag == "li":
            ordinal = f"{parent.number}. " if parent.tag == "ol" else "• "
            parent.number += 1
        opened = enter(child, ordinal)
        if opened is None:
            add(child.tail, child.sourceline)
        else:
            stack.append(opened)
    flush()
    return lines


# libxml2 reads elements 256 deep, 2,048 with its `huge` option; beyond that it stops, and
# what follows would be lost: the page is refused instead.
MAX_HTML_DEPTH = 2048


def _html_tree(data: bytes | str) -> Any:
    """The page's element tree, read to its end or refused: a page the parser had to stop
    reading (nesting deeper than MAX_HTML_DEPTH) is never half read."""
    import lxml.etree
    import lxml.html

    if isinstance(data, bytes):
        data = _decode_html(data)
    data = re.sub(r"^\s*<\?xml[^>]*\?>", "", data)  # lxml refuses str with a declaration
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (ValueError, lxml.etree.ParserError) as error:
        raise PageError(f"this HTML cannot be read ({error})") from None
    fatal = [entry for entry in parser.error_log if entry.level == lxml.etree.ErrorLevels.FATAL]
    if fatal:
        where = f"line {fatal[0].line}: " if fatal[0].line else ""
        if "depth" in fatal[0].message.lower():
            raise PageError(f"{where}the page nests its elements more than "
                            f"{MAX_HTML_DEPTH:,} deep; handouts cannot read past this point: "
                            "copy the page's text from the browser and import that instead")
        raise PageError(f"{where}the HTML cannot be read past this point "
                        f"({fatal[0].message.strip()}): copy the page's text from the browser "
                        "and import that instead")
    return root


def _decode_html(data: bytes) -> str:
    """The page's own charset when it names one, else UTF-8 (what browsers save), else
    Windows-1252 (what old pages are)."""
    declared = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# The readers: each turns the input into lines, or (the web edition's, registered with the
# reader itself below) straight into the sheet, from the structure of our own pages.
READERS: dict[str, Callable[..., list[Line] | ImportResult]] = {
    "html": lines_from_html,
    "text": lambda data: lines_from_text(data.decode("utf-8-sig")),
}


# --- normalising --------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lowercase, no accents, punctuation and emoji as spaces: the form headings are
    matched in."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def _has_phrase(norm: str, phrase: str) -> bool:
    return f" {phrase} " in f" {norm} "


_MARKER = re.compile(r"^[\W_]+(?=\w)", re.UNICODE)
_KEYCAP_HASH = "#\ufe0f\u20e3"


def strip_markers(text: str) -> str:
    """Take the emoji, bullets and dashes off the start of a line (never its words)."""
    text = text.replace(_KEYCAP_HASH, "")
    stripped = _MARKER.sub("", text)
    # keep opening quotes, brackets and the like that belong to the text
    lead = text[: len(text) - len(stripped)]
    keep = ""
    for char in reversed(lead):
        if char in "«“\"'\u2018([¿¡*":
            keep = char + keep
        else:
            break
    return (keep + stripped).strip()


_NUMBERING = re.compile(r"^\s*(\d{1,2})\s*(?:[.):]|\s[–—-])\s+")
_BULLET = re.compile(r"^\s*[•·▪●◦‣∙*\-–—]\s+")


def split_numbering(text: str) -> tuple[int | None, str]:
    """'1. 2. KEY POINTS' → (2, 'KEY POINTS'): broken numbering, the last number counts."""
    number = None
    text = strip_markers(text) if not _NUMBERING.match(text) else text
    while match := _NUMBERING.match(text):
        number = int(match.group(1))
        text = text[match.end():]
    return number, text.strip()


def item_text(text: str) -> str:
    """A list item's text without its bullet or number."""
    text = _BULLET.sub("", text, count=1)
    text = _NUMBERING.sub("", text, count=1)
    return text.strip()


_PAGES = r"(?P<pages>\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|;|and|et|&)\s*\d+(?:\s*[-–]\s*\d+)?)*)"
_PAGE_WORD = r"(?:pp?\.|pages?|pág(?:s|inas?)?\.?)"
_TRAILING_PAGES = re.compile(r"\s*\(\s*" + _PAGE_WORD + r"\s*" + _PAGES
                             + r"\s*\)(?P<end>[.!?…]?)\s*$", re.IGNORECASE)
_SOURCE_PAGES = re.compile(r"\s*(?:Sources?|Fuentes?)\s*:\s*(?:" + _PAGE_WORD + r"\s*)?" + _PAGES
                           + r"\s*\.?\s*$", re.IGNORECASE)


def split_pages(text: str) -> tuple[str, str | None]:
    """'… co-education (pp. 30-33).' → ('… co-education.', '30-33'); also a trailing
    'Source: pp. 30-33.'"""
    match = _SOURCE_PAGES.search(text)
    if match and match.start() > 0:
        return text[: match.start()].rstrip(), match.group("pages").strip()
    match = _TRAILING_PAGES.search(text)
    if match and match.start() > 0:
        return text[: match.start()].rstrip() + match.group("end"), match.group("pages").strip()
    return text, None


def _label(text: str, labels: Sequence[str]) -> str | None:
    """The text after 'Label:' when the line starts with one of the labels, else None."""
    body = strip_markers(text)
    index = body.find(":")
    if index < 0 or index > 60:
        return None
    head = normalise(body[:index])
    head = re.sub(r"\s*\d+$", "", head)
    if head in labels:
        return body[index + 1:].strip()
    return None


def _starts_with(norm: str, phrases: Sequence[str]) -> bool:
    return any(norm == p or norm.startswith(p + " ") for p in phrases)


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8


# --- finding sections ---------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    section: str
    number: int | None
    strong: bool
    by_number: bool = False


def find_heading(line: Line, vocab: Vocabulary, current: str | None = None) -> Heading | None:
    """The section a line opens, by its words (then by its number), or None."""
    raw = line.text.strip()
    if raw.endswith("?") or _BULLET.match(raw) or raw.startswith("#"):
        return None
    number, rest = split_numbering(raw)
    norm = normalise(rest)
    if not norm or len(norm.split()) > 14:
        return None
    caps = _is_caps(rest)
    # marked as a section heading: in capitals, or numbered (FAQ items and questions are
    # numbered too); otherwise only the template's words, without final punctuation
    marked = caps or (number is not None and current not in ("faq", "quiz"))
    words = [w for w in norm.split() if not w.isdigit()]
    known = sum(w in vocab.heading_words or w in vocab.stopwords for w in words)
    templated = bool(words) and known / len(words) >= 0.75 and not re.search(r"[.:;,!]$", raw)
    if marked or templated:
        for section in MATCH_ORDER:
            for phrase in vocab.sections[section]:
                if _has_phrase(norm, phrase):
                    return Heading(section, number, marked)
    if caps and number is not None and 1 <= number <= len(SECTIONS) and len(norm.split()) <= 10:
        return Heading(SECTIONS[number - 1], number, True, by_number=True)
    return None


def detect_language(lines: Sequence[Line]) -> str | None:
    """The language whose headings and labels the page uses most, None when no clue."""
    scores: dict[str, int] = {}
    for lang, vocab in vocabularies().items():
        score = 0
        for line in lines:
            heading = find_heading(line, vocab)
            if heading and not heading.by_number:
                score += 2
            norm = normalise(line.text)
            if any(_starts_with(norm, labels) for labels in
                   (vocab.correct, vocab.explanation, vocab.part1, vocab.part2,
                    vocab.intro_end, vocab.recommendation)):
                score += 1
        scores[lang] = score
    best = max(scores.values(), default=0)
    if best == 0:
        return None
    return next(lang for lang, score in scores.items() if score == best)


def is_boilerplate(line: Line, vocab: Vocabulary) -> bool:
    text = line.text.strip()
    if text.endswith((".", "!", "?")):
        return False  # a sentence, not a button
    norm = normalise(re.sub(r"\d+", " ", text))
    if not norm:
        return False
    if norm in vocab.intro_end:
        return True
    phrases = {p for v in vocabularies().values() for p in v.boilerplate} | set(COMMON_BOILERPLATE)
    if norm in phrases:
        return True
    words = {phrase for phrase in phrases if " " not in phrase}
    return all(word in words for word in norm.split())  # "Share Facebook Twitter"


def parse_date(text: str, vocab: Vocabulary) -> dt.date | None:
    norm = normalise(text)
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    candidates = []
    if iso:
        candidates.append((int(iso.group(1)), int(iso.group(2)), int(iso.group(3))))
    for match in re.finditer(r"\b(\d{1,2})(?:er|st|nd|rd|th)? ([a-z]+) (\d{4})\b", norm):
        if match.group(2) in vocab.months:
            candidates.append((int(match.group(3)), vocab.months[match.group(2)],
                               int(match.group(1))))
    for match in re.finditer(r"\b([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})\b", norm):
        if match.group(1) in vocab.months:
            candidates.append((int(match.group(3)), vocab.months[match.group(1)],
                               int(match.group(2))))
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


_TAG = re.compile(r"#[^\s#]+")


def tags_of(text: str) -> list[str] | None:
    """'#️⃣ #A #B' → ['A', 'B'], or None when the line is not a line of tags."""
    body = text.replace(_KEYCAP_HASH, " ").strip()
    tokens = body.split()
    if not tokens or not all(_TAG.fullmatch(token) for token in tokens):
        return None
    return [token.lstrip("#") for token in tokens]


_CHOICE = re.compile(r"^\s*\(?([a-fA-F])\s*[).:]\s*(.+)$")
_QUESTION = re.compile(r"^\s*(?:question|q)\s*(\d{1,2})\b\s*(?P<rest>.*)$", re.IGNORECASE)
_EASY_TITLE = re.compile(r"^\s*(\w+)\s*\d{1,2}\s*[:.–—-]\s*(?P<heading>.+)$")
_SPLIT_SITE = re.compile(r"\s+[-–—|]\s+")
_URL = re.compile(r"\(?\s*(https?://[^\s)]+)\s*\)?")


# --- parsing ------------------------------------------------------------------------------


@dataclass
class _Question:
    number: int
    line: int
    text: list[str] = field(default_factory=list)
    pages: str | None = None
    choices: list[str] = field(default_factory=list)
    answer_letter: str | None = None
    answer_text: str | None = None
    answer_line: int | None = None
    answer_raw: str | None = None
    explanation: list[str] = field(default_factory=list)
    pages2: str | None = None
    pages2_line: int | None = None


def _first_line(*questions: _Question | None) -> int | None:
    """The input line of the first of the question's parts that was found."""
    return next((question.line for question in questions if question), None)


class _Parser:
    """One pass over the lines; state is the current section and its sub-part."""

    def __init__(self, lines: Sequence[Line], vocab: Vocabulary, report: ImportReport):
        self.lines = lines
        self.vocab = vocab
        self.report = report
        self.comments: dict[Path_, list[str]] = {}
        self.section: str | None = None
        self.section_lines: dict[str, int] = {}
        self.title: str | None = None
        self.source: dict[str, Any] = {}
        self.sheet: dict[str, Any] = {}
        self.highlights: list[str] = []
        self.introduction: list[str] = []
        self.intro_open = False
        self.intro_closed = False
        self.expect_author = False
        self.summary: list[dict[str, Any]] = []
        self.key_points: list[dict[str, Any]] = []
        self.action_paths: list[dict[str, Any]] = []
        self.references: list[dict[str, Any]] = []
        self.values: dict[str, Any] = {"criteria": []}
        self.reliability: dict[str, Any] = {"criteria": []}
        self.pending_label: str | None = None    # conclusion / recommendation on next lines
        self.quiz_part = 1
        self.quiz_count: tuple[int, int] | None = None
        self.part1: dict[int, _Question] = {}
        self.part2: dict[int, _Question] = {}
        self.current_q: _Question | None = None
        self.faq: list[dict[str, Any]] = []
        self.easy_sub = "summary"
        self.easy_parts: list[dict[str, Any]] = []
        self.easy_points: list[str] = []
        self.tags: list[str] = []
        self.last_path: Path_ = ("title",)
        # a saved page's <h1> is its title; what stands before it is the site's banner
        self.h1 = next((line for line in lines if line.level == 1), None)
        self.before_h1 = self.h1 is not None

    # helpers
    def comment(self, path: Path_, text: str) -> None:
        self.comments.setdefault(path, []).append(text)

    def unplaced(self, line: Line, why: str = "") -> None:
        where = self._dotted(self.last_path)
        self.report.add(line.number, "unplaced", where, f"not placed{': ' + why if why else ''}"
                        f": \"{_short(line.text)}\"; kept as a comment near {where}")
        self.comment(self.last_path, f"import: line {line.number}: not placed: {line.text}")

    @staticmethod
    def _dotted(path: Path_) -> str:
        text = ""
        for part in path:
            text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text

    def run(self) -> None:
        for line in self.lines:
            self.step(line)

    def step(self, line: Line) -> None:
        if is_boilerplate(line, self.vocab):
            if normalise(line.text) in self.vocab.intro_end:
                self.intro_closed = True
            self.report.skipped.append(line.number)
            return
        tags = tags_of(line.text)
        if tags is not None:
            self.tags.extend(tags)
            self.last_path = ("tags",)
            return
        if self.section == "values" and self._values_label(line):
            return
        heading = find_heading(line, self.vocab, self.section)
        if heading and self.section == "easy_read" and heading.section in (
                "summary", "key_points") and not heading.strong:
            self.easy_sub = "key_points" if heading.section == "key_points" else "summary"
            return
        if heading and heading.section == self.section != "easy_read" \
                and heading.number is None and not _is_caps(line.text):
            heading = None  # "Summary of findings" inside the summary: a sub-heading
        if heading and not (self.section is None and self.title is None):
            self.open_section(line, heading)
            return
        handler = getattr(self, f"in_{self.section or 'header'}")
        handler(line)
        kept = self.section == "references" or (self.section is None and "url" in self.source
                                                 and self.source.get("url_line") == line.number)
        for link in line.links if not kept else ():
            if link.href.startswith(("http://", "https://")) and link.text.strip() != \
                    self.title:
                self.report.add(line.number, "note", self._dotted(self.last_path),
                                f"the link \"{_short(link.text, 40)}\" ({link.href}) is not "
                                f"kept: write it as [{_short(link.text, 40)}]({link.href}) if "
                                "it matters")

    def open_section(self, line: Line, heading: Heading) -> None:
        section = heading.section
        if heading.by_number:
            self.report.add(line.number, "note", section, f"the heading \"{_short(line.text)}\" "
                            f"was taken as section {heading.number} ({section}) from its number")
        if section == "easy_read":
            norm = normalise(split_numbering(line.text)[1])
            key_words = self.vocab.sections["key_points"]
            self.easy_sub = "key_points" if any(_has_phrase(norm, p) for p in key_words) \
                else "summary"
        if section == "quiz":
            match = re.search(r"\b(\d{1,2})\b", split_numbering(line.text)[1])
            if match:
                self.quiz_count = (int(match.group(1)), line.number)
        if section not in self.section_lines:
            self.section_lines[section] = line.number
            self.report.sections.append(section)
        self.section = section
        self.pending_label = None
        self.current_q = None
        self.last_path = (section,)

    # the header: title, authors, date, sheet's author, highlights, source, introduction
    def in_header(self, line: Line) -> None:
        if self.before_h1:
            if line is not self.h1:
                self.unplaced(line, "before the page's title")
                return
            self.before_h1 = False
        text = line.text
        body = strip_markers(text)
        authors = _label(text, self.vocab.authors)
        if text.lstrip().startswith("✍") or authors is not None:
            self._authors(line, authors if authors is not None else
                          text.lstrip().lstrip("✍\ufe0f").strip())
            return
        if text.lstrip().startswith(("🔍", "💡")):
            self.highlights.append(body)
            self.intro_open = True
            self.last_path = ("highlights",)
            return
        source = _label(text, self.vocab.source)
        if source is not None and self.title is not None:
            self._source(line, source)
            return
        date = parse_date(text, self.vocab) if len(normalise(text).split()) <= 6 else None
        if date and "date" not in self.sheet:
            self.sheet["date"] = date
            self.expect_author = True
            rest = normalise(re.sub(r"\d", " ", text))
            by = next((w for w in self.vocab.by if rest.endswith(" " + w) or rest == w), None)
            if by is None:
                # "23 February 2026 by Daniel Oberlé - Site" on one line
                for word in self.vocab.by:
                    match = re.search(rf"\b{word}\s+(.+)$", text, re.IGNORECASE)
                    if match:
                        self._sheet_author(line, match.group(1))
                        self.expect_author = False
            self.last_path = ("sheet",)
            return
        if self.title is None:
            number, rest = split_numbering(text)
            self.title = body if number is None else text.strip()
            self.last_path = ("title",)
            return
        if text.strip() == self.title or body == self.title:
            self.report.skipped.append(line.number)
            return
        if self.expect_author:
            self._sheet_author(line, body)
            self.expect_author = False
            return
        for word in self.vocab.by:
            match = re.match(rf"^{word}\s+(.+)$", body, re.IGNORECASE)
            if match and "author" not in self.sheet and len(body.split()) <= 12:
                self._sheet_author(line, match.group(1))
                return
        if (self.intro_open or len(text.split()) > 25) and not self.intro_closed:
            self.introduction.append(text.strip())
            self.last_path = ("introduction",)
            return
        self.unplaced(line)

    def _authors(self, line: Line, text: str) -> None:
        parts = _SPLIT_SITE.split(" " + text.strip() + " ", maxsplit=1)  # "A; B - Publisher"
        who = parts[0].strip()
        if len(parts) == 2 and parts[1].strip():
            self.source["publisher"] = parts[1].strip()
        names = [name.strip() for name in re.split(r"\s*;\s*", who) if name.strip()]
        if names:
            self.source["authors"] = names
        self.last_path = ("source",)

    def _sheet_author(self, line: Line, text: str) -> None:
        parts = _SPLIT_SITE.split(text.strip(), maxsplit=1)
        self.sheet["author"] = parts[0].strip()
        if len(parts) == 2 and parts[1].strip():
            self.sheet["site"] = parts[1].strip()
        self.last_path = ("sheet",)

    def _source(self, line: Line, text: str) -> None:
        self.intro_open = True
        self.last_path = ("source",)
        body = strip_markers(text.replace("📒", " "))
        parts = re.split(r"📜|🔗", body, maxsplit=1)
        shown, link_text = parts[0].strip(), (parts[1] if len(parts) > 1 else "")
        urls = [link.href for link in line.links if link.href.startswith(("http://", "https://"))]
        if not urls:
            urls = [m.group(1) for m in _URL.finditer(body)]
            shown = _URL.sub("", shown).strip()
        if urls:
            self.source["url"] = urls[0]
            self.source["url_line"] = line.number
        elif any(word in normalise(link_text).split() for word in LINK_WORDS):
            self.report.add(line.number, "note", "source.url", "the page links the source, but "
                            "copied text keeps no web addresses: add `url:` by hand, or import "
                            "the page saved as HTML")
            self.comment(("source",), f"import: line {line.number}: the page links the "
                         "source here; add its address as `url:`")
        if shown and self.title and normalise(shown) != normalise(self.title):
            self.report.add(line.number, "note", "title", f"the source is named \"{_short(shown)}\""
                            " on the page, unlike the title; kept the title, the name is a comment")
            self.comment(("source",), f"import: line {line.number}: source named: {shown}")

    # sections
    def _paged(self, line: Line, target: list[dict[str, Any]], key: str) -> None:
        text, pages = split_pages(item_text(line.text))
        item = {"text": text}
        if pages:
            item["pages"] = pages
        target.append(item)
        self.last_path = (key, len(target) - 1)

    def in_key_points(self, line: Line) -> None:
        self._paged(line, self.key_points, "key_points")

    def in_action_paths(self, line: Line) -> None:
        self._paged(line, self.action_paths, "action_paths")

    def in_summary(self, line: Line) -> None:
        text = line.text.strip()
        words = len(text.split())
        heading_like = line.heading or (words <= 12 and not re.search(r"[.!?;:…,]$", text))
        if heading_like:
            self.summary.append({"heading": strip_markers(text), "text": [], "line": line.number})
        elif self.summary:
            self.summary[-1]["text"].append(text)
        else:
            self.summary.append({"heading": None, "text": [text], "line": line.number})
        self.last_path = ("summary", len(self.summary) - 1)

    def _bare_address(self, line: Line) -> str | None:
        """The address of a line that holds only an address (or only a link), with no bullet
        of its own: it continues the reference above it."""
        text = line.text.strip()
        if _BULLET.match(text) or _NUMBERING.match(text):
            return None
        links = [link for link in line.links if link.href.startswith(("http://", "https://"))]
        if len(links) == 1 and " ".join(links[0].text.split()) == text:
            return links[0].href
        match = _URL.fullmatch(text)
        return match.group(1) if match else None

    def in_references(self, line: Line) -> None:
        address = self._bare_address(line)
        if address is not None:
            if self.references and "url" not in self.references[-1]:
                self.references[-1]["url"] = address
                self.last_path = ("references", len(self.references) - 1)
            else:
                self.unplaced(line, "an address with no reference above it to belong to")
            return
        text = item_text(line.text)
        reference: dict[str, Any] = {}
        links = [link for link in line.links if link.href.startswith(("http://", "https://"))]
        first = links[0] if links else None
        if first and first.text and text.startswith(first.text):
            reference["title"] = first.text
            rest = text[len(first.text):]
            note = re.sub(r"^\s*(?:[—–:-]|\s)\s*", "", rest).strip()
        else:
            parts = re.split(r"\s+[—–]\s+", text, maxsplit=1)
            reference["title"] = parts[0].strip()
            note = parts[1].strip() if len(parts) == 2 else ""
        url = first.href if first else None
        if url is None:
            match = _URL.search(reference["title"] + " " + note)
            if match:
                url = match.group(1)
                reference["title"] = _URL.sub("", reference["title"]).strip()
                note = _URL.sub("", note).strip()
        if note:
            reference["note"] = note
        if url:
            reference["url"] = url
        self.references.append(reference)
        self.last_path = ("references", len(self.references) - 1)

    def _criterion(self, line: Line, grid: dict[str, Any], key: str) -> bool:
        text = item_text(line.text)
        name, sep, assessment = text.partition(":")
        if not sep or not assessment.strip() or len(name.split()) > 6:
            return False
        grid["criteria"].append({"name": name.strip(), "assessment": assessment.strip()})
        self.last_path = (key, "criteria", len(grid["criteria"]) - 1)
        return True

    def _values_label(self, line: Line) -> bool:
        norm = normalise(line.text)
        inline = _label(line.text, self.vocab.conclusion)
        if inline:
            self.values["conclusion"] = [inline]
            self.values["conclusion_line"] = line.number
            self.last_path = ("values", "conclusion")
            return True
        if _starts_with(norm, self.vocab.conclusion) and len(norm.split()) <= 8 \
                and not _label(line.text, ()) and ":" not in line.text:
            self.pending_label = "conclusion"
            self.values.setdefault("conclusion_line", line.number)
            self.last_path = ("values", "conclusion")
            return True
        return False

    def _continue(self, line: Line, paragraphs: list[str], where: str, what: str,
                  text: str | None = None) -> None:
        """One more paragraph of a text: the first goes in quietly, the next are noted (a
        line that belongs elsewhere would otherwise vanish into it)."""
        if paragraphs:
            self.report.add(line.number, "note", where, f"a paragraph was joined to {what}: "
                            "check that it belongs there")
        paragraphs.append(text if text is not None else line.text.strip())

    def in_values(self, line: Line) -> None:
        if self.pending_label == "conclusion":
            self._continue(line, self.values.setdefault("conclusion", []),
                           "values.conclusion", "the conclusion")
            return
        if self._criterion(line, self.values, "values"):
            return
        if self.values["criteria"] and "conclusion" not in self.values:
            self.values["conclusion"] = [line.text.strip()]
            self.values["conclusion_line"] = line.number
            self.report.add(line.number, "note", "values.conclusion", "a paragraph without a "
                            "label after the criteria was taken as the conclusion")
            self.last_path = ("values", "conclusion")
            return
        self.unplaced(line)

    def in_reliability(self, line: Line) -> None:
        inline = _label(line.text, self.vocab.recommendation)
        if inline is not None:
            if inline:
                self.reliability["recommendation"] = [inline]
            self.pending_label = "recommendation"
            self.last_path = ("reliability", "recommendation")
            return
        if self.pending_label == "recommendation":
            self._continue(line, self.reliability.setdefault("recommendation", []),
                           "reliability.recommendation", "the recommendation")
            return
        if self._criterion(line, self.reliability, "reliability"):
            return
        if self.reliability["criteria"] and "recommendation" not in self.reliability:
            self.reliability["recommendation"] = [line.text.strip()]
            self.report.add(line.number, "note", "reliability.recommendation", "a paragraph "
                            "without a label after the criteria was taken as the "
                            "recommendation")
            self.last_path = ("reliability", "recommendation")
            return
        self.unplaced(line)

    def in_quiz(self, line: Line) -> None:
        text = line.text.strip()
        norm = normalise(text)
        if _starts_with(norm, self.vocab.part1) and len(norm.split()) <= 8:
            self.quiz_part, self.current_q = 1, None
            return
        if _starts_with(norm, self.vocab.part2) and len(norm.split()) <= 8:
            self.quiz_part, self.current_q = 2, None
            return
        match = _QUESTION.match(strip_markers(text))
        if match and (not match.group("rest") or match.group("rest")[0] in " (–—-:.)"):
            number = int(match.group(1))
            rest = match.group("rest").strip()
            table = self.part1 if self.quiz_part == 1 else self.part2
            question = _Question(number, line.number)
            if number in table:
                self.report.add(line.number, "note", "quiz", f"question {number} appears twice "
                                f"in part {self.quiz_part}; the later one is kept")
            table[number] = question
            self.current_q = question
            rest = re.sub(r"^[–—\-:.]\s*", "", rest)
            paren = re.match(r"^\(\s*" + _PAGE_WORD + r"\s*" + _PAGES + r"\s*\)\s*", rest,
                             re.IGNORECASE)
            if paren:
                question.pages = paren.group("pages").strip()
                rest = rest[paren.end():]
            rest = re.sub(r"^[–—\-:.]\s*", "", rest).strip()
            if rest:
                text_only, pages = split_pages(rest)
                question.text.append(text_only)
                question.pages = question.pages or pages
            self.last_path = ("quiz", max(0, self._quiz_index(number)))
            return
        current = self.current_q
        if current is None:
            self.unplaced(line, "a quiz line before any 'Question N'")
            return
        question = current
        correct = _label(text, self.vocab.correct)
        if correct is not None:
            question.answer_raw = correct
            question.answer_line = line.number
            choice = _CHOICE.match(correct)
            if choice:
                question.answer_letter = choice.group(1).lower()
                question.answer_text = choice.group(2).strip()
            elif re.fullmatch(r"[a-fA-F]\)?", correct.strip()):
                question.answer_letter = correct.strip()[0].lower()
            else:
                question.answer_text = correct.strip()
            return
        explanation = _label(text, self.vocab.explanation)
        if explanation is not None or (question.explanation and self.quiz_part == 2
                                       and not _CHOICE.match(text)):
            body, pages = split_pages(explanation if explanation is not None else text)
            if body and explanation is None:
                self.report.add(line.number, "note", f"quiz (question {question.number})",
                                "a paragraph after the explanation was joined to it: check "
                                "that it belongs there")
            if body:
                question.explanation.append(body)
            if pages:
                question.pages2, question.pages2_line = pages, line.number
            return
        pages_only = _SOURCE_PAGES.fullmatch(" " + text)
        if pages_only and self.quiz_part == 2:
            question.pages2, question.pages2_line = pages_only.group("pages").strip(), \
                line.number
            return
        choice = _CHOICE.match(item_text(text) if _BULLET.match(text) else text)
        if choice and self.quiz_part == 1:
            expected = "abcdef"[len(question.choices)] if len(question.choices) < 6 else None
            if choice.group(1).lower() != expected:
                self.report.add(line.number, "note", f"quiz (question {question.number})",
                                f"choice {choice.group(1)}) is not in a, b, c order; kept in "
                                "page order")
            question.choices.append(choice.group(2).strip())
            return
        if self.quiz_part == 1 and not question.choices:
            question.text.append(text)
            return
        self.unplaced(line)

    def _quiz_index(self, number: int) -> int:
        order = list(dict.fromkeys([*self.part1, *self.part2]))
        return order.index(number) if number in order else 0

    def in_faq(self, line: Line) -> None:
        text = line.text.strip()
        answer = _label(text, self.vocab.answer)
        if answer is not None and self.faq:
            body, pages = split_pages(answer)
            self.faq[-1]["answer"].append(body)
            if pages:
                self.faq[-1]["pages"] = pages
            return
        number, rest = split_numbering(text) if _NUMBERING.match(text) else (None, text)
        if number is not None or text.endswith("?") or line.heading:
            self.faq.append({"question": strip_markers(rest) if number is None else rest,
                             "answer": [], "line": line.number})
            self.last_path = ("faq", len(self.faq) - 1)
            return
        if self.faq:
            body, pages = split_pages(text)
            if body:
                self._continue(line, self.faq[-1]["answer"], f"faq[{len(self.faq)}].answer",
                               "the answer", body)
            if pages:
                self.faq[-1]["pages"] = pages
            return
        self.unplaced(line)

    def in_easy_read(self, line: Line) -> None:
        text = line.text.strip()
        title = _EASY_TITLE.match(text)
        if title and normalise(title.group(1)) in self.vocab.easy_title:
            self.easy_sub = "summary"
            self.easy_parts.append({"heading": title.group("heading").strip(), "lines": [],
                                    "line": line.number})
            self.last_path = ("easy_read", "summary", len(self.easy_parts) - 1)
            return
        if self.easy_sub == "key_points":
            self.easy_points.append(item_text(text))
            self.last_path = ("easy_read", "key_points")
            return
        if line.heading:
            self.easy_parts.append({"heading": strip_markers(text), "lines": [],
                                    "line": line.number})
        elif self.easy_parts:
            self.easy_parts[-1]["lines"].append(item_text(text))
        else:
            self.easy_parts.append({"heading": None, "lines": [item_text(text)],
                                    "line": line.number})
        self.last_path = ("easy_read", "summary", len(self.easy_parts) - 1)


def _short(text: str, most: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


# --- assembling the sheet -----------------------------------------------------------------


def _paragraphs(parts: list[str]) -> str:
    return "\n\n".join(part for part in parts if part)


def _assemble(parser: _Parser, slug: str) -> dict[str, Any]:
    """The sheet in the format's field order; MISSING where a required field was not found."""
    report, comments = parser.report, parser.comments

    def missing(path: Path_, what: str, line: int | None = None) -> Missing:
        dotted = _Parser._dotted(path)
        report.add(line, "missing", dotted, f"{what}: not found on the page; left for you to "
                   "write (check will point at it)")
        comments.setdefault(path, []).append(f"import: {dotted}: not found on the page: "
                                             "write it here")
        return MISSING

    def section_line(section: str) -> int | None:
        """Where the section is, or where it would be: the next section found after it in
        the template's order (else the page's last line)."""
        if section in parser.section_lines:
            return parser.section_lines[section]
        later = SECTIONS[SECTIONS.index(section) + 1:]
        found = [parser.section_lines[s] for s in later if s in parser.section_lines]
        return found[0] if found else (parser.lines[-1].number if parser.lines else None)

    data: dict[str, Any] = {"format": 1, "lang": report.lang, "slug": slug}
    data["title"] = parser.title or missing(("title",), "the title")
    if parser.source:
        data["source"] = {key: parser.source[key] for key in ("authors", "publisher", "url")
                          if key in parser.source} or MISSING
    sheet: dict[str, Any] = {}
    sheet["author"] = parser.sheet.get("author") or missing(("sheet", "author"),
                                                            "the sheet's author")
    if parser.sheet.get("site"):
        sheet["site"] = parser.sheet["site"]
    sheet["date"] = parser.sheet.get("date") or missing(("sheet", "date"),
                                                        "the sheet's date")
    data["sheet"] = sheet
    if parser.highlights:
        data["highlights"] = parser.highlights
    if parser.introduction:
        data["introduction"] = _paragraphs(parser.introduction)

    summary = []
    for index, part in enumerate(parser.summary):
        item: dict[str, Any] = {}
        item["heading"] = part["heading"] or missing(("summary", index, "heading"),
                                                     "a sub-heading for this part",
                                                     part["line"])
        item["text"] = _paragraphs(part["text"]) or missing(("summary", index, "text"),
                                                            "the text of this part",
                                                            part["line"])
        summary.append(item)
    data["summary"] = summary or missing(("summary",), "section 1, the analytical summary",
                                         section_line("summary"))
    data["key_points"] = parser.key_points or missing(
        ("key_points",), "section 2, the key points", section_line("key_points"))
    data["action_paths"] = parser.action_paths or missing(
        ("action_paths",), "section 3, the action paths", section_line("action_paths"))
    if len(parser.action_paths) > 4:
        report.add(section_line("action_paths"), "note", "action_paths",
                   f"{len(parser.action_paths)} action paths; the format allows four: keep the "
                   "four that matter most")
    if parser.references:
        data["references"] = parser.references
    elif "references" in parser.section_lines:
        report.add(section_line("references"), "note", "references", "section 4 is empty on "
                   "the page; no references written")
    data["values"] = _grid(parser.values, "values", "conclusion", missing,
                           section_line("values"), "section 5, the values grid")
    data["reliability"] = _grid(parser.reliability, "reliability", "recommendation", missing,
                                section_line("reliability"), "section 6, the reliability grid")
    data["quiz"] = _join_quiz(parser, missing) or missing(
        ("quiz",), "section 7, the quiz", section_line("quiz"))
    faq = []
    for index, entry in enumerate(parser.faq):
        item = {"question": entry["question"]}
        item["answer"] = _paragraphs(entry["answer"]) or missing(
            ("faq", index, "answer"), "the answer to this question", entry["line"])
        if entry.get("pages"):
            item["pages"] = entry["pages"]
        faq.append(item)
    report.faq = len(faq)
    data["faq"] = faq or missing(("faq",), "section 8, the FAQ", section_line("faq"))
    parts = []
    for index, part in enumerate(parser.easy_parts):
        item = {"heading": part["heading"] or missing(
            ("easy_read", "summary", index, "heading"), "a heading for this easy-read part",
            part["line"])}
        item["lines"] = part["lines"] or missing(("easy_read", "summary", index, "lines"),
                                                 "the lines of this easy-read part",
                                                 part["line"])
        parts.append(item)
    easy: dict[str, Any] = {"summary": parts or missing(("easy_read", "summary"),
                                              "section 9, the easy-read text",
                                              section_line("easy_read"))}
    if parser.easy_points:
        easy["key_points"] = parser.easy_points
    data["easy_read"] = easy
    if parser.tags:
        data["tags"] = parser.tags
    return data


def _grid(grid: dict[str, Any], key: str, closing: str, missing: MissingFn, line: int | None,
          what: str) -> dict[str, Any] | Missing:
    if not grid["criteria"] and not grid.get(closing):
        return missing((key,), what, line)
    result: dict[str, Any] = {}
    result["criteria"] = grid["criteria"] or missing((key, "criteria"), f"{what}'s criteria",
                                                     line)
    result[closing] = _paragraphs(grid.get(closing) or []) or missing(
        (key, closing), f"{what}'s {closing}", line)
    return result


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _join_quiz(parser: _Parser, missing: MissingFn) -> list[dict[str, Any]]:
    """Part 1 gives question, choices and pages; part 2 the letter, explanation and pages.
    Where they disagree, part 1 is kept and part 2's text becomes a comment."""
    report, comments = parser.report, parser.comments
    numbers = list(dict.fromkeys([*parser.part1, *parser.part2]))
    quiz = []
    for index, number in enumerate(numbers):
        path: Path_ = ("quiz", index)
        where = f"quiz[{index + 1}]"
        q1, q2 = parser.part1.get(number), parser.part2.get(number)
        if q2 is None and q1 and (q1.answer_raw or q1.explanation):
            q2 = q1  # a page that gives each answer right under its question
        item: dict[str, Any] = {}
        if q1 is None:
            report.add(q2.line if q2 else None, "note", where, f"question {number} is only in "
                       "part 2 (the correction)")
        text1 = " ".join(q1.text) if q1 and q1.text else ""
        text2 = " ".join(q2.text) if q2 and q2.text else ""
        if text1 and text2 and not _same(text1, text2) and q2:
            report.add(q2.line, "disagreement", f"{where}.question", f"part 2 words question "
                       f"{number} \"{_short(text2)}\"; kept part 1's \"{_short(text1)}\"; part "
                       "2's text is a comment in the sheet")
            comments.setdefault((*path, "question"), []).append(
                f"import: line {q2.line}: part 2 words the question: {text2}")
        item["question"] = text1 or text2 or missing((*path, "question"),
                                                     f"the text of question {number}",
                                                     _first_line(q1, q2))
        pages1 = q1.pages if q1 else None
        pages2 = (q2.pages2 or q2.pages) if q2 else None
        if pages1 and pages2 and pages1 != pages2 and q2:
            line = q2.pages2_line or q2.line
            report.add(line, "disagreement", f"{where}.pages", f"part 2 gives pages "
                       f"\"{pages2}\" for question {number}, part 1 \"{pages1}\"; kept part 1's")
            comments.setdefault((*path, "pages"), []).append(
                f"import: line {line}: part 2 gives the pages {pages2}")
        if pages1 or pages2:
            item["pages"] = pages1 or pages2
        choices = q1.choices if q1 else []
        item["choices"] = choices or missing((*path, "choices"),
                                             f"the choices of question {number}",
                                             q1.line if q1 else None)
        letter = q2.answer_letter if q2 else None
        if q2 and q2.answer_text and choices:
            matches = [i for i, choice in enumerate(choices) if _same(choice, q2.answer_text)]
            if letter is None and matches:
                letter = "abcdef"[matches[0]]
                report.add(q2.answer_line, "note", f"{where}.answer", "the correction gives "
                           "no letter; found it from the choice's text")
        if letter and choices and "abcdef".index(letter) >= len(choices):
            report.add(q2.answer_line if q2 else None, "disagreement", f"{where}.answer",
                       f"part 2's letter {letter}) is not one of question {number}'s "
                       f"{len(choices)} choices")
        elif letter and choices and q2 and q2.answer_text:
            chosen = choices["abcdef".index(letter)]
            if not _same(chosen, q2.answer_text):
                report.add(q2.answer_line, "disagreement", f"{where}.answer",
                           f"part 2 words the correct answer \"{letter}) "
                           f"{_short(q2.answer_text)}\"; kept part 1's \"{letter}) "
                           f"{_short(chosen)}\"; part 2's text is a comment in the sheet")
                comments.setdefault((*path, "answer"), []).append(
                    f"import: line {q2.answer_line}: part 2 says: {q2.answer_raw}")
        item["answer"] = letter or missing((*path, "answer"),
                                           f"the correct letter of question {number}",
                                           q2.line if q2 else (q1.line if q1 else None))
        if q2 and q2.explanation:
            item["explanation"] = _paragraphs(q2.explanation)
        elif q2 is None:
            report.add(q1.line if q1 else None, "note", where, f"question {number} has no "
                       "correction in part 2: answer letter and explanation left for you")
        quiz.append(item)
    report.questions = len(quiz)
    if parser.quiz_count and quiz and parser.quiz_count[0] != len(quiz):
        report.add(parser.quiz_count[1], "note", "quiz", f"the heading announces "
                   f"{parser.quiz_count[0]} questions; {len(quiz)} were found")
    return quiz


# --- writing YAML -------------------------------------------------------------------------


def quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON-style escapes, and every character YAML could read
    as a line break or refuse written as an escape."""
    out = []
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029\ufeff" \
                or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def comment_line(text: str) -> str:
    """One comment line: whatever the page said, it cannot end the comment."""
    flat = re.sub(r"[\r\n\x85\u2028\u2029\x00-\x1f\x7f-\x9f]+", " ", text)
    return "# " + flat.strip()


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"[a-f]", text):
        return text
    return quote(text)


def to_yaml(data: dict[str, Any], comments: dict[Path_, list[str]],
            header: Sequence[str] = ()) -> str:
    """The sheet as YAML in the format's field order, with the import's comments in place."""
    out: list[str] = [comment_line(line) for line in header]

    def notes(path: Path_, pad: str) -> list[str]:
        return [pad + comment_line(text) for text in comments.get(path, [])]

    def mapping(value: dict[str, Any], path: Path_, indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for key, item in value.items():
            here = (*path, key)
            lines += notes(here, pad)
            if isinstance(item, Missing):
                continue
            if isinstance(item, dict) and all(isinstance(v, Missing) for v in item.values()):
                lines += mapping(item, here, indent)  # only the comments of what is missing
            elif isinstance(item, dict):
                lines.append(f"{pad}{key}:")
                lines += mapping(item, here, indent + 2)
            elif isinstance(item, list):
                if not item:
                    continue
                lines.append(f"{pad}{key}:")
                lines += sequence(item, here, indent + 2)
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines

    def sequence(items: list[Any], path: Path_, indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for index, item in enumerate(items):
            lines += notes((*path, index), pad)
            if isinstance(item, dict):
                body = mapping(item, (*path, index), indent + 2)
                first = next((i for i, text in enumerate(body)
                              if not text.lstrip().startswith("#")), None)
                if first is None:  # nothing found for this item: only comments, then {}
                    lines += [pad + text.lstrip() for text in body]
                    lines.append(pad + "- {}")
                    continue
                lines += [pad + text.lstrip() for text in body[:first]]
                lines.append(pad + "- " + body[first][indent + 2:])
                lines += body[first + 1:]
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return lines

    out += mapping(data, (), 0)
    return "\n".join(out) + "\n"


# --- the whole import ---------------------------------------------------------------------


def slug_for(title: str | None, lang: str, fallback: str = "imported-sheet") -> str:
    """A short file name from the title: its first significant words, a-z0-9 and hyphens
    (`fallback` when it has none)."""
    from .. import locales

    known = locales.available()
    stopwords = (known.get(lang) or known["en"]).stopwords
    words = [w for w in normalise(title or "").split() if w not in stopwords]
    words = [re.sub(r"[^a-z0-9]", "", w) for w in words]
    slug = ""
    for word in filter(None, words):
        if len(slug) + len(word) + 1 > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or fallback


def parse_lines(lines: Sequence[Line], *, lang: str | None = None, slug: str | None = None,
                form: str = "text") -> ImportResult:
    """Read a sheet page's lines into the sheet's data, its comments and the report."""
    detected = detect_language(lines)
    chosen = lang or detected or "en"
    report = ImportReport(form=form, lang=chosen, lang_detected=lang is None)
    if chosen not in vocabularies():
        raise PageError(f"no page vocabulary for '{chosen}': choose one of "
                           f"{', '.join(vocabularies())}")
    if lang and detected and detected != lang:
        report.add(lines[0].number if lines else None, "note", "lang", f"the headings look "
                   f"'{detected}', but the page was read as '{lang}' as asked: if sections are "
                   f"missing, import again without --lang")
    parser = _Parser(lines, vocabularies()[chosen], report)
    parser.run()
    if not parser.section_lines:
        raise PageError("no section of a resource analysis sheet was found (analytical "
                           "summary, key points, quiz…): is it a published sheet page?")
    report.slug = slug or slug_for(parser.title, chosen)
    data = _assemble(parser, report.slug)
    report.items.sort(key=lambda item: (item.line or 0))
    return ImportResult(data, parser.comments, report)


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


def read_bounded(path: Path, limit: int, *, error: type[Exception], what: str) -> bytes:
    """`paths.read_bounded` (kind first, never blocking, then size, then a bounded read), its
    refusal of a folder, FIFO or device ending with what to name instead."""
    try:
        return bounded_bytes(path, limit, what)
    except ReadRefused as refused:
        hint = ": name a file saved from the browser" if refused.reason.startswith("this is") \
            else ""
        raise error(f"{refused}{hint}") from None


def write_new(target: Path, text: str) -> None:
    """Write the sheet; never over an existing file."""
    from ...paths import write_new as write_new_file

    write_new_file(target, text, rename="choose another name with -o",
                   relocate="choose another place with -o", error=PageError)


def import_page(data: bytes, name: str, *, lang: str | None = None, slug: str | None = None,
                folder: Path | None = None) -> tuple[str, ImportReport]:
    """The YAML text of the sheet a page holds, and the report of the import (FOLDER: where
    the page is, for the web edition's pages beside it)."""
    if len(data) > MAX_INPUT_BYTES:
        raise PageError(f"the file is {len(data):,} bytes; a sheet page is at most "
                           f"{MAX_INPUT_BYTES:,}: is it the right file?")
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


# --- the web edition ----------------------------------------------------------------------
#
# `handouts build --format web` writes pages whose structure is ours: the reader finds each
# field by the element and class the templates (templates/web/) give it, never by heading
# words. A text the page shows otherwise than the sheet writes it (typography, Markdown)
# carries the written text in `data-md`; the easy-read title, checker and contact come from
# the sibling easy-read.html and the questions' points from quiz.html (same folder only).

WEB_GENERATOR = re.compile(rb"""<meta\s+name=["']generator["']\s+content=["']handouts["']""")
_WEB_FURNITURE = frozenset({"pages", "choice-letter", "label", "visually-hidden"})
_WEB_SECTIONS = {"summary": "summary", "key-points": "key_points",
                 "action-paths": "action_paths", "references": "references",
                 "values": "values", "reliability": "reliability", "quiz": "quiz",
                 "faq": "faq", "easy-read-section": "easy_read"}


def is_web_edition(name: str, data: bytes) -> bool:
    """A page `handouts build --format web` wrote (its generator meta names us)."""
    return looks_like_html(name, data) and WEB_GENERATOR.search(data[:65536]) is not None


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def _find(element: Any, path: str) -> Any:
    """The first element at a CSS-like path of tag.class steps (descendants)."""
    found = _find_all(element, path)
    return found[0] if found else None


def _find_all(element: Any, path: str) -> list[Any]:
    xpath = "."
    for step in path.split():
        tag, _, cls = step.partition(".")
        test = f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]" if cls else ""
        xpath += f"//{tag or '*'}{test}"
    found: list[Any] = element.xpath(xpath)  # lxml is untyped
    return found


def _children(element: Any, tag: str, cls: str | None = None) -> list[Any]:
    return [child for child in element if isinstance(child.tag, str) and child.tag == tag
            and (cls is None or cls in _classes(child))]


def web_text(element: Any, prefix: str = "") -> str:
    """A field's text as the sheet writes it: `data-md` when the page shows it otherwise, else
    the element's words without the template's furniture (page references, letters, labels,
    screen-reader extras), spaces joined as the page's builder compared them."""
    from copy import deepcopy

    written: str | None = element.get("data-md")
    if written is not None:
        return written
    copy = deepcopy(element)
    for child in [c for c in copy.iterdescendants() if isinstance(c.tag, str)
                  and _classes(c) & _WEB_FURNITURE]:
        child.drop_tree()
    text = " ".join(copy.text_content().split())
    return text[len(prefix):].strip() if prefix and text.startswith(prefix) else text


def _web_pages(element: Any) -> str | None:
    """The page reference an element holds; None when the element itself is missing (a
    page whose template furniture was taken out)."""
    if element is None:
        return None
    pages = _find(element, "span.pages")
    return web_text(pages) if pages is not None else None


class _WebReader:
    """One analysis page (and its siblings) read into the sheet's data, in the format's
    field order."""

    def __init__(self, root: Any, siblings: dict[str, Any], report: ImportReport,
                 folder: Path | None = None) -> None:
        self.root, self.siblings, self.report, self.folder = root, siblings, report, folder
        self.comments: dict[Path_, list[str]] = {}
        self.article = _find(root, "article")
        if self.article is None or not _find_all(self.article, "section.summary"):
            raise PageError("this page of the web edition holds no analysis: import the "
                            "sheet's index.html")
        self.sections = {key: section for section in _find_all(self.article, "section")
                         for cls, key in _WEB_SECTIONS.items() if cls in _classes(section)}
        report.sections = [key for key in SECTIONS if key in self.sections]

    def missing(self, path: Path_, what: str, element: Any = None) -> Missing:
        dotted = _Parser._dotted(path)
        self.report.add(element.sourceline if element is not None else None, "missing",
                        dotted, f"{what}: not found on the page; left for you to write")
        self.comments.setdefault(path, []).append(f"import: {dotted}: not found on the "
                                                  "page: write it here")
        return MISSING

    def note_picture(self, path: Path_, image: Any, page: str = "", at: Path_ = ()
                     ) -> tuple[str, str | None] | None:
        """A built-in pictogram (the copy beside the page has its very bytes) comes back as
        `builtin:NAME` with its alt text when the sheet wrote one. Any other picture is a file
        beside the page: said where, never written as a field (the sheet would name a file
        its folder does not hold). PAGE: the sibling page showing it (its lines are not this
        file's); AT: where the comment goes."""
        if image is None:
            return None
        builtin = _builtin_copy(self.folder, image.get("src", ""))
        if builtin:
            return f"builtin:{builtin}", image.get("data-md")
        dotted = _Parser._dotted(path)
        src, alt = image.get("src", ""), image.get("alt", "")
        where = f"{page} shows" if page else "the page shows"
        key = {"picture": "picture", "logo": "logo",
               "key_points": "key_points_pictogram"}.get(str(path[-1]), "pictogram")
        self.report.add(None if page else image.sourceline, "note", dotted,
                        f"{where} the picture {src} (\"{alt}\"): to print it, copy that file "
                        f"from the page's folder into the sheet's and write {key}: \"{src}\"")
        self.comments.setdefault(at or path, []).append(
            f"import: {dotted}: {where} {src} (alt: {alt}): copy the file beside the sheet "
            f"and write {key}: \"{src}\"")
        return None

    def picture(self, target: dict[str, Any], key: str, alt_key: str, path: Path_,
                image: Any, page: str = "", at: Path_ = ()) -> None:
        found = self.note_picture(path, image, page, at)
        if found:
            target[key] = found[0]
            if found[1]:
                target[alt_key] = found[1]

    def read(self, slug: str) -> dict[str, Any]:
        article, report = self.article, self.report
        data: dict[str, Any] = {"format": 1, "lang": report.lang, "slug": slug}
        title = _find(article, "h1")
        data["title"] = web_text(title) if title is not None else self.missing(
            ("title",), "the title")
        source: dict[str, Any] = {}
        authors = [web_text(a) for a in _find_all(article, "div.authors span.author")]
        if authors:
            source["authors"] = authors
        for key in ("publisher", "published"):
            value = _find(article, f"div.{key} dd")
            if value is not None:
                source[key] = web_text(value)
        url = _find(article, "header.cover dl.source a.url")
        if url is not None:
            source["url"] = url.get("href")
        if source:
            data["source"] = source
        byline = _find(article, "p.byline")
        sheet: dict[str, Any] = {}
        author = _find(article, "p.byline strong") if byline is not None else None
        sheet["author"] = web_text(author) if author is not None else self.missing(
            ("sheet", "author"), "the sheet's author", byline)
        site = _find(article, "p.byline span.site") if byline is not None else None
        if site is not None:
            sheet["site"] = web_text(site)
        date = _find(article, "p.byline time")
        try:
            sheet["date"] = dt.date.fromisoformat(date.get("datetime"))
        except (AttributeError, TypeError, ValueError):
            sheet["date"] = self.missing(("sheet", "date"), "the sheet's date", byline)
        data["sheet"] = sheet
        highlights = [web_text(li) for li in _find_all(article, "ul.highlights li")]
        if highlights:
            data["highlights"] = highlights
        introduction = [web_text(p) for p in _find_all(article, "p.introduction")]
        if introduction:
            data["introduction"] = _paragraphs(introduction)
        data["summary"] = self.summary()
        for key in ("key_points", "action_paths"):
            data[key] = self.points(key)
        references = self.references()
        if references:
            data["references"] = references
        data["values"] = self.grid("values", "conclusion")
        data["reliability"] = self.grid("reliability", "recommendation")
        data["quiz"] = self.quiz()
        data["faq"] = self.faq()
        data["easy_read"] = self.easy_read()
        tags = [web_text(a).lstrip("#") for a in _find_all(article.getparent(),
                                                             "section.sheet-tags li a")]
        if tags:
            data["tags"] = tags
        return data

    def section(self, key: str) -> Any:
        return self.sections.get(key)

    def summary(self) -> list[dict[str, Any]] | Missing:
        section = self.section("summary")
        parts: list[dict[str, Any]] = []
        if section is None:
            return self.missing(("summary",), "section 1, the analytical summary")
        for element in section:
            if element.tag == "h3":
                parts.append({"heading": web_text(element), "text": [], "at": element})
            elif element.tag == "p" and parts:
                parts[-1]["text"].append(web_text(element))
        out = []
        for index, part in enumerate(parts):
            text = _paragraphs(part["text"]) or self.missing(
                ("summary", index, "text"), "the text of this part", part["at"])
            out.append({"heading": part["heading"], "text": text})
        return out or self.missing(("summary",), "section 1, the analytical summary", section)

    def points(self, key: str) -> list[dict[str, Any]] | Missing:
        section = self.section(key)
        items = _find_all(section, "li") if section is not None else []
        out = []
        for li in items:
            item = {"text": web_text(li)}
            pages = _web_pages(li)
            if pages:
                item["pages"] = pages
            out.append(item)
        number = SECTIONS.index(key) + 1
        return out or self.missing((key,), f"section {number}, {key.replace('_', ' ')}",
                                   section)

    def references(self) -> list[dict[str, Any]]:
        section = self.section("references")
        out: list[dict[str, Any]] = []
        for li in _find_all(section, "ul.reference-list li") if section is not None else []:
            title, note = _find(li, "strong.reference-title"), _find(li, "span.reference-note")
            item: dict[str, Any] = {"title": web_text(title) if title is not None else
                                    self.missing(("references", len(out), "title"),
                                                 "the reference's title", li)}
            if note is not None:
                item["note"] = web_text(note, prefix="—")
            url = _find(li, "a.url")
            if url is not None:
                item["url"] = url.get("href")
            out.append(item)
        return out

    def grid(self, key: str, closing: str) -> dict[str, Any] | Missing:
        section = self.section(key)
        if section is None:
            return self.missing((key,), f"section {SECTIONS.index(key) + 1}, the {key} grid")
        criteria = [{"name": web_text(row[0]), "assessment": web_text(row[1])}
                    for row in _find_all(section, "tbody tr") if len(row) >= 2]
        verdict = [web_text(p) for p in _find_all(section, "div.verdict p")]
        return {"criteria": criteria or self.missing((key, "criteria"), "the criteria",
                                                     section),
                closing: _paragraphs(verdict) or self.missing((key, closing), f"the {closing}",
                                                              section)}

    def quiz(self) -> list[dict[str, Any]] | Missing:
        section = self.section("quiz")
        if section is None:
            return self.missing(("quiz",), "section 7, the quiz")
        questions = _find_all(section, "li.question")
        corrections = _find_all(section, "li.correction")
        points = self.points_from_quiz_page()
        out = []
        for index, li in enumerate(questions):
            path: Path_ = ("quiz", index)
            text = _find(li, "p.question-text")
            item: dict[str, Any] = {"question": web_text(text) if text is not None else
                                    self.missing((*path, "question"), "the question", li)}
            pages = _web_pages(_find(li, "p.question-head") if text is not None else li)
            if pages:
                item["pages"] = pages
            item["choices"] = [web_text(choice) for choice in _find_all(li, "ol.choices li")]
            correction = corrections[index] if index < len(corrections) else None
            letter = _find(correction, "p.correct-answer span.choice-letter") \
                if correction is not None else None
            item["answer"] = web_text(letter).strip(")").lower() if letter is not None else \
                self.missing((*path, "answer"), "the correct letter", li)
            explanation = [web_text(p) for p in _find_all(correction, "p.explanation")] \
                if correction is not None else []
            if explanation:
                item["explanation"] = _paragraphs(explanation)
            if index < len(points) and points[index] != 1:
                item["points"] = points[index]
            out.append(item)
        self.report.questions = len(out)
        return out or self.missing(("quiz",), "the quiz's questions", section)

    def points_from_quiz_page(self) -> list[int]:
        """The points of each question: the self-check quiz keeps them for its score."""
        page = self.siblings.get("quiz.html")
        if page is None:
            self.report.add(None, "note", "quiz", "quiz.html is not beside the page: every "
                            "question counts 1 point")
            return []
        values = [li.get("data-points", "1") for li in _find_all(page, "li.web-question")]
        return [int(value) if value.isdigit() else 1 for value in values]

    def faq(self) -> list[dict[str, Any]] | Missing:
        section = self.section("faq")
        if section is None:
            return self.missing(("faq",), "section 8, the FAQ")
        items: list[dict[str, Any]] = []
        for element in section:
            if element.tag == "h3":
                items.append({"question": web_text(element), "answer": [], "pages": None,
                              "at": element})
            elif element.tag == "p" and items:
                items[-1]["answer"].append(web_text(element))
                items[-1]["pages"] = _web_pages(element) or items[-1]["pages"]
        out = []
        for index, entry in enumerate(items):
            item: dict[str, Any] = {"question": entry["question"]}
            item["answer"] = _paragraphs(entry["answer"]) or self.missing(
                ("faq", index, "answer"), "the answer", entry["at"])
            if entry["pages"]:
                item["pages"] = entry["pages"]
            out.append(item)
        self.report.faq = len(out)
        return out or self.missing(("faq",), "the FAQ's questions", section)

    def easy_read(self) -> dict[str, Any] | Missing:
        section = self.section("easy_read")
        if section is None:
            return self.missing(("easy_read",), "section 9, the easy-read text")
        easy: dict[str, Any] = {}
        page = self.siblings.get("easy-read.html")
        if page is None:
            self.report.add(None, "note", "easy_read", "easy-read.html is not beside the "
                            "page: the leaflet's own title, checker and contact are not read")
        elif _find(page, "p.explains") is not None and _find(page, "h1") is not None:
            easy["title"] = web_text(_find(page, "h1"))
        if page is not None:
            self.picture(easy, "picture", "picture_alt", ("easy_read", "picture"),
                         _find(page, "header img.pictogram"), "easy-read.html", ("easy_read",))
        parts = []
        for index, part in enumerate(_find_all(section, "div.easy-part")):
            heading = _find(part, "h3")
            lines = [web_text(p) for p in _find_all(part, "p.easy-line")]
            parts.append({
                "heading": web_text(heading) if heading is not None else self.missing(
                    ("easy_read", "summary", index, "heading"), "the part's heading", part),
                "lines": lines or self.missing(("easy_read", "summary", index, "lines"),
                                               "the part's lines", part)})
            self.picture(parts[-1], "pictogram", "pictogram_alt", ("easy_read", "summary", index),
                         _find(part, "img.pictogram"))
        easy["summary"] = parts or self.missing(("easy_read", "summary"),
                                                "the easy-read parts", section)
        points = [web_text(li) for li in _find_all(section, "ul.easy-key-points li")]
        if points:
            easy["key_points"] = points
        if page is not None:
            for part in _find_all(page, "section.easy-part"):
                if _find(part, "ul.easy-points") is not None:
                    self.picture(easy, "key_points_pictogram", "key_points_pictogram_alt",
                                 ("easy_read", "key_points"), _find(part, "img.pictogram"),
                                 "easy-read.html")
            checked = _find(page, "p.checked-by")
            if checked is not None:
                easy["checked_by"] = web_text(checked)
            contact = {key: web_text(line) for key in ("name", "phone", "email", "address")
                       if (line := _find(page, f"p.contact-{key}")) is not None}
            if contact:
                easy["contact"] = contact
            logo = _find(page, "footer.credits img.pictogram")
            self.note_picture(("easy_read", "logo"), logo, "easy-read.html", ("easy_read",))
        return easy


def _builtin_copy(folder: Path | None, src: str) -> str | None:
    """The built-in pictogram whose bytes the picture SRC (beside the page, never outside its
    folder) holds, or None."""
    from urllib.parse import unquote

    from .. import pictoset

    if folder is None or not src or "://" in src or src.startswith(("/", "data:")):
        return None
    try:
        root = folder.resolve()
        path = (root / unquote(src)).resolve()
        if not path.is_relative_to(root):
            return None
        data = read_bounded(path, MAX_INPUT_BYTES, error=PageError, what="a picture")
    except (OSError, RuntimeError, ValueError, PageError):
        return None
    for name, builtin in pictoset.catalog().items():
        try:
            if builtin.path.stat().st_size == len(data) and builtin.path.read_bytes() == data:
                return name
        except OSError:
            continue
    return None


def read_web_page(data: bytes, folder: Path | None = None, *, lang: str | None = None,
                  slug: str | None = None) -> ImportResult:
    """A page of the web edition (index.html, or a sibling whose index.html is beside it),
    read by its structure into the sheet it was built from."""
    root = _html_tree(data)
    body = root.find("body")
    kind = _classes(body) if body is not None else set()
    siblings: dict[str, Any] = {}
    names = ("index.html", "easy-read.html", "quiz.html")
    if folder is not None:
        for name in names:
            path = folder / name
            try:
                sibling = read_bounded(path, MAX_INPUT_BYTES, error=PageError, what="a page")
            except PageError:  # absent, not a file, too big: read without it
                continue
            siblings[name] = _html_tree(sibling)
    if "analysis" not in kind:
        if "index.html" not in siblings:
            raise PageError("this is a page of the web edition without the analysis: import "
                            "the sheet's index.html (the easy-read and quiz pages are read "
                            "from beside it)")
        root = siblings["index.html"]
    page_lang = (root.get("lang") or "").strip()
    chosen = lang or page_lang or "en"
    report = ImportReport(form="web", lang=chosen, lang_detected=lang is None)
    if lang and page_lang and lang != page_lang:
        report.add(None, "note", "lang", f"the page says it is in '{page_lang}'; the sheet "
                   f"says '{lang}' as asked")
    reader = _WebReader(root, siblings, report, folder)
    if slug is None and folder is not None and SLUG_PATTERN.match(folder.name or ""):
        slug = folder.name
    title = _find(reader.article, "h1")
    report.slug = slug or slug_for(web_text(title) if title is not None else None, chosen)
    data_ = reader.read(report.slug)
    report.items.sort(key=lambda item: (item.line or 0))
    return ImportResult(data_, reader.comments, report)


READERS["web"] = read_web_page
