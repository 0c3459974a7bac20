"""The studio's preview part: a sheet's four handouts as page pictures beside the form, the PDF
one click away and all of them in a zip, made by the preview service (`api.preview`: warm
workers, only the handouts an edit changed made again).

The editor's script posts the sheet as it is in the form, saved or not (so the post changes
nothing but is still guarded by the CSRF token: it carries the author's words): its data, which
the studio writes into the file's text as a save would (the file untouched), so a problem is
at the line and column the saved file will have, like the editor's own check; a problem at a
field the file does not hold yet is said by the field's place in the form instead. The answer
names the pictures, the PDF and the zip by the preview's digest, which the GET routes serve
from memory: no path comes back in, and nothing is written in the project folder.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .. import api
from ..batch.preview import PREVIEW_KINDS, Preview, Previewer
from ..errors import HandoutsError, Problem, SheetError
from ..sheet import locales
from .common import place_words, shown
from .common import words as common_words
from .security import WEB_PREVIEW_POLICY, changes, project_file

MAX_POST_BYTES = 5_000_000  # the importer's bound: a sheet is a few tens of KB
SHEET_SUFFIXES = (".yaml", ".yml")
WEB = "web"  # the tab of the web edition's pages, after the handouts'
KEPT_WEB_PREVIEWS = 8  # the web previews kept in memory (the last ones asked for)
_starting = threading.Lock()
_web_lock = threading.Lock()
# The web pages' script elements (external only: their CSP forbids inline script), left out
# of the framed pages: the frame runs no script, and the browser would complain of each.
_SCRIPT = re.compile(rb"<script\b[^>]*>\s*</script>\s*")


def words(lang: str) -> dict[str, str]:
    """The preview's words in a language (`[studio]` of its locale file, read and checked
    with the rest of the file), English filling any missing one."""
    return common_words(lang)


def language(asked: object) -> str:
    return asked if isinstance(asked, str) and asked in locales.codes() else "en"


def start(app: Any) -> Previewer:
    """Start the preview's warm workers now (call it from the main thread when the studio
    starts: workers started there ignore Ctrl+C, which the studio handles; and the first
    preview finds them warm). Otherwise they start at the first preview."""
    state = app.state
    with _starting:
        if getattr(state, "previewer", None) is None:
            state.previewer = api.previewer()
        found: Previewer = state.previewer
    return found


def service(request: Request) -> Previewer:
    """The studio's preview service (its workers die with the studio)."""
    return start(request.app)


def close(app: Any) -> None:
    """Stop the preview's workers (when the studio stops, and in tests)."""
    previewer = getattr(app.state, "previewer", None)
    if previewer is not None:
        previewer.close()
        app.state.previewer = None


def panel_context(path: str, lang: str) -> dict[str, Any]:
    """What `preview_panel.html` needs: the sheet's preview address, the tabs, the words."""
    said = words(lang)
    return {"preview_endpoint": f"/sheet/{quote(path)}/preview",
            "preview_tabs": [(kind, said[f"preview_{kind.replace('-', '_')}"])
                             for kind in (*PREVIEW_KINDS, WEB)],
            "preview_words": said}


def _problems(request: Request, problems: Iterable[Problem], edited: api.EditedSheet | None,
              lang: str) -> list[dict[str, Any]]:
    """The problems as the preview lists them: at their line in the text previewed (the saved
    file's, for the form's data), but one at a field the file does not hold yet by the field's
    place in the form ("content/x.yaml: Multiple-choice quiz, Question 3, Choices: …")."""
    places = edited.new_places() if edited is not None else {}
    answer = []
    for problem in problems:
        place = (places.get((problem.line, problem.column))
                 if problem.line is not None and problem.column is not None else None)
        said = problem if place is None else replace(
            problem, line=None, column=None, path=place_words(lang, place))
        answer.append({"message": shown(request, str(said)), "path": problem.path,
                       "line": said.line})
    return answer


