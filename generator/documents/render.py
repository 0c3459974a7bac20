"""Render a sheet's view into HTML (Jinja) and HTML into PDF (WeasyPrint).

The HTML is self-contained (styles inlined) so that `--format html` writes exactly what becomes
the PDF. WeasyPrint is imported only when a PDF is asked for, and it may fetch nothing:
no file, no network.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import posixpath
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from ..defaults import DEFAULT_PDF_VARIANT, DEFAULT_TIME_LIMIT, MAX_STYLESHEET_BYTES, PAPER_SIZES
from ..errors import RenderError
from ..paths import asset, display, private_cache, read_bounded
from ..view.commonview import CommonView
from ..view.organisation import Project
from .engine import (
    RenderedPdf,
    _Heard,
    _source_date,
    _stable_identifiers,
    _time_limit,
    _TimeUp,
    _WarningCollector,
    capped,
)
from .kinds import HandoutKind
from .pagegroups import LayOut, PageKeeper
from .printshop import finish

if TYPE_CHECKING:
    from jinja2.bccache import Bucket

# With --print-shop the page grows by this much on each side: the bleed (the engine's PDF
# BleedBox is 10 pt, 3.5 mm, from the trim), then the crop marks, which printshop.py draws
# from 5 to 10 mm outside the trim, clear of the bleed, in registration colour.
CROP_MARKS_AREA = "10mm"
MAX_TEMPLATE_BYTES = 1_000_000  # the largest built-in template is under 20 KB


def css_string(text: str) -> str:
    """A CSS string literal that no text can break out of: everything but letters and digits
    is written as a hexadecimal escape (whose terminating space CSS consumes)."""
    escaped = "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def css_counter_text(template: str) -> str:
    """`page {page} of {pages}` → `"page " counter(page) " of " counter(pages)`."""
    parts = []
    rest = template
    while rest:
        index = min((rest.find(t) for t in ("{page}", "{pages}") if t in rest), default=-1)
        if index < 0:
            parts.append(css_string(rest))
            break
        if index:
            parts.append(css_string(rest[:index]))
        token = "{pages}" if rest.startswith("{pages}", index) else "{page}"
        parts.append(f"counter({token[1:-1]})")
        rest = rest[index + len(token):]
    return " ".join(parts)


def page_css(kind: HandoutKind, view: CommonView, paper: str, print_shop: bool = False) -> str:
    """The per-document @page rule: paper size, running header, page numbers and, for a
    print shop, the bleed and room for the crop marks (drawn by printshop.finish)."""
    text = view.labels
    lines = [f"@page {{ size: {PAPER_SIZES[paper]};"]
    if print_shop:
        lines.append(f"  bleed: {CROP_MARKS_AREA};")
    if kind.running_header:
        lines.append(f"  @top-left {{ content: {css_string(view.short_title)}; }}")
        lines.append(f"  @top-right {{ content: {css_string(text[kind.label])}; }}")
    lines.append(f"  @bottom-right {{ content: {css_counter_text(text[kind.page_label])}; }}")
    if view.edition:
        lines.append(f"  @bottom-left {{ content: {css_string(view.edition)}; }}")
    lines.append("}")
    return "\n".join(lines)



def _theme_failure(place: tuple[Path, int | None], error: BaseException) -> str:
    """What a theme template did wrong, where, and what a theme may do instead."""
    file, line = place
    where = display(file) + (f":{line}" if line else "")
    if isinstance(error, jinja2.exceptions.SecurityError):
        return (f"{where}: this theme template is unsafe ({error}); it was stopped before it "
                "could run anything: a theme may print the values handouts gives it (view, "
                "text, kind, css, paper) with Jinja's tags and filters, not reach Python's "
                "internals: remove that expression from the theme file")
    if isinstance(error, jinja2.TemplateSyntaxError):
        return (f"{where}: this theme template is not valid Jinja ({error.message}): fix the "
                "theme file, or delete it to use the built-in template")
    detail = str(error) if isinstance(error, jinja2.TemplateError) else (
        f"{type(error).__name__}: {error}")
    return (f"{where}: this theme template failed ({detail}): fix the theme file, or delete "
            "it to use the built-in template")


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which never fails a build: a cache that cannot be
    read or written is only a slower start."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(Exception):
            super().dump_bytecode(bucket)


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Templates compiled once and kept between runs, in the user's cache folder
    ($XDG_CACHE_HOME/handouts/jinja-sandboxed, or ~/.cache/handouts/jinja-sandboxed: code
    compiled for the sandbox differs, and code compiled outside it must never be loaded into
    it); None (no cache, silently) when it cannot be made, or could be written by someone
    else. Entries are keyed by the
    template's source, so an edited template is compiled again."""
    folder = private_cache("jinja-sandboxed")
    return _QuietBytecodeCache(str(folder)) if folder is not None else None


class BoundedLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading by the `paths` rules: a template that is a FIFO, a device,
    a looping link or over MAX_TEMPLATE_BYTES is refused with a message (RenderError), never
    waited on nor read whole."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        pieces = split_template_path(template)  # no "..": nothing outside the folder
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.lexists(filename) and not os.path.isdir(filename):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        data = read_bounded(Path(filename), MAX_TEMPLATE_BYTES, error=RenderError,
                            what="a template")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RenderError(f"{display(Path(filename))}: is not UTF-8 text: save it again "
                              "with the UTF-8 encoding") from None
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        return source, os.path.normpath(filename), uptodate


def template_environment(loader: jinja2.BaseLoader,
                         cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Every template, handouts' own and a theme's, runs in Jinja's sandbox: it reads the
    values it is given and calls their public methods, but an attribute starting with "_"
    (`__globals__`, `__subclasses__`, `__init__`…) and Python's internals are refused, so a
    theme shared between organisations cannot run code."""
    return jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        bytecode_cache=cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Renderer:
    """One Jinja environment and one WeasyPrint setup, shared by every document of a run."""

    def __init__(self, project: Project | None = None) -> None:
        self.project = project
        self.environment = template_environment(self._loader(), bytecode_cache())
        self._styles: dict[str, str] = {}
        self._parsed_styles: dict[str, tuple[Any, tuple[str, ...]]] = {}  # and its warnings
        # In a warm worker, the pages of page groups kept between renders (pagegroups.py)
        self.pages: PageKeeper | None = None

    def _loader(self) -> jinja2.BaseLoader:
        """The built-in templates; with a theme folder, its templates first (a theme file
        under a built-in name replaces it, and may extend it as "built-in/NAME")."""
        built_in = BoundedLoader(asset("templates"))
        if self.project is None or self.project.theme is None:
            return built_in
        return jinja2.ChoiceLoader([
            BoundedLoader(self.project.theme),
            jinja2.PrefixLoader({"built-in": built_in}, delimiter="/"), built_in])

    @cached_property
    def built_in_look(self) -> bool:
        """Whether every template and stylesheet is a built-in one: no theme, or a theme
        folder that only holds pictures or fonts."""
        if self.project is None or self.project.theme is None:
            return True
        if self.project.stylesheets:
            return False
        built_in = {path.name for path in asset("styles").glob("*.css")}
        return not any(path.suffix == ".html" or path.name in built_in
                       for path in Path(self.project.theme).rglob("*"))

    def _stylesheet_path(self, name: str) -> Path:
        """A built-in stylesheet, or the theme's file of the same name that replaces it."""
        if self.project is not None and self.project.theme is not None:
            themed = Path(self.project.theme) / name
            if themed.is_symlink() or (themed.exists() and not themed.is_dir()):
                return themed  # a FIFO or a device too: read_bounded says what it is
        return asset("styles") / name

    def stylesheet(self, name: str) -> str:
        if name not in self._styles:
            path = self._stylesheet_path(name)
            data = read_bounded(path, MAX_STYLESHEET_BYTES, error=RenderError,
                                what="a stylesheet")
            try:
                self._styles[name] = data.decode("utf-8")
            except UnicodeDecodeError:
                raise RenderError(f"{display(path)}: is not UTF-8 text: save it again with "
                                  "the UTF-8 encoding") from None
        return self._styles[name]

    def _project_styles(self) -> list[str]:
        """The settings' colours and fonts, then the theme's added stylesheets."""
        if self.project is None:
            return []
        return [css for css in (self.project.css, *(text for _, text in
                                                    self.project.stylesheets)) if css]

    def styles(self, kind: HandoutKind, view: CommonView, paper: str = "a4",
               print_shop: bool = False) -> list[str]:
        """The stylesheets of one handout, in cascade order (print-shop black last but the
        page rule, so that no theme colour reaches an offset plate)."""
        shop = [self.stylesheet("print-shop.css")] if print_shop else []
        org = view.organisation
        footer = ([self.stylesheet("organisation-footer.css")]
                  if org is not None and org.has_footer else [])
        return [self.stylesheet("base.css"), self.stylesheet(kind.stylesheet), *footer,
                *self._project_styles(), *shop, page_css(kind, view, paper, print_shop)]

    def html(self, kind: HandoutKind, view: CommonView, paper: str = "a4",
             print_shop: bool = False, *, inline_styles: bool = True) -> str:
        """The HTML of one handout: self-contained (styles inlined) to be read in a browser,
        or without its styles when they go to the PDF engine already parsed."""
        css = "\n".join(self.styles(kind, view, paper, print_shop)) if inline_styles else ""
        try:
            template = self.environment.get_template(kind.template)
            return template.render(view=view, text=view.labels, kind=kind,
                                   css=Markup(css), paper=paper)
        except Exception as error:
            themed = self._theme_place(error)
            if themed is not None:
                raise RenderError(_theme_failure(themed, error)) from None
            if not isinstance(error, jinja2.TemplateError):
                raise
            raise RenderError(
                f"{view.slug}: the template {kind.template} failed ({error}); this is a bug in "
                "handouts, not in your sheet: please report it"
            ) from error

    def _theme_place(self, error: BaseException) -> tuple[Path, int | None] | None:
        """The theme template (and its line) where `error` happened, when it did in one: the
        innermost template frame of the traceback, or the file of a syntax error."""
        if self.project is None or self.project.theme is None:
            return None
        folder = Path(self.project.theme)
        places: list[tuple[Path, int | None]] = []
        if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
            places.append((Path(error.filename), error.lineno))
        else:
            trace = error.__traceback__
            while trace is not None:
                places.append((Path(trace.tb_frame.f_code.co_filename), trace.tb_lineno))
                trace = trace.tb_next
        for file, line in reversed(places):
            if file.is_relative_to(folder):
                return file, line
        return None

    def parse_ahead(self, name: str) -> None:
        """Parse the built-in stylesheet `name` now, so that a warm worker (batch/warm.py)
        spends no time on it at the first save."""
        self._parsed(self.stylesheet(name))

    def _parsed(self, css: str, allowed: frozenset[str] = frozenset()) -> Any:
        """A stylesheet parsed once per process (base and kind sheets recur for every
        document; the small per-document @page rule is parsed each time). `allowed`: the
        data: URIs its @font-face rules may load (a project's fonts)."""
        logger = logging.getLogger("weasyprint")
        if css not in self._parsed_styles:
            weasyprint, font_config = self._weasyprint
            heard = _Heard()
            logger.addHandler(heard)
            try:
                parsed = weasyprint.CSS(string=css, font_config=font_config,
                                        url_fetcher=self._fetcher(self.resources | allowed))
            finally:
                logger.removeHandler(heard)
            if len(self._parsed_styles) < 64:
                self._parsed_styles[css] = (parsed, tuple(heard.messages))
            return parsed
        parsed, messages = self._parsed_styles[css]
        for message in messages:  # each document hears what its stylesheets say (--strict)
            logger.warning("%s", message)
        return parsed

    @cached_property
    def _weasyprint(self) -> tuple[Any, Any]:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        return weasyprint, FontConfiguration()

    @property
    def resources(self) -> frozenset[str]:
        """The settings' checked files (logo, fonts) as data: URIs; nothing without them."""
        return self.project.resources if self.project is not None else frozenset()

    def _fetcher(self, allowed: frozenset[str]) -> Any:
        """A URL fetcher that serves exactly the `data:` URIs in `allowed` (the sheet's
        pictures, as read and checked by the loader: the bytes printed are the bytes
        checked) and refuses everything else, files and network alike."""
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        # WeasyPrint ships no type information: its URLFetcher is Any to mypy.
        class AllowListFetcher(URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
                if url in allowed and url.startswith("data:"):
                    header, _, payload = url.partition(",")
                    kind = header[len("data:"):].split(";")[0]
                    return URLFetcherResponse(url[:40], base64.b64decode(payload),
                                              {"Content-Type": kind})
                raise ValueError(f"handouts does not load outside resources ({url[:80]})")

        return AllowListFetcher()

    def _lay_out(self, keep_as: str | None, html: str, stylesheets: Sequence[str],
                 allowed: frozenset[str], lay_out: LayOut) -> tuple[Any, list[str]]:
        """The whole document laid out, or assembled from kept page groups. Keeping pages only
        saves time: should it fail, what was kept is forgotten and the whole is laid out
        (an error of the engine then shows there, as without it)."""
        if self.pages is None or keep_as is None:
            return lay_out(html, stylesheets)
        try:
            # the built-in footer line: one unnumbered footnote at the end of the last group
            # (a theme's handouts, which could replace it, are always laid out whole)
            footer = frozenset({self.stylesheet("organisation-footer.css")})
            return self.pages.lay_out(keep_as, html, stylesheets, allowed, lay_out, footer)
        except Exception:
            self.pages = PageKeeper(self.pages.pages)
            return lay_out(html, stylesheets)

    def anchors(self, html: str, *, stylesheets: Sequence[str] = (),
                pictures: frozenset[str] = frozenset()
                ) -> list[tuple[float, float, dict[str, tuple[float, float, float, float]]]]:
        """Each page's size and the border boxes of its elements that have an `id`, as the
        engine lays them out for the PDF (CSS pixels, 96 a inch, from the page's top left):
        what `handouts scan` reads the answer sheet's boxes from (one source of truth)."""
        weasyprint, font_config = self._weasyprint
        allowed = pictures | self.resources
        document = weasyprint.HTML(string=html, url_fetcher=self._fetcher(allowed),
                                   base_url=None).render(
            font_config=font_config,
            stylesheets=[self._parsed(css, allowed) for css in stylesheets])
        return [(page.width, page.height, dict(page.anchors)) for page in document.pages]

    def pdf(self, html: str, *, stylesheets: Sequence[str] = (),
            time_limit: float | None = DEFAULT_TIME_LIMIT,
            variant: str | None = DEFAULT_PDF_VARIANT,
            pictures: frozenset[str] = frozenset(), keep_as: str | None = None,
            print_shop: bool = False) -> RenderedPdf:
        """Render HTML (and stylesheets given apart) to PDF bytes, with WeasyPrint's warnings.
        The engine may read the `pictures` (file URIs checked by the loader) and nothing else.
        `keep_as` names the output, when this renderer keeps page groups between renders;
        `print_shop`: finished for offset printing (printshop.finish)."""
        weasyprint, font_config = self._weasyprint
        allowed = pictures | self.resources
        fetcher = self._fetcher(allowed)
        logger = logging.getLogger("weasyprint")

        def lay_out(source: str, sheets: Sequence[str]) -> tuple[Any, list[str]]:
            collector = _WarningCollector()
            logger.addHandler(collector)
            try:
                document = weasyprint.HTML(string=source, url_fetcher=fetcher,
                                           base_url=None).render(
                    font_config=font_config,
                    stylesheets=[self._parsed(css, allowed) for css in sheets])
            finally:
                logger.removeHandler(collector)
            return document, collector.messages

        collector = _WarningCollector()
        try:
            with _time_limit(time_limit):
                document, said = self._lay_out(keep_as, html, stylesheets, allowed, lay_out)
                for message in said:
                    collector.add(message)
                logger.addHandler(collector)
                with _source_date(document.metadata.created):
                    data = document.write_pdf(pdf_variant=variant,
                                              finisher=_stable_identifiers)
                if print_shop:
                    data = finish(data, variant)
        except _TimeUp:
            raise RenderError(f"the PDF took more than {time_limit:g} seconds to make and was "
                              "stopped: is the sheet unusually long? (--time-limit to allow "
                              "more)") from None
        except Exception as error:  # WeasyPrint has no error base class of its own
            reason = capped(f"{type(error).__name__}: {error}")
            raise RenderError(f"the PDF could not be made ({reason}); this is probably a bug in "
                              "handouts: please report it, with the sheet") from error
        finally:
            logger.removeHandler(collector)
        return RenderedPdf(data, len(document.pages), collector.messages)
