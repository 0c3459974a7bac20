"""The studio's home: the project's sheets with `check`'s status, a new sheet from a title, a
page imported, and the settings page's routes. Every action is a call to `generator.api`."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .. import api
from ..errors import HandoutsError
from ..paths import printable_name
from ..sheet import locales
from ..sheet.importer.lines import MAX_INPUT_BYTES
from .common import Studio, page, words
from .common import relative as project_relative
from .security import changes

CONTENT = "content"  # the project's folder of sheets, as `build` finds it
FORM_MARGIN = 64_000  # a form's other fields and its multipart boundaries, over the page
PAGE_SUFFIXES = (".html", ".htm", ".txt")


@dataclass
class SheetRow:
    """One line of the home's list: what `check` says of one sheet file."""

    file: str  # relative to the project, with `/`
    link: str  # the editor's address
    title: str | None
    lang: str | None
    date: str | None
    errors: int
    warnings: int
    messages: list[str]  # why it cannot be opened, when it has errors


def editor_link(relative: str) -> str:
    """The address of a sheet's editor (the editor part's `/sheet/<path>`)."""
    return "/sheet/" + quote(relative)


def sheet_rows(studio: Studio) -> list[SheetRow]:
    """Every sheet of the project's content folder, checked by the API, in file order."""
    rows = []
    for file in api.sheet_files(studio.project / CONTENT):
        relative = PurePosixPath(*file.relative_to(studio.project).parts).as_posix()
        try:
            report = api.check(file)
        except HandoutsError as error:  # a sheet that cannot even be listed: said, not raised
            rows.append(SheetRow(relative, editor_link(relative), None, None, None, 1, 0,
                                 [_without_folder(str(error), studio)]))
            continue
        for found in report.sheets:
            errors = len(found.errors) + found.unlisted
            messages = [_without_folder(str(problem), studio) for problem in found.errors]
            rows.append(SheetRow(relative, editor_link(relative), found.title, found.lang,
                                 found.date, errors, len(found.warnings), messages))
    return rows


def _without_folder(message: str, studio: Studio) -> str:
    """A message as the studio shows it: paths relative to the project, not to where the
    studio was started."""
    return project_relative(studio, message)


def home_page(request: Request, status_code: int = 200, **context: Any) -> Response:
    studio: Studio = request.app.state.studio
    languages = {code: locale.name for code, locale in sorted(locales.available().items())}
    context.setdefault("new_error", None)
    context.setdefault("import_error", None)
    context.setdefault("typed_title", "")
    return page(request, "home.html", status_code, rows=sheet_rows(studio),
                languages=languages, **context)


async def home(request: Request) -> Response:
    return home_page(request)


@changes
async def new_sheet(request: Request) -> Response:
    """A starter sheet from a title, in the project's content folder; then its editor."""
    studio: Studio = request.app.state.studio
    form = await request.form()
    title, lang = str(form.get("title") or "").strip(), str(form.get("lang") or "en")
    if not title:
        return home_page(request, 400, new_error=words(lang)["new_field"] + ": ?",
                         typed_title=title)
    try:
        written = api.new(title, lang, studio.project / CONTENT, project=studio.project)
    except HandoutsError as error:
        return home_page(request, 400, new_error=_without_folder(str(error), studio),
                         typed_title=title)
    relative = written.relative_to(studio.project).as_posix()
    return RedirectResponse(editor_link(relative), status_code=303)


Endpoint = Callable[[Request], Awaitable[Response]]


def bounded(limit: int) -> Callable[[Endpoint], Endpoint]:
    """An endpoint whose form may hold a file of at most `limit` bytes: a larger request is
    refused before it is read (413, with a message), and the form is read with that bound."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @wraps(endpoint)
        async def guarded(request: Request) -> Response:
            studio: Studio = request.app.state.studio
            from .common import language

            message = words(language(studio))["too_large"]
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return PlainTextResponse("Refused: the size of this request was not given.",
                                         status_code=411)
            if int(length) > limit + FORM_MARGIN:
                return PlainTextResponse(message, status_code=413)
            try:
                form = await request.form(max_part_size=limit)
            except HTTPException:  # a field larger than the bound
                return PlainTextResponse(message, status_code=413)
            if any(isinstance(value, UploadFile) and (value.size or 0) > limit
                   for value in form.values()):
                return PlainTextResponse(message, status_code=413)
            return await endpoint(request)

        return guarded

    return decorate


@bounded(MAX_INPUT_BYTES)
@changes
async def import_page(request: Request) -> Response:
    """A pasted text or an uploaded page, imported by the API into the content folder; the
    importer's report shown."""
    studio: Studio = request.app.state.studio
    form = await request.form()
    upload, text = form.get("page"), str(form.get("text") or "")
    lang = str(form.get("lang") or "") or None
    with tempfile.TemporaryDirectory(prefix="handouts-studio-") as folder:
        if isinstance(upload, UploadFile) and upload.filename:
            suffix = Path(upload.filename).suffix.lower()
            source = Path(folder) / ("page" + (suffix if suffix in PAGE_SUFFIXES else ".txt"))
            source.write_bytes(await upload.read(MAX_INPUT_BYTES + 1))
            shown = printable_name(Path(upload.filename).name)
        elif text.strip():
            source = Path(folder) / "page.txt"
            source.write_text(text, encoding="utf-8")
            shown = "page.txt"
        else:
            return home_page(request, 400, import_error=words(lang or "en")["import_none"])
        try:
            written, report = api.import_page(source, lang=lang,
                                              folder=studio.project / CONTENT)
        except HandoutsError as error:
            message = str(error).replace(str(source), shown)
            return home_page(request, 400, import_error=_without_folder(message, studio))
    relative = written.relative_to(studio.project).as_posix()
    lines = report.lines(shown, relative)
    return page(request, "imported.html", lines=lines, file=relative,
                link=editor_link(relative))


def routes() -> list[BaseRoute]:
    from .settingspage import save_settings, settings_page

    return [Route("/", home, methods=["GET"], name="home"),
            Route("/new", new_sheet, methods=["POST"], name="new"),
            Route("/import", import_page, methods=["POST"], name="import"),
            Route("/settings", settings_page, methods=["GET"], name="settings"),
            Route("/settings", save_settings, methods=["POST"], name="save_settings")]
