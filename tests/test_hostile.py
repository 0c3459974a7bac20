"""Untrusted sheets: payloads print as text, nothing from the machine reaches a PDF, nothing
is fetched, and abusive files are refused quickly with a message."""

from __future__ import annotations

import re
import time
import zlib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from generator.batch.build import build
from generator.errors import SheetError
from generator.options import BuildOptions
from generator.sheet.loader import load_sheet
from tests.conftest import DATA, KIND_NAMES, examples, pdf_text, plain, squash

MINIMAL = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
SECRET = "canary-4f1e9a-never-print-me"

PAYLOADS = [
    "<script>document.write('{secret}')</script>",
    '<img src="file://{canary}">',
    "<style>@import url(file://{canary});</style>",
    '<link rel="attachment" href="file://{canary}">',
    '<iframe src="file://{canary}"></iframe>',
    '<object data="file://{canary}"></object>',
    '<svg><image href="file://{canary}"/></svg>',
    "{{{{ 7*7 }}}} {{% include '{canary}' %}}",
    "![secret](file://{canary})",
    "[click](javascript:alert(1)) [local](file://{canary})",
    '<a href="http://127.0.0.1:9/">link</a>',
    "url(file://{canary}) &lt;b&gt; &amp;",
]


def _sheet_with(payload: str) -> dict:
    sheet = yaml.safe_load(yaml.safe_dump(MINIMAL))
    sheet["title"] = payload
    sheet["summary"][0]["text"] = payload
    sheet["quiz"][0]["question"] = payload
    sheet["quiz"][0]["choices"][1] = payload
    sheet["quiz"][0]["explanation"] = payload
    sheet["easy_read"]["summary"][0]["lines"] = [payload]
    sheet["tags"] = [payload]
    return sheet


@pytest.fixture(scope="module")
def canary(tmp_path_factory):
    path = tmp_path_factory.mktemp("machine") / "private.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.mark.parametrize("template", PAYLOADS)
def test_payload_prints_as_text_and_leaks_nothing(template, canary, tmp_path):
    payload = template.format(canary=canary, secret="injected")
    sheet = tmp_path / "hostile.yaml"
    sheet.write_text(yaml.safe_dump(_sheet_with(payload), allow_unicode=True), encoding="utf-8")
    result = build([sheet], tmp_path / "out", BuildOptions(strict=True))
    assert result.ok, [str(f) for f in result.failures]
    assert not result.warnings  # nothing was even tried: no fetch, no refusal
    for kind in KIND_NAMES:
        pdf = tmp_path / "out" / "hostile" / f"hostile-{kind}.pdf"
        text = pdf_text(pdf)
        assert SECRET not in text
        raw = pdf.read_bytes()
        assert SECRET.encode() not in raw
        assert b"/EmbeddedFile" not in raw and b"/JavaScript" not in raw
        for page in PdfReader(pdf).pages:
            resources = page["/Resources"].get_object()
            xobjects = resources.get("/XObject", {})
            subtypes = {xobjects[name].get_object()["/Subtype"] for name in xobjects}
            assert "/Image" not in subtypes  # no image of any kind
    visible = pdf_text(tmp_path / "out" / "hostile" / "hostile-quiz.pdf")
    assert squash(plain(payload)) in squash(visible)  # shown as the text that was typed
    # {{ 7*7 }} was not evaluated: no number 49 is printed (the canary's path names pytest's
    # temporary folder, such as pytest-1491 or pytest-49: its name is taken out first)
    folder = tmp_path_factory_name(tmp_path)
    assert not re.search(r"(?<!\d)49(?!\d)", visible.replace(folder, ""))


def tmp_path_factory_name(tmp_path: Path) -> str:
    """The name of pytest's temporary folder for this run (`pytest-N`), above `tmp_path`."""
    return next((part for part in reversed(tmp_path.parts) if re.fullmatch(r"pytest-\d+", part)),
                "pytest-")


@pytest.mark.parametrize(("change", "message"), [
    ({"slug": "../../etc"}, "slug: '../../etc' cannot be used as a file name"),
    ({"source": {"url": "file:///etc/passwd"}}, "'file:///etc/passwd' is not a web address"),
    ({"references": [{"title": "x", "url": "javascript:alert(1)"}]}, "is not a web address"),
])
def test_dangerous_fields_are_rejected(change, message, tmp_path):
    sheet = {**MINIMAL, **change}
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    with pytest.raises(SheetError, match=re.escape(message)):
        load_sheet(path)


