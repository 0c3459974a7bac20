"""Untrusted sheets: payloads print as text, nothing from the machine reaches a PDF, nothing
is fetched, and abusive files are refused quickly with a message."""

from __future__ import annotations

import re
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from generator.build import build
from generator.errors import SheetError
from generator.loader import load_sheet
from generator.options import BuildOptions
from tests.conftest import DATA, KIND_NAMES, pdf_text, plain, squash

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
    assert "49" not in visible  # {{ 7*7 }} was not evaluated


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
    from generator.errors import RenderError
    from generator.render import Renderer

    html = "<html><body>" + "<p>word " * 200_000 + "</body></html>"
    with pytest.raises(RenderError, match=r"took more than 0\.5 seconds"):
        Renderer().pdf(html, time_limit=0.5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


def test_a_pictogram_cannot_pull_in_other_files(tmp_path, canary):
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
