"""The site's HTML pages: the home page, one page per tag, and each sheet's three pages.

The site in a stable order (`make_site`), and its pages rendered from the web templates
(templates/web/) with what every page shares: the Content-Security-Policy, the canonical
address, the marking of links to other sites, and the `data-md` attributes by which
`handouts import` reads a page back. Apart from the files of the site as a whole (web.py),
which list these pages but do not render them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import HandoutsError
from ..paths import asset
from ..sheet import locales
from ..sheet.importer import contract
from ..view import labels, typography
from .websheet import TagLink, WebSheet

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; "
       "form-action 'none'")
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


@dataclass(frozen=True)
class TagPage:
    tag: TagLink
    sheets: list[WebSheet]


@dataclass(frozen=True)
class Translation:
    """A link to the same sheet in another language."""

    sheet: WebSheet
    language: str  # the language's name in itself: "Français", "English"


@dataclass(frozen=True)
class Site:
    lang: str  # of the home and tag pages: the language most sheets are written in
    labels: dict[str, str]
    sheets: list[WebSheet]  # newest first
    tags: list[TagPage]
    url: str | None  # the site's address, ending in "/"; None: relative links only
    # a sheet's folder → the same sheet in the site's other languages (webnav.py)
    translations: dict[str, list[Translation]] = field(default_factory=dict)
    related: dict[str, list[WebSheet]] = field(default_factory=dict)  # folder → by shared tags


@dataclass(frozen=True)
class Page:
    """What the layout of every page needs to know about it."""

    path: str  # from the site's root
    lang: str
    title: str  # plain text, for <title> and sharing
    description: str
    root: str  # relative way back to the site's root: "" or "../"
    canonical: str | None
    og_type: str = "website"

    @property
    def locale(self) -> str:
        """The page's language as Open Graph names it (en_GB, fr_FR, es_ES)."""
        return locales.get(self.lang).babel


def mark_external(html: str, label: str) -> str:
    """Every absolute link of a page (content links are http(s) or mailto only, site links are
    relative) gets rel="noopener noreferrer", and those to other sites a marker that screen
    readers read too. Attribute values are already escaped: they are copied as they are."""
    def mark(match: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match[1]))
        href = attributes.get("href", "")
        scheme = href[:8].lower()  # `HTTPS://` and `Mailto:` are links like any other
        if not scheme.startswith(("http://", "https://", "mailto:")):
            return match[0]
        attributes["rel"] = "noopener noreferrer"
        inner = match[2]
        if not scheme.startswith("mailto:"):
            attributes["class"] = " ".join([*attributes.get("class", "").split(), "external"])
            inner += f'<span class="{contract.VISUALLY_HIDDEN}"> {label}</span>'
        written = " ".join(f'{name}="{value}"' for name, value in attributes.items())
        return f"<a {written}>{inner}</a>"

    return _LINK.sub(mark, html)


def make_site(sheets: list[WebSheet], url: str | None) -> Site:
    """The site's pages in a stable order: newest sheets first, tags alphabetically."""
    ordered = sorted(sheets, key=lambda s: (s.view.sheet.iso_date, s.view.slug), reverse=True)
    languages = [s.view.lang for s in ordered]
    lang = max(sorted(set(languages)), key=languages.count) if languages else "en"
    text = {key: typography.apply(value, lang) for key, value in labels.catalog(lang).items()}
    text["web_search_found_one"] = typography.apply(
        labels.plural(lang, "web_search_found", 1), lang)
    by_path: dict[str, TagPage] = {}
    for sheet in ordered:
        for tag in sheet.tags:
            page = by_path.setdefault(tag.path, TagPage(tag, []))
            if sheet not in page.sheets:
                page.sheets.append(sheet)
    tags = sorted(by_path.values(), key=lambda page: page.tag.name.casefold())
    from .webnav import related_sheets, translations

    found = translations(ordered)
    return Site(lang=lang, labels=text, sheets=ordered, tags=tags, url=url,
                translations={folder: [Translation(other, language_name(other.view.lang))
                                       for other in others] for folder, others in found.items()},
                related=related_sheets(ordered, found))


def language_name(lang: str) -> str:
    """A language as its readers name it, capitalised: "Français", "English", "Español"."""
    from babel import Locale

    language = Locale(Locale.parse(locales.get(lang).babel).language)
    name = language.get_display_name() or lang
    return name[:1].upper() + name[1:]