def test_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(SheetError, match="YAML aliases"):
        load_sheet(bomb)
    assert time.perf_counter() - started < 5  # generous: a real bomb never returns


def test_deep_nesting_is_refused(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("title: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(SheetError, match="nested more than 40 levels"):
        load_sheet(deep)


def test_huge_file_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(50_000_000)  # sparse: costs no disk
    with pytest.raises(SheetError, match="a sheet may be at most 1,000,000"):
        load_sheet(huge)


def test_a_render_over_the_time_limit_is_stopped():
    from generator.documents.render import Renderer
    from generator.errors import RenderError

    html = "<html><body>" + "<p>word " * 200_000 + "</body></html>"
    with pytest.raises(RenderError, match=r"took more than 0\.5 seconds"):
        Renderer().pdf(html, time_limit=0.5)


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_file_loads_or_fails_with_our_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "sheet.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_sheet(path)
    except SheetError as error:
        assert error.problems and all(p.message for p in error.problems)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates().map(str),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(MINIMAL)), values)
def test_any_structure_in_any_field_loads_or_fails_with_our_error(tmp_path_factory, key, value):
    path = tmp_path_factory.mktemp("fuzz") / "sheet.yaml"
    path.write_text(yaml.safe_dump({**MINIMAL, key: value}, allow_unicode=True),
                    encoding="utf-8")
    try:
        load_sheet(path)
    except SheetError as error:
        assert all(p.line is not None for p in error.problems), error.problems


# Pictograms: files of the sheet's own folder only, and only those files reach the engine.

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
       '<rect width="10" height="10" fill="#165a72"/></svg>')


def _sheet_with_pictogram(folder, pictogram: str):
    sheet = yaml.safe_load(yaml.safe_dump(MINIMAL))
    sheet["easy_read"]["summary"][0]["pictogram"] = pictogram
    path = folder / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "message"), [
    ("../outside.svg", "'../outside.svg' is outside the sheet's folder"),
    ("/etc/hostname", "'/etc/hostname' is outside the sheet's folder"),
    ("link.svg", "'link.svg' is outside the sheet's folder"),
    ("missing.svg", "'missing.svg' does not exist in the sheet's folder"),
    ("notes.txt", "'notes.txt' is not a picture handouts can print"),
])
def test_pictograms_must_be_pictures_of_the_sheet_folder(tmp_path, name, message):
    folder = tmp_path / "sheets"
    folder.mkdir()
    (tmp_path / "outside.svg").write_text(SVG, encoding="utf-8")
    (folder / "link.svg").symlink_to(tmp_path / "outside.svg")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        load_sheet(_sheet_with_pictogram(folder, name))
    problem = caught.value.problems[0]
    assert problem.path == "easy_read.summary[1].pictogram"
    assert problem.message.startswith(message)


