"""The studio's preview service (generator/batch/preview.py, `api.preview`): a sheet's handouts
from its text in memory, as PDFs and page pictures, made by warm workers; after an edit only
the handouts whose PDF changes are made again; an invalid sheet gives `check`'s messages;
nothing is written in the project."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from generator import api
from generator.batch.preview import KEPT_PER_SHEET, PREVIEW_KINDS
from tests.conftest import SAMPLE


def toggle_answer(text: str, question: int = 0) -> str:
    """The sheet's text with a question's correct letter changed (b ↔ c)."""
    match = list(re.finditer(r"(?m)^(\s*answer:\s*)([a-d])\s*$", text))[question]
    new = "c" if match.group(2) == "b" else "b"
    return text[:match.start(2)] + new + text[match.end(2):]


def files_in(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_mtime_ns
            for path in folder.rglob("*")}


def pdf_pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the sample with its pictograms, as a project folder."""
    folder = tmp_path_factory.mktemp("project")
    content = folder / "content"
    content.mkdir()
    shutil.copy(SAMPLE, content / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "pictograms", content / "pictograms")
    return folder


@pytest.fixture(scope="module")
def service():
    with api.previewer() as previewer:
        yield previewer


@pytest.fixture(scope="module")
def first(project, service):
    """The four handouts of the sample, as saved."""
    sheet = project / "content" / SAMPLE.name
    return api.preview(sheet, sheet.read_bytes(), service=service)


def test_an_answer_edit_makes_again_the_key_and_the_analysis_only(project, service, first):
    sheet = project / "content" / SAMPLE.name
    before = files_in(project)
    made = len(service.rendered)
    edited = api.preview(sheet, toggle_answer(sheet.read_text(encoding="utf-8")).encode(),
                         service=service)
    assert sorted(service.rendered[made:]) == ["answer-key", "full-analysis"]
    for kind in ("quiz", "easy-read"):  # the same handout, not made again
        assert edited.handouts[kind] is first.handouts[kind]
    for kind in ("answer-key", "full-analysis"):
        assert edited.handouts[kind].pdf != first.handouts[kind].pdf
    # the key's pictures show the new letter: another picture of its page
    assert edited.handouts["answer-key"].pngs != first.handouts["answer-key"].pngs
    # asking again for the same text makes nothing
    again = api.preview(sheet, toggle_answer(sheet.read_text(encoding="utf-8")).encode(),
                        ["answer-key"], service=service)
    assert again.handouts["answer-key"] is edited.handouts["answer-key"]
    assert sorted(service.rendered[made:]) == ["answer-key", "full-analysis"]
    assert files_in(project) == before  # nothing written in the project, the file unsaved


def test_the_pictures_are_the_pdf_pages(first):
    assert list(first.handouts) == list(PREVIEW_KINDS)
    for kind, pages in first.handouts.items():
        with pdfplumber.open(io.BytesIO(pages.pdf)) as pdf:
            sizes = [(round(page.width * 96 / 72), round(page.height * 96 / 72))
                     for page in pdf.pages]
        assert len(pages.pngs) == len(sizes), kind
        for png, size in zip(pages.pngs, sizes, strict=True):
            image = Image.open(io.BytesIO(png))
            assert image.format == "PNG"
            assert abs(image.width - size[0]) <= 1 and abs(image.height - size[1]) <= 1
            low, high = image.convert("L").getextrema()
            assert low < 100 and high > 200, f"{kind}: a blank page"  # text on paper


def test_pictures_kept_after_a_typed_word_are_the_pages_as_they_are_now(project, service,
                                                                        first):
    """A word typed in a question changes two pages of the full analysis, and the font
    subset of every page: the pictures of the other pages are kept, and must be what the
    new PDF's pages look like, pixel for pixel (drawn again here, by pypdfium2 directly)."""
    import pypdfium2

    sheet = project / "content" / SAMPLE.name
    text = sheet.read_text(encoding="utf-8")
    typed = text.replace('analysed?"', 'analysed in Zürich and Québec?"', 1)  # new letters
    assert typed != text
    analysis = api.preview(sheet, typed.encode(), ["full-analysis"],
                           service=service).handouts["full-analysis"]
    document = pypdfium2.PdfDocument(analysis.pdf)
    drawn = [document[index].render(scale=96 / 72).to_pil().convert("RGB").tobytes()
             for index in range(len(document))]
    document.close()
    shown = [Image.open(io.BytesIO(png)).convert("RGB").tobytes() for png in analysis.pngs]
    assert shown == drawn
    # drawn again: the pages that show the question (the quiz's correction), not the others
    changed = sum(a != b for a, b in zip(first.handouts["full-analysis"].pngs, analysis.pngs,
                                         strict=True))
    assert 0 < changed == analysis.drawn < len(drawn)


def test_an_invalid_sheet_gives_the_messages_of_check(project, service):
    sheet = project / "content" / "broken.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    broken = re.sub(r"(?m)^(\s*answer:\s*)[a-d]\s*$", r"\1z", text, count=1)
    assert broken != text
    sheet.write_text(broken, encoding="utf-8")  # for `check`, the oracle
    expected = [str(problem) for problem in api.check(sheet).sheets[0].errors]
    assert expected
    made = len(service.rendered)
    preview = api.preview(sheet, broken.encode(), service=service)
    assert not preview.valid
    assert [str(problem) for problem in preview.problems] == expected
    assert preview.handouts == {}
    assert len(service.rendered) == made
    sheet.unlink()


def test_only_the_last_previews_of_a_sheet_are_kept(project, service):
    sheet = project / "content" / "kept.yaml"
    digests = [api.preview(sheet, f"title: [{number}".encode(), service=service).digest
               for number in range(KEPT_PER_SHEET + 1)]
    assert service.find(digests[0]) is None
    assert all(service.find(digest) is not None for digest in digests[1:])


def test_the_zip_holds_the_four_pdfs_that_build_makes(project, service, first, tmp_path):
    sheet = project / "content" / SAMPLE.name
    result = api.build([sheet], tmp_path / "out")
    assert result.ok, [str(failure) for failure in result.failures]
    slug = first.slug
    with zipfile.ZipFile(io.BytesIO(first.zip())) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{slug}-{kind}.pdf" for kind in PREVIEW_KINDS)
        for name in names:
            built = (tmp_path / "out" / slug / name).read_bytes()
            assert pdf_pages_text(archive.read(name)) == pdf_pages_text(built), name
