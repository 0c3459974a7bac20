"""The web edition: a static site made from the same sheets, and the same view, as the PDFs.

`build_site` builds each sheet's PDFs through the usual pipeline (incremental, in parallel),
then writes, for every sheet, an analysis page, an easy-read page and a self-check quiz page
beside those PDFs, plus a home page, one page per tag, the stylesheet and script, and — when
the site's address is known — an Atom feed and a sitemap. Pages print what `build_view`
derived, so site and prints cannot disagree. Every page is self-contained: no request leaves
the site, and a Content-Security-Policy allows nothing but the site itself.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import jinja2
from markupsafe import Markup

from ..errors import HandoutsError, OutputError, SheetError
from ..options import BuildOptions
from ..paths import asset
from ..sheet.importer import contract
from ..sheet.pictoset import is_builtin_file
from ..sheet.pictures import Picture, PictureProblem, clean_svg
from ..view import typography
from ..view.labels import plural
from ..view.quizview import edition_label
from ..view.sheetview import SheetView, build_view

if TYPE_CHECKING:
    from ..sheet.model import Sheet
    from .build import BuildResult, SheetOutcome

# site path → file in styles/
ASSETS = {"assets/site.css": "web.css", "assets/site.js": "web.js",
          "assets/icon.svg": "web-icon.svg"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; "
       "form-action 'none'")
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# How hosts should serve the site's SVGs: as pictures that cannot run a script or load
# anything, even when one is opened on its own (its own address, in its own tab).
SVG_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
HOST_HEADERS = f"""\
# Headers for hosts that read this file (Netlify, Cloudflare Pages and others), written by
# handouts: the pictograms are served as pictures that cannot run scripts or load anything.
/*
  X-Content-Type-Options: nosniff

/*.svg
  Content-Security-Policy: {SVG_POLICY}

/*/pictograms/*
  Content-Security-Policy: {SVG_POLICY}
"""
HOST_FILES = ("_headers", ".htaccess")
HTACCESS = f"""\
# For Apache (with mod_headers), written by handouts: the pictograms are served as pictures
# that cannot run scripts or load anything. Other servers: send the same two headers.
<IfModule mod_headers.c>
  Header always set X-Content-Type-Options "nosniff"
  <FilesMatch "\\.svg$">
    Header always set Content-Security-Policy "{SVG_POLICY}"
  </FilesMatch>
</IfModule>
"""
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_PAGES_NODE = re.compile(rb"<<((?:(?!<<|>>).)*?/Type\s*/Pages\b(?:(?!<<|>>).)*)>>", re.DOTALL)
_COUNT = re.compile(rb"/Count\s+(\d+)")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


@dataclass(frozen=True)
class PdfLink:
    """One printable handout offered for download beside the pages."""

    href: str  # the file's name, beside the sheet's pages
    label: str  # "Quiz", "Quiz — Version B"
    details: str  # "PDF, 86 KB, 2 pages"


@dataclass(frozen=True)
class TagLink:
    name: str
    path: str  # from the site's root: tags/NAME.html


@dataclass(frozen=True)
class WebQuestion:
    """A quiz question with the feedback the self-check script shows, written here."""

    number: int
    name: str  # the radio group's name, q1…
    right: str  # "Right!"
    wrong: str  # "Not quite. The right answer is b) …"


@dataclass(frozen=True)
class WebSheet:
    """A sheet as the site shows it: its view plus what only the web needs."""

    view: SheetView
    description: str  # plain text, for search engines, sharing and the feed
    pdfs: list[PdfLink]
    tags: list[TagLink]
    pictures: dict[str, str]  # a picture's data: URI in the view → its path beside the pages
    questions: list[WebQuestion]
    quiz_intro: str  # how the self-check quiz works, and what its page numbers mean
    picture_files: dict[str, bytes] = field(default_factory=dict)  # path in the site → bytes
    data: Any = None  # the loaded sheet: its texts as written, for `handouts import` (md())
    authors: list[tuple[str, str]] = field(default_factory=list)  # (author shown, what follows)
    contact: list[tuple[str, str]] = field(default_factory=list)  # (field, value as written)

    @property
    def folder(self) -> str:
        return self.view.slug + "/"


@dataclass(frozen=True)
class TagPage:
    tag: TagLink
    sheets: list[WebSheet]


@dataclass(frozen=True)
class Site:
    lang: str  # of the home and tag pages: the language most sheets are written in
    labels: dict[str, str]
    sheets: list[WebSheet]  # newest first
    tags: list[TagPage]
    url: str | None  # the site's address, ending in "/"; None: relative links only


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
        from ..sheet import locales

        return locales.get(self.lang).babel