def test_a_pictogram_that_points_at_files_is_refused_when_loaded(tmp_path, canary):
    hostile = SVG.replace("</svg>", f'<image href="file://{canary}" width="5" height="5"/></svg>')
    (tmp_path / "picto.svg").write_text(hostile, encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        load_sheet(_sheet_with_pictogram(tmp_path, "picto.svg"))
    url = f"file://{canary}"
    shown = url if len(url) <= 60 else url[:57] + "…"
    assert caught.value.problems[0].message == (
        f"'picto.svg' points at another file or address ({shown}): a pictogram must hold "
        "everything it draws")


def test_the_engine_still_fetches_nothing_when_the_svg_check_is_bypassed(
        tmp_path, canary, monkeypatch):
    """Defence in depth: with the loader's SVG check switched off, the fetcher refuses."""
    import generator.sheet.pictures

    monkeypatch.setattr(generator.sheet.pictures, "check_svg", lambda data: None)
    hostile = SVG.replace("</svg>", f'<image href="file://{canary}" width="5" height="5"/>'
                          '<image href="http://127.0.0.1:9/x.png" width="5" height="5"/></svg>')
    (tmp_path / "picto.svg").write_text(hostile, encoding="utf-8")
    sheet = _sheet_with_pictogram(tmp_path, "picto.svg")
    result = build([sheet], tmp_path / "out", BuildOptions(only=("easy-read",)))
    assert result.ok
    assert len(result.warnings) == 2
    assert all("an outside resource was refused" in w for w in result.warnings)
    raw = result.written[0].path.read_bytes()
    assert SECRET.encode() not in raw
    strict = build([sheet], tmp_path / "strict", BuildOptions(only=("easy-read",), strict=True))
    assert not strict.ok and not (tmp_path / "strict").exists()


def use_bomb(levels: int = 8, fan: int = 10) -> str:
    """The 2 KB SVG of issue #13: `levels` groups, each using the one before `fan` times."""
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' width="10" height="10"><defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(fan))
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use xlink:href="#l{levels}"/></svg>')
    return "".join(parts)


@pytest.mark.parametrize(("svg", "message"), [
    (use_bomb(8, 10), "would draw more than 20,000 shapes once its copies (<use>) are "
     "expanded: simplify it, or save it as PNG"),
    (use_bomb(2, 200), "would draw more than 20,000 shapes once its copies (<use>) are "
     "expanded: simplify it, or save it as PNG"),
    (use_bomb(5, 2), "nests copies (<use>) of copies more than 4 levels deep: simplify it "
     "(for example, save it again as a plain SVG)"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>',
     "refers to itself (a <use> inside what it copies): remove the loop"),
    ('<!DOCTYPE svg [<!ENTITY lol "lol">]><svg xmlns="http://www.w3.org/2000/svg"/>',
     "declares a DOCTYPE (which can define entities): save it again as a plain SVG, without "
     "the <!DOCTYPE …> line"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "holds a <script> element: pictograms may only draw shapes"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     "has a script attribute (onload): pictograms may only draw shapes"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.org/p#g)"/></svg>',
     "points at another file or address (https://x.org/p#g): a pictogram must hold "
     "everything it draws"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x.css";</style></svg>',
     "has a style that imports another file (@import): remove it"),
    ("<html><body/></html>", "is not an SVG picture (its content does not match its name)"),
])
def test_svg_bombs_and_outside_references_are_refused_with_bounded_work(tmp_path, svg, message):
    (tmp_path / "bomb.svg").write_text(svg, encoding="utf-8")
    sheet = _sheet_with_pictogram(tmp_path, "bomb.svg")
    started = time.process_time()
    with pytest.raises(SheetError) as caught:
        load_sheet(sheet)
    assert time.process_time() - started < 10  # generous: the engine took hours
    problem = caught.value.problems[0]
    assert (problem.line, problem.path) == (8, "easy_read.summary[1].pictogram")
    assert problem.message == f"'bomb.svg' {message}"


def test_a_use_bomb_that_reaches_the_engine_is_still_stopped_by_the_time_limit():
    """WeasyPrint draws SVGs inside `except BaseException`, which swallows one alarm: the
    alarm must keep firing until the render stops (before, only SIGKILL stopped it)."""
    import base64

    from generator.documents.render import Renderer
    from generator.errors import RenderError

    uri = "data:image/svg+xml;base64," + base64.b64encode(use_bomb().encode()).decode()
    html = (f'<html><body><img src="{uri}" style="width:2cm"><p>text</p>'
            f'<img src="{uri}" style="width:3cm"></body></html>')
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"took more than 1 seconds"):
        Renderer().pdf(html, time_limit=1, pictures=frozenset({uri}))
    assert time.monotonic() - started < 60  # generous; without the fix it never returns


def test_pictures_are_printed_from_the_bytes_checked_not_from_the_file_later(tmp_path):
    """Read once by the loader: a file swapped after loading (even for one over the size
    limit) changes nothing in what is rendered, and the digest is of the bytes rendered."""
    import base64
    import hashlib

    from generator.documents.kinds import KINDS
    from generator.documents.render import Renderer
    from generator.sheet.loader import sheet_inputs
    from generator.view.sheetview import build_view

    picture = tmp_path / "picto.svg"
    picture.write_text(SVG, encoding="utf-8")
    sheet = load_sheet(_sheet_with_pictogram(tmp_path, "picto.svg"))
    picture.write_bytes(b"<svg>" + b" " * 3_000_000 + b"</svg>")  # swapped: 3 MB
    assert sheet_inputs(sheet) == [(picture.resolve(),
                                    hashlib.sha256(SVG.encode()).hexdigest())]
    renderer = Renderer()
    view = build_view(sheet)
    kind = KINDS["easy-read"]
    html = renderer.html(kind, view)
    assert base64.b64encode(SVG.encode()).decode() in html
    assert str(tmp_path) not in html and "file:" not in html  # --format html: no local path
    pdf = renderer.pdf(renderer.html(kind, view, inline_styles=False),
                       stylesheets=renderer.styles(kind, view), pictures=view.pictures)
    assert pdf.warnings == [] and len(pdf.data) < 200_000


