"""The web edition: a static site made from the same sheets, and the same view, as the PDFs.

`build_site` builds each sheet's PDFs through the usual pipeline (incremental, in parallel),
then writes, for every sheet, an analysis page, an easy-read page and a self-check quiz page
beside those PDFs, plus a home page, one page per tag, the stylesheet and script, and — when
the site's address is known — an Atom feed and a sitemap. Pages print what `build_view`
derived, so site and prints cannot disagree. Every page is self-contained: no request leaves
the site, and a Content-Security-Policy allows nothing but the site itself.

This module builds the site and makes the files of the site as a whole (assets, pictograms,
the hosts' headers, feed, sitemap); a sheet as the site shows it is websheet.py, the HTML
pages webpages.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from ..documents.writer import check_folder, prepare_folder, read_own, write_atomic
from ..errors import HandoutsError, OutputError, SheetError
from ..options import BuildOptions
from ..paths import asset, private_cache
from .build import build
from .rendering import Output
from .sources import find_sheets
from .webnav import SEARCH_INDEX, search_index
from .webpages import CSP, Site, WebRenderer, make_site, site_pages
from .websheet import WebSheet, web_sheet

if TYPE_CHECKING:
    from ..sheet.loader import LoadedSheet
    from .build import BuildResult
    from .rendering import SheetOutcome


# site path → file in styles/
ASSETS = {"assets/site.css": "web.css", "assets/site.js": "web.js",
          "assets/icon.svg": "web-icon.svg"}
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# How hosts should serve the site's SVGs: as pictures that cannot run a script or load
# anything, even when one is opened on its own (its own address, in its own tab).
SVG_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# The pages' own policy (the one their <meta> carries) as a header, with what a <meta> cannot
# say: no other site may show them in a frame.
PAGE_POLICY = f"{CSP}; frame-ancestors 'none'"
# Sent with every file: no guessing of a file's type, no address sent to the sites a page
# links to, no access to the visitor's camera, microphone, position or sensors, no framing.
EVERY_FILE = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
     "magnetometer=(), microphone=(), payment=(), usb=()"),
    ("X-Frame-Options", "DENY"),
)
# The pages' addresses as Netlify and Cloudflare Pages match them (`:sheet` is one folder;
# Cloudflare Pages also serves quiz.html at …/quiz), and the site's SVGs.
PAGE_PATHS = ("/", "/index.html", "/tags/*", "/:sheet/", "/:sheet/index.html",
              "/:sheet/easy-read.html", "/:sheet/easy-read", "/:sheet/quiz.html",
              "/:sheet/quiz")
SVG_PATHS = ("/assets/icon.svg", "/:sheet/pictograms/*")
HOST_FILES = ("_headers", ".htaccess")


def headers_file() -> str:
    """`_headers`, for Netlify, Cloudflare Pages and the hosts that read it (and do not serve
    it): each rule a path and its headers."""
    blocks = ["/*\n" + "".join(f"  {name}: {value}\n" for name, value in EVERY_FILE)]
    blocks += [f"{path}\n  Content-Security-Policy: {PAGE_POLICY}\n" for path in PAGE_PATHS]
    blocks += [f"{path}\n  Content-Security-Policy: {SVG_POLICY}\n" for path in SVG_PATHS]
    return ("# Headers for hosts that read this file (Netlify, Cloudflare Pages and others), "
            "written by\n# handouts from the policy its pages carry: the headers a <meta> "
            "cannot set, the pages'\n# Content-Security-Policy as a header, and the "
            "pictograms served as pictures that cannot\n# run scripts or load anything.\n"
            + "\n".join(blocks))


def htaccess_file() -> str:
    """`.htaccess`, for Apache with mod_headers (which never serves a file named .ht*)."""
    every = "".join(f'  Header always set {name} "{value}"\n' for name, value in EVERY_FILE)
    return ("# For Apache (with mod_headers), written by handouts from the policy its pages "
            "carry: the\n# headers a <meta> cannot set, the pages' Content-Security-Policy "
            "as a header, and the\n# pictograms served as pictures that cannot run scripts "
            "or load anything.\n"
            "<IfModule mod_headers.c>\n" + every +
            '  <FilesMatch "\\.html$">\n'
            f'    Header always set Content-Security-Policy "{PAGE_POLICY}"\n'
            "  </FilesMatch>\n"
            '  <FilesMatch "\\.svg$">\n'
            f'    Header always set Content-Security-Policy "{SVG_POLICY}"\n'
            "  </FilesMatch>\n"
            "</IfModule>\n")


def nginx_example() -> str:
    """The same headers for nginx, which reads no file of the site: lines to copy into the
    `location` that serves the site's folder (docs/web.md prints them). `add_header` in a
    block replaces those of the blocks around it, hence the headers of every file again in
    each inner block."""
    every = [f'add_header {name} "{value}" always;' for name, value in EVERY_FILE]
    inner = "".join(f"    {line}\n" for line in every)
    return ("".join(f"{line}\n" for line in every)
            + "location ~ \\.html$ {\n" + inner
            + f'    add_header Content-Security-Policy "{PAGE_POLICY}" always;\n}}\n'
            + "location ~ \\.svg$ {\n" + inner
            + f'    add_header Content-Security-Policy "{SVG_POLICY}" always;\n}}\n')


def record_folder(site: Path) -> Path | None:
    """Where the build of the site at `site` keeps its record (which names the sheets and
    pictures by their absolute paths) and its lock: a folder of its own in handouts' cache
    ($XDG_CACHE_HOME/handouts/sites/…, or ~/.cache/…), so that the site's folder holds only
    what is published. None when that folder cannot be made ours (then the record stays in
    the site's folder, and the build says so)."""
    key = hashlib.sha256(str(site.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return private_cache("sites", key[:24])


def leaflet_warnings(loaded: LoadedSheet) -> list[str]:
    """What `check` says when the easy-read part has no plain title of its own: the web's
    easy-read page opens with the leaflet's fallback heading too."""
    from ..view.easyrules import no_plain_title

    if loaded.sheet.easy_read.title:
        return []
    line, column = loaded.document.locate(("easy_read",)) or (None, None)
    where = loaded.shown + (f":{line}:{column}" if line is not None else "")
    return [f"{where}: easy_read: {no_plain_title(loaded.sheet)}"]


def normalise_site_url(value: str) -> str:
    """An http(s) address ending in "/"; ValueError with a plain message otherwise."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or \
            parts.fragment:
        raise ValueError(f"'{value}' is not a web address: write the address the site will "
                         "have, like https://example.org/handouts/")
    return value if value.endswith("/") else value + "/"


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
    files[SEARCH_INDEX] = search_index(site.sheets)
    files.update(zip(HOST_FILES, (headers_file().encode(), htaccess_file().encode()),
                     strict=True))
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
    from ..sheet.loader import load

    options = replace(options or BuildOptions(), fmt="pdf")
    url = normalise_site_url(site_url) if site_url else None
    failed: set[Path] = set()
    record = record_folder(output_dir)

    def sheet_done(outcome: SheetOutcome) -> None:
        if outcome.failure():
            failed.add(outcome.task.file)
        if on_sheet:
            on_sheet(outcome)

    result = build(paths, output_dir, options, force=force, jobs=jobs, on_start=on_start,
                   on_output=on_output, on_sheet=sheet_done, on_wait=on_wait,
                   record_dir=record)
    if record is None:
        result.warnings.append(f"{output_dir}: the build's record (it names your files by "
                               "their full paths) is kept in the site's folder, as handouts' "
                               "cache folder cannot be used: leave out .handouts-manifest.json "
                               "and .handouts-lock when you publish the folder")
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
            loaded = load(file, max_bytes=options.max_bytes)
        except SheetError:
            continue  # reported by the PDF build already
        sheet = loaded.sheet
        if sheet.slug in slugs:
            continue  # two sheets with one slug: reported by the PDF build already
        slugs.add(sheet.slug)
        made, warnings = web_sheet(sheet, output_dir, options)
        sheets.append(replace(made, file=file))
        result.warnings.extend([*leaflet_warnings(loaded), *warnings])
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
                          if (name.startswith((*folders, "assets/")) and name != SEARCH_INDEX)
                          or name in HOST_FILES}
        result.warnings.append("the home page, tag pages, search, feed and sitemap were not "
                               "updated, "
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
