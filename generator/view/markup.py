"""Inline Markdown for content text: bold, italic and web links, nothing else.

Raw HTML, images, headings and lists stay literal text; only http, https and mailto links
become links, so a `javascript:` or `file:` target is printed as the text that was typed.
A web link needs a host (`https:///etc/passwd` stays text); a mailto link may carry a
`subject` and a `body` and nothing else (`?attach=`, `cc`, `bcc` make it stay text): a
reader clicking it sends what they see.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from . import typography
from .addresses import short_url

SAFE_LINK_PREFIXES = ("http://", "https://", "mailto:")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"[ \t\r\n]+")  # not the no-break spaces typography put
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
MAILTO_PARAMETERS = frozenset({"subject", "body"})
# `![alt](url)`: an image. The parser has no image rule, so `!` would stay text and the
# rest become a link; escaping the bracket keeps the whole thing as typed.
_IMAGE = re.compile(r"(?<!\\)((?:\\\\)*)!\[")


def safe_link(url: str) -> bool:
    """Only links a reader can trust: http(s) with a host, mailto with at most a subject
    and a body."""
    url = url.strip()
    lowered = url.lower()
    if not lowered.startswith(SAFE_LINK_PREFIXES) or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() == "mailto":
        address = parts.path
        if "@" not in address:
            return False
        names = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
        return names <= MAILTO_PARAMETERS and not parts.fragment
    return bool(parts.hostname)


def lower_scheme(url: str) -> str:
    """`HTTPS://example.org/A` → `https://example.org/A`: a scheme is the same in any case
    (RFC 3986), and whatever classifies links afterwards (the web edition's `rel` and
    external marker) sees one spelling."""
    found = _SCHEME.match(url)
    return found[0].lower() + url[found.end():] if found else url


class _SafeLinks(MarkdownIt):
    """Links only to the addresses `safe_link` accepts, their scheme in lowercase."""

    def normalizeLink(self, url: str) -> str:
        return super().normalizeLink(lower_scheme(url))

    def validateLink(self, url: str) -> bool:
        return safe_link(url)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = _SafeLinks("zero", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["emphasis", "link", "escape"])
    return parser


def inline(text: str, lang: str = "en") -> Markup:
    """One paragraph of content as safe HTML, with the typography of its language applied to
    the words (never to link targets or addresses)."""
    parser = _parser()
    tokens = parser.parseInline(_IMAGE.sub(r"\1!\\[", text.strip()))
    quotes = typography.QuoteState()  # a quote opened before **bold** closes after it
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = typography.apply(child.content, lang, quotes)
            elif child.type in ("softbreak", "hardbreak"):
                quotes.previous = " "
    for token in tokens:
        _mark_addresses(token.children or [])
    return Markup(parser.renderer.render(tokens, parser.options, {}))


def _mark_addresses(children: list[Token]) -> None:
    """Give each link whose words are not its address a `data-address` attribute: the short
    address, which the print stylesheet writes after the words, so that the address survives
    paper (a PDF link is only an annotation)."""
    for index, child in enumerate(children):
        if child.type != "link_open":
            continue
        href = str(child.attrGet("href") or "")
        closing = next((i for i in range(index + 1, len(children))
                        if children[i].type == "link_close"), len(children))
        words = "".join(t.content for t in children[index + 1:closing] if t.type == "text")
        address = href[len("mailto:"):].split("?")[0] if href.startswith("mailto:") else (
            short_url(href))
        if address.rstrip("…") not in words:
            child.attrSet("data-address", address)


def paragraphs(text: str, lang: str = "en") -> list[Markup]:
    """Text whose paragraphs are separated by a blank line, as a list of safe HTML paragraphs."""
    return [inline(part, lang) for part in _BLANK_LINE.split(text.strip()) if part.strip()]


def plain(text: str, lang: str = "en") -> str:
    """One paragraph of content as plain text, for the quiz exports that take no HTML (GIFT,
    Kahoot): the words of `inline`, with its typography, each link's address in brackets
    after its words when they do not show it (as the printed handouts do), on one line."""
    parser = _parser()
    tokens = parser.parseInline(_IMAGE.sub(r"\1!\\[", text.strip()))
    quotes = typography.QuoteState()
    pieces: list[str] = []
    for token in tokens:
        children = token.children or []
        for child in children:
            if child.type == "text":
                child.content = typography.apply(child.content, lang, quotes)
            elif child.type in ("softbreak", "hardbreak"):
                quotes.previous = " "
        _mark_addresses(children)
        addresses: list[str] = []
        for child in children:
            if child.type == "text":
                pieces.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                pieces.append(" ")
            elif child.type == "link_open":
                addresses.append(str(child.attrGet("data-address") or ""))
            elif child.type == "link_close" and addresses and (address := addresses.pop()):
                pieces.append(f" ({address})")
    return _SPACES.sub(" ", "".join(pieces)).strip(" ")


def plain_paragraphs(text: str, lang: str = "en") -> list[str]:
    """Text whose paragraphs are separated by a blank line, as plain paragraphs."""
    return [plain(part, lang) for part in _BLANK_LINE.split(text.strip()) if part.strip()]
