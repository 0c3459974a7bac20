"""Saving a sheet edited as data (the studio) keeps what the author wrote: comments, key order,
quoting and folded lines wherever the value did not change; the same data gives the same bytes;
a file changed by another program meanwhile is never overwritten silently; an invalid sheet is
still saved."""

from __future__ import annotations

import copy
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from generator import api
from generator.sheet.roundtrip import NotWritten, SheetChanged, apply, data_of
from tests.conftest import DATA, FRENCH, FRENCH_SAMPLE, SAMPLE, SPANISH_SAMPLE

MINIMAL = DATA / "sheets" / "minimal.yaml"
COMMENTED = """\
# The author's note, before everything.
format: 1
lang: en
title: "A minimal sheet"   # the title, in double quotes
sheet:
  author: 'Test Author'
  date: 2026-01-15
summary:
  - heading: "What it is"
    text: >-
      A short summary that the author folded over
      two lines on purpose.
key_points:
  - text: "One key point."
  # a note about the second point
  - text: 'Two key point.'
  - text: Three key point.
action_paths:
  - text: "One action path."
values:
  criteria:
    - name: "Literacy"
      assessment: "Plain language."
  conclusion: "Good enough."
reliability:
  criteria:
    - name: "Scientific relevance"
      assessment: "Explicit method."
  recommendation: "Use it."
quiz:
  - question: "Which one is right?"
    choices: ["This one", "That one"]
    answer: a
faq:
  - question: "Why?"
    answer: "Because."
easy_read:
  summary:
    - heading: "What is it?"
      lines: ["It is a test."]
  title: "A test"
# The author's closing note.
"""


def plain_load(text: str):
    """The text read by PyYAML's own loader, every value as text: an independent reading."""
    return yaml.load(text, Loader=yaml.BaseLoader)


@pytest.mark.parametrize("sheet", [SAMPLE, FRENCH_SAMPLE, SPANISH_SAMPLE, FRENCH, MINIMAL],
                         ids=lambda p: p.stem)
def test_unchanged_data_gives_the_same_bytes(sheet):
    text = sheet.read_text(encoding="utf-8")
    assert apply(text, plain_load(text)) == text


def test_a_changed_value_keeps_every_comment_and_the_other_lines():
    data = plain_load(COMMENTED)
    data["title"] = "A minimal sheep"  # as long: the comment after it stays in its column
    result = apply(COMMENTED, data)
    assert result == COMMENTED.replace('title: "A minimal sheet"', 'title: "A minimal sheep"')


def test_quoting_styles_are_kept_for_changed_values():
    data = plain_load(COMMENTED)
    data["sheet"]["author"] = "Another Author"
    data["faq"][0]["answer"] = "Because it is."
    result = apply(COMMENTED, data)
    assert "  author: 'Another Author'\n" in result
    assert '    answer: "Because it is."\n' in result


def test_a_new_question_is_appended_in_the_models_field_order():
    data = plain_load(COMMENTED)
    # given in another order than the model's: question, choices, answer, explanation
    data["quiz"].append({"explanation": "Blue is calm.", "answer": "b",
                         "choices": ["Red", "Blue", "Green"], "question": "Which colour?"})
    result = apply(COMMENTED, data)
    expected = ("    answer: a\n"
                "  - question: Which colour?\n"
                "    choices:\n      - Red\n      - Blue\n      - Green\n"
                "    answer: b\n"
                "    explanation: Blue is calm.\n"
                "faq:\n")
    assert expected in result
    assert result.startswith("# The author's note, before everything.\n")
    assert plain_load(result) == data


def test_a_new_field_goes_where_the_model_puts_it():
    data = plain_load(COMMENTED)
    data["short_title"] = "Minimal"
    result = apply(COMMENTED, data)
    assert ('title: "A minimal sheet"   # the title, in double quotes\nshort_title: Minimal\n'
            'sheet:\n') in result


def test_a_deleted_item_takes_only_its_own_lines():
    """Its lines, and the comment lines written just above it (they are about it)."""
    data = plain_load(COMMENTED)
    del data["key_points"][1]
    result = apply(COMMENTED, data)
    assert result == COMMENTED.replace("  # a note about the second point\n"
                                       "  - text: 'Two key point.'\n", "")


