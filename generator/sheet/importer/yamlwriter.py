"""Writing the sheet as YAML by hand: the format's field order, every text double-quoted
with its escapes, and the import's comments at the fields they are about."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from .report import Missing, Path_


def quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON-style escapes, and every character YAML could read
    as a line break or refuse written as an escape."""
    out = []
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029\ufeff" \
                or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def comment_line(text: str) -> str:
    """One comment line: whatever the page said, it cannot end the comment."""
    flat = re.sub(r"[\r\n\x85\u2028\u2029\x00-\x1f\x7f-\x9f]+", " ", text)
    return "# " + flat.strip()


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"[a-f]", text):
        return text
    return quote(text)


def to_yaml(data: dict[str, Any], comments: dict[Path_, list[str]],
            header: Sequence[str] = ()) -> str:
    """The sheet as YAML in the format's field order, with the import's comments in place."""
    out: list[str] = [comment_line(line) for line in header]

    def notes(path: Path_, pad: str) -> list[str]:
        return [pad + comment_line(text) for text in comments.get(path, [])]

    def mapping(value: dict[str, Any], path: Path_, indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for key, item in value.items():
            here = (*path, key)
            lines += notes(here, pad)
            if isinstance(item, Missing):
                continue
            if isinstance(item, dict) and all(isinstance(v, Missing) for v in item.values()):
                lines += mapping(item, here, indent)  # only the comments of what is missing
            elif isinstance(item, dict):
                lines.append(f"{pad}{key}:")
                lines += mapping(item, here, indent + 2)
            elif isinstance(item, list):
                if not item:
                    continue
                lines.append(f"{pad}{key}:")
                lines += sequence(item, here, indent + 2)
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines

    def sequence(items: list[Any], path: Path_, indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        for index, item in enumerate(items):
            lines += notes((*path, index), pad)
            if isinstance(item, dict):
                body = mapping(item, (*path, index), indent + 2)
                first = next((i for i, text in enumerate(body)
                              if not text.lstrip().startswith("#")), None)
                if first is None:  # nothing found for this item: only comments, then {}
                    lines += [pad + text.lstrip() for text in body]
                    lines.append(pad + "- {}")
                    continue
                lines += [pad + text.lstrip() for text in body[:first]]
                lines.append(pad + "- " + body[first][indent + 2:])
                lines += body[first + 1:]
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return lines

    out += mapping(data, (), 0)
    return "\n".join(out) + "\n"