def normalise_site_url(value: str) -> str:
    """An http(s) address ending in "/"; ValueError with a plain message otherwise."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or \
            parts.fragment:
        raise ValueError(f"'{value}' is not a web address: write the address the site will "
                         "have, like https://example.org/handouts/")
    return value if value.endswith("/") else value + "/"


def tag_file_name(tag: str) -> str:
    """A tag's page name: ASCII letters, digits and hyphens, or a digest when none is left."""
    ascii_text = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return name or "tag-" + hashlib.sha256(tag.encode()).hexdigest()[:10]


def pdf_pages(data: bytes) -> int | None:
    """The page count of a PDF written by the engine: the /Count of its page tree, read in the
    file and in its compressed object streams (no PDF library is needed at run time)."""
    chunks = [data]
    for match in _STREAM.finditer(data):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    counts = [int(count.group(1)) for chunk in chunks for node in _PAGES_NODE.finditer(chunk)
              for count in _COUNT.finditer(node.group(1))]
    return max(counts) if counts else None


def published_picture(picture: Picture) -> bytes:
    """The bytes a pictogram is published as. An SVG is checked again by parsing (as the
    loader did) and written again from the checked tree, so that a browser that opens it on
    its own reads exactly what was checked; a PNG or JPEG is the bytes checked and printed.
    Raises PictureProblem."""
    if picture.media_type != "image/svg+xml":
        return picture.data
    clean = clean_svg(picture.data)
    # A built-in pictogram, checked all the same, keeps its bytes: `handouts import` knows it
    # by them (and gives the sheet back `builtin:NAME`, not a file).
    return picture.data if is_builtin_file(picture.path) else clean


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


def _size(size: int, text: dict[str, str], lang: str) -> str:
    from babel.numbers import format_decimal

    from ..sheet import locales

    return text["web_kb"].format(size=format_decimal(math.ceil(size / 1000),
                                                     locale=locales.get(lang).babel))


def _pdf_links(view: SheetView, output_dir: Path, options: BuildOptions) -> list[PdfLink]:
    """The sheet's PDFs that exist, in the order of the handout kinds, with size and pages."""
    from ..documents.writer import read_own
    from .build import output_path
    from .incremental import READ_BACK_LIMIT

    text = view.labels
    links = []
    for planned in options.planned():
        kind, edition = planned.kind, planned.edition
        if kind.produce is not None:
            continue  # data, like the CSV of keys
        path = output_path(output_dir, view.slug, planned.key, kind.suffix("pdf"))
        data = read_own(path, READ_BACK_LIMIT)  # not through a link, nor past the limit
        if data is None:
            continue
        label = text[kind.label]
        name = edition_label(text, edition) if edition else None
        pages = pdf_pages(data)
        details = ["PDF", _size(len(data), text, view.lang)]
        if pages:
            details.append(text["web_pages_one" if pages == 1 else "web_pages_many"]
                           .format(count=pages))
        links.append(PdfLink(path.name, f"{label} — {name}" if name else label,
                             ", ".join(details)))
    return links


def _pictures(sheet: Sheet, slug: str) -> tuple[dict[str, str], dict[str, bytes], list[str]]:
    """Where each checked pictogram goes in the site (pictograms/NAME beside the pages), and
    warnings for the SVGs that are not published."""
    uris: dict[str, str] = {}
    files: dict[str, bytes] = {}
    warnings = []
    for checked in sheet.easy_read.picture_files():
        picture = sheet.picture(checked)
        if picture is None or picture.uri in uris:
            continue
        path = picture.path
        try:
            data = published_picture(picture)
        except PictureProblem as problem:
            warnings.append(f"{slug}: {path.name} {problem}: it is left out of the web pages "
                            "(the PDFs print it)")
            continue
        name = f"pictograms/{path.name}"
        number = 2
        while f"{slug}/{name}" in files:
            name = f"pictograms/{path.stem}-{number}{path.suffix}"
            number += 1
        uris[picture.uri] = name
        files[f"{slug}/{name}"] = data
    return uris, files, warnings


def _description(view: SheetView) -> str:
    """One plain paragraph that says what the sheet is about."""
    lines = view.highlights or view.introduction[:1] or view.summary[0].paragraphs[:1]
    return " ".join(Markup(line).striptags() for line in lines)


def _questions(view: SheetView) -> list[WebQuestion]:
    text = view.labels
    return [WebQuestion(
        number=question.number,
        name=f"q{question.number}",
        right=text["web_right"],
        wrong=text["web_wrong"].format(
            answer=f"{question.answer.letter}) {Markup(question.answer.html).striptags()}"),
    ) for question in view.quiz]


