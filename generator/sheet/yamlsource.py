"""Read YAML into plain data while remembering where every value came from.

PyYAML's own loaders lose line numbers, silently keep the last of two duplicate keys, turn
`no` into False and `2026-02-30` into a traceback. Here every scalar stays text (the model
decides what a number or a date is), duplicate keys, anchors and aliases are mistakes, and
every problem carries its line and column. Whatever would cost work out of proportion (deep
nesting, long lists, wide groups, too many values) is refused while reading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from ..errors import Problem

Path = tuple[str | int, ...]
Position = tuple[int, int]

MAX_DEPTH = 40
MAX_LIST_ITEMS = 1_000  # no list of a sheet may hold more (the model's limits are lower)
# No group of fields may hold more: the largest of the format, the sheet's own top level, has
# 19 (tests/test_yamlsource.py keeps this ten times above the largest model).
MAX_MAPPING_KEYS = 200
# Values (fields, list items, texts) in the whole file: a sheet at every limit of the format
# holds 7,259; 20,000 are composed in about half a second, where 200,000 took 8.5 s.
MAX_VALUES = 20_000
MAX_SHOWN_NAME = 60  # characters of a field name quoted in a message (the longest is 24)
MAX_COMBINING_MARKS = 4  # in a row: real scripts stack 1 to 3; hundreds overprint lines
# Characters that can make text display differently from what it is (bidi embeddings,
# overrides and isolates: "Trojan Source"); the marks U+200E and U+200F stay allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# The 66 non-characters: U+FDD0-U+FDEF and the last two code points of every plane (U+FFFE,
# U+FFFF … U+10FFFF). They are not text; U+FFFE and U+FFFF cannot be written in XML at all
# (a title holding one made the web edition's feed.xml unreadable).
NON_CHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
# After YAML's escapes are decoded (`"\e"`, `"\x07"`, `"\u009b"`, `"\uffff"`), any control
# character, surrogate, non-character or bidi control is refused; tab and line break are
# text. What remains is a character XML 1.0 can hold.
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
                      f"\u202a-\u202e\u2066-\u2069{NON_CHARACTERS}]")
_MARK_RUN = re.compile(f"[\u0300-\U000e01ef]{{{MAX_COMBINING_MARKS + 1},}}")
NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"
# The tags plain YAML gives values by itself; any other (`!custom`, `!!python/object`,
# `!!binary`, `!!set`…) is refused, whatever its prefix.
PLAIN_TAGS = frozenset(STANDARD_TAG_PREFIX + name for name in
                       ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))


@dataclass
class YamlDocument:
    """Plain data (dicts, lists, strings, None) and the position of each value and key."""

    data: object
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> Position | None:
        """Position of `path`, or of its nearest ancestor that exists in the file."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None
            path = path[:-1]


class _Refused(Exception):
    """What the reader stopped at, and why: the one problem reported for the file."""

    def __init__(self, mark: yaml.Mark | None, message: str):
        self.mark = mark
        self.message = message


_ALIAS = "YAML aliases (*name) are not accepted in sheets: write the text out in full"
_TOO_DEEP = (f"the sheet is nested more than {MAX_DEPTH} levels deep: a sheet needs at most 4; "
            "check the indentation")
_TOO_LONG = (f"this list has more than {MAX_LIST_ITEMS:,} items; no list of a sheet may have "
            "that many (a quiz at most 100 questions): split the sheet")
_TOO_WIDE = (f"this group has more than {MAX_MAPPING_KEYS} fields; no group of a sheet has "
            "more than 20: is it the right file, and is each field indented under the right "
            "one?")
_TOO_MANY = (f"the sheet holds more than {MAX_VALUES:,} values (fields, list items and texts) "
            "by here, far more than the format allows: is it the right file?")


