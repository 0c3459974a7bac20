"""The JSON Schema of the content format, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from typing import Any

from .model import FORMAT_VERSION, Sheet


def json_schema() -> dict[str, Any]:
    """The schema of format v1, from the model and its field descriptions."""
    schema = Sheet.model_json_schema()
    # The loader fills `slug` from the file name when it is left out.
    schema["required"] = [name for name in schema["required"] if name != "slug"]
    schema["properties"]["format"]["const"] = FORMAT_VERSION
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Resource analysis sheet (handouts content format v1)"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