def _quiz_intro(view: SheetView) -> str:
    """Page numbers are mentioned only when some question has them."""
    text = view.labels
    sentences = [text["web_quiz_intro"]]
    if any(question.pages for question in view.quiz):
        sentences.append(text["quiz_instructions_pages"])
    return " ".join(sentences)


def web_sheet(sheet: Sheet, output_dir: Path, options: BuildOptions
              ) -> tuple[WebSheet, list[str]]:
    """The web view of a loaded sheet, and warnings about what it could not publish."""
    view = build_view(sheet)
    pictures, files, warnings = _pictures(sheet, view.slug)
    tags = [TagLink(tag, f"tags/{tag_file_name(tag)}.html") for tag in view.tags]
    return WebSheet(view=view, description=_description(view),
                    pdfs=_pdf_links(view, output_dir, options), tags=tags, pictures=pictures,
                    questions=_questions(view), quiz_intro=_quiz_intro(view),
                    picture_files=files, data=sheet, authors=_author_pieces(sheet),
                    contact=_contact_fields(sheet)), warnings


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


def _author_pieces(sheet: Sheet) -> list[tuple[str, str]]:
    """The authors' sentence ("A, B and C") as (author, the words after it): the page shows
    the same sentence, each author in an element of its own."""
    from ..view import labels, typography

    authors = [typography.apply(" ".join(a.split()), sheet.lang) for a in sheet.source.authors]
    if not authors:
        return []
    marks = [f"\x00{index}\x00" for index in range(len(authors))]
    sentence = labels.format_list(marks, sheet.lang)
    pieces = re.split("\x00\\d+\x00", sentence)  # before the first, between, after the last
    return [(author, pieces[index + 1]) for index, author in enumerate(authors)]


def _contact_fields(sheet: Sheet) -> list[tuple[str, str]]:
    """The leaflet's contact lines' fields, in the order the view writes them."""
    contact = sheet.easy_read.contact
    if contact is None:
        return []
    return [(key, getattr(contact, key)) for key in contract.CONTACT_FIELDS
            if getattr(contact, key)]


def make_site(sheets: list[WebSheet], url: str | None) -> Site:
    """The site's pages in a stable order: newest sheets first, tags alphabetically."""
    from ..view import labels, typography

    ordered = sorted(sheets, key=lambda s: (s.view.sheet.iso_date, s.view.slug), reverse=True)
    languages = [s.view.lang for s in ordered]
    lang = max(sorted(set(languages)), key=languages.count) if languages else "en"
    text = {key: typography.apply(value, lang) for key, value in labels.catalog(lang).items()}
    by_path: dict[str, TagPage] = {}
    for sheet in ordered:
        for tag in sheet.tags:
            page = by_path.setdefault(tag.path, TagPage(tag, []))
            if sheet not in page.sheets:
                page.sheets.append(sheet)
    tags = sorted(by_path.values(), key=lambda page: page.tag.name.casefold())
    return Site(lang=lang, labels=text, sheets=ordered, tags=tags, url=url)


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
        title = text["web_tag_title"].format(tag=tag.tag.name)
        pages[tag.tag.path] = renderer.render(
            "tag.html", _page(site, tag.tag.path, site.lang, title, title), text, site=site,
            tag_page=tag)
    for sheet in site.sheets:
        view = sheet.view
        # the progress line agrees with the number of questions checked ("1 question
        # vérifiée"): the page holds the singular too, the script picks (Intl.PluralRules)
        sheet_text = {**view.labels, "web_progress_one": typography.apply(
            plural(view.lang, "web_progress", 1), view.lang)}
        kinds = ((contract.ANALYSIS_PAGE, "analysis.html", sheet_text["web_analysis"]),
                 (contract.EASY_READ_PAGE, "easy-read.html", sheet_text["doc_easy_read"]),
                 (contract.QUIZ_PAGE, "quiz.html", sheet_text["web_quiz"]))
        for name, template, label in kinds:
            path = sheet.folder + name
            page = _page(site, path, view.lang, f"{view.plain_title} — {label}",
                         sheet.description, og_type="article")
            pages[path] = renderer.render(template, page, sheet_text, site=site, sheet=sheet,
                                          view=view, current=name)
    return pages