class WebRenderer:
    """The web templates (templates/web/), autoescaped, failing on any unknown name."""

    def __init__(self) -> None:
        from ..documents.render import BoundedLoader, template_environment

        self.environment = template_environment(BoundedLoader(asset("templates")))
        self.environment.globals.update(md=source_attribute, paras=source_paragraphs)

    def render(self, template: str, page: Page, text: dict[str, str], **values: Any) -> bytes:
        try:
            html = self.environment.get_template(f"web/{template}").render(
                page=page, text=text, csp=CSP, **values)
        except jinja2.TemplateError as error:
            raise HandoutsError(f"{page.path}: the template web/{template} failed ({error}); "
                                "this is a bug in handouts: please report it") from error
        return mark_external(html, text["web_external"]).encode("utf-8")


def _page(site: Site, path: str, lang: str, title: str, description: str,
          og_type: str = "website") -> Page:
    depth = path.count("/")
    canonical = None
    if site.url:
        canonical = site.url + (path[: -len("index.html")] if path.endswith("index.html")
                                else path)
    return Page(path=path, lang=lang, title=title, description=description,
                root="../" * depth, canonical=canonical, og_type=og_type)


def site_pages(site: Site, renderer: WebRenderer) -> dict[str, bytes]:
    """Every page of the site, by its path from the site's root."""
    text = site.labels
    pages = {"index.html": renderer.render(
        "home.html", _page(site, "index.html", site.lang, text["web_site_title"],
                           text["web_site_description"]), text, site=site)}
    for tag in site.tags:
        heading = text["web_tag_title"].format(tag=tag.tag.spoken)
        pages[tag.tag.path] = renderer.render(
            "tag.html", _page(site, tag.tag.path, site.lang,
                              f"{heading} — {text['web_site_title']}", heading),
            text, site=site, tag_page=tag, heading=heading)
    for sheet in site.sheets:
        view = sheet.view
        # the progress line agrees with the number of questions checked ("1 question
        # vérifiée"): the page holds the singular too, the script picks (Intl.PluralRules)
        # and the score the form of its total ("6 out of 9 points", "1 point")
        sheet_text = {**view.labels, "web_progress_one": typography.apply(
            labels.plural(view.lang, "web_progress", 1), view.lang),
            "web_score": typography.apply(
                labels.plural(view.lang, "web_score", view.quiz_total), view.lang)}
        kinds = ((contract.ANALYSIS_PAGE, "analysis.html", sheet_text["web_analysis"]),
                 (contract.EASY_READ_PAGE, "easy-read.html", sheet_text["doc_easy_read"]),
                 (contract.QUIZ_PAGE, "quiz.html", sheet_text["web_quiz"]))
        for name, template, label in kinds:
            path = sheet.folder + name
            # "Self-check quiz — Short title — Site name": what the page is comes first, as
            # a tab or a bookmark shows only the start of a title; the easy-read page is
            # titled as the leaflet: its plain title, never the long one
            short = view.easy_read.plain_title if name == contract.EASY_READ_PAGE \
                else view.short_title or view.plain_title  # no short title: the whole one
            # the site's name in the page's language: a title is read in one language
            title = f"{label} — {short} — {sheet_text['web_site_title']}"
            page = _page(site, path, view.lang, title, sheet.description, og_type="article")
            pages[path] = renderer.render(template, page, sheet_text, site=site, sheet=sheet,
                                          view=view, current=name)
    return pages


# --- what `handouts import` needs to read a page back into its sheet ----------------------


def source_attribute(value: object, shown: str | None) -> Markup:
    """` data-md="…"`: a text as the sheet writes it, on the element that shows it, only when
    the page shows it otherwise (typography, Markdown, spacing). `handouts import` then gives
    the sheet back word for word; where the words are the same, the page carries nothing
    more. Compared as the importer reads an element: tags off, spaces joined."""
    if value is None or value == "":
        return Markup("")
    text = str(value)
    if shown is not None and " ".join(Markup(shown).striptags().split()) == text:
        return Markup("")
    return Markup(' {}="{}"').format(contract.DATA_MD, text)


def source_paragraphs(value: str | None) -> list[str]:
    """A paragraphs field as written, one item per paragraph the page shows."""
    from ..view.markup import _BLANK_LINE

    return [part.strip() for part in _BLANK_LINE.split(value.strip()) if part.strip()] \
        if value else []
