"""The web edition's pages read by their structure into the sheet they were built from.

`handouts build --format web` writes pages whose structure is ours: the reader finds each
field by the element and class the templates (templates/web/) give it, never by heading
words. A text the page shows otherwise than the sheet writes it (typography, Markdown)
carries the written text in `data-md`; the easy-read title, checker and contact come from
the sibling easy-read.html and the questions' points from quiz.html (same folder only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from copy import deepcopy
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .. import pictoset
from ..model import SLUG_PATTERN
from . import contract as m  # the web edition's markup: m.TITLE is where a page writes the title
from .assembly import paragraphs, slug_for
from .lines import MAX_INPUT_BYTES, html_tree, looks_like_html, read_bounded
from .report import MISSING, ImportReport, ImportResult, Missing, PageError, Path_, dotted_path
from .vocab import SECTIONS

WEB_GENERATOR = m.GENERATOR_META


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


def web_text(element: Any, prefix: str = "") -> str:
    """A field's text as the sheet writes it: `data-md` when the page shows it otherwise, else
    the element's words without the template's furniture (page references, letters, labels,
    screen-reader extras), spaces joined as the page's builder compared them."""
    written: str | None = element.get(m.DATA_MD)
    if written is not None:
        return written
    copy = deepcopy(element)
    for child in [c for c in copy.iterdescendants() if isinstance(c.tag, str)
                  and _classes(c) & m.FURNITURE]:
        child.drop_tree()
    text = " ".join(copy.text_content().split())
    return text[len(prefix):].strip() if prefix and text.startswith(prefix) else text


def _web_pages(element: Any) -> str | None:
    """The page reference an element holds; None when the element itself is missing (a
    page whose template furniture was taken out)."""
    if element is None:
        return None
    pages = _find(element, m.PAGE_REFERENCE)
    return web_text(pages) if pages is not None else None