class _Loader(yaml.SafeLoader):
    """Composer only: scalars resolve to text or null; aliases, deep nesting, long lists,
    wide groups and too many values are refused while reading, before the work they cost.
    Anchors are noted, to be reported with the other problems."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012 - PyYAML's class-level registry

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._values = 0
        self.anchor_marks: list[tuple[str, yaml.Mark]] = []

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if self.check_event(yaml.AliasEvent):
            raise _Refused(event.start_mark, _ALIAS)
        self._values += 1
        if self._values > MAX_VALUES:
            raise _Refused(event.start_mark, _TOO_MANY)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.anchor_marks.append((anchor, event.start_mark))
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, _TOO_DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: object) -> yaml.MappingNode:
        """PyYAML's, stopping at the first field over MAX_MAPPING_KEYS: a 90,000-field group
        is refused after reading 200 of them."""
        start_event = self.get_event()
        tag = start_event.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.MappingNode, None, start_event.implicit)
        node = yaml.MappingNode(tag, [], start_event.start_mark, None,
                                flow_style=start_event.flow_style)
        while not self.check_event(yaml.MappingEndEvent):
            if len(node.value) >= MAX_MAPPING_KEYS:
                raise _Refused(start_event.start_mark, _TOO_WIDE)
            key = self.compose_node(node, None)  # type: ignore[arg-type] # PyYAML's own call
            value = self.compose_node(node, key)  # type: ignore[arg-type]
            node.value.append((key, value))
        node.end_mark = self.get_event().end_mark
        return node

    def compose_sequence_node(self, anchor: object) -> yaml.SequenceNode:
        """PyYAML's, stopping at the first item over MAX_LIST_ITEMS: a 10,000-question sheet
        is refused after reading a tenth of it."""
        start_event = self.get_event()
        tag = start_event.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.SequenceNode, None, start_event.implicit)
        node = yaml.SequenceNode(tag, [], start_event.start_mark, None,
                                 flow_style=start_event.flow_style)
        index = 0
        while not self.check_event(yaml.SequenceEndEvent):
            if index >= MAX_LIST_ITEMS:
                raise _Refused(start_event.start_mark, _TOO_LONG)
            node.value.append(self.compose_node(node, index))
            index += 1
        node.end_mark = self.get_event().end_mark
        return node


_Loader.add_implicit_resolver(
    NULL_TAG, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _problem(file: str, mark: yaml.Mark | None, message: str, path: str = "") -> Problem:
    if mark is None:
        return Problem(file, None, None, path, message)
    return Problem(file, mark.line + 1, mark.column + 1, path, message)


def _tab_problems(text: str, file: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                Problem(
                    file,
                    number,
                    indent.index("\t") + 1,
                    "",
                    "a tab is used to indent this line; YAML only accepts spaces: "
                    "replace the tab with spaces, lined up with the lines above",
                )
            )
    return problems


_OPENING_QUOTE = re.compile(r'(?:^|:\s|-\s)\s*"')


def _unclosed_quote_line(text: str, before_line: int) -> int | None:
    """The line (1-based) of a double-quoted value opened and not closed on its own line.

    PyYAML reads such a value on until the next quote, then trips lines later; people need
    to be sent to where the quote was opened.
    """
    lines = text.splitlines()
    for number in range(min(before_line, len(lines)), 0, -1):
        line = lines[number - 1]
        if line.lstrip().startswith("#"):
            continue
        if _OPENING_QUOTE.search(line) and line.replace('\\"', "").count('"') % 2 == 1:
            return number
    return None


def _syntax_problem(error: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    """Reword PyYAML's parser messages for people who have never heard of a 'token'."""
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark
    if mark is not None and "quoted scalar" not in context:
        opened = _unclosed_quote_line(text, mark.line + 1)
        if opened is not None:
            column = text.splitlines()[opened - 1].index('"') + 1
            return Problem(file, opened, column, "", "this quoted text is never closed: add "
                           "the closing quote \" at the end of the text")
    if "found unexpected end of stream" in problem and "quoted scalar" in context:
        return _problem(
            file,
            error.context_mark,
            "this quoted text is never closed: add the closing quote at the end of the text",
        )
    if "quoted scalar" in context:
        return _problem(
            file,
            error.context_mark,
            "this quoted text is not closed on the right line: check that the text ends "
            "with the same kind of quote it starts with, and put \\\" before a double quote "
            "inside the text",
        )
    if "mapping values are not allowed here" in problem:
        return _problem(
            file,
            mark,
            "a ': ' (colon and space) appears inside a value: put the whole value in double "
            "quotes",
        )
    if "could not find expected ':'" in problem:
        return _problem(
            file,
            error.context_mark or mark,
            "this line should be `field: value`: add the missing ':' after the field name, or "
            "put a text that continues on several lines in quotes",
        )
    if "expected <block end>" in problem or "expected <block mapping end>" in problem:
        return _problem(
            file,
            mark,
            "this line's indentation does not match the lines above: line it up with the "
            "other fields of the same level (spaces only)",
        )
    if "did not find expected '-' indicator" in problem:
        return _problem(
            file,
            mark,
            "this line's indentation does not match the list above: each item starts with "
            "'- ' at the same column",
        )
    if "found character" in problem and "cannot start any token" in problem:
        return _problem(
            file,
            mark,
            f"{problem}: put the value in double quotes",
        )
    return _problem(file, mark, f"YAML syntax error ({problem or context}): check this line")


