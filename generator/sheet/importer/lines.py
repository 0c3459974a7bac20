"""Reading the input: the page's bytes, bounded, turned into numbered lines (`Line`).

Copied text gives one line per non-blank line; saved HTML one line per block as a browser
copies it, with its links and source line (`lines_from_html`). The HTML tree (`html_tree`)
is also what the web edition's reader reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...paths import ReadRefused, bounded_bytes
from .report import Line, Link, PageError

MAX_INPUT_BYTES = 5_000_000


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
    root = html_tree(data)
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


def html_tree(data: bytes | str) -> Any:
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


def read_bounded(path: Path, limit: int, *, error: type[Exception], what: str) -> bytes:
    """`paths.read_bounded` (kind first, never blocking, then size, then a bounded read), its
    refusal of a folder, FIFO or device ending with what to name instead."""
    try:
        return bounded_bytes(path, limit, what)
    except ReadRefused as refused:
        hint = ": name a file saved from the browser" if refused.reason.startswith("this is") \
            else ""
        raise error(f"{refused}{hint}") from None

