"""`--format docx` (#30, items 1 and 4): each Word document read back with python-docx, an
independent reader, and compared with the sheet's YAML and with the PDF's text."""

from __future__ import annotations

import collections
import io
import re
import shutil
import subprocess
import tomllib
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
import yaml
from docx.document import Document
from docx.table import Table
from hypothesis import example, given
from hypothesis import strategies as st
from markupsafe import Markup

from generator import api
from generator.documents.formats import Handout, docx_handout
from generator.documents.kinds import KINDS
from generator.documents.render import Renderer
from generator.errors import OptionsError
from generator.options import BuildOptions
from generator.paths import display
from generator.sheet.loader import load_sheet
from generator.view.sheetview import build_view
from tests.conftest import DATA, ROOT, SAMPLE, SPANISH_SAMPLE, body_pages, catalogs, plain, squash

MINIMAL = DATA / "sheets" / "minimal.yaml"
WORD_KINDS = ("full-analysis", "easy-read", "quiz", "answer-key")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_made: dict[Path, Path] = {}


def docx_of(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sheet's Word documents, built once per test session."""
    if source not in _made:
        out = tmp_path_factory.mktemp("docx")
        result = api.build([source], out, fmt="docx")
        assert result.ok, [str(f) for f in result.failures]
        _made[source] = out
    return _made[source]


def document(folder: Path, slug: str, kind: str) -> Document:
    return docx.Document(str(folder / slug / f"{slug}-{kind}.docx"))


def blocks(doc: Document) -> list[str]:
    """The body's text in order: each paragraph, and each table row's cells side by side."""
    texts = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            texts += [" ".join(cell.text for cell in row.cells) for row in block.rows]
        else:
            texts.append(block.text)
    return texts


def styled(doc: Document, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == style]


def test_the_full_analysis_has_the_sheets_headings_questions_and_tables(built,
                                                                        tmp_path_factory):
    data = built.data
    doc = document(docx_of(built.source, tmp_path_factory), built.slug, "full-analysis")
    labels = catalogs()[data["lang"]]
    assert [squash(t) for t in styled(doc, "Title")] == [squash(plain(data["title"]))]
    sections = ["summary", "key_points", "action_paths", *(["references"]
                if data.get("references") else []), "values", "reliability", "quiz", "faq",
                "easy_read"]
    assert len(data["quiz"]) > 1  # the plural form of the quiz's heading, as catalogs() has it
    assert [squash(t) for t in styled(doc, "Heading 1")] == [
        squash(f"{number} {labels['sec_' + name].format(count=len(data['quiz']))}")
        for number, name in enumerate(sections, start=1)]
    second = [squash(t) for t in styled(doc, "Heading 2")]
    summary = [squash(plain(part["heading"])) for part in data["summary"]]
    assert second[:len(summary)] == summary
    text = [squash(t) for t in blocks(doc)]
    for question in data["quiz"]:
        assert text.count(squash(plain(question["question"]))) == 2  # questions, correction
        for letter, choice in zip("ABCDEF", question["choices"], strict=False):
            assert squash(letter + plain(choice)) in text
    # the two criteria grids are real tables: a header row, then one row per criterion
    grids = [[[squash(cell.text) for cell in row.cells] for row in table.rows]
             for table in doc.tables]
    for grid, part in zip(grids, ("values", "reliability"), strict=True):
        assert grid[0] == [squash(labels["criterion"]), squash(labels["assessment"])]
        assert grid[1:] == [[squash(plain(c["name"])), squash(plain(c["assessment"]))]
                            for c in data[part]["criteria"]]
    header = doc.tables[0].rows[0]._tr.trPr.find(f"{W}tblHeader")
    assert header is not None  # repeated on each page the table runs on


def test_the_answer_key_gives_each_editions_letters(tmp_path):
    """With two versions, each key's letters are worked out here from that version's quiz
    document (where the sheet's right choice landed) and the YAML's answer letters."""
    data = dict(yaml.safe_load(MINIMAL.read_text(encoding="utf-8")), slug="versions")
    sheet = dict(data, quiz=[
        {"question": f"Question number {n}?", "choices": [f"Choice {n}{c}" for c in "pqrs"],
         "answer": "abcd"[n % 4]} for n in range(1, 7)])
    source = tmp_path / "versions.yaml"
    source.write_text(yaml.safe_dump(sheet, allow_unicode=True), encoding="utf-8")
    result = api.build([source], tmp_path / "out", fmt="docx", versions=2, seed="7")
    assert result.ok, [str(f) for f in result.failures]
    right = {f"question number {n}": f"choice {n}{'pqrs'['abcd'.index(q['answer'])]}"
             for n, q in enumerate(sheet["quiz"], start=1)}
    for version in "AB":
        quiz = blocks(document(tmp_path / "out", data["slug"], f"quiz-{version}"))
        expected, question = [], None
        for line in quiz:
            found = re.fullmatch(r"(\d+) (Question number \d+)\?", line)
            if found:
                question = found[2].lower()
                continue
            choice = re.fullmatch("\u2610 ([A-D]) (.*)", line)
            if choice and question and choice[2].lower() == right[question]:
                expected.append(choice[1])
        key = document(tmp_path / "out", data["slug"], f"answer-key-{version}")
        glance = [[cell.text for cell in row.cells] for row in key.tables[0].rows]
        assert glance[0] == ["Question", "1", "2", "3", "4", "5", "6"]
        assert glance[1][1:] == expected and len(expected) == 6
    orders = {version: blocks(document(tmp_path / "out", data["slug"], f"quiz-{version}"))
              for version in "AB"}
    assert orders["A"] != orders["B"]  # two editions really differ


def test_the_easy_read_lines_are_in_the_16_pt_style(built, tmp_path_factory):
    doc = document(docx_of(built.source, tmp_path_factory), built.slug, "easy-read")
    style = doc.styles["Easy Read"]
    assert style.font.size.pt == 16 and style.paragraph_format.line_spacing == 1.5
    easy = [squash(t) for t in styled(doc, "Easy Read")]
    for part in built.data["easy_read"]["summary"]:
        for line in part["lines"]:
            assert squash(plain(line)) in easy
    points = [squash(t) for t in styled(doc, "Easy Read Point")]
    assert points == [squash(plain(p)) for p in built.data["easy_read"].get("key_points", [])]
    assert doc.styles["Easy Read Point"].base_style.name == "Easy Read"


def _printed_easy_pt(paper: str) -> float:
    """The leaflet's body size as its stylesheet prints it on `paper` (styles/easy-read.css:
    the page's size, and A5's own)."""
    css = (ROOT / "styles" / "easy-read.css").read_text(encoding="utf-8")
    rule = r"\.leaflet\.paper-a5 \{[^}]*" if paper == "a5" else r"\nhtml \{[^}]*"
    found = re.search(rule + r"font-size: ([\d.]+)pt", css)
    assert found, paper
    return float(found.group(1))


@pytest.mark.parametrize(("paper", "size"), [("a4", 16), ("letter", 16), ("a5", 14)])
def test_the_easy_read_style_is_the_printed_leaflets_size_on_each_paper(tmp_path, paper,
                                                                         size):
    made = api.build([MINIMAL], tmp_path, fmt="docx", paper=paper, only=("easy-read",))
    assert made.ok, [str(f) for f in made.failures]
    doc = docx.Document(str(made.written[0].path))
    style = doc.styles["Easy Read"]
    assert style.font.size.pt == _printed_easy_pt(paper) == size
    assert style.paragraph_format.line_spacing == 1.5
    assert doc.styles["Easy Read Point"].font.size is None  # it follows Easy Read


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


@pytest.mark.parametrize("kind", WORD_KINDS)
def test_pictures_language_and_page_numbers(built, tmp_path_factory, kind):
    folder = docx_of(built.source, tmp_path_factory)
    path = folder / built.slug / f"{built.slug}-{kind}.docx"
    body = _xml(path, "word/document.xml")
    described = re.findall(r"<wp:docPr [^>]*>", body)
    assert all(re.search(r'descr="[^"]+"', tag) for tag in described), described
    if kind == "easy-read":  # the sheet's pictograms and their words
        alts = [a for part in built.data["easy_read"]["summary"] if part.get("pictogram")
                for a in [part.get("pictogram_alt") or part["heading"]]]
        assert alts and all(f'descr="{plain(a)}"' in body for a in alts)
    styles = _xml(path, "word/styles.xml")
    assert re.search(rf'<w:docDefaults>.*<w:lang w:val="{built.data["lang"]}"', styles, re.S)
    assert docx.Document(str(path)).core_properties.language == built.data["lang"]
    footers = [_xml(path, name) for name in zipfile.ZipFile(path).namelist()
               if re.fullmatch(r"word/footer\d+\.xml", name)]
    assert footers and all("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in f
                           for f in footers)


def _pdf_words(path: Path, labels: dict[str, str]) -> collections.Counter[str]:
    """The PDF's words, without what only print has: the running headers and page numbers
    in the margins (conftest.body_pages) and the leaflet's "page 1 of 2" in its body."""
    text = "\n".join(body_pages(path, x_tolerance=1))
    number = "".join(r"\d+" if part in ("{page}", "{pages}") else re.escape(part)
                     for part in re.split(r"(\{pages?\})", labels["page_of"]))
    return _words(re.sub(rf"^{number}$", "", text, flags=re.M | re.I), labels)


def _words(text: str, labels: dict[str, str]) -> collections.Counter[str]:
    """Words, casefolded (print sets some labels in capitals), hyphens left out (the PDF
    breaks words at line ends), the criteria grids' header rows left out (the PDF repeats
    them on each page a grid runs on; Word repeats them when it lays out), and without
    bullets and tick boxes (drawn in the PDF, ☐ and • in Word): no word character."""
    header = f"{labels['criterion']} {labels['assessment']}".casefold()
    lines = [line for line in text.casefold().splitlines() if line.strip() != header]
    return collections.Counter(re.findall(r"\w+", re.sub(r"[-\u2010]\n?", "",
                                                         "\n".join(lines))))


@pytest.mark.parametrize("kind", WORD_KINDS)
def test_each_word_document_has_the_pdfs_text(built, tmp_path_factory, kind):
    labels = catalogs()[built.data["lang"]]
    doc = document(docx_of(built.source, tmp_path_factory), built.slug, kind)
    words = _words("\n".join(blocks(doc)), labels)
    printed = _pdf_words(built.pdf(kind), labels)
    assert (printed - words, words - printed) == ({}, {})


# (straight quotes would be curled by the language's typography, in the PDF too)
HOSTILE = "Tom & Jerry <b>not bold</b> ]]> &amp; &quot; <!-- x --> <?xml?> \u2028 \U0001f600"


def test_hostile_text_survives(tmp_path):
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    data["title"], data["slug"] = HOSTILE, "hostile"
    data["quiz"][0]["question"] = f"{HOSTILE}?"
    data["quiz"][0]["choices"] = [f"{HOSTILE} one", "<w:t>two</w:t>"]
    data["easy_read"]["summary"][0]["lines"] = [f"{HOSTILE} line."]
    source = tmp_path / "hostile.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = api.build([source], tmp_path / "out", fmt="docx")
    assert result.ok, [str(f) for f in result.failures]
    seen = {kind: " ".join(" ".join(blocks(document(tmp_path / "out", data["slug"], kind)))
                           .split()) for kind in WORD_KINDS}
    hostile = " ".join(HOSTILE.split())
    assert f"{hostile}?" in seen["quiz"] and "B <w:t>two</w:t>" in seen["quiz"]
    assert f"A {hostile} one" in seen["answer-key"]
    assert f"{hostile} line." in seen["easy-read"]
    assert hostile in seen["full-analysis"]


_SHEET = load_sheet(MINIMAL)


@given(st.text(max_size=40))
@example("\x00\x01\x0b\ufffe\ud800 A\tB & <C>")
def test_any_text_makes_a_document_python_docx_reads(text):
    """Whatever a view holds, the file is well-formed: what XML 1.0 cannot hold is left out
    (the loaders refuse it first), the rest is read back as written."""
    view = build_view(_SHEET)
    view = replace(view, title=Markup.escape(text), short_title=text)
    kind = KINDS["full-analysis"]
    data = docx_handout(Handout(kind, view, "a4", False, Renderer(), BuildOptions(),
                               view.pictures)).data
    assert data is not None
    read = docx.Document(io.BytesIO(data))
    legal = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]", "", text)
    expected = legal.replace("\r\n", "\n").replace("\r", "\n")
    assert styled(read, "Title") == [expected]