def _answer(request: Request, preview: Preview, kind: str, lang: str,
            edited: api.EditedSheet | None) -> dict[str, Any]:
    said = words(lang)
    if not preview.valid:
        return {"valid": False, "kind": kind,
                "problems": _problems(request, preview.problems, edited, lang),
                "more": preview.more}
    pages = preview.handouts[kind]
    handout = said[f"preview_of_{kind.replace('-', '_')}"]
    base = f"/preview/{preview.digest}"
    count = len(pages.pngs)
    return {"valid": True, "kind": kind, "digest": preview.digest,
            "pages": [{"src": f"{base}/{kind}/{number}.png",
                       "alt": said["preview_page_alt"].format(page=number, pages=count,
                                                              handout=handout)}
                      for number in range(1, count + 1)],
            "pdf": f"{base}/{kind}.pdf", "zip": f"{base}/handouts.zip",
            "warnings": list(pages.warnings)}


def _options(project: Path) -> api.BuildOptions:
    return api.options_with(api.settings(project))


def _web_kept(app: Any) -> OrderedDict[str, dict[str, bytes]]:
    """The web previews kept, by digest (made at the first one)."""
    if getattr(app.state, "web_previews", None) is None:
        app.state.web_previews = OrderedDict()
    kept: OrderedDict[str, dict[str, bytes]] = app.state.web_previews
    return kept


def _web_answer(request: Request, file: Path, data: bytes | None, lang: str) -> dict[str, Any]:
    """The sheet's web pages made in memory and kept by their digest: the address of its
    analysis page for the preview's frame, or the sheet's problems."""
    studio = request.app.state.studio
    if data is None:
        data = file.read_bytes()
    options = _options(studio.project)
    named = hashlib.sha256(b"\0".join((str(file).encode(), data,
                                        repr(options).encode()))).hexdigest()
    slug, files = api.web_preview(file, data, options)
    with _web_lock:
        kept = _web_kept(request.app)
        kept[named] = files
        kept.move_to_end(named)
        while len(kept) > KEPT_WEB_PREVIEWS:
            kept.popitem(last=False)
    return {"valid": True, "kind": WEB, "digest": named,
            "frame": f"/preview/{named}/web/{quote(slug)}/index.html",
            "title": words(lang)["preview_web_frame"]}


def _unsaved(request: Request, kind: str, error: HandoutsError, lang: str) -> JSONResponse:
    """What keeps the form's data from being previewed: the file cannot be written with it (a
    save would say the same)."""
    if isinstance(error, SheetError):
        return JSONResponse({"valid": False, "kind": kind, "more": error.more,
                             "problems": _problems(request, error.problems, None, lang)})
    return JSONResponse({"valid": False, "kind": kind, "more": 0, "problems": [
        {"message": shown(request, str(error)), "path": "", "line": None}]})


@changes
async def make_preview(request: Request) -> Response:
    """POST /sheet/PATH/preview, JSON {data or text, kind, lang}: the handout `kind` of the
    sheet as the form's `data` says (written as a save would write it) or as a YAML `text`
    says (neither: as saved), as page picture addresses, or the sheet's problems. A post, not
    a GET: it carries the author's unsaved words, which an address would log."""
    studio = request.app.state.studio
    file = project_file(studio.project, request.path_params["path"])
    if file.suffix.lower() not in SHEET_SUFFIXES:
        raise HTTPException(404, "Only a sheet (.yaml) has a preview.")
    body = await request.body()
    if len(body) > MAX_POST_BYTES:
        raise HTTPException(413, f"This sheet is over {MAX_POST_BYTES:,} bytes: too large "
                            "to preview.")
    try:
        asked = json.loads(body or b"{}")
    except ValueError:
        raise HTTPException(400, "The preview expects JSON: {text, kind, lang}.") from None
    if not isinstance(asked, dict):
        raise HTTPException(400, "The preview expects JSON: {text, kind, lang}.")
    kind, text, lang = asked.get("kind", PREVIEW_KINDS[0]), asked.get("text"), \
        language(asked.get("lang"))
    if kind not in (*PREVIEW_KINDS, WEB):
        raise HTTPException(400, f"No handout '{kind}' in the preview: choose among "
                            f"{', '.join((*PREVIEW_KINDS, WEB))}.")
    if text is not None and not isinstance(text, str):
        raise HTTPException(400, "The sheet's text must be a string.")
    data = text.encode("utf-8") if text is not None else None
    if data is None and not file.is_file():
        raise HTTPException(404, "No such sheet in this project.")
    edited = None
    if data is None and "data" in asked:
        try:
            edited = await run_in_threadpool(api.edited_sheet, file, asked["data"])
        except HandoutsError as error:
            return _unsaved(request, kind, error, lang)
        data = edited.text.encode("utf-8")
    if kind == WEB:
        try:
            return JSONResponse(await run_in_threadpool(_web_answer, request, file, data, lang))
        except SheetError as error:
            return JSONResponse({"valid": False, "kind": kind, "more": error.more,
                                 "problems": _problems(request, error.problems, edited, lang)})
        except HandoutsError as error:
            return JSONResponse({"valid": False, "kind": kind, "more": 0, "problems": [
                {"message": shown(request, str(error)), "path": "", "line": None}]})
    previewer = service(request)
    try:
        preview = await run_in_threadpool(
            lambda: api.preview(file, data, (kind,), service=previewer,
                                build_options=_options(studio.project)))
    except HandoutsError as error:  # the settings, or the saved file, cannot be read
        return JSONResponse({"valid": False, "kind": kind, "more": 0,
                             "problems": [{"message": shown(request, str(error)), "path": "",
                                           "line": None}]})
    return JSONResponse(_answer(request, preview, kind, lang, edited))


