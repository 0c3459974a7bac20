"""Write a sheet edited as data (the studio's form) back into its YAML text, keeping what the
author wrote: comments, key order, quoting and block styles stay wherever the value did not
change; a changed value keeps its old style; new fields go where the model puts them.

The data tree is the one the loader reads (`yamlsource.parse_yaml`: every value is text, a
list or a group of fields), so "changed" means: reads differently. ruamel.yaml (imported when a
sheet is saved) keeps the comments and the layout; the result is read back by the loader's own
parser and must give the data it was asked to write, or nothing is written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..defaults import DEFAULT_MAX_BYTES
from ..errors import HandoutsError
from .loader import _list_item, _unwrap_model
from .model import Sheet
from .yamlsource import parse_yaml

if TYPE_CHECKING:
    from ruamel.yaml import YAML

# The layouts tried, most common first: (mapping indent, sequence indent, dash offset). The
# first that gives the author's text back unchanged is the author's own.
LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0))
WIDTH = 4096  # never rewrap a line: the author's lines are kept as written
FOLD_AT = 88  # a changed folded text (`>-`) is wrapped at this many characters
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


class SheetChanged(HandoutsError):
    """The file changed on disk since the studio read it: saving would lose that change.
    The author chooses: reload the file, or keep the studio's version (overwrite)."""


class NotWritten(HandoutsError):
    """The sheet could not be written back (its text cannot be read, or it would be too
    big); the file on disk is untouched."""


def digest(data: bytes) -> str:
    """The SHA-256 of a sheet's bytes: what the studio saw when it loaded the sheet."""
    return hashlib.sha256(data).hexdigest()


def data_of(text: str, shown: str = "sheet") -> Any:
    """The sheet's data tree as the loader reads it (texts, lists, groups of fields), or
    NotWritten when the text cannot be read as YAML."""
    document, problems = parse_yaml(text, shown)
    if document is None:
        raise NotWritten("\n".join(str(problem) for problem in problems))
    return document.data


