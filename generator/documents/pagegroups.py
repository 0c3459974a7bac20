"""Page groups: a long handout laid out in parts, so that in `handouts watch` an edit lays
out again only the part it changed (issue 18).

A template writes `<!--page-group-->` between two children of <body>, before an element its
stylesheet starts on a new page (`break-before: page`: the full analysis's commented
correction). Content cannot forge the mark: it is escaped. A warm worker keeps each group's
pages after a render; when a later render finds a group unchanged (the same HTML,
stylesheets and resources, the same page numbers around it) it reuses its pages, lays out
only the other groups, each as a document of its own, and writes all the pages as one PDF:
the same PDF, byte for byte, as laying out the whole (tests/test_pagegroups.py).

What makes this exact is checked, not assumed:
- a group is laid out with the other groups' content removed; a group after the first
  follows an empty lead block, so that its first page is not the document's `:first`, and
  its page numbers start where they fall in the whole (`counter(pages)` becomes the total);
- the pages of a whole render are kept only when each page holds the content of one group
  (an element fixed on every page, or a break the stylesheet does not force, mixes them),
  and a group laid out alone is used only when its lead page holds nothing of it and none
  of its elements is fixed on every page;
- stylesheets that carry state across pages (named strings, running elements, element
  counters, left and right pages, cross-references, footnotes) are never split, nor pages
  with crop marks (the engine changes such a page when it writes it);
- a render that warned is not kept; the warnings of a group laid out alone are kept with
  its pages and said again whenever they are reused.
One thing is known rather than checked: a group laid out alone has other neighbours at the
top of <body>, so a selector that looks across those (`+`, `~`, `:nth-child`, `:has()` on a
child of <body>) could match differently. The built-in stylesheets have none (each sample is
tested byte for byte); handouts made with a theme's templates or stylesheets are always laid
out whole (build.PdfJob.page_groups).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ElementTree
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MARK = "<!--page-group-->"
LEAD = '<div class="page-group-lead"></div>'

# Stylesheet features whose effect crosses from one page group to the next; and crop marks,
# which WeasyPrint 68 adds to a page's background each time it is written (a kept page
# written again would have them twice).
_CROSSING = re.compile(
    r"string-set|string\(|running\(|element\(|target-(?:counter|text)|footnote"
    r"|\bmarks\s*:\s*(?!none)"
    r"|counter-(?:reset|increment|set)|counters?\((?!\s*pages?\s*\))"
    r"|@page[^{]*:(?:left|right|recto|verso|blank|nth)"
    r"|break-(?:before|after)\s*:\s*(?:left|right|recto|verso)", re.IGNORECASE)

FORCED = {"page", "left", "right", "recto", "verso"}

# (document, the engine's warnings while laying it out)
LayOut = Callable[[str, Sequence[str]], tuple[Any, list[str]]]


@dataclass(frozen=True)
class Split:
    """A handout's HTML cut at its page-group marks."""

    head: str  # up to and including <body …>
    groups: tuple[str, ...]
    tail: str  # from </body>

    def part(self, index: int) -> str:
        """The HTML of one group alone (after the lead block, for all but the first)."""
        return self.head + (LEAD if index else "") + self.groups[index] + self.tail


def split(html: str) -> Split | None:
    """The page groups of a handout, or None when it has fewer than two."""
    opening = html.find("<body")
    body = html.find(">", opening) + 1
    closing = html.rfind("</body>")
    if MARK not in html or opening < 0 or closing < body:
        return None
    groups = tuple(html[body:closing].split(MARK))
    return Split(html[:body], groups, html[closing:]) if len(groups) > 1 else None


def numbered(stylesheets: Sequence[str], start: int, total: int, lead: bool) -> list[str] | None:
    """The stylesheets for a group laid out alone, whose pages are numbered from `start` out
    of `total`; None when they count pages in a way this cannot reproduce."""
    sheets = [re.sub(r"counter\(\s*pages\s*\)", f'"{total}"', css) for css in stylesheets]
    if any(re.search(r"counters?\(\s*pages", css) for css in sheets):
        return None
    if lead:  # the lead page is page start - 1; the group's first page is `start`
        sheets.append(f"@page :first {{ counter-reset: page {start - 1}; }}")
    return sheets


