"""How a reader moves between the sheets of the site: the translations of a sheet (linked
both ways, from `translation_of`), the sheets related to it by shared tags, and the small
search index the home page's search box reads (a script of data, loaded like any other: the
pages' Content-Security-Policy allows no request and no inline script)."""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..view.translations import translation_target

if TYPE_CHECKING:
    from .websheet import WebSheet

RELATED = 3  # at most this many related sheets under a sheet
SEARCH_INDEX = "assets/search-index.js"


def translations(sheets: list[WebSheet]) -> dict[str, list[WebSheet]]:
    """A sheet's folder → the other sheets of its family (the original and every sheet that
    names it in `translation_of`), in the order of `sheets`. A link to a sheet not in the
    site, to itself or to one in the same language is left out (`check` says why)."""
    by_file = {sheet.file.resolve(): sheet for sheet in sheets if sheet.file is not None}
    families: dict[str, list[WebSheet]] = {}
    for sheet in sheets:
        link = sheet.data.translation_of if sheet.data is not None else None
        if link is None or sheet.file is None:
            continue
        original = by_file.get(translation_target(sheet.file, link.sheet))
        if original is None or original is sheet or original.view.lang == sheet.view.lang:
            continue
        families.setdefault(original.folder, [original]).append(sheet)
    found: dict[str, list[WebSheet]] = {}
    for family in families.values():
        members = {id(member) for member in family}
        for sheet in family:
            found[sheet.folder] = [other for other in sheets if id(other) in members
                                   and other is not sheet and other.view.lang != sheet.view.lang]
    return found


def related_sheets(sheets: list[WebSheet], family: dict[str, list[WebSheet]]
                   ) -> dict[str, list[WebSheet]]:
    """A sheet's folder → up to RELATED other sheets that share the most tags with it (its
    own translations aside: the language switcher links them), newest first among equals."""
    related: dict[str, list[WebSheet]] = {}
    for sheet in sheets:
        own = {tag_key(tag.name) for tag in sheet.tags}
        if not own:
            continue
        translated = {id(other) for other in family.get(sheet.folder, [])}
        scored = [(len(own & {tag_key(tag.name) for tag in other.tags}), index, other)
                  for index, other in enumerate(sheets)
                  if other is not sheet and id(other) not in translated]
        best = sorted((item for item in scored if item[0]), key=lambda item: (-item[0], item[1]))
        if best:
            related[sheet.folder] = [other for _, _, other in best[:RELATED]]
    return related


def tag_key(name: str) -> str:
    """A tag as compared between sheets: "Health literacy" and "#HealthLiteracy" are one."""
    return "".join(c for c in folded(name) if c.isalnum())


def folded(text: str) -> str:
    """Lower case, without accents, `#` or spaces inside words kept: what a query and the
    index are compared as ("Santé mentale" and "#SanteMentale" both reach the tag)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_index(sheets: list[WebSheet]) -> bytes:
    """The search box's data: each sheet's title, highlights, tags, language and address
    (from the site's root), as a script that gives it to the site's script."""
    entries = [{
        "title": Markup(sheet.view.title).striptags(),
        "highlights": [Markup(line).striptags() for line in sheet.view.highlights],
        "tags": [tag.name for tag in sheet.tags],
        "lang": sheet.view.lang,
        "href": sheet.folder + "index.html",
        "text": folded(" ".join([Markup(sheet.view.title).striptags(),
                                 *(Markup(line).striptags() for line in sheet.view.highlights),
                                 *(tag.name for tag in sheet.tags),
                                 *("".join(tag.name.split()) for tag in sheet.tags)])),
    } for sheet in sheets]
    data = json.dumps(entries, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    # `</` never appears in it: ensure_ascii keeps it JSON, and "<" is escaped below
    data = data.replace("<", "\\u003c")
    return (b"/* The search index of the site, made by handouts. */\n"
            b"window.handoutsSearch = " + data.encode("ascii") + b";\n")