def apply(text: str, data: Any, *, shown: str = "sheet",
          max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """`text` changed to hold `data`: unchanged values keep their text, comments and place.
    The same data gives the same text back, byte for byte."""
    old = data_of(text, shown)
    if old == data:
        return text
    yaml, tree = _load(text, shown)
    if isinstance(tree, dict) and isinstance(old, dict) and isinstance(data, dict):
        _merge_map(tree, old, data, Sheet)
    else:  # not a group of fields (an invalid sheet): the new data replaces it
        tree = _build(data, Sheet)
    stream = io.StringIO()
    yaml.dump(tree, stream)
    result = stream.getvalue()
    size = len(result.encode("utf-8"))
    if size > max_bytes:
        raise NotWritten(f"{shown}: the sheet would be {size:,} bytes; a sheet may be at most "
                         f"{max_bytes:,}: shorten it; the file is untouched")
    _check_reads_back(result, data, shown)
    return result


def apply_bytes(raw: bytes, data: Any, *, shown: str = "sheet",
                max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """`apply` to a file's bytes, keeping how the file was saved: a UTF-8 byte order mark at
    its start, and Windows line ends (CRLF) when most of its lines had them. The same data
    gives the same bytes back. Raises UnicodeDecodeError when the bytes are not UTF-8."""
    bom = raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    crlf = text.count("\r\n") * 2 > text.count("\n")
    if text.strip() and data_of(text.replace("\r\n", "\n"), shown) == data:
        return raw
    result = saved_text(raw, data, shown=shown, max_bytes=max_bytes)
    if crlf:
        result = result.replace("\n", "\r\n")
    return (codecs.BOM_UTF8 if bom else b"") + result.encode("utf-8")


def saved_text(raw: bytes, data: Any, *, shown: str = "sheet",
               max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text `apply_bytes` writes into the file `raw` for `data`, without its byte order
    mark and with `\n` line ends: what the loader reads once it is saved, so a problem found
    in it is at the saved file's line and column. Raises UnicodeDecodeError when the bytes are
    not UTF-8."""
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    return apply(text, data, shown=shown, max_bytes=max_bytes) if text.strip() else \
        apply("format: 1\n", data, shown=shown, max_bytes=max_bytes)


def new_places(before: str, after: str) -> dict[tuple[int, int], tuple[str | int, ...]]:
    """The places (line, column) of the sheet text `after` where a field or list item starts
    that `before` (the file as saved) does not hold, each with the path of the outermost such
    field there: a problem found at one of them is at a field the file does not have yet, so
    its line means nothing in the file the author sees. Both texts must read as YAML."""
    old_document, _ = parse_yaml(before, "sheet")
    new_document, _ = parse_yaml(after, "sheet")
    if old_document is None or new_document is None:
        return {}
    known = {*old_document.positions, *old_document.key_positions}
    places: dict[tuple[int, int], list[tuple[str | int, ...]]] = {}
    for found in (new_document.positions, new_document.key_positions):
        for path, position in found.items():
            places.setdefault(position, []).append(path)
    return {position: min(paths, key=len) for position, paths in places.items()
            if not any(path in known for path in paths)}


def _check_reads_back(result: str, data: Any, shown: str) -> None:
    """The written text read by the loader's parser gives `data` (a value the parser refuses,
    such as a control character, is reported by the check and not compared)."""
    document, problems = parse_yaml(result, shown)
    if document is None or (not problems and document.data != data):
        raise NotWritten(f"{shown}: the sheet could not be written back faithfully (this is a "
                         "bug in handouts: please report it); the file is untouched")


def _load(text: str, shown: str) -> tuple[YAML, Any]:
    """ruamel.yaml set to the author's layout, and the text's tree."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    chosen: tuple[YAML, Any] | None = None
    for mapping, sequence, offset in LAYOUTS:
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.allow_duplicate_keys = True
        yaml.width = WIDTH
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        try:
            tree = yaml.load(text)
        except YAMLError as error:
            raise NotWritten(f"{shown}: the sheet cannot be read as YAML ({error}); the "
                             "file is untouched") from None
        chosen = chosen or (yaml, tree)
        stream = io.StringIO()
        yaml.dump(tree, stream)
        if stream.getvalue() == text:
            return yaml, tree
    assert chosen is not None
    return chosen


def _model_of(annotation: object) -> type[BaseModel] | None:
    return _unwrap_model(annotation)


def _field_model(model: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    """The model of a field's value, or of its list's items."""
    if model is None or key not in model.model_fields:
        return None
    annotation = model.model_fields[key].annotation
    return _model_of(_list_item(annotation)) or _model_of(annotation)


def _order(model: type[BaseModel] | None, keys: list[str]) -> list[str]:
    """`keys` in the model's field order; unknown ones after, as given."""
    fields = list(model.model_fields) if model else []
    return sorted(keys, key=lambda k: (fields.index(k), 0) if k in fields
                  else (len(fields), keys.index(k)))


def _merge(node: Any, old: Any, new: Any, model: type[BaseModel] | None) -> Any:
    """The node for `new` where `node` (read as `old`) stood."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if old == new:
        return node
    if isinstance(node, CommentedMap) and isinstance(old, dict) and isinstance(new, dict):
        _merge_map(node, old, new, model)
        return node
    if (isinstance(node, CommentedSeq) and isinstance(old, list) and isinstance(new, list)
            and len(node) == len(old)):
        _merge_list(node, old, new, model)
        return node
    if isinstance(new, str):
        return _styled(new, node)
    return _build(new, model)


def _merge_map(node: Any, old: dict[str, Any], new: dict[str, Any],
               model: type[BaseModel] | None) -> None:
    names = {str(key): key for key in node}
    for name in old:
        if name not in new and name in names:
            del node[names[name]]
    for name in _order(model, [name for name in new if name in old and name in names]):
        value = _merge(node[names[name]], old[name], new[name], _field_model(model, name))
        if value is not node[names[name]]:
            node[names[name]] = value
    fields = _order(model, list(new))
    for name in fields:
        if name in old and name in names:
            continue
        # after the nearest field before it (in the model's order) that the text holds
        before = [str(key) for key in node]
        place = 0
        for earlier in fields[:fields.index(name)]:
            if earlier in before:
                place = before.index(earlier) + 1
        node.insert(place, name, _build(new[name], _field_model(model, name)))


def _merge_list(node: Any, old: list[Any], new: list[Any],
                model: type[BaseModel] | None) -> None:
    """Items matched by content, so that a deleted or moved item takes its own text, quotes
    and comments with it; the items left over are paired in order (an item edited in place
    keeps its style); what remains is new, or deleted."""
    def key(item: Any) -> str:
        return json.dumps(item, sort_keys=True, ensure_ascii=False)

    old_keys = [key(item) for item in old]
    source: list[int | None] = [None] * len(new)
    unused = list(range(len(old)))
    for j, item in enumerate(new):
        wanted = key(item)
        same = [i for i in unused if old_keys[i] == wanted]
        if same:
            chosen = j if j in same else same[0]
            source[j] = chosen
            unused.remove(chosen)
    left = iter(unused)
    for j in range(len(new)):
        if source[j] is None:
            source[j] = next(left, None)
    # the comment lines above each item belong to it (ruamel.yaml keeps them at the end of
    # the item before, or before the list for the first): taken off here, put back above it
    above = [_take_above(node, i) for i in range(len(old) + 1)]
    nodes = []
    for j, i in enumerate(source):
        nodes.append(_build(new[j], model) if i is None else _merge(node[i], old[i], new[j], model))
    comments = dict(node.ca.items)
    list.clear(node)
    list.extend(node, nodes)
    node.ca.items.clear()
    for j, i in enumerate(source):
        if i is not None and i in comments:
            node.ca.items[j] = comments[i]
    kept = [above[i] if i is not None else "" for i in source] + [above[len(old)]]
    for j, lines in enumerate(kept):
        if lines:
            _put_above(node, j, lines)


def _end(value: Any) -> Any:
    """The comment token at the very end of a group or list value (None when it has none):
    ruamel.yaml keeps there the line end of its last line and the comment lines below it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, CommentedMap) and len(value):
        last = list(value)[-1]
        slot = value.ca.items.get(last)
        return _end(value[last]) or (slot[2] if slot and len(slot) > 2 else None)
    if isinstance(value, CommentedSeq) and len(value):
        return _tail(value, len(value) - 1)
    return None


def _tail(node: Any, index: int) -> Any:
    """The comment token after item `index` of a list (its line's end, then the comment
    lines below it)."""
    slot = node.ca.items.get(index)
    return _end(node[index]) or (slot[0] if slot else None)


def _take_above(node: Any, index: int) -> str:
    """The comment lines just above item `index` (the end of the list: after its last item),
    taken off the list."""
    if index == 0:
        start = node.ca.comment[1] if node.ca.comment and len(node.ca.comment) > 1 else None
        if not start:
            return ""
        lines = "".join(" " * token.column + token.value  # its indent, kept as text
                        if not token.value.startswith(" ") else token.value for token in start)
        if "#" not in lines:
            return ""
        start.clear()  # shared with the key above the list, which writes it otherwise
        return lines
    token = _tail(node, index - 1)
    if token is None or "\n" not in token.value:
        return ""
    own, below = str(token.value).split("\n", 1)
    if "#" not in below:
        return ""
    token.value = own + "\n"
    return below


def _put_above(node: Any, index: int, lines: str) -> None:
    """Comment `lines` written above item `index` (or after the last item)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if index == 0:
        start = node.ca.comment[1] if node.ca.comment and len(node.ca.comment) > 1 else None
        if start is None:
            node.ca.comment = [None, []]
            start = node.ca.comment[1]
        start.append(CommentToken(lines, CommentMark(0), None))
        return
    token = _tail(node, index - 1)
    if token is not None:
        token.value = token.value.rstrip("\n") + "\n" + lines
        return
    from ruamel.yaml.comments import CommentedMap

    item = node[index - 1]
    fresh = CommentToken("\n" + lines, CommentMark(0), None)
    if isinstance(item, CommentedMap) and len(item):
        item.ca.items.setdefault(list(item)[-1], [None, None, None, None])[2] = fresh
    else:
        node.ca.items.setdefault(index - 1, [None, None, None, None])[0] = fresh


def _build(value: Any, model: type[BaseModel] | None) -> Any:
    """A new value as ruamel writes it: groups in the model's order, texts plain when they
    read back the same."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        built = CommentedMap()
        for name in _order(model, [str(k) for k in value]):
            built[name] = _build(value[name], _field_model(model, name))
        return built
    if isinstance(value, list):
        return CommentedSeq(_build(item, model) for item in value)
    if isinstance(value, str):
        return _styled(value, None)
    return value


def _plain(text: str) -> Any:
    """A value ruamel writes without quotes and the loader reads back as `text` (the loader
    reads every value as text): a whole number, a date, true/false; else the text."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    if len(text) == 10:
        try:
            if dt.date.fromisoformat(text).isoformat() == text:
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return text


def _styled(text: str, like: Any) -> Any:
    """`text` written in the style of the value it replaces (quotes, `|`, `>`)."""
    from ruamel.yaml.scalarstring import (
        FoldedScalarString,
        LiteralScalarString,
        ScalarString,
    )

    if isinstance(like, FoldedScalarString):
        folded = FoldedScalarString(text)
        folded.fold_pos = _folds(text, like)  # type: ignore[attr-defined]
        return folded
    if isinstance(like, ScalarString) and not (type(like) is not LiteralScalarString
                                                and "\n" in text):
        return type(like)(text)
    if "\n" in text:
        return LiteralScalarString(text)
    return _plain(text)


def _folds(text: str, like: Any) -> list[int]:
    """Where a folded text breaks its lines: where the old text broke them before and after
    the change; in between, at a single space once a line is FOLD_AT long."""
    old_folds = list(getattr(like, "fold_pos", []) or [])
    same = 0
    while same < min(len(text), len(like)) and text[same] == like[same]:
        same += 1
    tail = 0
    while (tail < min(len(text), len(like)) - same
           and text[len(text) - 1 - tail] == like[len(like) - 1 - tail]):
        tail += 1
    shift = len(text) - len(like)
    before = [fold for fold in old_folds if fold < same]
    after = [fold + shift for fold in old_folds if fold >= len(like) - tail]
    folds = list(before)
    start = before[-1] + 1 if before else 0
    end = after[0] if after else len(text)
    for index in range(start, end):
        char = text[index]
        if char == "\n":
            start = index + 1
        elif (char == " " and index - start >= FOLD_AT and index > 0
              and text[index - 1] not in " \n" and text[index + 1:index + 2] not in ("", " ")):
            folds.append(index)
            start = index + 1
    return folds + after