@dataclass(frozen=True)
class _Kept:
    pages: tuple[Any, ...]
    warnings: tuple[str, ...]
    shell: Any  # its document without pages: the metadata of the HTML's head, the fonts


def _elements(box: Any) -> Iterable[Any]:
    """The document elements of a page's boxes."""
    for descendant in box.descendants():
        if descendant.element is not None:
            yield descendant.element


def _pages_by_group(document: Any) -> list[list[Any]] | None:
    """A whole render's pages, group by group; None unless every page holds the content of
    exactly one group, the groups in order, each after a page break its first element
    forces (one that only happened to fall there would not hold for other content)."""
    if not document.pages:
        return None
    root = document.pages[0]._page_box.children[0].element  # <html>
    body = root.find("body") if root is not None else None
    if body is None:
        return None
    group_of: dict[int, int] = {}
    firsts: dict[int, int] = {}  # the first element of each group after the first
    group = 0
    for child in body:
        if child.tag is ElementTree.Comment and f"<!--{child.text}-->" == MARK:
            group += 1
            continue
        firsts.setdefault(group, id(child))
        for element in child.iter():
            group_of[id(element)] = group
    pages: list[list[Any]] = [[] for _ in range(group + 1)]
    last = 0
    for page in document.pages:
        groups = {group_of[id(e)] for e in _elements(page._page_box) if id(e) in group_of}
        if len(groups) != 1 or min(groups) < last:
            return None
        (current,) = groups
        if current != last and not _forced_break(page, firsts.get(current)):
            return None
        last = current
        pages[last].append(page)
    return pages if all(pages) else None


def _forced_break(page: Any, first: int | None) -> bool:
    """Whether the page starts with the group's first element, after a break it forces."""
    for box in page._page_box.descendants():
        if box.element is not None and id(box.element) == first:
            return bool(box.style["break_before"] in FORCED)
    return False


def _lead_page_empty(document: Any) -> bool:
    """Whether a group laid out alone left its lead page with nothing but the lead block: the
    stylesheet forces the page break before the group, as in the whole."""
    if len(document.pages) < 2:
        return False
    html = document.pages[0]._page_box.children[0]
    allowed = {id(html.element)}
    for box in html.descendants():
        if box.element is None or id(box.element) in allowed:
            continue
        if box.element.tag == "body" or box.element.get("class") == "page-group-lead":
            allowed.add(id(box.element))
            continue
        return False
    return True


def _fixed(document: Any) -> bool:
    """Whether a group laid out alone has an element fixed on every page: in the whole, it
    would be on the other groups' pages too."""
    return any(box.style["position"] == "fixed"
               for page in document.pages for box in page._page_box.descendants()
               if box.element is not None)


def _digests(cut: Split, stylesheets: Sequence[str], resources: Iterable[str]) -> list[str]:
    """One key per group: its HTML, with everything else the engine receives."""
    common = hashlib.sha256()
    for text in (cut.head, cut.tail, *stylesheets, *sorted(resources)):
        common.update(text.encode("utf-8"))
        common.update(b"\0")
    keys = []
    for group in cut.groups:
        digest = common.copy()
        digest.update(group.encode("utf-8"))
        keys.append(digest.hexdigest())
    return keys