def atom_feed(site: Site) -> bytes:
    """An Atom feed of the sheets, dated by the sheets themselves (never by the build)."""
    assert site.url
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": site.lang})
    dates = [s.view.sheet.iso_date for s in site.sheets] or ["1970-01-01"]
    for tag, value in (("id", site.url), ("title", site.labels["web_site_title"]),
                       ("updated", f"{max(dates)}T00:00:00Z")):
        ET.SubElement(feed, f"{{{ATOM}}}{tag}").text = value
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": site.url + "feed.xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": site.url})
    for sheet in site.sheets:
        view = sheet.view
        address = site.url + sheet.folder
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", {"xml:lang": view.lang})
        ET.SubElement(entry, f"{{{ATOM}}}id").text = address
        ET.SubElement(entry, f"{{{ATOM}}}title").text = view.plain_title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{view.sheet.iso_date}T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": address})
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = view.sheet.author
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = sheet.description
        for link in sheet.tags:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": link.name})
    ET.indent(feed)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def sitemap(site: Site, paths: list[str]) -> bytes:
    """Every page's address, dated by the newest sheet it shows."""
    assert site.url
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    newest = {s.folder: s.view.sheet.iso_date for s in site.sheets}
    latest = max(newest.values(), default=None)
    for path in paths:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site.url + (
            path[: -len("index.html")] if path.endswith("index.html") else path)
        date = newest.get(path.split("/")[0] + "/", latest)
        if date:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = date
    ET.indent(urlset)
    document: bytes = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def site_files(site: Site, renderer: WebRenderer | None = None) -> dict[str, bytes]:
    """Every file of the site except the PDFs: pages, assets, pictograms, the hosts' headers
    (`_headers`, `.htaccess`), feed and sitemap."""
    files = site_pages(site, renderer or WebRenderer())
    page_paths = list(files)
    for target, source in ASSETS.items():
        files[target] = (asset("styles") / source).read_bytes()
    for sheet in site.sheets:
        files.update(sheet.picture_files)
    files.update(zip(HOST_FILES, (HOST_HEADERS.encode(), HTACCESS.encode()), strict=True))
    if site.url:
        files["feed.xml"] = atom_feed(site)
        files["sitemap.xml"] = sitemap(site, page_paths)
    return files


def build_site(
    paths: list[Path],
    output_dir: Path,
    options: BuildOptions | None = None,
    *,
    site_url: str | None = None,
    force: bool = False,
    jobs: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_output: Callable[..., None] | None = None,
    on_sheet: Callable[..., None] | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build the PDFs of the sheets in `paths`, then the web edition around them, into
    `output_dir`; returns the build's result with the pages added. A sheet that fails keeps
    its earlier pages; a page whose bytes did not change is not rewritten."""
    from ..documents.writer import check_folder, prepare_folder, read_own, write_atomic
    from ..sheet.loader import load_sheet
    from .build import Output, build
    from .sources import find_sheets

    options = replace(options or BuildOptions(), fmt="pdf")
    url = normalise_site_url(site_url) if site_url else None
    failed: set[Path] = set()

    def sheet_done(outcome: SheetOutcome) -> None:
        if outcome.failure():
            failed.add(outcome.task.file)
        if on_sheet:
            on_sheet(outcome)

    result = build(paths, output_dir, options, force=force, jobs=jobs, on_start=on_start,
                   on_output=on_output, on_sheet=sheet_done, on_wait=on_wait)
    files, _ = find_sheets(paths)
    if files:
        try:
            check_folder(output_dir)
        except OutputError:
            return result  # the build said why, once
    sheets: list[WebSheet] = []
    slugs: set[str] = set()
    for file in files:
        if file in failed:
            continue
        try:
            sheet = load_sheet(file, max_bytes=options.max_bytes)
        except SheetError:
            continue  # reported by the PDF build already
        if sheet.slug in slugs:
            continue  # two sheets with one slug: reported by the PDF build already
        slugs.add(sheet.slug)
        made, warnings = web_sheet(sheet, output_dir, options)
        sheets.append(made)
        result.warnings.extend(warnings)
    if not url:
        result.warnings.append("no --site-url: the pages link to each other relatively, and "
                               "the Atom feed and the sitemap (which need the site's address) "
                               "are not written")
    files_to_write = site_files(make_site(sheets, url))
    if result.failures:
        # Without every sheet, the home and tag pages, feed and sitemap would drop the failed
        # ones: they keep their earlier version until every sheet builds again.
        folders = tuple(sheet.folder for sheet in sheets)
        files_to_write = {name: data for name, data in files_to_write.items()
                          if name.startswith((*folders, "assets/")) or name in HOST_FILES}
        result.warnings.append("the home page, tag pages, feed and sitemap were not updated, "
                               "so that they keep listing the sheets that failed: fix them, "
                               "then build again")
    try:
        prepare_folder(output_dir)
        for name, data in files_to_write.items():
            target = output_dir / name
            if not force and read_own(target, len(data)) == data:
                result.unchanged.append(target)
                continue
            prepare_folder(target.parent)
            write_atomic(target, data)
            output = Output(target, "web")
            result.written.append(output)
            if on_output:
                on_output(output)
    except HandoutsError as error:
        result.failures.append(error)
    return result