def _found(request: Request) -> Preview:
    """The preview the address names, while it is kept (the last few of each sheet)."""
    previewer = service(request)
    digest = request.path_params["digest"]
    found = previewer.find(digest)
    if found is None:
        raise HTTPException(404, "This preview is no longer kept: edit the sheet, or reload "
                            "the page, to make it again.")
    return found


def _pages(request: Request) -> Any:
    kind = request.path_params["kind"]
    pages = _found(request).handouts.get(kind)
    if pages is None:
        raise HTTPException(404, f"No {kind} in this preview.")
    return pages


async def page_image(request: Request) -> Response:
    """GET /preview/DIGEST/KIND/N.png: page N of a handout."""
    pngs = _pages(request).pngs
    number = request.path_params["number"]
    if not 1 <= number <= len(pngs):
        raise HTTPException(404, f"This handout has {len(pngs)} pages.")
    return Response(pngs[number - 1], media_type="image/png")


async def handout_pdf(request: Request) -> Response:
    """GET /preview/DIGEST/KIND.pdf: the handout's PDF, shown by the browser."""
    preview = _found(request)
    pages = _pages(request)
    name = f"{preview.slug}-{pages.kind}.pdf"
    return Response(pages.pdf, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{name}"'})


async def handouts_zip(request: Request) -> Response:
    """GET /preview/DIGEST/handouts.zip: the four handouts' PDFs, those not yet previewed
    made now."""
    found = _found(request)
    studio = request.app.state.studio
    previewer = service(request)
    preview = await run_in_threadpool(
        lambda: previewer.preview(found.file, found.data, _options(studio.project)))
    if not preview.valid:
        raise HTTPException(409, "The sheet has problems: fix them to download its handouts.")
    return Response(preview.zip(), media_type="application/zip",
                    headers={"content-disposition":
                             f'attachment; filename="{preview.slug}-handouts.zip"'})


async def web_file(request: Request) -> Response:
    """GET /preview/DIGEST/web/PATH: a file of a sheet's web preview, from memory (only the
    files the preview made: no path reaches the disk), its pages framed by the editor."""
    with _web_lock:
        files = _web_kept(request.app).get(request.path_params["digest"])
    if files is None:
        raise HTTPException(404, "This preview is no longer kept: edit the sheet, or reload "
                            "the page, to make it again.")
    path = request.path_params["path"]
    if path not in files:
        raise HTTPException(404, "No such page in this preview.")
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind != "text/html":
        return Response(files[path], media_type=kind)
    return Response(_SCRIPT.sub(b"", files[path]), media_type=kind,
                    headers={"content-security-policy": WEB_PREVIEW_POLICY})


def routes() -> list[BaseRoute]:
    return [Route("/sheet/{path:path}/preview", make_preview, methods=["POST"]),
            Route("/preview/{digest:str}/web/{path:path}", web_file),
            Route("/preview/{digest:str}/handouts.zip", handouts_zip),
            Route("/preview/{digest:str}/{kind:str}.pdf", handout_pdf),
            Route("/preview/{digest:str}/{kind:str}/{number:int}.png", page_image)]