def test_the_same_sheet_makes_the_same_bytes(tmp_path):
    first = api.build([MINIMAL], tmp_path / "one", fmt="docx")
    second = api.build([MINIMAL], tmp_path / "two", fmt="docx")
    assert sorted(p.path.name for p in first.written) == [
        "minimal-answer-key.docx", "minimal-easy-read.docx", "minimal-full-analysis.docx",
        "minimal-quiz.docx"]
    for output in first.written:
        assert output.path.read_bytes() == (tmp_path / "two" / "minimal" /
                                            output.path.name).read_bytes()
        # and not by chance within the zip format's two seconds: no part holds the time
        with zipfile.ZipFile(output.path) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert second.ok
    again = api.build([MINIMAL], tmp_path / "one", fmt="docx")
    assert again.written == []  # the incremental record trusts them


BROKEN_VIEWBOX = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ten ten">'
                  '<rect width="5" height="5"/></svg>\n')


def test_a_sheet_that_cannot_be_written_says_why_and_nothing_is_half_written(tmp_path):
    """A pictogram whose viewBox is not four numbers passes the loader's checks but cannot
    be drawn: the sheet fails with the file, the picture and the fix; none of its files is
    written (its earlier set stays whole) and the other sheet of the batch is written."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "pictures").mkdir()
    (folder / "pictures" / "house.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="5" height="5"/></svg>\n', encoding="utf-8")
    data["easy_read"]["summary"][0].update(pictogram="pictures/house.svg",
                                           pictogram_alt="A house")
    sheet = folder / "leaflet.yaml"
    sheet.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(MINIMAL, folder / "other.yaml")
    first = api.build([folder], tmp_path / "out", fmt="docx")
    assert first.ok, [str(f) for f in first.failures]
    before = {p: p.read_bytes() for p in (tmp_path / "out" / "leaflet").iterdir()}
    assert len(before) == 4

    (folder / "pictures" / "house.svg").write_text(BROKEN_VIEWBOX, encoding="utf-8")
    (folder / "other.yaml").write_text(MINIMAL.read_text(encoding="utf-8").replace(
        "A short summary.", "A shorter summary."), encoding="utf-8")
    failed = api.build([folder], tmp_path / "out", fmt="docx")
    assert [str(f) for f in failed.failures] == [
        f'{display(sheet)}: leaflet-full-analysis.docx: the picture "A house" could not be put '
        'in the Word document: its viewBox "0 0 ten ten" is not four numbers: save it again '
        "from your drawing program as plain SVG, or as PNG"]
    assert {p: p.read_bytes() for p in (tmp_path / "out" / "leaflet").iterdir()} == before
    assert sorted(o.path.name for o in failed.written) == ["other-full-analysis.docx"]


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                    "`sh scripts/dev.sh setup` installs libreoffice-writer-nogui")
def test_libreoffice_opens_each_document(tmp_path, tmp_path_factory, sample):
    """soffice converts each document to PDF (a file it must repair, it refuses headless);
    the PDF holds the document's title."""
    folder = docx_of(sample.source, tmp_path_factory) / sample.slug
    files = sorted(folder.glob("*.docx"))
    converted = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, files)],
        capture_output=True, text=True, timeout=240, check=False)
    assert converted.returncode == 0, converted.stderr
    for file in files:
        pdf = tmp_path / "pdf" / f"{file.stem}.pdf"
        assert pdf.exists(), converted.stdout + converted.stderr
        text = squash("\n".join(body_pages(pdf)))
        title = styled(docx.Document(str(file)), "Title")[0]
        assert squash(title) in text