def test_a_comment_above_an_item_stays_above_it_when_the_items_move():
    data = plain_load(COMMENTED)
    points = data["key_points"]
    points[0], points[1] = points[1], points[0]  # the commented one first
    result = apply(COMMENTED, data)
    assert ("key_points:\n  # a note about the second point\n  - text: 'Two key point.'\n"
            '  - text: "One key point."\n  - text: Three key point.\naction_paths:') in result
    points.append(points.pop(0))  # and now last
    again = apply(COMMENTED, data)
    assert ('key_points:\n  - text: "One key point."\n  - text: Three key point.\n'
            "  # a note about the second point\n  - text: 'Two key point.'\naction_paths:"
            ) in again
    assert plain_load(again) == data


def test_comments_around_a_list_stay_where_they_are():
    """The comment after a list's last item (about what follows) stays after the list when
    the items move; the one above the first item stays above it, as every item's does, also
    when the items are groups that end with a list."""
    text = ("quiz:\n"
            "  # the quiz starts here\n"
            "  - question: One?\n"
            "    choices:\n      - a\n      - b\n"
            "  # about the second question\n"
            "  - question: Two?\n"
            "    choices:\n      - c\n      - d\n"
            "# after the quiz\n"
            "faq: []\n")
    data = plain_load(text)
    data["quiz"].reverse()
    result = apply(text, data)
    assert result == ("quiz:\n"
                      "  # about the second question\n"
                      "  - question: Two?\n"
                      "    choices:\n      - c\n      - d\n"
                      "  # the quiz starts here\n"
                      "  - question: One?\n"
                      "    choices:\n      - a\n      - b\n"
                      "# after the quiz\n"
                      "faq: []\n")


def test_a_moved_item_keeps_its_text_and_the_others_theirs():
    data = plain_load(COMMENTED)
    points = data["key_points"]
    points[0], points[2] = points[2], points[0]
    result = apply(COMMENTED, data)
    assert plain_load(result)["key_points"] == points
    assert "# The author's closing note.\n" in result
    assert ('key_points:\n  - text: Three key point.\n' in result)  # moved, its style kept
    # a comment between two items stays above the item below it
    assert ("  # a note about the second point\n  - text: 'Two key point.'\n" in result)


def test_a_changed_folded_text_keeps_its_style_and_the_authors_line_breaks():
    data = plain_load(COMMENTED)
    data["summary"][0]["text"] = data["summary"][0]["text"].replace("short", "very short")
    result = apply(COMMENTED, data)
    assert ("    text: >-\n      A very short summary that the author folded over\n"
            "      two lines on purpose.\n") in result


def test_unicode_is_written_as_itself():
    data = plain_load(COMMENTED)
    data["title"] = "Santé : l’alliance éducative — 健康 🙂"
    result = apply(COMMENTED, data)
    assert 'title: "Santé : l’alliance éducative — 健康 🙂"' in result
    assert plain_load(result)["title"] == data["title"]


def test_a_text_that_looks_like_another_type_reads_back_as_text():
    data = plain_load(COMMENTED)
    data["easy_read"]["title"] = "yes"
    data["faq"][0]["answer"] = "Because: it is # so"
    data["quiz"][0]["choices"].append("null")
    result = apply(COMMENTED, data)
    assert plain_load(result) == data
    assert data_of(result) == data


