"""What keeps the studio safe from the web pages its user visits (any site can make a browser
send requests to 127.0.0.1): the Host must be the studio's own (DNS rebinding), a request that
changes anything must come from the studio's own pages (Origin) with its CSRF token, every
response carries a Content-Security-Policy without inline script, and files are only ever read
or written inside the project folder (no `..`, no absolute path, no symbolic link out)."""

from __future__ import annotations

import hmac
import os
import stat
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path, PurePosixPath

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD"})
TOKEN_FIELD = "csrf_token"  # in a posted form
TOKEN_HEADER = "x-csrf-token"  # on a request made by the studio's script
# Exact: no inline script or style, nothing from elsewhere; pictures as data: (QR codes) and
# blob: (preview pages); the studio is never framed by another site.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; frame-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'")
# The one other policy: the web edition's pages in the preview's frame (preview.py). The
# editor's page may frame them (frame-ancestors 'self'); they run no script (sandboxed, here
# and by the frame) and load nothing but the studio's own styles and pictures.
WEB_PREVIEW_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                      "font-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
                      "form-action 'none'; sandbox allow-same-origin")
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    # not no-referrer: with it, browsers send `Origin: null` on the studio's own posts
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
}


class Guard:
    """ASGI middleware: refuses a foreign Host (400) and, on a request that changes anything,
    a missing or foreign Origin (403); adds the security headers to every response. The CSRF
    token is checked where the form is read (`changes`)."""

    def __init__(self, app: ASGIApp, *, port: int) -> None:
        self.app = app
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refused = self.refusal(scope["method"], headers)
        if refused is not None:
            await with_headers(refused)(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = message.get("headers", [])
                framed = (b"content-security-policy", WEB_PREVIEW_POLICY.encode()) in given
                raw = [(k, v) for k, v in given if k.decode("latin-1").lower() not in HEADERS]
                raw += [(k.encode(), (WEB_PREVIEW_POLICY if framed and
                                      k == "content-security-policy" else v).encode())
                        for k, v in HEADERS.items()]
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, secured)

    def refusal(self, method: str, headers: Headers) -> Response | None:
        if headers.get("host", "") not in self.hosts:
            return PlainTextResponse("This address is not the studio's own: open the address "
                                     "`handouts serve` printed.", status_code=400)
        if method not in SAFE_METHODS and headers.get("origin", "") not in self.origins:
            return PlainTextResponse("Refused: this request did not come from the studio's "
                                     "own pages.", status_code=403)
        return None


def with_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


def token(secret: str) -> str:
    """The CSRF token of this run of the studio (a new secret each start)."""
    return hmac.new(secret.encode(), b"handouts-studio-csrf", "sha256").hexdigest()


Endpoint = Callable[[Request], Awaitable[Response]]


def changes(endpoint: Endpoint) -> Endpoint:
    """An endpoint that changes something: it runs only with the studio's CSRF token, in the
    `X-CSRF-Token` header (the studio's script) or the `csrf_token` field (a posted form; the
    form is read once and kept by Starlette for the endpoint)."""

    @wraps(endpoint)
    async def guarded(request: Request) -> Response:
        expected = token(request.app.state.studio.secret)
        given = request.headers.get(TOKEN_HEADER)
        if given is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            field = (await request.form()).get(TOKEN_FIELD)
            given = field if isinstance(field, str) else None
        if given is None or not hmac.compare_digest(given, expected):
            return PlainTextResponse("Refused: this form has expired or did not come from the "
                                     "studio. Reload the page and try again.", status_code=403)
        return await endpoint(request)

    guarded.changes = True  # type: ignore[attr-defined]  # found by the tests on every route
    return guarded


def project_file(project: Path, relative: str) -> Path:
    """`relative` (as a URL gives it, with `/`) inside the project folder, or 404: no absolute
    path, no `..`, no backslash or NUL, and no symbolic link on the way (one could point out of
    the project, or be swapped for one later)."""
    parts = PurePosixPath(relative).parts
    if (not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative
            or any(part in ("..", ".") for part in parts)):
        raise HTTPException(404, "No such file in this project.")
    current = project
    for part in parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            continue  # a file about to be made: its folders were checked
        except OSError:
            raise HTTPException(404, "No such file in this project.") from None
        if stat.S_ISLNK(mode):
            raise HTTPException(404, "No such file in this project (a link is not followed).")
    return current