def _soffice_pdfs(files: list[Path], folder: Path) -> dict[Path, Path]:
    """Each Word document as LibreOffice lays it out, converted to PDF."""
    assert SOFFICE is not None
    converted = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, files)],
        capture_output=True, text=True, timeout=240, check=False)
    assert converted.returncode == 0, converted.stderr
    return {file: folder / "pdf" / f"{file.stem}.pdf" for file in files}


# The Word documents that LibreOffice used to end with a page holding the organisation's line
# alone (the line after the last question or the last tag, at the top of a page of its own).
ALONE = [(SAMPLE, "a4", "quiz"), (SPANISH_SAMPLE, "a4", "quiz"),
         (SAMPLE, "letter", "full-analysis")]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                    "`sh scripts/dev.sh setup` installs libreoffice-writer-nogui")
def test_no_page_holds_the_organisations_line_alone(tmp_path, monkeypatch):
    """With the sample organisation's settings, the line is printed once, at the end, with
    the last question or paragraph on its page."""
    settings = tomllib.loads((ROOT / "handouts.toml").read_text(encoding="utf-8"))
    org = settings["organisation"]
    line = squash(f"© {org['name']} · {settings['footer']['licence']}")
    monkeypatch.delenv("HANDOUTS_SETTINGS")
    project = api.settings(ROOT)
    files = []
    for source, paper, kind in ALONE:
        made = api.build([source], tmp_path / paper, api.options_with(
            project, fmt="docx", paper=paper, only=(kind,)))
        assert made.ok, [str(f) for f in made.failures]
        files += [o.path for o in made.written]
    for file, pdf in _soffice_pdfs(files, tmp_path).items():
        pages = [squash(page) for page in body_pages(pdf)]
        assert sum(page.count(line) for page in pages) == 1, file.name
        last = pages[-1]
        assert line in last and squash(org["contact"]) in last, file.name
        assert last.index(line) > 0, (file.name, last)  # text before it on its page


