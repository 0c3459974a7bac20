"""Read a sheet file and validate it, reporting every problem at its line, all at once."""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..defaults import DEFAULT_MAX_BYTES
from ..errors import MAX_PROBLEMS_LISTED, Problem, SheetError
from ..paths import ReadRefused, bounded_bytes, display, printable_name
from .model import FORMAT_VERSION, Sheet, slug_problem
from .yamlsource import YamlDocument, dotted_path, parse_yaml, shown_name

# pydantic's error types reworded for people who write YAML by hand.
_MESSAGES = {
    "missing": "this required field is missing: add `{field}: …`",
    "string_type": "should be a text, not a list or a group of fields",
    "list_type": "should be a list: put each item on its own line starting with '- '",
    "model_type": "should be a group of fields, each on its own line, indented under this one",
    "model_attributes_type": "should be a group of fields, each on its own line, indented "
    "under this one",
    "dict_type": "should be a group of fields, each on its own line, indented under this one",
    "string_too_short": "is empty: write the text, or delete the line if the field is optional",
    "string_too_long": "has {length:,} characters; at most {max_length:,} are allowed here: "
    "shorten it, or split it",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has {actual_length} items; at most {max_length} are allowed",
    "int_parsing": "should be a whole number",
    "int_type": "should be a whole number",
    "literal_error": "should be one of: {expected}",
    "date_from_datetime_parsing": "'{input}' is not a real date: write it as YYYY-MM-DD, "
    "like 2026-02-23",
    "date_parsing": "'{input}' is not a real date: write it as YYYY-MM-DD, like 2026-02-23",
    "date_type": "should be a date written YYYY-MM-DD, like 2026-02-23",
}


def _too_big(shown: str, size: int, max_bytes: int) -> SheetError:
    return SheetError([Problem(
        shown, None, None, "",
        f"the file is {size:,} bytes; a sheet may be at most {max_bytes:,}: is it the "
        "right file?")])


