"""The YAML reader's limits and the characters it refuses: wide groups, too many values and
too many problems are refused or cut short while reading, with one message at their line;
characters XML cannot hold never reach a page or the feed; lone anchors are refused."""

from __future__ import annotations

import pickle
import typing

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from generator.cli import cli
from generator.errors import Problem, SheetError
from generator.sheet import loader
from generator.sheet.loader import load_sheet
from generator.sheet.model import Sheet
from generator.sheet.yamlsource import MAX_MAPPING_KEYS, MAX_VALUES
from tests.conftest import DATA

MINIMAL_TEXT = (DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8")
MINIMAL = yaml.safe_load(MINIMAL_TEXT)
WIDE = ("this group has more than 200 fields; no group of a sheet has more than 20: is it the "
        "right file, and is each field indented under the right one?")


def _refused(path) -> SheetError:
    with pytest.raises(SheetError) as caught:
        load_sheet(path)
    return caught.value


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """Every model a sheet is made of, found from the annotations of its fields."""
    seen.add(model)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            if (isinstance(annotation, type) and issubclass(annotation, BaseModel)
                    and annotation not in seen):
                _models(annotation, seen)
            stack.extend(typing.get_args(annotation))
    return seen


# Item 4 of issue #22: wide mappings, many values, many problems.

def test_the_group_limit_is_ten_times_the_largest_group_of_the_format():
    largest = max(len(model.model_fields) for model in _models(Sheet, set()))
    assert largest == 20  # the sheet's own fields
    assert largest <= 20 <= MAX_MAPPING_KEYS / 10  # "no group of a sheet has more than 20"


def test_a_90000_field_group_is_refused_with_one_message_at_its_line(tmp_path, monkeypatch):
    """Issue #22: 890 KB, 14.6 s, 402 MB and 90,015 lines of messages. Now one message,
    the reading stopped at the 201st field."""
    monkeypatch.chdir(tmp_path)
    text = MINIMAL_TEXT + "".join(f"k{n:05d}: x\n" for n in range(90_000))
    (tmp_path / "wide.yaml").write_text(text, encoding="utf-8")
    assert len(text.encode()) < 1_000_000  # under the size limit: the reader must stop it
    error = _refused("wide.yaml")
    assert [str(problem) for problem in error.problems] == [f"wide.yaml:2:1: {WIDE}"]
    assert error.more == 0


def test_a_nested_group_of_200_fields_is_read_and_201_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = MINIMAL_TEXT.splitlines()
    at = lines.index("sheet:") + 1  # the group `sheet:` has 2 fields; add 198 or 199
    assert lines[at:at + 3] == ['  author: "Test Author"', "  date: 2026-01-15", "summary:"]
    for extra, refused in ((MAX_MAPPING_KEYS - 2, False), (MAX_MAPPING_KEYS - 1, True)):
        added = [f"  x{n}: y" for n in range(extra)]
        (tmp_path / "s.yaml").write_text("\n".join([*lines[:at], *added, *lines[at:]]) + "\n",
                                         encoding="utf-8")
        error = _refused("s.yaml")
        if refused:
            assert [str(problem) for problem in error.problems] == [
                f"s.yaml:{at + 1}:3: {WIDE}"]
        else:  # read: every extra field is an unknown field
            assert error.count == extra
            assert error.problems[0].message == (
                "unknown field `x0`: the fields allowed here are `author`, `site`, `date`, "
                "`reviewed`")


def test_200000_tiny_fields_across_nested_groups_are_refused_while_reading(tmp_path,
                                                                           monkeypatch):
    """5 x 200 x 200 fields, no group over the limit, 607 KB: 8.5 s and 320 MB before; now
    the reading stops at the 20,001st value, with one message where it stopped."""
    monkeypatch.chdir(tmp_path)
    names = [f"{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(MAX_MAPPING_KEYS)]
    inner = "{" + ",".join(names) + "}"
    middle = "{" + ",".join(f"{name}: {inner}" for name in names) + "}"
    text = MINIMAL_TEXT + "".join(f"extra{n}: {middle}\n" for n in range(5))
    (tmp_path / "nested.yaml").write_text(text, encoding="utf-8")
    assert len(text.encode()) < 1_000_000
    error = _refused("nested.yaml")
    assert len(error.problems) == 1 and error.more == 0
    problem = error.problems[0]
    assert problem.message == (
        "the sheet holds more than 20,000 values (fields, list items and texts) by here, far "
        "more than the format allows: is it the right file?")
    # the sheet's own values, then 80,402 on the first extra line: the 20,001st is there
    assert problem.line == MINIMAL_TEXT.count("\n") + 1


def test_a_sheet_at_every_list_limit_of_the_format_is_not_refused_for_its_size(tmp_path):
    """The values limit stays far above a real sheet: one with every list as long as the
    format allows (7,000 values and more) loads."""
    sheet = yaml.safe_load(MINIMAL_TEXT)
    paged = {"text": "A point.", "pages": "1-2"}
    sheet.update({
        "short_title": "Short", "introduction": "Intro.",
        "source": {"authors": [f"Author {n}" for n in range(50)], "publisher": "P",
                   "published": "2020", "url": "https://example.org/"},
        "highlights": [f"Highlight {n}" for n in range(50)],
        "summary": [{"heading": f"Part {n}", "text": "Text."} for n in range(50)],
        "key_points": [dict(paged) for _ in range(50)],
        "action_paths": [dict(paged) for _ in range(4)],
        "references": [{"title": f"R {n}", "note": "N.", "url": "https://example.org/"}
                       for n in range(50)],
        "faq": [{"question": f"Q {n}?", "answer": "A.", "pages": "3"} for n in range(50)],
        "tags": [f"tag{n}" for n in range(50)],
        "quiz": [{"question": f"Question {n}?", "pages": "4", "answer": "b",
                  "choices": [f"Choice {c}" for c in range(6)], "explanation": "E.",
                  "points": 2, "shuffle": False, "pin_last": True} for n in range(100)],
    })
    sheet["values"]["criteria"] = [{"name": f"V {n}", "assessment": "A."} for n in range(50)]
    sheet["reliability"]["criteria"] = [{"name": f"C {n}", "assessment": "A."}
                                        for n in range(50)]
    sheet["easy_read"].update({
        "title": "T", "picture_alt": "P", "checked_by": "Readers",
        "key_points": [f"Point {n}." for n in range(50)],
        "contact": {"name": "N", "phone": "1", "email": "a@example.org", "address": "A"},
        "summary": [{"heading": f"H {n}", "lines": [f"Line {m}." for m in range(50)],
                     "pictogram_alt": "P"} for n in range(50)]})
    path = tmp_path / "largest.yaml"
    path.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    values = sum(1 for _ in _nodes(yaml.compose(path.read_text(encoding="utf-8"))))
    assert 7_000 < values < MAX_VALUES / 2
    assert len(load_sheet(path).easy_read.summary) == 50


def _nodes(node: yaml.Node) -> typing.Iterator[yaml.Node]:
    yield node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _nodes(key)
            yield from _nodes(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nodes(item)


def _unknown_fields_sheet(tmp_path, count: int) -> str:
    """`count` unknown fields, each a typo of `note`, 100 to a reference."""
    block = ["references:"]
    for start in range(0, count, 100):
        block += ["  - title: T", *(f"    not{n}: x" for n in range(start, start + 100))]
    (tmp_path / "typos.yaml").write_text(MINIMAL_TEXT + "\n".join(block) + "\n",
                                         encoding="utf-8")
    return "typos.yaml"


def test_only_the_first_20_problems_are_listed_then_a_count(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(
        MINIMAL_TEXT.replace("sheet:\n", "sheet:\n" + "".join(f"  x{n}: y\n"
                                                              for n in range(150))),
        encoding="utf-8")
    error = _refused("s.yaml")
    assert error.count == 150 and error.more == 130
    assert [problem.path for problem in error.problems] == [f"sheet.x{n}" for n in range(20)]
    lines = str(error).splitlines()
    assert lines[0] == "150 problems in s.yaml:"
    assert len(lines) == 22 and lines[-1] == "  … and 130 more problems"
    assert pickle.loads(pickle.dumps(error)).count == 150  # back from a worker process
    shown = CliRunner().invoke(cli, ["check", "s.yaml"])
    assert shown.exit_code == 1
    assert shown.output.splitlines()[20:22] == ["s.yaml: … and 130 more problems",
                                                "s.yaml: invalid, 150 problems"]
    built = CliRunner().invoke(cli, ["build", "s.yaml", "-o", "out"])
    assert built.exit_code == 1
    assert "  … and 130 more problems\n" in built.output
    assert built.output.count("unknown field") == 20


def test_a_sheet_error_lists_its_first_20_problems_wherever_it_is_made():
    problems = [Problem("s.yaml", n, 1, "", f"problem {n}") for n in range(1, 23)]
    error = SheetError(problems)
    assert (len(error.problems), error.more, error.count) == (20, 2, 22)
    assert str(error).splitlines()[-2:] == ["  s.yaml:20:1: problem 20",
                                            "  … and 2 more problems"]
    assert str(SheetError(problems[:1])) == "1 problem in s.yaml:\n  s.yaml:1:1: problem 1"


def test_did_you_mean_is_looked_up_at_most_20_times_per_sheet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = []
    real = loader.difflib.get_close_matches

    def counted(word, *args, **kwargs):
        calls.append(word)
        return real(word, *args, **kwargs)

    monkeypatch.setattr(loader.difflib, "get_close_matches", counted)
    error = _refused(_unknown_fields_sheet(tmp_path, 1_000))
    assert error.count == 1_000
    assert len(calls) == 20
    # the lookups went to the problems listed, in the file's order
    assert [problem.message for problem in error.problems[:2]] == [
        "unknown field `not0`: did you mean `note`?",
        "unknown field `not1`: did you mean `note`?"]
    assert error.problems[0].line < error.problems[1].line


def test_a_long_field_name_is_never_compared_and_is_quoted_cut_short(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    calls = []
    real = loader.difflib.get_close_matches
    monkeypatch.setattr(loader.difflib, "get_close_matches",
                        lambda word, *a, **k: calls.append(word) or real(word, *a, **k))
    name = "publisher" * 10_000
    # an explicit key (`? name`): a plain `name: x` stops at 1,024 characters
    (tmp_path / "s.yaml").write_text(MINIMAL_TEXT + f"? {name}\n: x\n", encoding="utf-8")
    error = _refused("s.yaml")
    assert calls == []
    shown = "publisher" * 6 + "publis…"  # 60 characters
    assert error.problems[0].path == shown
    assert error.problems[0].message.startswith(f"unknown field `{shown}`: the fields allowed")



def test_a_long_pictogram_name_is_never_compared(tmp_path, monkeypatch):
    """Pictogram lookups are bounded by the format (53 pictogram fields at most, a list
    being read one item past its limit) and by length: a 4,000-character name is not
    compared with the pictograms' names, however many there are."""
    monkeypatch.chdir(tmp_path)
    calls = []
    real = loader.difflib.get_close_matches
    monkeypatch.setattr(loader.difflib, "get_close_matches",
                        lambda word, *a, **k: calls.append(word) or real(word, *a, **k))
    sheet = yaml.safe_load(MINIMAL_TEXT)
    names = ["builtin:hous", "builtin:" + "house" * 800]
    sheet["easy_read"]["summary"] = [{"heading": "H", "lines": ["L"], "pictogram": name}
                                     for name in names]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(sheet, width=10_000), encoding="utf-8")
    problems = _refused("s.yaml").problems
    assert calls == ["hous"]
    assert problems[0].message == "'builtin:hous' is not a built-in pictogram: did you mean " \
        "`builtin:house`?"
    assert problems[1].message.startswith("'builtin:househouse")
    assert ": write one of " in problems[1].message

# Item 8 of issue #22: "Anchors and aliases (`&a`, `*a`) ... are refused with a message".

def test_every_lone_anchor_is_refused_at_its_line_with_the_other_problems(tmp_path,
                                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (MINIMAL_TEXT.replace("format: 1", "&top format: 1")
            .replace('choices: ["This', 'choices: [&c1 "This')
            .replace("faq:", "faq: &questions"))
    (tmp_path / "s.yaml").write_text(text + "titel: x\n", encoding="utf-8")
    assert yaml.safe_load(text) == MINIMAL  # plain YAML reads it as the same sheet
    error = _refused("s.yaml")
    assert [str(problem) for problem in error.problems] == [
        "s.yaml:2:1: YAML anchors (&top) are not accepted in sheets: delete `&top`",
        "s.yaml:27:15: YAML anchors (&c1) are not accepted in sheets: delete `&c1`",
        "s.yaml:29:6: YAML anchors (&questions) are not accepted in sheets: delete "
        "`&questions`",
        "s.yaml:37:1: titel: unknown field `titel`: did you mean `title`?",
    ]


# Item 5 of issue #22: a character XML cannot hold never reaches a page or the feed.

NON_CHARACTERS = [*range(0xFDD0, 0xFDF0),
                  *(plane * 0x10000 + last for plane in range(17) for last in (0xFFFE, 0xFFFF))]
XML_FORBIDDEN = [*(code for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)),
                 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFFFE, 0xFFFF]


def _expected(code: int) -> str:
    """The message for a refused code point, written out here."""
    if 0xD800 <= code <= 0xDFFF:
        return (f"this text holds half a character (U+{code:04X}, written as an escape): "
                "write the character itself")
    if code < 0x20:
        return (f"an invisible control character (U+{code:04X}) is in this text, often "
                "written as an escape like \\e or \\x07 inside double quotes: delete it")
    return (f"a code that is not a character (U+{code:04X}) is in this text, often written "
            "as an escape like \\uFFFF inside double quotes: delete it")


def _escape(code: int) -> str:
    return f"\\U{code:08X}" if code > 0xFFFF else f"\\u{code:04X}"


def test_every_non_character_and_every_code_xml_forbids_is_refused_in_a_title(tmp_path,
                                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(NON_CHARACTERS) == 66
    wrong = {}
    for code in sorted({*NON_CHARACTERS, *XML_FORBIDDEN}):
        (tmp_path / "s.yaml").write_text(MINIMAL_TEXT.replace(
            'title: "A minimal sheet"', f'title: "A minimal{_escape(code)} sheet"'),
            encoding="utf-8")
        found = [str(problem) for problem in _refused("s.yaml").problems]
        if found != [f"s.yaml:4:8: title: {_expected(code)}"]:
            wrong[f"U+{code:04X}"] = found
    assert wrong == {}


@pytest.mark.parametrize("code", [0xFFFF, 0xFFFE, 0xFDD0, 0xFDEF, 0x1FFFF, 0x10FFFF, 0xD800,
                                  0x0B])
@pytest.mark.parametrize("place", ["title", "choice", "field name"])
def test_a_refused_code_is_reported_at_its_line_in_every_place(tmp_path, monkeypatch, code,
                                                               place):
    monkeypatch.chdir(tmp_path)
    escaped = _escape(code)
    text, where = {
        "title": (MINIMAL_TEXT.replace('"A minimal sheet"', f'"{escaped}A sheet"'),
                  f"s.yaml:4:8: title: {_expected(code)}"),
        "choice": (MINIMAL_TEXT.replace('"That one"', f'"That {escaped}one"'),
                   f"s.yaml:27:27: quiz[1].choices[2]: {_expected(code)}"),
        "field name": (MINIMAL_TEXT.replace("  date:", f'  "da{escaped}te":'),
                       f"s.yaml:7:3: sheet: this field name is refused: {_expected(code)}"),
    }[place]
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    found = [str(problem) for problem in _refused("s.yaml").problems]
    if place == "field name":  # the field is left out, so `date` is also missing
        assert found == ["s.yaml:5:1: sheet.date: this required field is missing: add "
                         "`date: …`", where]
    else:
        assert found == [where]


ALLOWED = ["\u200e", "\u200f", "\U0001f600", "\ufffd", "\U0010fffd", "\ue000", "\ufeff",
           "\u00a0", "\u2028", "\u0301", "\U000e0001"]


@pytest.mark.parametrize("code", [ord(c) for c in ALLOWED] + [0xFFFF, 0xFFFE, 0xFDD0,
                                                               0x10FFFF, 0x1FFFE])
def test_a_sheet_is_refused_or_its_feed_is_well_formed_xml(tmp_path, code):
    """Issue #22: `\\uffff` in a title passed `check`, and the web edition's feed.xml could
    not be read. Each character is refused when the sheet is read, or the feed holds it,
    parsed by lxml (which refuses what XML 1.0 forbids)."""
    from lxml import etree

    from generator.batch.web import atom_feed
    from generator.batch.webpages import make_site
    from generator.batch.websheet import web_sheet
    from generator.options import BuildOptions

    escaped = _escape(code)
    sheet = tmp_path / "odd.yaml"
    sheet.write_text(MINIMAL_TEXT
                     .replace('title: "A minimal sheet"', f'title: "Odd {escaped} title"')
                     .replace('"Test Author"', f'"Odd {escaped} author"')
                     .replace('"A short summary."', f'"Odd {escaped} summary."')
                     + f'tags: ["odd{escaped}tag"]\n', encoding="utf-8")
    try:
        loaded = load_sheet(sheet)
    except SheetError as error:
        assert chr(code) not in ALLOWED
        assert error.problems[0].line == 4 and f"(U+{code:04X})" in error.problems[0].message
        return
    made, _ = web_sheet(loaded, tmp_path / "out", BuildOptions())
    feed = etree.fromstring(atom_feed(make_site([made], "https://example.org/")))
    atom = "{http://www.w3.org/2005/Atom}"
    entry = feed.find(f"{atom}entry")
    if chr(code).isspace():  # spaces of every kind become one plain space on the web
        assert entry.findtext(f"{atom}title") == "Odd title"
        return
    assert chr(code) in entry.findtext(f"{atom}title")
    assert chr(code) in entry.findtext(f"{atom}author/{atom}name")
    assert chr(code) in entry.findtext(f"{atom}summary")
    assert chr(code) in entry.find(f"{atom}category").get("term")


def test_binary_and_set_tags_are_refused_at_their_line(tmp_path, monkeypatch):
    """`!!binary` and `!!set` are standard YAML tags, but no value of a sheet is bytes or a
    set: they are refused like any other tag, with the plain value to write instead."""
    monkeypatch.chdir(tmp_path)
    text = (MINIMAL_TEXT.replace('title: "A minimal sheet"',
                                 'title: !!binary "QSBtaW5pbWFsIHNoZWV0"')
            .replace('choices: ["This one", "That one"]',
                     'choices: !!set {"This one", "That one"}'))
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    messages = [str(problem) for problem in _refused("s.yaml").problems]
    assert messages[:2] == [
        "s.yaml:4:8: title: YAML tags like !!binary are not accepted: remove the tag and keep "
        "the plain value",
        "s.yaml:27:14: quiz[1].choices: YAML tags like !!set are not accepted: remove the tag "
        "and keep the plain value",
    ]