def test_the_organisations_look_and_name(tmp_path, monkeypatch):
    """handouts.toml's primary colour on the title and headings, its body font by name
    (installed) and its heading font by the family its file gives itself (asked of
    fontconfig here), its name and described logo at the top."""
    monkeypatch.delenv("HANDOUTS_SETTINGS", raising=False)
    (tmp_path / "theme").mkdir()
    font = subprocess.run(["fc-match", "-f", "%{file}", "Open Sans"], capture_output=True,
                          text=True, check=True).stdout
    family = subprocess.run(["fc-query", "-f", "%{family[0]}", font], capture_output=True,
                            text=True, check=True).stdout
    shutil.copy(font, tmp_path / "theme" / "heading.ttf")
    shutil.copy(DATA / "sheets" / "pictograms" / "logo-placeholder.svg",
                tmp_path / "theme" / "logo.svg")
    (tmp_path / "handouts.toml").write_text(
        '[organisation]\nname = "Test Org"\nlogo = "theme/logo.svg"\n'
        'logo_alt = "Test Org: a band"\n[colours]\nprimary = "#7a1f5c"\n'
        '[fonts]\nbody = "DejaVu Serif"\nheading = "theme/heading.ttf"\n', encoding="utf-8")
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    monkeypatch.chdir(tmp_path)
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["build", "minimal.yaml", "-o", "out", "--format", "docx"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "minimal" / "minimal-full-analysis.docx"
    doc = docx.Document(str(path))
    for name in ("Title", "Heading 1", "Heading 2"):
        assert str(doc.styles[name].font.color.rgb) == "7A1F5C"
        assert doc.styles[name].font.name == family == "Open Sans"
    assert re.search(r'<w:docDefaults>.*<w:rFonts w:ascii="DejaVu Serif"',
                     _xml(path, "word/styles.xml"), re.S)
    assert blocks(doc)[0].strip() == "Test Org"
    assert 'descr="Test Org: a band"' in _xml(path, "word/document.xml")


def test_the_answer_sheet_is_left_to_the_pdf_that_scan_reads(tmp_path):
    """`handouts scan` reads the answer sheet by its printed geometry: an edited Word copy
    would not scan, so the format leaves it out, and says so when it is asked for alone."""
    made = api.build([MINIMAL], tmp_path / "out", fmt="docx", answer_sheet=True)
    assert made.ok and not [o for o in made.written if "answer-sheet" in o.path.name]
    with pytest.raises(OptionsError) as refused:
        api.build([MINIMAL], tmp_path / "out", fmt="docx", only=("answer-sheet",))
    assert str(refused.value) == ("the docx format does not make answer-sheet: leave it out "
                                  "of --only, or choose another --format")


def test_the_kinds_left_to_print_are_skipped_and_asking_for_one_says_so(tmp_path):
    made = api.build([MINIMAL], tmp_path / "out", fmt="docx", versions=2, booklet=True,
                     pre_post=False)
    assert sorted(o.path.name for o in made.written) == [
        "minimal-answer-key-A.docx", "minimal-answer-key-B.docx", "minimal-easy-read.docx",
        "minimal-full-analysis.docx", "minimal-keys.csv", "minimal-quiz-A.docx",
        "minimal-quiz-B.docx"]
    with pytest.raises(OptionsError) as refused:
        api.build([MINIMAL], tmp_path / "out", fmt="docx", versions=2, only=("marking-grid",))
    assert str(refused.value) == ("the docx format does not make marking-grid: leave it out "
                                  "of --only, or choose another --format")
