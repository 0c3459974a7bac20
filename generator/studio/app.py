"""The studio's web application: the project it serves, its guard, and its parts (`pages`: home,
new, import, settings; `editor`: a sheet's form; `preview`: its handouts as pictures), each a
list of routes; templates and static files travel inside the package. What the parts share
(`Studio`, `page`, the studio's words) is in `common`, and named here too."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from .common import HERE, Studio, language, page, words
from .security import Guard

__all__ = ["Studio", "create_app", "language", "page", "words"]


def create_app(studio: Studio) -> Starlette:
    """The studio for one project: every part's routes behind the guard."""
    from . import editor, pages, preview

    # the preview's routes first: the editor's `/sheet/{path:path}` would take theirs
    routes: list[BaseRoute] = [*pages.routes(), *preview.routes(), *editor.routes(),
                               Mount("/static", StaticFiles(directory=HERE / "static"),
                                     name="static")]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, port=studio.port)])
    app.state.studio = studio
    return app
