"""Inline Markdown for content text: bold, italic and web links, nothing else.

Raw HTML, images, headings and lists stay literal text; only http, https and mailto links
become links, so a `javascript:` or `file:` target is printed as the text that was typed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from . import typography

SAFE_LINK_PREFIXES = ("http://", "https://", "mailto:")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["emphasis", "link", "escape"])
    parser.validateLink = lambda url: url.strip().lower().startswith(SAFE_LINK_PREFIXES)
    return parser


def inline(text: str, lang: str = "en") -> Markup:
    """One paragraph of content as safe HTML, with the typography of its language applied to
    the words (never to link targets or addresses)."""
    parser = _parser()
    tokens = parser.parseInline(text.strip())
    quotes = typography.QuoteState()  # a quote opened before **bold** closes after it
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = typography.apply(child.content, lang, quotes)
            elif child.type in ("softbreak", "hardbreak"):
                quotes.previous = " "
    return Markup(parser.renderer.render(tokens, parser.options, {}))


def paragraphs(text: str, lang: str = "en") -> list[Markup]:
    """Text whose paragraphs are separated by a blank line, as a list of safe HTML paragraphs."""
    return [inline(part, lang) for part in _BLANK_LINE.split(text.strip()) if part.strip()]
