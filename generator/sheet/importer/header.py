"""The page's header, before the first section: title, authors, date, the sheet's author,
highlights, source and introduction."""

from __future__ import annotations

import re

from .report import Line, short
from .sections import parse_date
from .state import ParserState
from .text import URL, after_label, normalise, split_numbering, strip_markers

LINK_WORDS = ("link", "lien", "enlace")
_SPLIT_SITE = re.compile(r"\s+[-–—|]\s+")


class HeaderLines(ParserState):
    """The header's lines (the parser's `None` section)."""

    # the header: title, authors, date, sheet's author, highlights, source, introduction
    def in_header(self, line: Line) -> None:
        if self.before_h1:
            if line is not self.h1:
                self.unplaced(line, "before the page's title")
                return
            self.before_h1 = False
        text = line.text
        body = strip_markers(text)
        authors = after_label(text, self.vocab.authors)
        if text.lstrip().startswith("✍") or authors is not None:
            self._authors(line, authors if authors is not None else
                          text.lstrip().lstrip("✍\ufe0f").strip())
            return
        if text.lstrip().startswith(("🔍", "💡")):
            self.highlights.append(body)
            self.intro_open = True
            self.last_path = ("highlights",)
            return
        source = after_label(text, self.vocab.source)
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
            urls = [m.group(1) for m in URL.finditer(body)]
            shown = URL.sub("", shown).strip()
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
            self.report.add(line.number, "note", "title", f"the source is named \"{short(shown)}\""
                            " on the page, unlike the title; kept the title, the name is a comment")
            self.comment(("source",), f"import: line {line.number}: source named: {shown}")