def _read_text(file: Path, shown: str, max_bytes: int, data: bytes | None = None) -> str:
    """The sheet's text, read by the `paths` rules (a FIFO or a device is refused, never read;
    the size is checked on what is read, not only on what stat says); or `data`, the bytes a
    build already read this way (and fingerprinted)."""
    if data is not None:
        if len(data) > max_bytes:
            raise _too_big(shown, len(data), max_bytes)
        return _decode(data, shown)
    try:
        data = bounded_bytes(file, max_bytes, "a sheet file")
    except ReadRefused as refused:
        if refused.size is not None:
            raise _too_big(shown, refused.size, max_bytes) from None
        raise SheetError([Problem(shown, None, None, "", refused.reason)]) from None
    return _decode(data, shown)


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SheetError([Problem(
            shown, line, column, "",
            f"byte 0x{data[error.start]:02X} is not UTF-8 text: save the file again with the "
            "UTF-8 encoding (most editors offer it in 'Save as')",
        )]) from None


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that sits at a pydantic error location, to suggest field names."""
    current: object = Sheet
    for part in loc:
        model = _unwrap_model(current)
        if model is None:
            return None
        if isinstance(part, int):
            current = _list_item(current)
        elif part in model.model_fields:
            current = model.model_fields[part].annotation
        else:
            return None
    return _unwrap_model(current)


def _unwrap_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap_model(arg)
        if found:
            return found
    return None


def _list_item(annotation: object) -> object:
    for arg in typing.get_args(annotation) or ():
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    return annotation


# "Did you mean" lookups (difflib) per sheet: as many as problems are listed. A name longer
# than MAX_SUGGESTED_NAME is close to no field (the longest has 24 characters, and difflib's
# cutoff of 0.6 needs the lengths within a factor of 2.3): it is not compared.
MAX_SUGGESTIONS = MAX_PROBLEMS_LISTED
MAX_SUGGESTED_NAME = 60


class _Suggestions:
    """The field an unknown name was meant to be, looked up once per name and place, at
    most MAX_SUGGESTIONS times per sheet: a sheet of 20,000 unknown fields costs 20
    lookups, not 40,000."""

    def __init__(self) -> None:
        self.lookups = 0
        self._found: dict[tuple[str | int, ...], str | None] = {}

    def closest(self, loc: tuple[str | int, ...]) -> str | None:
        if loc in self._found:
            return self._found[loc]
        parent = _model_at(loc[:-1])
        name = str(loc[-1])
        found = None
        if parent and len(name) <= MAX_SUGGESTED_NAME and self.lookups < MAX_SUGGESTIONS:
            self.lookups += 1
            close = difflib.get_close_matches(name, list(parent.model_fields), n=1, cutoff=0.6)
            found = close[0] if close else None
        self._found[loc] = found
        return found


def _typos_first(errors: list[ErrorDetails], suggestions: _Suggestions) -> list[ErrorDetails]:
    """Drop "`question` is missing" when the same mapping has a `qestion` typo: one mistake,
    one message."""
    typos = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            match = suggestions.closest(loc)
            if match:
                typos.add((*loc[:-1], match))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in typos)]


def _problem_from(error: ErrorDetails, document: YamlDocument, shown: str,
                  suggestions: _Suggestions) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    field_name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        allowed = list(parent.model_fields) if parent else []
        close = suggestions.closest(loc)
        hint = f"did you mean `{close}`?" if close else (
            "the fields allowed here are " + ", ".join(f"`{name}`" for name in allowed))
        message = f"unknown field `{shown_name(field_name)}`: {hint}"
        line, column = document.locate(loc, key=True) or (None, None)
        return Problem(shown, line, column, dotted_path(loc), message)
    if kind == "missing":
        line, column = document.locate(loc[:-1], key=True) or (None, None)
        message = _MESSAGES["missing"].format(field=field_name)
        if loc == ("format",):  # the one field whose value is known in advance
            message = message.replace("`format: …`", f"`format: {FORMAT_VERSION}`")
        return Problem(shown, line, column, dotted_path(loc), message)
    context = dict(error.get("ctx") or {})
    context.setdefault("input", error.get("input"))
    if isinstance(error.get("input"), str):
        context.setdefault("length", len(error["input"]))
    template = _MESSAGES.get(kind)
    if kind in _GROUP_TYPES:
        template = (template or "") + _fields_expected(_model_at(loc))
    if template is None:
        message = error["msg"]
    else:
        try:
            message = template.format(**context)
        except (KeyError, IndexError):
            message = error["msg"]
    line, column = document.locate(loc) or (None, None)
    return Problem(shown, line, column, dotted_path(loc), message)


_GROUP_TYPES = {"model_type", "model_attributes_type", "dict_type"}


def _fields_expected(model: type[BaseModel] | None) -> str:
    """What to write instead of a plain value where a group of fields belongs: its required
    fields (or its first ones), as a person would type them."""
    if model is None:
        return ""
    fields = model.model_fields
    names = [name for name, field in fields.items() if field.is_required()] or list(fields)[:2]
    return ", like " + " and ".join(f"`{name}: …`" for name in names[:3])


@dataclass(frozen=True)
class LoadedSheet:
    """A valid sheet with where each of its values stands in the file (for later warnings)."""

    sheet: Sheet
    document: YamlDocument
    shown: str
    file: Path | None = None  # where it was read: what `translation_of.sheet` is relative to


def sheet_inputs(sheet: Sheet) -> list[tuple[Path, str]]:
    """The pictures a sheet prints, as (path, SHA-256 of the bytes read and printed), once
    each: what an incremental fingerprint must cover, hashed from the very bytes rendered,
    never from the file as it may be later."""
    seen: dict[Path, str] = {}
    for path in sheet.easy_read.picture_files():
        picture = sheet.picture(path)
        if picture is not None:
            seen.setdefault(picture.path, picture.digest)
    return list(seen.items())


def load_sheet(file: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Sheet:
    """Read, parse and validate one sheet; raise SheetError listing every problem found."""
    return load(file, max_bytes=max_bytes).sheet


def load(file: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES,
         data: bytes | None = None) -> LoadedSheet:
    """`load_sheet`, keeping the positions of the values in the file. `data`: the file's
    bytes when the caller has already read them (they are not read again)."""
    file = Path(file)
    shown = display(file)
    text = _read_text(file, shown, max_bytes, data)
    document, problems = parse_yaml(text, shown)
    if document is None:
        raise SheetError(problems)
    fields = document.data
    if not isinstance(fields, dict):
        line, column = document.locate(()) or (1, 1)
        raise SheetError([Problem(shown, line, column, "", "a sheet is a group of fields "
                                  "(`format: 1`, `lang: en`, `title: …`), not a list or a "
                                  "single value")])
    if fields.get("slug") is None:
        if slug_problem(file.stem) is None:
            fields["slug"] = file.stem
        else:
            name = printable_name(file.stem)
            problems.append(Problem(shown, 1, 1, "slug", f"the file name '{name}' cannot "
                                    f"be used for output files ({slug_problem(file.stem)}): add "
                                    "`slug: a-short-name` or rename the file"))
    try:
        sheet = Sheet.model_validate(fields, context={"folder": file.parent})
    except ValidationError as error:
        # in the file's order, so that the lookups go to the problems listed first
        errors = sorted(error.errors(), key=lambda e: document.locate(
            tuple(e["loc"]), key=e["type"] == "extra_forbidden") or (0, 0))
        suggestions = _Suggestions()
        problems.extend(_problem_from(e, document, shown, suggestions)
                        for e in _typos_first(errors, suggestions))
        sheet = None
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise SheetError(problems)
    assert sheet is not None
    return LoadedSheet(sheet, document, shown, file)