def _unprintable_problem(text: str, error: yaml.reader.ReaderError, file: str) -> Problem:
    before = text[: error.position]
    line = before.count("\n") + 1
    column = error.position - (before.rfind("\n") + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(error.character)
    if is_non_character(code):
        return Problem(file, line, column, "", f"a code that is not a character "
                       f"(U+{code:04X}) is here, often left by copy-paste: delete it")
    return Problem(file, line, column, "", f"an invisible control character (U+{code:04X}) is "
                   "here, often left by copy-paste: delete it")


def is_non_character(code: int) -> bool:
    """One of NON_CHARACTERS: U+FDD0-U+FDEF, or U+xFFFE / U+xFFFF of any plane."""
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def parse_yaml(text: str, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML document. Returns the document, or None and the problems found."""
    tabs = _tab_problems(text, file)
    if tabs:
        return None, tabs
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as error:
        return None, [_unprintable_problem(text, error, file)]
    try:
        node = loader.get_single_node()
    except _Refused as refused:
        return None, [_problem(file, refused.mark, refused.message)]
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, file, text)]
    except yaml.reader.ReaderError as error:
        return None, [_unprintable_problem(text, error, file)]
    except yaml.YAMLError as error:
        return None, [Problem(file, None, None, "", f"the file cannot be read as YAML: {error}")]
    finally:
        loader.dispose()
    if node is None:
        return None, [
            Problem(
                file,
                1,
                1,
                "",
                "the sheet is empty: start from `handouts new NAME` or a copy of "
                "content/educational-alliances.yaml",
            )
        ]
    document = YamlDocument(data=None)
    # An anchor serves only aliases, which are refused: alone it is refused too (docs/format.md:
    # "Values are text"), reported with the other problems.
    problems = [_problem(file, mark, f"YAML anchors (&{name}) are not accepted in sheets: "
                         f"delete `&{name}`") for name, mark in loader.anchor_marks]
    document.data = _convert(node, (), document, problems, file)
    return document, problems


def _convert(
    node: yaml.Node, path: Path, document: YamlDocument, problems: list[Problem], file: str
) -> object:
    document.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag and node.tag not in PLAIN_TAGS:
        tag = node.tag.replace(STANDARD_TAG_PREFIX, "!!")
        problems.append(
            _problem(file, node.start_mark, f"YAML tags like {tag} are not accepted: "
                     "remove the tag and keep the plain value", dotted_path(path))
        )
        # read on as if untagged, so that the tag is the only problem reported here
        if isinstance(node, yaml.ScalarNode):  # a collection reads on by its kind, not its tag
            node.tag = STR_TAG
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == NULL_TAG:
                problems.append(
                    _problem(file, key_node.start_mark, "a field name is missing or is not a "
                             "plain word: write `name: value`", dotted_path(path))
                )
                continue
            key = key_node.value
            refused = text_problem(key)
            if refused:
                problems.append(_problem(file, key_node.start_mark, "this field name is refused: "
                                         + refused, dotted_path(path)))
                continue
            if key in result:
                first_line = document.key_positions[(*path, key)][0]
                problems.append(
                    _problem(
                        file,
                        key_node.start_mark,
                        f"`{shown_name(key)}` is given twice (first at line {first_line}): "
                        "keep only one and merge what they say",
                        dotted_path((*path, key)),
                    )
                )
                continue
            document.key_positions[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = _convert(value_node, (*path, key), document, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, index), document, problems, file)
            for index, item in enumerate(node.value)
        ]
    if node.tag == NULL_TAG:
        return None
    problem = text_problem(node.value)
    if problem:
        problems.append(_problem(file, node.start_mark, problem, dotted_path(path)))
        # kept (so that the model does not also call the field missing), but defused: other
        # messages may quote the value, and must not send escape sequences to a terminal
        return _SUSPECT.sub("\ufffd", node.value)
    return node.value


def text_problem(text: str) -> str | None:
    """Why a decoded value cannot be printed, or None: control characters however they were
    written, non-characters, bidi overrides, floods of combining marks. Linear in the
    text."""
    found = _SUSPECT.search(text)
    if found:
        code = ord(found.group())
        if found.group() in BIDI_CONTROLS:
            return (f"a text direction control (U+{code:04X}) is in this text: it can make "
                    "the text display differently from what it says: delete it")
        if 0xD800 <= code <= 0xDFFF:
            return (f"this text holds half a character (U+{code:04X}, written as an escape): "
                    "write the character itself")
        if is_non_character(code):
            return (f"a code that is not a character (U+{code:04X}) is in this text, often "
                    "written as an escape like \\uFFFF inside double quotes: delete it")
        return (f"an invisible control character (U+{code:04X}) is in this text, often "
                "written as an escape like \\e or \\x07 inside double quotes: delete it")
    for run in _MARK_RUN.finditer(text):
        marks = 0
        for character in run.group():
            if unicodedata.category(character) in ("Mn", "Me"):
                marks += 1
                if marks > MAX_COMBINING_MARKS:
                    return (f"more than {MAX_COMBINING_MARKS} accents or marks are stacked "
                            "on one letter here: they would print over the lines around: "
                            "delete them")
            else:
                marks = 0
    return None


def shown_name(name: str) -> str:
    """A field name as a message quotes it: cut after MAX_SHOWN_NAME characters (a key can
    be a whole file long)."""
    return name if len(name) <= MAX_SHOWN_NAME else name[:MAX_SHOWN_NAME] + "…"


def dotted_path(path: Path) -> str:
    """`('quiz', 0, 'answer')` → `quiz[1].answer`: 1-based, as people count questions."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{shown_name(part)}" if text else shown_name(part)
    return text


