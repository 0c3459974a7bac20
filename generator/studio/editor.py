"""The studio's sheet editor: a form made in the browser from the format's JSON Schema (a field
added to the format appears without a change here), `check`'s messages at their fields as the
author types, and saving that keeps the author's comments and notices a change made by another
program meanwhile. Everything goes through `generator.api`: no check or YAML logic here."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .. import api
from ..defaults import DEFAULT_MAX_BYTES
from ..errors import HandoutsError, Problem
from ..sheet import locales
from . import preview
from .common import Studio, counted, field_words, page, shown
from .common import words as common_words
from .security import changes, project_file

# A posted sheet is JSON: its texts escaped (a quote, a line break or a non-ASCII character
# written \uXXXX takes up to 6 bytes), so the request may be larger than the file it becomes.
MAX_REQUEST_BYTES = 6 * DEFAULT_MAX_BYTES + 10_000
SHEET_SUFFIXES = (".yaml", ".yml")
# One save at a time: the digest compared and the file replaced as one step for the studio
# (two tabs saving at once: the second sees the first's digest, and is asked to choose).
_SAVING = threading.Lock()


def words(code: str) -> dict[str, str]:
    """The editor's words (the `editor_` ones of `[studio]` in the locale files, read and
    checked with the rest of the file) in a language, English for any the language lacks."""
    return {key.removeprefix("editor_"): value for key, value in common_words(code).items()
            if key.startswith("editor_")}


def _sheet(request: Request) -> Path:
    """The sheet file the URL names, inside the project (or 404)."""
    studio: Studio = request.app.state.studio
    relative = request.path_params["path"]
    file = project_file(studio.project, relative)
    if file.suffix not in SHEET_SUFFIXES or not file.is_file():
        raise HTTPException(404, "No such sheet in this project.")
    return file


def _problem(request: Request, problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line, "message": shown(request, problem.message),
            "severity": problem.severity, "text": shown(request, str(problem))}


def _report(request: Request, check: api.SheetCheck, lang: str) -> dict[str, Any]:
    """`check`'s answer for the editor, with its count said in the page's language ("2
    errors, 1 warning", each in the plural form the language uses for its number)."""
    errors = len(check.errors) + check.unlisted
    summary = (common_words(lang)["editor_no_problem"] if not errors and not check.warnings
               else f"{counted(lang, 'editor_errors', errors)}, "
                    f"{counted(lang, 'editor_warnings', len(check.warnings))}")
    return {"valid": check.valid, "errors": [_problem(request, p) for p in check.errors],
            "warnings": [_problem(request, p) for p in check.warnings],
            "unlisted": check.unlisted,
            "summary": summary}


def _posted_language(posted: dict[str, Any]) -> str:
    """The language the editor's page speaks (sent with each check and save)."""
    lang = posted.get("lang")
    return lang if isinstance(lang, str) and lang in locales.codes() else locales.REFERENCE


async def _posted(request: Request) -> dict[str, Any]:
    """The posted JSON object, read within MAX_REQUEST_BYTES (413 beyond)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_REQUEST_BYTES:
            raise HTTPException(413, "This sheet is too big to be saved: a sheet may be at "
                                f"most {DEFAULT_MAX_BYTES:,} bytes.")
    try:
        posted = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "The editor sent something that is not a sheet: reload "
                            "the page.") from None
    if not isinstance(posted, dict) or "data" not in posted:
        raise HTTPException(400, "The editor sent something that is not a sheet: reload "
                            "the page.")
    return posted


def _language(opened: api.OpenedSheet) -> str:
    lang = opened.data.get("lang") if isinstance(opened.data, dict) else None
    return lang if isinstance(lang, str) and lang in locales.codes() else locales.REFERENCE


async def editor_page(request: Request) -> Response:
    file = _sheet(request)
    try:
        opened = await run_in_threadpool(api.open_sheet, file)
    except HandoutsError as error:
        return page(request, "editor.html", status_code=422, path=request.path_params["path"],
                    title=file.name, lang="en", words=words("en"),
                    unreadable=shown(request, str(error)))
    if opened.data is None:  # not YAML that can be read: check says why, at which line
        problems = "\n".join(shown(request, str(problem)) for problem in opened.check.errors)
        return page(request, "editor.html", status_code=422, path=request.path_params["path"],
                    title=file.name, lang="en", words=words("en"), unreadable=problems)
    lang = _language(opened)
    title = opened.data.get("title") if isinstance(opened.data, dict) else None
    return page(request, "editor.html", path=request.path_params["path"],
                title=title if isinstance(title, str) else file.name, lang=lang,
                words=words(lang), unreadable="",
                **preview.panel_context(request.path_params["path"], lang))


async def sheet_data(request: Request) -> Response:
    file = _sheet(request)
    try:
        opened = await run_in_threadpool(api.open_sheet, file)
    except HandoutsError as error:
        return JSONResponse({"error": shown(request, str(error))}, status_code=422)
    lang = _language(opened)
    return JSONResponse({"file": request.path_params["path"], "data": opened.data,
                         "digest": opened.digest, "schema": api.schema(),
                         "fields": field_words(lang),
                         "check": _report(request, opened.check, lang)})


@changes
async def sheet_check(request: Request) -> Response:
    file = _sheet(request)
    posted = await _posted(request)
    report = await run_in_threadpool(api.check_data, file, posted["data"])
    return JSONResponse(_report(request, report, _posted_language(posted)))


@changes
async def sheet_save(request: Request) -> Response:
    from ..sheet.roundtrip import SheetChanged

    file = _sheet(request)
    posted = await _posted(request)
    seen = posted.get("digest")
    def save() -> str:
        with _SAVING:
            return api.save_sheet(file, posted["data"], seen if isinstance(seen, str) else None,
                                  overwrite=posted.get("overwrite") is True)

    try:
        digest = await run_in_threadpool(save)
    except SheetChanged as changed:
        return JSONResponse({"conflict": shown(request, str(changed))}, status_code=409)
    except HandoutsError as error:
        return JSONResponse({"error": shown(request, str(error))}, status_code=422)
    report = await run_in_threadpool(api.check_data, file, posted["data"])
    return JSONResponse({"digest": digest,
                         "check": _report(request, report, _posted_language(posted))})


def routes() -> list[BaseRoute]:
    return [
        Route("/sheet/{path:path}/data", sheet_data, methods=["GET"]),
        Route("/sheet/{path:path}/check", sheet_check, methods=["POST"]),
        Route("/sheet/{path:path}/save", sheet_save, methods=["POST"]),
        Route("/sheet/{path:path}", editor_page, methods=["GET"]),
    ]