class _WebReader:
    """One analysis page (and its siblings) read into the sheet's data, in the format's
    field order."""

    def __init__(self, root: Any, siblings: dict[str, Any], report: ImportReport,
                 folder: Path | None = None) -> None:
        self.root, self.siblings, self.report, self.folder = root, siblings, report, folder
        self.comments: dict[Path_, list[str]] = {}
        self.article = _find(root, m.ARTICLE)
        if self.article is None or not _find_all(self.article, m.SUMMARY):
            raise PageError("this page of the web edition holds no analysis: import the "
                            "sheet's index.html")
        self.sections = {key: section for section in _find_all(self.article, m.SECTION)
                         for cls, key in m.SECTIONS.items() if cls in _classes(section)}
        report.sections = [key for key in SECTIONS if key in self.sections]

    def missing(self, path: Path_, what: str, element: Any = None) -> Missing:
        dotted = dotted_path(path)
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
            return f"builtin:{builtin}", image.get(m.DATA_MD)
        dotted = dotted_path(path)
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
        title = _find(article, m.TITLE)
        data["title"] = web_text(title) if title is not None else self.missing(
            ("title",), "the title")
        source: dict[str, Any] = {}
        authors = [web_text(a) for a in _find_all(article, m.AUTHOR)]
        if authors:
            source["authors"] = authors
        for key, path in m.SOURCE_FIELDS.items():
            value = _find(article, path)
            if value is not None:
                source[key] = web_text(value)
        url = _find(article, m.SOURCE_URL)
        if url is not None:
            source["url"] = url.get("href")
        if source:
            data["source"] = source
        byline = _find(article, m.BYLINE)
        sheet: dict[str, Any] = {}
        author = _find(article, m.BYLINE_AUTHOR) if byline is not None else None
        sheet["author"] = web_text(author) if author is not None else self.missing(
            ("sheet", "author"), "the sheet's author", byline)
        site = _find(article, m.BYLINE_SITE) if byline is not None else None
        if site is not None:
            sheet["site"] = web_text(site)
        date = _find(article, m.BYLINE_DATE)
        try:
            sheet["date"] = dt.date.fromisoformat(date.get("datetime"))
        except (AttributeError, TypeError, ValueError):
            sheet["date"] = self.missing(("sheet", "date"), "the sheet's date", byline)
        reviewed = _find(article, m.BYLINE_REVIEWED)
        if reviewed is not None:  # optional: one that cannot be read is left out
            with contextlib.suppress(ValueError):
                sheet["reviewed"] = dt.date.fromisoformat(reviewed.get("datetime") or "")
        data["sheet"] = sheet
        highlights = [web_text(li) for li in _find_all(article, m.HIGHLIGHT)]
        if highlights:
            data["highlights"] = highlights
        introduction = [web_text(p) for p in _find_all(article, m.INTRODUCTION)]
        if introduction:
            data["introduction"] = paragraphs(introduction)
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
        tags = [web_text(a).lstrip("#") for a in _find_all(article.getparent(), m.TAG)]
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
            if element.tag == m.PART_HEADING:
                parts.append({"heading": web_text(element), "text": [], "at": element})
            elif element.tag == "p" and parts:
                parts[-1]["text"].append(web_text(element))
        out = []
        for index, part in enumerate(parts):
            text = paragraphs(part["text"]) or self.missing(
                ("summary", index, "text"), "the text of this part", part["at"])
            out.append({"heading": part["heading"], "text": text})
        return out or self.missing(("summary",), "section 1, the analytical summary", section)

    def points(self, key: str) -> list[dict[str, Any]] | Missing:
        section = self.section(key)
        items = _find_all(section, m.POINT) if section is not None else []
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
        for li in _find_all(section, m.REFERENCE) if section is not None else []:
            title, note = _find(li, m.REFERENCE_TITLE), _find(li, m.REFERENCE_NOTE)
            item: dict[str, Any] = {"title": web_text(title) if title is not None else
                                    self.missing(("references", len(out), "title"),
                                                 "the reference's title", li)}
            if note is not None:
                item["note"] = web_text(note, prefix="—")
            url = _find(li, m.URL)
            if url is not None:
                item["url"] = url.get("href")
            out.append(item)
        return out

    def grid(self, key: str, closing: str) -> dict[str, Any] | Missing:
        section = self.section(key)
        if section is None:
            return self.missing((key,), f"section {SECTIONS.index(key) + 1}, the {key} grid")
        criteria = [{"name": web_text(row[0]), "assessment": web_text(row[1])}
                    for row in _find_all(section, m.GRID_ROW) if len(row) >= 2]
        verdict = [web_text(p) for p in _find_all(section, m.VERDICT)]
        return {"criteria": criteria or self.missing((key, "criteria"), "the criteria",
                                                     section),
                closing: paragraphs(verdict) or self.missing((key, closing), f"the {closing}",
                                                              section)}

    def quiz(self) -> list[dict[str, Any]] | Missing:
        section = self.section("quiz")
        if section is None:
            return self.missing(("quiz",), "section 7, the quiz")
        questions = _find_all(section, m.QUESTION)
        corrections = _find_all(section, m.CORRECTION)
        points = self.points_from_quiz_page()
        out = []
        for index, li in enumerate(questions):
            path: Path_ = ("quiz", index)
            text = _find(li, m.QUESTION_TEXT)
            item: dict[str, Any] = {"question": web_text(text) if text is not None else
                                    self.missing((*path, "question"), "the question", li)}
            pages = _web_pages(_find(li, m.QUESTION_HEAD) if text is not None else li)
            if pages:
                item["pages"] = pages
            item["choices"] = [web_text(choice) for choice in _find_all(li, m.CHOICE)]
            correction = corrections[index] if index < len(corrections) else None
            letter = _find(correction, m.CORRECT_LETTER) \
                if correction is not None else None
            item["answer"] = web_text(letter).strip(")").lower() if letter is not None else \
                self.missing((*path, "answer"), "the correct letter", li)
            explanation = [web_text(p) for p in _find_all(correction, m.EXPLANATION)] \
                if correction is not None else []
            if explanation:
                item["explanation"] = paragraphs(explanation)
            if index < len(points) and points[index] != 1:
                item["points"] = points[index]
            out.append(item)
        self.report.questions = len(out)
        return out or self.missing(("quiz",), "the quiz's questions", section)

    def points_from_quiz_page(self) -> list[int]:
        """The points of each question: the self-check quiz keeps them for its score."""
        page = self.siblings.get(m.QUIZ_PAGE)
        if page is None:
            self.report.add(None, "note", "quiz", "quiz.html is not beside the page: every "
                            "question counts 1 point")
            return []
        values = [li.get(m.DATA_POINTS, "1") for li in _find_all(page, m.WEB_QUESTION)]
        return [int(value) if value.isdigit() else 1 for value in values]

    def faq(self) -> list[dict[str, Any]] | Missing:
        section = self.section("faq")
        if section is None:
            return self.missing(("faq",), "section 8, the FAQ")
        items: list[dict[str, Any]] = []
        for element in section:
            if element.tag == m.PART_HEADING:
                items.append({"question": web_text(element), "answer": [], "pages": None,
                              "at": element})
            elif element.tag == "p" and items:
                items[-1]["answer"].append(web_text(element))
                items[-1]["pages"] = _web_pages(element) or items[-1]["pages"]
        out = []
        for index, entry in enumerate(items):
            item: dict[str, Any] = {"question": entry["question"]}
            item["answer"] = paragraphs(entry["answer"]) or self.missing(
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
        page = self.siblings.get(m.EASY_READ_PAGE)
        if page is None:
            self.report.add(None, "note", "easy_read", "easy-read.html is not beside the "
                            "page: the leaflet's own title, checker and contact are not read")
        elif _find(page, m.EXPLAINS) is not None and _find(page, m.TITLE) is not None:
            easy["title"] = web_text(_find(page, m.TITLE))
        if page is not None:
            self.picture(easy, "picture", "picture_alt", ("easy_read", "picture"),
                         _find(page, m.LEAFLET_PICTURE), m.EASY_READ_PAGE, ("easy_read",))
        parts = []
        for index, part in enumerate(_find_all(section, m.EASY_PART)):
            heading = _find(part, m.PART_HEADING)
            lines = [web_text(p) for p in _find_all(part, m.EASY_LINE)]
            parts.append({
                "heading": web_text(heading) if heading is not None else self.missing(
                    ("easy_read", "summary", index, "heading"), "the part's heading", part),
                "lines": lines or self.missing(("easy_read", "summary", index, "lines"),
                                               "the part's lines", part)})
            self.picture(parts[-1], "pictogram", "pictogram_alt", ("easy_read", "summary", index),
                         _find(part, m.PICTOGRAM))
        easy["summary"] = parts or self.missing(("easy_read", "summary"),
                                                "the easy-read parts", section)
        points = [web_text(li) for li in _find_all(section, m.EASY_KEY_POINT)]
        if points:
            easy["key_points"] = points
        if page is not None:
            for part in _find_all(page, m.LEAFLET_PART):
                if _find(part, m.LEAFLET_POINTS) is not None:
                    self.picture(easy, "key_points_pictogram", "key_points_pictogram_alt",
                                 ("easy_read", "key_points"), _find(part, m.PICTOGRAM),
                                 m.EASY_READ_PAGE)
            checked = _find(page, m.CHECKED_BY)
            if checked is not None:
                easy["checked_by"] = web_text(checked)
            contact = {key: web_text(line) for key, path in m.CONTACT_LINES.items()
                       if (line := _find(page, path)) is not None}
            if contact:
                easy["contact"] = contact
            logo = _find(page, m.LOGO)
            self.note_picture(("easy_read", "logo"), logo, m.EASY_READ_PAGE, ("easy_read",))
        return easy


def _builtin_copy(folder: Path | None, src: str) -> str | None:
    """The built-in pictogram whose bytes the picture SRC (beside the page, never outside its
    folder) holds, or None."""
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
    root = html_tree(data)
    body = root.find("body")
    kind = _classes(body) if body is not None else set()
    siblings: dict[str, Any] = {}
    if folder is not None:
        for name in m.SHEET_PAGES:
            path = folder / name
            try:
                sibling = read_bounded(path, MAX_INPUT_BYTES, error=PageError, what="a page")
            except PageError:  # absent, not a file, too big: read without it
                continue
            siblings[name] = html_tree(sibling)
    if m.ANALYSIS_BODY not in kind:
        if m.ANALYSIS_PAGE not in siblings:
            raise PageError("this is a page of the web edition without the analysis: import "
                            "the sheet's index.html (the easy-read and quiz pages are read "
                            "from beside it)")
        root = siblings[m.ANALYSIS_PAGE]
    page_lang = (root.get("lang") or "").strip()
    chosen = lang or page_lang or "en"
    report = ImportReport(form="web", lang=chosen, lang_detected=lang is None)
    if lang and page_lang and lang != page_lang:
        report.add(None, "note", "lang", f"the page says it is in '{page_lang}'; the sheet "
                   f"says '{lang}' as asked")
    reader = _WebReader(root, siblings, report, folder)
    if slug is None and folder is not None and SLUG_PATTERN.match(folder.name or ""):
        slug = folder.name
    title = _find(reader.article, m.TITLE)
    report.slug = slug or slug_for(web_text(title) if title is not None else None, chosen)
    data_ = reader.read(report.slug)
    report.items.sort(key=lambda item: (item.line or 0))
    return ImportResult(data_, reader.comments, report)


