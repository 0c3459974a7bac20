"""The studio speaks the sheet's language: every field of the format has its label and its
description in each locale file (a field added to the format fails here until it is
translated; the editor shows it meanwhile with the schema's English words), and counts are
said in each language's plural forms ("0 erreur", "2 errors")."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from starlette.testclient import TestClient

from generator import api
from generator.sheet.locales import BUILT_IN
from generator.studio.app import Studio, create_app
from generator.studio.common import counted
from generator.studio.security import token

LANGUAGES = ("en", "fr", "es")


def schema_paths() -> tuple[set[str], set[str]]:
    """Every field of the format by its path (`quiz.choices`), walked here from the JSON
    Schema; and the lists among them, whose items are named (`quiz.choices[]`)."""
    schema = api.schema()

    def resolved(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        real = [choice for choice in node.get("anyOf", ()) if choice.get("type") != "null"]
        return resolved(real[0]) if len(real) == 1 else node

    fields: set[str] = set()
    lists: set[str] = set()

    def walk(node: dict[str, Any], prefix: str) -> None:
        node = resolved(node)
        if node.get("type") == "array":
            walk(node.get("items", {}), prefix)
            return
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}.{name}" if prefix else name
            fields.add(path)
            if resolved(child).get("type") == "array":
                lists.add(path)
            walk(child, path)

    walk(schema, "")
    return fields, lists


def locale_table(code: str, table: str) -> dict[str, str]:
    with (BUILT_IN / f"{code}.toml").open("rb") as file:
        return tomllib.load(file).get(table, {})


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_field_has_a_label_and_a_description_in_each_language(code):
    fields, lists = schema_paths()
    assert {"title", "quiz.choices", "easy_read.summary.lines"} <= fields  # the walk works
    labels, descriptions = locale_table(code, "studio_fields"), locale_table(code, "studio_help")
    expected = fields | {f"{path}[]" for path in lists}
    assert sorted(expected - set(labels)) == [], "fields without a label"
    assert sorted(set(labels) - expected) == [], "labels of no field"
    assert sorted(fields - set(descriptions)) == [], "fields without a description"
    assert sorted(set(descriptions) - fields) == [], "descriptions of no field"
    assert all(text.strip() for text in [*labels.values(), *descriptions.values()])


def test_the_title_is_labelled_title_in_english():
    assert locale_table("en", "studio_fields")["title"] == "Title"
    assert locale_table("fr", "studio_fields")["title"] == "Titre"
    assert locale_table("es", "studio_fields")["title"] == "Título"


@pytest.mark.parametrize(("code", "count", "expected"), [
    ("en", 0, "0 errors"), ("en", 1, "1 error"), ("en", 2, "2 errors"),
    # French: 0 and 1 take the singular (CLDR's `one` is 0 ≤ n < 2)
    ("fr", 0, "0 erreur"), ("fr", 1, "1 erreur"), ("fr", 2, "2 erreurs"),
    ("es", 0, "0 errores"), ("es", 1, "1 error"), ("es", 11, "11 errores"),
])
def test_counts_are_said_in_the_languages_plural_forms(code, count, expected):
    assert counted(code, "editor_errors", count) == expected
    assert counted(code, "status_errors", count) == expected


def test_the_editors_summary_counts_in_the_pages_language(tmp_path):
    """The check the editor asks for answers with its summary in the page's language: one
    error and no warning, said in French as "1 erreur, 0 avertissement"."""
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    sheet = project / "content" / "tiny.yaml"
    sheet.write_text("format: 1\n", encoding="utf-8")
    studio = Studio(project, 8000)
    client = TestClient(create_app(studio), base_url="http://127.0.0.1:8000")
    headers = {"Origin": "http://127.0.0.1:8000", "X-CSRF-Token": token(studio.secret)}
    data = {"format": "1", "lang": "fr", "title": "Un titre"}
    report = client.post("/sheet/content/tiny.yaml/check", json={"data": data, "lang": "fr"},
                         headers=headers).json()
    errors, warnings = len(report["errors"]) + report["unlisted"], len(report["warnings"])
    assert errors >= 2 and warnings == 0  # a sheet with only a title misses its parts

    def french(count: int, one: str, many: str) -> str:
        return f"{count} {one if count < 2 else many}"

    assert report["summary"] == (f"{french(errors, 'erreur', 'erreurs')}, "
                                 f"{french(warnings, 'avertissement', 'avertissements')}")
    english = client.post("/sheet/content/tiny.yaml/check", json={"data": data},
                          headers=headers).json()
    assert english["summary"] == f"{errors} errors, 0 warnings"