class PageKeeper:
    """The laid-out pages of the page groups a warm worker rendered last, up to `pages`
    pages in all (a laid-out page holds about 0.5 MB of boxes: the default keeps the last
    ten versions or so of a ten-page analysis in some 50 MB; a group longer than that is
    not kept, so a very long sheet is laid out whole at each save, as without this)."""

    def __init__(self, pages: int = 100):
        self.pages = pages
        self._kept: OrderedDict[tuple[str, int, int], _Kept] = OrderedDict()
        self._counts: dict[str, int] = {}  # pages of a group (numbering does not change it)
        self._last: dict[str, tuple[int, ...]] = {}  # pages per group, per output
        self.reused = 0  # groups whose kept pages went into a PDF (for tests)

    def lay_out(self, name: str, html: str, stylesheets: Sequence[str],
                resources: Iterable[str], lay_out: LayOut,
                apart: frozenset[str] = frozenset()) -> tuple[Any, list[str]]:
        """The document of `html`, laid out whole or from kept and fresh groups, with the
        warnings of its layout. `name` says which output it is, to guess page counts.
        `apart`: stylesheets known to cross no group although the check below would say so
        (the organisation's footer line: one unnumbered footnote, in the last group)."""
        cut = split(html)
        crossing = "\n".join(sheet for sheet in stylesheets if sheet not in apart)
        if cut is None or _CROSSING.search(crossing):
            return lay_out(html, stylesheets)
        keys = _digests(cut, stylesheets, resources)
        if not any(key in self._counts for key in keys):
            return self._whole(name, html, keys, stylesheets, lay_out)
        guess = self._last.get(name, ())
        counts = [self._counts.get(key, guess[i] if i < len(guess) else 1)
                  for i, key in enumerate(keys)]
        for _ in range(2):  # a second pass when a fresh group's page count was not the guess
            made = self._assemble(cut, keys, counts, stylesheets, lay_out)
            if made is None:
                break
            shell, pages, warnings, reused = made
            if [len(group) for group in pages] == counts:
                self._last[name] = tuple(counts)
                self.reused += reused
                return shell.copy([page for group in pages for page in group]), warnings
            counts = [len(group) for group in pages]
        return self._whole(name, html, keys, stylesheets, lay_out)

    def _assemble(self, cut: Split, keys: list[str], counts: list[int],
                  stylesheets: Sequence[str], lay_out: LayOut
                  ) -> tuple[Any, list[tuple[Any, ...]], list[str], int] | None:
        """Each group's pages, numbered as `counts` says: kept, or laid out now, with a
        document without pages to hold them (every group's has the metadata of the same
        head). None when a group cannot be laid out alone."""
        total = sum(counts)
        starts = [1 + sum(counts[:index]) for index in range(len(keys))]
        # what is kept is taken first: keeping a fresh group may make room by dropping it
        found = [self._kept.get((key, start, total)) for key, start in zip(keys, starts,
                                                                          strict=True)]
        pages: list[tuple[Any, ...]] = []
        warnings: list[str] = []
        shell = None
        reused = 0
        for index, (key, start, kept) in enumerate(zip(keys, starts, found, strict=True)):
            if kept is None:
                sheets = numbered(stylesheets, start, total, lead=index > 0)
                if sheets is None:
                    return None
                document, said = lay_out(cut.part(index), sheets)
                if (index and not _lead_page_empty(document)) or _fixed(document):
                    return None
                kept = _Kept(tuple(document.pages[1:] if index else document.pages),
                             tuple(said), document.copy([]))
                self._keep(key, start, total, kept)
            else:
                if (key, start, total) in self._kept:
                    self._kept.move_to_end((key, start, total))
                reused += 1
            pages.append(kept.pages)
            warnings.extend(w for w in kept.warnings if w not in warnings)
            shell = kept.shell
        return shell, pages, warnings, reused

    def _whole(self, name: str, html: str, keys: list[str], stylesheets: Sequence[str],
               lay_out: LayOut) -> tuple[Any, list[str]]:
        """Lay out the whole document; keep its groups' pages when they are cleanly apart."""
        document, warnings = lay_out(html, stylesheets)
        groups = _pages_by_group(document) if not warnings else None
        if groups is not None and len(groups) == len(keys):
            total = len(document.pages)
            start = 1
            shell = document.copy([])
            for key, pages in zip(keys, groups, strict=True):
                self._keep(key, start, total, _Kept(tuple(pages), (), shell))
                start += len(pages)
            self._last[name] = tuple(len(pages) for pages in groups)
        return document, warnings

    def _keep(self, key: str, start: int, total: int, kept: _Kept) -> None:
        self._counts[key] = len(kept.pages)
        self._kept[(key, start, total)] = kept
        self._kept.move_to_end((key, start, total))
        while sum(len(entry.pages) for entry in self._kept.values()) > self.pages:
            self._kept.popitem(last=False)
        if len(self._counts) > 1000:
            self._counts.clear()
