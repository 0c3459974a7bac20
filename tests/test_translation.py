"""Translations through PO files: export, import, and a translation that knows when its source
changed. The PO files are read with polib and the sheets with PyYAML (independent readers);
expected texts are made here from the source YAML, never by the code under test."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest
import yaml

from generator import api
from generator.errors import SheetError
from generator.sheet.translation import TranslationError
from tests.conftest import SAMPLE


@pytest.fixture
def source(tmp_path, monkeypatch):
    """The English sample, alone in a folder with its pictures; the test runs beside it."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLE.parent, tmp_path / "content")
    for other in (tmp_path / "content").glob("*.yaml"):
        if other.name != SAMPLE.name:
            other.unlink()
    return tmp_path / "content" / SAMPLE.name


def _yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _line_of(path, *keys):
    """The 1-based line where a value starts, read by PyYAML's composer."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    for key in keys:
        if isinstance(key, int):
            node = node.value[key]
        else:
            node = next(value for name, value in node.value if name.value == key)
    return node.start_mark.line + 1


def _translate(po_file, skip=(), change=None):
    """Fill every unit as a translator would: the words marked, links and marks kept."""
    po = polib.pofile(str(po_file))
    for entry in po:
        if entry.msgctxt in skip:
            entry.msgstr = ""
            continue
        entry.msgstr = (change or {}).get(entry.msgctxt, "ES " + entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(po_file))
    return po


def test_the_po_file_holds_each_text_once_and_no_value_that_is_not_words(source):
    po_file = api.translate_export(source, "es")
    assert po_file == source.with_name("educational-alliances-es.po")
    po = polib.pofile(str(po_file))
    data = _yaml(source)
    units = {entry.msgctxt: entry.msgid for entry in po}
    assert len(units) == len(po), "one unit per place"
    assert units["title"] == data["title"].strip()
    for number, question in enumerate(data["quiz"], 1):
        assert units[f"quiz[{number}].question"] == question["question"].strip()
        for letter, choice in enumerate(question["choices"], 1):
            assert units[f"quiz[{number}].choices[{letter}]"] == choice.strip()
        assert f"quiz[{number}].answer" not in units
        assert f"quiz[{number}].pages" not in units
    for number, line in enumerate(data["easy_read"]["summary"][0]["lines"], 1):
        assert units[f"easy_read.summary[1].lines[{number}]"] == line.strip()
    assert not [key for key in units if key.startswith(("sheet.date", "lang", "slug",
                                                        "source.url", "format"))]
    assert po.metadata["Language"] == "es"
    assert po.metadata["X-Handouts-Sheet"] == data.get("slug", source.stem)
    title = next(entry for entry in po if entry.msgctxt == "title")
    assert title.comment == "Title of the analysed document."
    line = next(number for number, text in enumerate(source.read_text().splitlines(), 1)
                if text.startswith("title:"))
    assert title.occurrences == [(source.name, str(line))]


def test_gnu_gettext_reads_the_po_file_and_its_translation(source, tmp_path):
    """msgfmt (GNU gettext, what Poedit compiles with) checks the file as translators' tools
    read it: syntax, header, and every unit."""
    po_file = api.translate_export(source, "es")
    _translate(po_file, change={"title": 'Alianzas "educativas"\\ y\tmás'})
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "m.mo"),
                             str(po_file)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    count = len(polib.pofile(str(po_file)))
    assert result.stderr.strip() == f"{count} translated messages."
    api.translate_import(po_file)
    assert _yaml(source.with_name("educational-alliances-es.yaml"))["title"] == \
        'Alianzas "educativas"\\ y\tmás'


def test_kahoots_shorter_words_are_translated_its_letter_and_time_carried_over(source):
    text = source.read_text(encoding="utf-8")
    assert "    kahoot:  #" in text
    source.write_text(text.replace("    kahoot:  #", "    kahoot:\n      answer: c\n"
                                   "      time: 30  #", 1), encoding="utf-8")
    number = next(n for n, q in enumerate(_yaml(source)["quiz"], 1) if "kahoot" in q)
    units = {entry.msgctxt for entry in polib.pofile(str(api.translate_export(source, "es")))}
    assert f"quiz[{number}].kahoot.choices[1]" in units
    assert f"quiz[{number}].kahoot.answer" not in units
    assert f"quiz[{number}].kahoot.time" not in units


def test_import_writes_the_translated_sheet_with_the_source_values_carried_over(source):
    po = _translate(api.translate_export(source, "es"))
    target = api.translate_import(source.with_name("educational-alliances-es.po"))
    assert target == source.with_name("educational-alliances-es.yaml")
    original, translated = _yaml(source), _yaml(target)
    assert translated["lang"] == "es"
    assert translated["slug"] == "educational-alliances-es"
    assert translated["translation_of"]["sheet"] == source.name
    assert translated["title"] == "ES " + original["title"].strip()
    for mine, theirs in zip(translated["quiz"], original["quiz"], strict=True):
        assert mine["answer"] == theirs["answer"]
        assert mine.get("pages") == theirs.get("pages")
        assert mine["choices"] == ["ES " + choice.strip() for choice in theirs["choices"]]
    assert translated["sheet"]["date"] == original["sheet"]["date"]
    assert len(translated["translation_of"]["source"]) == len(po)
    report = api.check([target]).sheets[0]
    assert report.valid
    assert [p for p in report.warnings if p.path == "translation_of"] == []


def test_a_change_in_the_source_is_reported_marked_fuzzy_and_refused_by_build(source, run):
    _translate(api.translate_export(source, "es"))
    target = api.translate_import(source.with_name("educational-alliances-es.po"))
    data = _yaml(source)
    old = data["faq"][0]["answer"].strip()
    text = source.read_text(encoding="utf-8")
    assert text.count(old.split()[0]) >= 1
    first_words = " ".join(old.split()[:3])
    source.write_text(text.replace(first_words, first_words + " (updated)", 1),
                      encoding="utf-8")
    assert _yaml(source)["faq"][0]["answer"] != data["faq"][0]["answer"]
    line = next(number for number, row in enumerate(target.read_text().splitlines(), 1)
                if row.startswith("translation_of:"))
    answer_line = _line_of(target, "faq", 0, "answer")
    warnings = [str(p) for p in api.check([target]).sheets[0].warnings
                if p.path == "translation_of"]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f"content/educational-alliances-es.yaml:{line}: warning: translation_of: 1 passage "
        f"changed in the English sheet since this translation: faq[1].answer (line "
        f"{answer_line}): ")
    assert "translate it again (`handouts translate export content/educational-alliances.yaml"\
        " --to es`, then `handouts translate import`)" in warnings[0]
    again = polib.pofile(str(api.translate_export(source, "es")))
    fuzzy = [entry.msgctxt for entry in again if "fuzzy" in entry.flags]
    assert fuzzy == ["faq[1].answer"]
    assert next(e for e in again if e.msgctxt == "faq[1].answer").msgstr == "ES " + old

    refused = run("build", str(target.relative_to(source.parent.parent)), "-o", "out",
                  "--only", "quiz")
    assert refused.exit_code == 1
    assert "1 passage changed in the English sheet" in refused.output
    assert "set `stale_translations = \"warn\"` under [build] in handouts.toml" in \
        refused.output
    warned = api.build([target], source.parent.parent / "out", only=("quiz",),
                       stale_translations="warn")
    assert not warned.failures
    assert [warning.split(": ", 2)[1:] for warning in warned.warnings] == [[
        "translation_of", f"1 passage changed in the English sheet since this translation: "
        f"faq[1].answer (line {answer_line}): translate it again (`handouts translate export "
        "content/educational-alliances.yaml --to es`, then `handouts translate import`)"]]


def test_a_unit_left_empty_is_reported_as_not_translated(source):
    _translate(api.translate_export(source, "es"), skip={"faq[1].question"})
    target = api.translate_import(source.with_name("educational-alliances-es.po"))
    assert _yaml(target)["faq"][0]["question"] == _yaml(source)["faq"][0]["question"]
    warnings = [p.message for p in api.check([target]).sheets[0].warnings
                if p.path == "translation_of"]
    assert len(warnings) == 1
    assert warnings[0].startswith("1 passage of the English sheet not translated yet: "
                                  f"faq[1].question (line {_line_of(target, 'faq', 0, 'question')}"
                                  "): translate it (")


def test_importing_again_keeps_the_translators_comments(source):
    _translate(api.translate_export(source, "es"))
    target = api.translate_import(source.with_name("educational-alliances-es.po"))
    target.write_text("# Translated by Ana, checked by Luis\n" + target.read_text("utf-8"),
                      encoding="utf-8")
    po = api.translate_export(source, "es")
    _translate(po, change={"title": "Alianzas educativas"})
    api.translate_import(po)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Translated by Ana, checked by Luis\n")
    assert _yaml(target)["title"] == "Alianzas educativas"


def _po_line(po_file, context):
    lines = po_file.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1)
                if line == f'msgctxt "{context}"')


def test_a_translation_that_loses_a_link_is_refused_at_its_line_and_nothing_is_written(
        source):
    po_file = api.translate_export(source, "es")
    data = _yaml(source)
    linked = next(f"key_points[{n}].text" for n, point in enumerate(data["key_points"], 1)
                  if "](" in point["text"]) if any("](" in p["text"]
                                                   for p in data["key_points"]) else None
    if linked is None:  # the sample has no link in its key points: put one in
        text = source.read_text(encoding="utf-8")
        first = data["key_points"][0]["text"].split()[0]
        source.write_text(text.replace(first, f"[{first}](https://example.org/a)", 1),
                          encoding="utf-8")
        po_file = api.translate_export(source, "es")
        linked = "key_points[1].text"
    _translate(po_file, change={linked: "ES sin enlace"})
    target = source.with_name("educational-alliances-es.yaml")
    with pytest.raises(TranslationError) as refused:
        api.translate_import(po_file)
    entry_line = _po_line(po_file, linked) - 2  # polib counts an entry from its first comment
    assert str(refused.value) == (
        f"content/educational-alliances-es.po:{entry_line}: {linked}: the link address "
        "https://example.org/a of the source text is missing: keep every `[words](address)` "
        "of the source, translating only the words")
    assert not target.exists()


def test_a_po_file_of_another_sheet_or_version_is_refused(source, tmp_path):
    po_file = api.translate_export(source, "es")
    po = polib.pofile(str(po_file))
    po.metadata["X-Handouts-Sheet"] = "another-sheet"
    po.save(str(po_file))
    with pytest.raises(TranslationError) as refused:
        api.translate_import(po_file)
    assert str(refused.value) == (
        "content/educational-alliances-es.po: this PO file was made for the sheet "
        "'another-sheet', not for 'educational-alliances' (content/educational-alliances.yaml)"
        ": export the right sheet with `handouts translate export "
        "content/educational-alliances.yaml --to LANGUAGE`")

    po.metadata["X-Handouts-Sheet"] = "educational-alliances"
    po.append(polib.POEntry(msgctxt="quiz[99].question", msgid="Gone?", msgstr="¿Ya no?"))
    po.save(str(po_file))
    with pytest.raises(TranslationError) as unknown:
        api.translate_import(po_file)
    assert str(unknown.value).endswith(
        ": `quiz[99].question` is not a passage of content/educational-alliances.yaml: was "
        "this PO file exported from another version of the sheet? Export it again and copy "
        "the translations over")
    assert not source.with_name("educational-alliances-es.yaml").exists()


def test_a_file_that_is_not_a_po_file_is_refused_by_the_command(source, run):
    broken = source.with_name("broken.po")
    broken.write_text('msgid "open\nmsgstr\n', encoding="utf-8")
    result = run("translate", "import", "content/broken.po")
    assert result.exit_code == 1
    assert result.output.startswith("error: content/broken.po: this is not a PO file "
                                    "handouts can read (")
    assert "Traceback" not in result.output


def test_the_commands_write_and_read_back(source, run):
    exported = run("translate", "export", "content/educational-alliances.yaml", "--to", "fr")
    assert exported.exit_code == 0, exported.output
    assert exported.output == (
        "wrote content/educational-alliances-fr.po: translate it (Poedit, Weblate…), then "
        "`handouts translate import content/educational-alliances-fr.po`\n")
    _translate(source.with_name("educational-alliances-fr.po"))
    imported = run("translate", "import", "content/educational-alliances-fr.po")
    assert imported.exit_code == 0, imported.output
    assert imported.output == "wrote content/educational-alliances-fr.yaml\n"
    try:
        api.check([source.with_name("educational-alliances-fr.yaml")])
    except SheetError as error:  # pragma: no cover - shown if it happens
        pytest.fail(str(error))