def test_saved_over_with_the_digest_it_was_loaded_with(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(COMMENTED, encoding="utf-8")
    opened = api.open_sheet(sheet)
    assert opened.digest == hashlib.sha256(COMMENTED.encode()).hexdigest()
    data = copy.deepcopy(opened.data)
    data["title"] = "Saved"
    new_digest = api.save_sheet(sheet, data, opened.digest)
    written = sheet.read_bytes()
    assert new_digest == hashlib.sha256(written).hexdigest()
    assert "# The author's closing note." in written.decode()
    assert api.check(sheet).sheets[0].valid
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.yaml"]  # no temporary file left


def test_a_file_changed_meanwhile_is_not_overwritten_unless_asked(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(COMMENTED, encoding="utf-8")
    opened = api.open_sheet(sheet)
    outside = COMMENTED.replace("Good enough.", "Changed by another program.")
    sheet.write_text(outside, encoding="utf-8")
    data = copy.deepcopy(opened.data)
    data["title"] = "Mine"
    with pytest.raises(SheetChanged) as refused:
        api.save_sheet(sheet, data, opened.digest)
    assert str(refused.value) == (
        f"{sheet} was changed by another program since the studio opened it: reload it "
        "(your changes here are lost), or keep your version (the other change is lost)")
    assert sheet.read_text(encoding="utf-8") == outside
    api.save_sheet(sheet, data, opened.digest, overwrite=True)
    assert plain_load(sheet.read_text(encoding="utf-8")) == data


def test_an_invalid_sheet_is_still_saved(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    shutil.copy(MINIMAL, sheet)
    opened = api.open_sheet(sheet)
    data = copy.deepcopy(opened.data)
    data["quiz"][0]["answer"] = "z"
    api.save_sheet(sheet, data, opened.digest)
    assert plain_load(sheet.read_text(encoding="utf-8"))["quiz"][0]["answer"] == "z"
    report = api.check(sheet).sheets[0]
    assert not report.valid
    assert [p.path for p in report.errors] == ["quiz[1].answer"]
    assert [p.path for p in api.check_data(sheet, data).errors] == ["quiz[1].answer"]


def test_a_sheet_too_big_is_not_written(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(COMMENTED, encoding="utf-8")
    data = plain_load(COMMENTED)
    data["introduction"] = "word " * 250_000
    with pytest.raises(NotWritten) as refused:
        apply(COMMENTED, data, shown="sheet.yaml")
    assert str(refused.value).startswith("sheet.yaml: the sheet would be 1,25")
    assert str(refused.value).endswith("a sheet may be at most 1,000,000: shorten it; the file "
                                       "is untouched")


def test_check_data_gives_the_commands_messages_without_writing(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text(COMMENTED, encoding="utf-8")
    data = plain_load(COMMENTED)
    data["quiz"][0]["choices"] = ["No", "A much much much longer correct choice that gives it"
                                  " away entirely"]
    data["quiz"][0]["answer"] = "b"
    found = api.check_data(sheet, data)
    assert sheet.read_text(encoding="utf-8") == COMMENTED
    written = tmp_path / "written.yaml"
    written.write_text(apply(COMMENTED, data), encoding="utf-8")
    expected = api.check(written).sheets[0]
    assert [(p.path, p.line, p.message) for p in found.warnings] == [
        (p.path, p.line, p.message) for p in expected.warnings]
    assert any("gives it away" in p.message and p.path == "quiz[1].choices"
               for p in found.warnings)


def test_a_sheet_that_is_not_yaml_is_not_written_over_from_data():
    with pytest.raises(NotWritten) as refused:
        apply("title: [unclosed\n", {"title": "x"}, shown="s.yaml")
    assert str(refused.value) == ("s.yaml:2:1: YAML syntax error (expected ',' or ']', but got "
                                  "'<stream end>'): check this line")


def test_new_file_from_data(tmp_path: Path):
    sheet = tmp_path / "new.yaml"
    data = plain_load(MINIMAL.read_text(encoding="utf-8"))
    api.save_sheet(sheet, data, hashlib.sha256(b"").hexdigest())
    assert plain_load(sheet.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize(("bom", "crlf"), [(True, False), (False, True), (True, True)],
                         ids=["bom", "crlf", "bom-crlf"])
def test_saving_keeps_the_files_byte_order_mark_and_line_ends(tmp_path, bom, crlf):
    """A sheet saved by a Windows editor (a UTF-8 byte order mark, CRLF line ends) is written
    back the same way: only the changed line differs, byte for byte."""
    def saved_as(text: str) -> bytes:
        return (b"\xef\xbb\xbf" if bom else b"") + \
            (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")

    sheet = tmp_path / "sheet.yaml"
    sheet.write_bytes(saved_as(COMMENTED))
    opened = api.open_sheet(sheet)
    assert opened.data == plain_load(COMMENTED)  # read through the mark and the CR
    data = copy.deepcopy(opened.data)
    data["title"] = "A minimal sheep"
    api.save_sheet(sheet, data, opened.digest)
    assert sheet.read_bytes() == saved_as(
        COMMENTED.replace('title: "A minimal sheet"', 'title: "A minimal sheep"'))
    # unchanged data: the same bytes
    again = api.open_sheet(sheet)
    before = sheet.read_bytes()
    api.save_sheet(sheet, again.data, again.digest)
    assert sheet.read_bytes() == before


def test_a_file_with_unix_line_ends_keeps_them(tmp_path):
    sheet = tmp_path / "sheet.yaml"
    sheet.write_bytes(COMMENTED.encode("utf-8"))
    opened = api.open_sheet(sheet)
    data = copy.deepcopy(opened.data)
    data["key_points"].append({"text": "Four key point."})
    api.save_sheet(sheet, data, opened.digest)
    written = sheet.read_bytes()
    assert b"\r" not in written and not written.startswith(b"\xef\xbb\xbf")
    assert plain_load(written.decode("utf-8")) == data
