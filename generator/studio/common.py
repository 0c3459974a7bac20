"""What every part of the studio shares (`pages`, `editor`, `preview` import it; `app`
assembles them, so they cannot import `app` without a cycle): the run of the studio, its
language and words, and its pages rendered from templates with the CSRF token."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import api
from ..errors import HandoutsError
from ..paths import display
from ..sheet import locales
from ..sheet.yamlsource import shown_name
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


def relative(studio: Studio, text: str) -> str:
    """A message as the studio shows it: its files named from the project folder
    (`content/x.yaml:3`), however `handouts serve` was started (the API names them from the
    current folder: absolute, `../project/…` or `project/…`)."""
    forms = {str(studio.project), display(studio.project)}
    with contextlib.suppress(ValueError):  # another drive, on Windows
        forms.add(os.path.relpath(studio.project))
    forms.discard(".")
    for form in sorted(forms, key=len, reverse=True):
        text = re.sub(r"(?<![\w.~/-])" + re.escape(form + os.sep), "", text)
    return text


def shown(request: Request, text: str) -> str:
    """`relative` for the studio serving `request`."""
    return relative(request.app.state.studio, text)


_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def language(studio: Studio) -> str:
    """The studio's language: the project's [build] language, else English (also when the
    settings cannot be read: the settings page says why)."""
    try:
        settings = api.settings(studio.project)
    except HandoutsError:
        return "en"
    chosen = settings.get("build", "language") if settings else None
    return chosen if chosen in locales.codes() else "en"


def _locale(lang: str) -> locales.Locale:
    return locales.get(lang if lang in locales.codes() else "en")


def words(lang: str) -> dict[str, str]:
    """The studio's words (`[studio]` of the locale files) in `lang`, English where the
    language has none (a word with plural forms: its `other` form; `counted` chooses)."""
    english, own = locales.get("en"), _locale(lang)
    return {**{key: english.form(value) for key, value in english.studio.items()},
            **{key: own.form(value) for key, value in own.studio.items()}}


def counted(lang: str, key: str, count: int) -> str:
    """A studio word that says a number, in the plural form the language uses for it
    ("0 erreur", "2 erreurs"; Babel's CLDR rules through the locale)."""
    own = _locale(lang)
    value = own.studio.get(key, locales.get("en").studio[key])
    return own.form(value, count).replace("{count}", str(count))


def field_words(lang: str) -> dict[str, dict[str, str]]:
    """The editor's label and description of each field of the format, by its path
    (`quiz.choices`; `quiz.choices[]` names one item), in `lang`: the locale's
    `[studio_fields]` and `[studio_help]`. A field a locale lacks is not here: the editor
    then shows the schema's own (English) title and description."""
    own = _locale(lang)
    return {path: {"label": label, **({"description": own.studio_help[path]}
                                      if path in own.studio_help else {})}
            for path, label in own.studio_fields.items()}


def place_words(lang: str, path: tuple[str | int, ...]) -> str:
    """A field's place as the editor's form names it, in `lang` ("Multiple-choice quiz,
    Question 3, Choices"; an item by its label and number, a choice by its letter as the form
    shows it: "Multiple-choice quiz, Question 3, Choice b", the list's own label said only for
    the sheet's parts): said for a problem at a field the file does not hold yet, where a line
    would point at nothing the author can find. A field without a label is named as written."""
    labels = {path_: said["label"] for path_, said in field_words("en").items()}
    labels.update({path_: said["label"] for path_, said in field_words(lang).items()})
    parts: list[str] = []
    names: list[str] = []
    for part in path:
        if isinstance(part, int):
            owner = ".".join(names)
            one = labels.get(owner + "[]", labels.get(owner, owner)) or "item"
            if len(names) > 1 and parts:  # "Choice b", not "Choices, Choice b"
                parts.pop()
            parts.append(f"{one} {chr(97 + part) if names[-1:] == ['choices'] else part + 1}")
        else:
            names.append(part)
            parts.append(labels.get(".".join(names), shown_name(part)))
    return ", ".join(parts)


def page(request: Request, template: str, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """A studio page: its template with the CSRF token every form and script needs, and the
    studio's words (`t`) in its language (`lang`)."""
    studio: Studio = request.app.state.studio
    context.setdefault("lang", language(studio))
    context.setdefault("t", words(context["lang"]))
    context.setdefault("counted", lambda key, count: counted(context["lang"], key, count))
    html = _templates.get_template(template).render(
        request=request, csrf_token=token(studio.secret), **context)
    return HTMLResponse(html, status_code=status_code)
