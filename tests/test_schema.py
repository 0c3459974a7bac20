"""The JSON Schema: every field described, and the repository's schema.json kept in sync."""

from generator.sheet.schema import json_schema, schema_text
from tests.conftest import ROOT


def test_repository_schema_is_up_to_date():
    assert (ROOT / "schema.json").read_text(encoding="utf-8") == schema_text(), (
        "schema.json is out of date: run `handouts schema > schema.json`"
    )


def test_every_field_has_a_description():
    schema = json_schema()
    objects = [schema, *schema["$defs"].values()]
    for obj in objects:
        for name, field in obj["properties"].items():
            assert field.get("description"), name


def test_slug_is_optional_and_format_is_one():
    schema = json_schema()
    assert "slug" not in schema["required"]
    assert {"format", "lang", "title", "sheet", "quiz", "easy_read"} <= set(schema["required"])
    assert schema["properties"]["format"]["const"] == 1
    assert schema["additionalProperties"] is False


def test_sample_sheets_point_editors_at_the_schema():
    first_line = (ROOT / "content" / "educational-alliances.yaml").read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema.json"
