"""What every part of the studio shares (`app` builds the application from the parts; the parts
import this, never `app`, so that no module imports itself back): the run of the studio and
its pages, rendered from the templates that travel inside the package."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .security import token

HERE = Path(__file__).resolve().parent


@dataclass
class Studio:
    """One run of the studio: the project folder it may read and write (resolved), where it
    listens, and the secret its CSRF tokens come from (new at each start)."""

    project: Path
    port: int = 8000
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def page(request: Request, template: str, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """A studio page: its template with the CSRF token every form and script needs."""
    studio: Studio = request.app.state.studio
    html = _templates.get_template(template).render(
        request=request, csrf_token=token(studio.secret), **context)
    return HTMLResponse(html, status_code=status_code)