# A well-formed PNG that announces 20,000 by 20,000 RGBA pixels and holds none.
BIG_HEADER = (20000).to_bytes(4, "big") * 2 + b"\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("big.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + BIG_HEADER
     + zlib.crc32(b"IHDR" + BIG_HEADER).to_bytes(4, "big") + b"\x00\x00\x00\x00IEND"
     + zlib.crc32(b"IEND").to_bytes(4, "big"), "is 20000 by 20000 pixels; at most "
     "25,000,000 pixels are accepted: save a smaller copy"),
    ("fake.png", SVG.encode(), "is not a PNG picture (its content does not match its name)"),
    ("fake.jpg", b"GIF89a", "is not a JPEG picture (its content does not match its name)"),
    ("huge.svg", b"<svg>" + b" " * 2_000_000 + b"</svg>", "is over 2,000,000 bytes: use a "
     "smaller picture"),
])
def test_raster_bombs_and_disguised_pictures_are_refused(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(SheetError) as caught:
        load_sheet(_sheet_with_pictogram(tmp_path, name))
    assert caught.value.problems[0].message == f"'{name}' {message}"


def test_pictograms_that_are_loops_fifos_or_folders_are_messages(tmp_path):
    import os

    (tmp_path / "loop.svg").symlink_to(tmp_path / "loop.svg")
    os.mkfifo(tmp_path / "pipe.svg")
    (tmp_path / "folder.svg").mkdir()
    expected = {
        "loop.svg": "'loop.svg' is a symbolic link that leads round in a loop: remove or fix "
                    "the link",
        "pipe.svg": "'pipe.svg' is a named pipe (FIFO), not a file",
        "folder.svg": "'folder.svg' is a folder, not a file",
    }
    for name, message in expected.items():
        with pytest.raises(SheetError) as caught:
            load_sheet(_sheet_with_pictogram(tmp_path, name))
        assert caught.value.problems[0].message == message


def test_an_unreferenced_looping_svg_does_not_stop_a_build(tmp_path):
    (tmp_path / "loop.svg").symlink_to(tmp_path / "loop.svg")
    (tmp_path / "picto.svg").write_text(SVG, encoding="utf-8")
    sheet = _sheet_with_pictogram(tmp_path, "picto.svg")
    result = build([tmp_path], tmp_path / "out", BuildOptions(only=("easy-read",)))
    assert result.ok and [o.path.name for o in result.written] == ["sheet-easy-read.pdf"]
    assert sheet.exists()


# Limits that bound memory and time.

def test_a_10000_question_sheet_is_refused_fast_in_bounded_memory(tmp_path):
    """Issue #13: 777 KB, 1.75 GB before the time limit. Now refused while reading the YAML."""
    import subprocess
    import sys

    sheet = yaml.safe_load(yaml.safe_dump(MINIMAL))
    question = sheet["quiz"][0]
    sheet["quiz"] = [{**question, "question": f"Question {n}?",
                      "choices": list(question["choices"])} for n in range(10_000)]
    path = tmp_path / "huge-quiz.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    # The peak of this process's own memory (VmHWM): ru_maxrss would also count the memory of
    # the test process it was forked from, as large as the test session has grown.
    script = (
        "import re, sys\n"
        "from generator.errors import SheetError\n"
        "from generator.sheet.loader import load_sheet\n"
        "try:\n    load_sheet(sys.argv[1])\n"
        "except SheetError as error:\n    print(error.problems[0].message)\n"
        "status = open('/proc/self/status').read()\n"
        "print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, timeout=120, check=True)
    message, peak_kib = done.stdout.splitlines()
    assert message == ("this list has more than 1,000 items; no list of a sheet may have that "
                       "many (a quiz at most 100 questions): split the sheet")
    assert int(peak_kib) < 400 * 1024  # generous: was 1.75 GB


@pytest.mark.parametrize(("text", "message"), [
    ("a\u0007b", "an invisible control character (U+0007) is in this text, often written as "
     "an escape like \\e or \\x07 inside double quotes: delete it"),
    ("a\u009bb", "an invisible control character (U+009B) is in this text, often written as "
     "an escape like \\e or \\x07 inside double quotes: delete it"),
    ("a\u2066b", "a text direction control (U+2066) is in this text: it can make the text "
     "display differently from what it says: delete it"),
])
def test_control_characters_written_as_yaml_escapes_are_refused(tmp_path, text, message):
    """yaml.safe_dump writes these as escapes ("\\a", "\\x9B", "\\u2066") in double quotes:
    refused after decoding, wherever they are."""
    sheet = yaml.safe_load(yaml.safe_dump(MINIMAL))
    sheet["sheet"]["author"] = text
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    assert "\\" in path.read_text(encoding="utf-8")  # written as an escape
    with pytest.raises(SheetError) as caught:
        load_sheet(path)
    assert [(p.path, p.message) for p in caught.value.problems] == [("sheet.author", message)]


def test_a_word_longer_than_a_line_breaks_inside_the_margins(tmp_path):
    """A 480-character word is cut at the margin in every handout, and `check` warns."""
    import pdfplumber

    from generator.sheet.loader import load
    from generator.view.checks import check

    word = "Supercalifragilistic" * 24
    sheet = yaml.safe_load(yaml.safe_dump(MINIMAL))
    sheet["quiz"][0]["question"] = f"Is {word} right?"
    sheet["quiz"][0]["choices"][0] = word
    sheet["quiz"][0]["explanation"] = word
    sheet["easy_read"]["summary"][0]["lines"] = [f"It is {word}."]
    sheet["values"]["criteria"][0]["name"] = f"**{word}**"
    sheet["source"] = {"publisher": word, "authors": [word]}
    sheet["title"] = f"The {word} report"
    sheet["reliability"]["criteria"][0]["assessment"] = f"*{word}* and [{word}](https://x.org)"
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(sheet, width=1000), encoding="utf-8")
    warned = [p.path for p in check(load(path)) if "characters without a space" in p.message]
    assert warned == ["easy_read.summary[1].lines[1]", "quiz[1].choices[1]",
                      "quiz[1].explanation", "quiz[1].question",
                      "reliability.criteria[1].assessment", "source.authors[1]",
                      "source.publisher", "title", "values.criteria[1].name"]
    result = build([path], tmp_path / "out", BuildOptions(only=KIND_NAMES))
    assert result.ok and len(result.written) == 4
    tally = build([path], tmp_path / "tally", BuildOptions(only=("tally-sheet",),
                                                           pre_post=True))
    assert tally.ok and len(tally.written) == 1
    margin = 14 / 25.4 * 72  # the narrowest right page margin (the leaflet's, 14 mm)
    for output in result.written + tally.written:
        with pdfplumber.open(output.path) as pdf:
            for page in pdf.pages:
                right = max(char["x1"] for char in page.chars)
                assert right <= page.width - margin + 0.5, (output.path.name, right)
            text = "".join(page.extract_text() for page in pdf.pages)
        assert word[:40] in "".join(text.split()), output.path.name  # printed, broken


def test_a_missing_glyph_is_warned_once_per_character_per_document():
    from generator.documents.render import Renderer

    # plane 15: no installed font draws it (LibreOffice's OpenSymbol covers the BMP's)
    paragraph = "<p>" + "Private use \U000f0000 and \U000f0001 here. " * 30 + "</p>"
    pdf = Renderer().pdf(f'<html lang="en"><body>{paragraph * 9}</body></html>')
    assert sorted(pdf.warnings) == [
        f'the character "{c}" (U+{ord(c):04X}) is in none of the installed fonts and prints '
        "as an empty box: replace it, or install a font that has it"
        for c in "\U000f0000\U000f0001"]


def test_messages_never_quote_a_control_character(tmp_path):
    """A refused value is defused before other messages quote it: no escape sequence from a
    sheet reaches the terminal through an error message."""
    sheet = yaml.safe_load(yaml.safe_dump(MINIMAL))
    sheet["quiz"][0]["answer"] = "\x1b]0;pwned\x07"
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        load_sheet(path)
    messages = [str(problem) for problem in caught.value.problems]
    assert len(messages) == 2 and "U+001B" in messages[0]
    assert messages[1].endswith("quiz[1].answer: '\ufffd]0;pwned\ufffd' is not the letter of a "
                                "choice: write one of a, b")
    assert not any(ch in "".join(messages) for ch in "\x1b\x07")
