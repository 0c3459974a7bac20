"""Every field of the sheet format is printed somewhere, or declared here as not printed.

`tests/data/sheets/every-field.yaml` gives each field a marker made of its own path; the
test walks the pydantic model (not the templates), so a field added to the format fails here
until a template prints it or it is declared below with the reason.
"""

from __future__ import annotations

import base64
import re
import types
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from generator.batch.build import build
from generator.options import BuildOptions
from generator.sheet.model import Sheet
from tests.conftest import DATA

EVERY_FIELD = DATA / "sheets" / "every-field.yaml"

# Fields that change what is printed without being printed themselves.
NOT_PRINTED = {
    "format": "the version of the format, read by the loader",
    "slug": "names the output files",
    "quiz[].shuffle": "decides the order of choices in quiz editions",
    "quiz[].pin_last": "keeps the last choice last in quiz editions",
    "sheet.reviewed": "printed by the web edition (\"Last reviewed\"), not the handouts",
    "translation_of.sheet": "links a translation to its source, for check and translate",
    "translation_of.source": "what the translation was made from, for check and translate",
    "quiz[].kahoot.question": "exported to Kahoot only (--format kahoot: test_quiz_exports)",
    "quiz[].kahoot.choices[]": "exported to Kahoot only (--format kahoot: test_quiz_exports)",
    "quiz[].kahoot.answer": "exported to Kahoot only (--format kahoot: test_quiz_exports)",
    "quiz[].kahoot.time": "exported to Kahoot only (--format kahoot: test_quiz_exports)",
    # the readers' reviews decide the logo and the credit line (tests/test_reviews.py prints
    # the checkers' names); the rest is the record of what was checked
    "easy_read.reviews[].date": "said by check when the text changed since",
    "easy_read.reviews[].readers": "the record of the session",
    "easy_read.reviews[].checkers[]": "named by the credit line (tests/test_reviews.py)",
    "easy_read.reviews[].notes": "the group's words, for the authors",
    "easy_read.reviews[].digest": "decides whether the logo is printed",
    "easy_read.reviews[].lines": "lets check name the lines changed since",
}

# Fields printed in another form than typed: what to look for instead of the marker.
PICTURES = EVERY_FIELD.parent / "pictograms"


def _embedded(name: str) -> str:
    """A picture as printed: its bytes, in a data: URI (each marker picture differs)."""
    data = (PICTURES / f"{name}.svg").read_bytes()
    return f"data:image/svg+xml;base64,{base64.b64encode(data).decode('ascii')}"


PRINTED_AS = {
    "lang": '<html lang="en">',
    "easy_read.picture": _embedded("Mkeasyreadpicture"),
    "easy_read.summary[].pictogram": _embedded("Mkeasyreadsummarypictogram"),
    "easy_read.key_points_pictogram": _embedded("Mkeasyreadkeypointspictogram"),
    "easy_read.logo": _embedded("Mkeasyreadlogo"),
    "sheet.date": "19 July 2031",
    "quiz[].points": "7 points",
    # the answer letter b names the second choice: the key prints it as the correct answer
    "quiz[].answer": re.compile(r'class="correct-answer">.*>B<.*Mkquizchoices bravo', re.S),
}


def _models(annotation) -> list[type[BaseModel]]:
    """The pydantic models inside a field's type (X, list[X], X | None…)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for argument in typing.get_args(annotation):
        found += _models(argument)
    return found


def leaf_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Dotted paths of every field that holds a value, lists written `name[]`."""
    paths = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        origin = typing.get_origin(annotation)
        is_list = origin is list or (
            origin in (typing.Union, types.UnionType)
            and any(typing.get_origin(a) is list for a in typing.get_args(annotation)))
        path = f"{prefix}{name}{'[]' if is_list else ''}"
        inner = _models(annotation)
        if inner:
            for sub in inner:
                paths += leaf_paths(sub, path + ".")
        else:
            paths.append(path)
    return paths


def marker(path: str) -> str:
    return "Mk" + re.sub(r"[^a-z]", "", path.lower())


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> str:
    """The HTML of every handout of the sheet, all editions' kinds included."""
    output = tmp_path_factory.mktemp("every-field")
    options = BuildOptions(fmt="html", versions=2, answer_sheet=True, pre_post=True)
    result = build([EVERY_FIELD], output, options)
    assert result.ok, [str(failure) for failure in result.failures]
    return "\n".join(path.read_text(encoding="utf-8")
                     for path in sorted(Path(output).rglob("*.html")))


def test_the_fixture_has_a_marker_for_every_field_not_declared():
    source = EVERY_FIELD.read_text(encoding="utf-8")
    yaml.safe_load(source)
    missing = [path for path in leaf_paths(Sheet)
               if path not in NOT_PRINTED and path not in PRINTED_AS
               and marker(path) not in source]
    assert not missing, (f"add these fields to {EVERY_FIELD.name} with their marker, or "
                         f"declare them in NOT_PRINTED: {missing}")


def test_declarations_name_real_fields():
    paths = set(leaf_paths(Sheet))
    assert set(NOT_PRINTED) <= paths
    assert set(PRINTED_AS) <= paths


@pytest.mark.parametrize("path", [p for p in leaf_paths(Sheet) if p not in NOT_PRINTED])
def test_every_field_is_printed(printed, path):
    expected = PRINTED_AS.get(path, marker(path))
    if isinstance(expected, re.Pattern):
        assert expected.search(printed), path
    else:
        assert expected in printed, f"{path} is validated but never printed"
