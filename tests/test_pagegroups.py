"""Page groups (documents/pagegroups.py): a warm worker keeps the laid-out pages of each page
group and lays out again only the groups an edit changed. The PDF must be the one a whole
layout makes, byte for byte, whatever the edit; and a document whose groups are not cleanly
apart must never be assembled from parts.
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path

import pytest
import yaml

from generator.batch.rendering import PdfJob, SheetOutcome, SheetTask, render_into
from generator.documents.pagegroups import (
    LEAD,
    MARK,
    PageKeeper,
    _lead_page_empty,
    numbered,
    split,
)
from generator.documents.render import Renderer
from generator.options import BuildOptions
from generator.settings import load as load_settings
from tests.conftest import DATA, NO_FONT_HAS, ROOT, SAMPLE

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def analysis(text: str, file: Path = SAMPLE, **options) -> PdfJob:
    """The PDF job of the full analysis of a sheet's text, as a build makes it (pictures are
    found next to `file`)."""
    built = BuildOptions(only=("full-analysis",), **options)
    task = SheetTask(file, text.encode("utf-8"), tuple((p, "") for p in built.planned()),
                     Path(tempfile.gettempdir()), built)
    jobs: list[PdfJob] = []
    render_into(SheetOutcome(task), defer=jobs)
    (job,) = jobs
    return job


def pdf(renderer: Renderer, job: PdfJob, keep: bool = True):
    return renderer.pdf(job.html, stylesheets=job.stylesheets, variant=job.variant,
                        pictures=job.pictures, keep_as="analysis" if keep else None)


def edited(text: str, change) -> str:
    """The sheet's text with its data changed (written back as plain YAML)."""
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def other_answer(text: str) -> str:
    """The first question's correct letter changed (only the correction prints it)."""
    def change(data):
        old = data["quiz"][0]["answer"]
        data["quiz"][0]["answer"] = next(letter for letter in "abcd" if letter != old)
    return edited(text, change)


def other_summary(text: str, words: str = "Note well.") -> str:
    """Words put before the summary (before the correction)."""
    def change(data):
        data["summary"][0]["text"] = f"{words} {data['summary'][0]['text']}"
    return edited(text, change)


def longer_faq(text: str) -> str:
    """The FAQ twice over: the correction's group grows by pages."""
    def change(data):
        data["faq"] += copy.deepcopy(data["faq"])
    return edited(text, change)


@pytest.fixture(scope="module")
def plain() -> Renderer:
    return Renderer()


def test_the_analysis_is_two_groups_cut_at_the_correction():
    html = analysis(SAMPLE_TEXT).html
    cut = split(html)
    assert cut is not None and len(cut.groups) == 2
    assert cut.groups[1].lstrip().startswith('<section class="quiz-correction">')
    assert "quiz-correction" not in cut.groups[0]
    assert cut.part(0) + "" != html and cut.part(1).count(LEAD) == 1


def test_content_cannot_forge_a_page_group():
    forged = other_summary(SAMPLE_TEXT, words=MARK)
    html = analysis(forged).html
    assert "&lt;!--page-group--&gt;" in html
    assert len(split(html).groups) == 2


@pytest.mark.parametrize("options", [{}, {"paper": "a5"}, {"paper": "letter"},
                                     {"pdf_variant": None}, {"pdf_variant": "pdf/x-4"},
                                     "project"],
                         ids=["a4", "a5", "letter", "untagged", "pdf-x-4", "project"])
def test_edits_lay_out_the_changed_groups_only_and_give_the_whole_layouts_bytes(plain, options):
    if options == "project":
        options = {"project": load_settings(ROOT / "handouts.toml").project}
    warm = Renderer()
    warm.pages = PageKeeper()
    changed_answer = other_answer(SAMPLE_TEXT)
    steps = [  # (sheet text, groups expected kept)
        (SAMPLE_TEXT, 0),  # the first render: whole, then kept
        (changed_answer, 1),  # the correction changed: the first group kept
        (other_summary(changed_answer), 1),  # the summary changed: the correction kept
        (changed_answer, 2),  # undone: both kept, nothing laid out
        (SAMPLE_TEXT, 2),  # as at first
    ]
    for number, (text, kept) in enumerate(steps):
        job = analysis(text, **options)
        before = warm.pages.reused
        made, expected = pdf(warm, job), pdf(plain, job, keep=False)
        assert made.data == expected.data, f"step {number}"
        assert made.pages == expected.pages
        assert warm.pages.reused - before == kept, f"step {number}"


@pytest.mark.parametrize("sheet", [ROOT / "content" / "competences-psychosociales.yaml",
                                   ROOT / "content" / "estrategia-promocion-salud.yaml",
                                   DATA / "sheets" / "every-field.yaml"],
                         ids=lambda path: path.stem)
def test_every_sample_gives_the_whole_layouts_bytes(plain, sheet):
    text = sheet.read_text(encoding="utf-8")
    warm = Renderer()
    warm.pages = PageKeeper()
    for number, (edit, kept) in enumerate([(text, 0), (other_answer(text), 1), (text, 2)]):
        job = analysis(edit, file=sheet)
        before = warm.pages.reused
        made, expected = pdf(warm, job), pdf(plain, job, keep=False)
        assert made.data == expected.data, f"step {number}"
        assert made.warnings == expected.warnings
        assert warm.pages.reused - before == kept, f"step {number}"


def test_a_themes_handouts_are_laid_out_whole(tmp_path):
    """A theme's selectors are not checked against page groups: its handouts never split."""
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "extra.css").write_text("h2 { letter-spacing: 0.01em; }")
    (tmp_path / "handouts.toml").write_text('[organisation]\nname = "Test"\n\n[theme]\n'
                                            'folder = "theme"\nstylesheets = ["extra.css"]\n')
    themed = load_settings(tmp_path / "handouts.toml").project
    assert themed is not None and themed.theme is not None
    assert not analysis(SAMPLE_TEXT, project=themed).page_groups
    assert analysis(SAMPLE_TEXT).page_groups
    assert analysis(SAMPLE_TEXT, project=load_settings(ROOT / "handouts.toml").project
                    ).page_groups


def test_a_group_that_grows_renumbers_the_others(plain):
    """The correction's group grows by a page: the first group's footers say another total,
    so it is laid out again too; the correction's page numbers follow on."""
    warm = Renderer()
    warm.pages = PageKeeper()
    first = pdf(warm, analysis(SAMPLE_TEXT))
    job = analysis(longer_faq(SAMPLE_TEXT))
    before = warm.pages.reused
    made, expected = pdf(warm, job), pdf(plain, job, keep=False)
    assert made.pages > first.pages
    assert made.data == expected.data
    assert warm.pages.reused == before
    # the correction's first page says its number out of the new total
    cut = split(job.html)
    pages = pdf_text_pages(made.data)
    correction = next(i for i, page in enumerate(pages) if "COMMENTED CORRECTION" in page)
    assert len(cut.groups) == 2
    assert squash_spaces(pages[correction]).endswith(f" {correction + 1} / {made.pages}")
    assert squash_spaces(pages[-1]).endswith(f" {made.pages} / {made.pages}")


def pdf_text_pages(data: bytes) -> list[str]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return [page.extract_text() or "" for page in document.pages]


def squash_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("extra, options, why", [
    (".overline { string-set: heading content(); }", {}, "a named string"),
    (".overline { position: fixed; top: 0; }", {}, "an element fixed on every page"),
    (".quiz-correction { break-before: auto; }", {}, "a break the stylesheet does not force"),
    ("@page { marks: crop; }", {}, "crop marks, which the engine adds again at each write"),
    ("body { counter-reset: list-item; } ol, ul { counter-reset: none; }", {},
     "the list-item counter, which then numbers on from one group's lists into the next's"),
])
def test_groups_that_are_not_cleanly_apart_are_always_laid_out_whole(plain, extra, options,
                                                                       why):
    warm = Renderer()
    warm.pages = PageKeeper()
    for text in (SAMPLE_TEXT, other_answer(SAMPLE_TEXT), SAMPLE_TEXT):
        job = analysis(text, **options)
        sheets = (*job.stylesheets, extra)
        made = warm.pdf(job.html, stylesheets=sheets, variant=job.variant,
                        pictures=job.pictures, keep_as="analysis")
        expected = plain.pdf(job.html, stylesheets=sheets, variant=job.variant,
                             pictures=job.pictures)
        assert made.data == expected.data, why
    assert warm.pages.reused == 0, why


def _renders(warm: Renderer, plain: Renderer, steps) -> None:
    """Each (sheet text, extra stylesheet) rendered by `warm` and whole by `plain`: the same
    bytes at every step."""
    for number, (text, extra) in enumerate(steps):
        job = analysis(text)
        sheets = (*job.stylesheets, extra)
        made = warm.pdf(job.html, stylesheets=sheets, variant=job.variant,
                        pictures=job.pictures, keep_as="analysis")
        expected = plain.pdf(job.html, stylesheets=sheets, variant=job.variant,
                             pictures=job.pictures)
        assert made.data == expected.data, f"step {number}"


def test_a_group_whose_lead_page_is_not_empty_when_laid_out_alone_is_not_used(plain):
    """The correction starts a page only after the cover (`~`): in the whole it does, so the
    groups are kept; laid out alone, after the lead block, it does not, and its first page
    holds the lead block and the correction's start: that layout is not used."""
    extra = (".quiz-correction { break-before: auto; } "
             ".cover ~ .quiz-correction { break-before: page; }")
    warm = Renderer()
    warm.pages = PageKeeper()
    _renders(warm, plain, [(SAMPLE_TEXT, extra), (other_answer(SAMPLE_TEXT), extra)])
    assert warm.pages._counts  # the first render's groups were kept...
    assert warm.pages.reused == 0  # ...and the second was laid out whole


def test_a_changed_stylesheet_reuses_no_page(plain):
    """`watch` after the primary colour changed in handouts.toml: the summary's group is the
    same HTML, but its pages were drawn in the old colour; none is reused."""
    warm = Renderer()
    warm.pages = PageKeeper()
    _renders(warm, plain, [(SAMPLE_TEXT, "h2 { color: #000080; }"),
                           (other_answer(SAMPLE_TEXT), "h2 { color: #800000; }")])
    assert warm.pages.reused == 0


def test_a_group_laid_out_alone_with_an_element_fixed_on_every_page_is_not_used(plain):
    """A stylesheet that fixes the 12th key point on every page, and a sheet that gains its
    12th key point: the summary's group laid out alone has an element the whole would also
    print on the correction's pages, so the whole is laid out."""
    data = yaml.safe_load(SAMPLE_TEXT)
    count = len(data["key_points"])
    extra = f".points li:nth-child({count + 1}) {{ position: fixed; top: 0; }}"
    grown = edited(SAMPLE_TEXT, lambda d: d["key_points"].append(copy.deepcopy(
        d["key_points"][0])))
    warm = Renderer()
    warm.pages = PageKeeper()
    _renders(warm, plain, [(SAMPLE_TEXT, extra), (grown, extra)])
    assert warm.pages.reused == 0


def test_a_kept_groups_warnings_are_said_again(plain, monkeypatch):
    """Words in the summary that make the engine warn while laying out (and a character no
    font has, which it says while drawing): the warnings come with every PDF made from the
    summary's kept pages, as a whole layout would say them."""
    import logging

    import weasyprint

    real = weasyprint.HTML.render

    def render(self, *args, **kwargs):
        if any("Odd sign" in text for text in self.etree_element.itertext()):
            logging.getLogger("weasyprint").warning("odd layout")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    warm = Renderer()
    warm.pages = PageKeeper()
    pdf(warm, analysis(SAMPLE_TEXT))
    odd = other_summary(SAMPLE_TEXT, words=f"Odd sign {NO_FONT_HAS}.")
    for text in (odd, other_answer(odd)):
        job = analysis(text)
        made, expected = pdf(warm, job), pdf(plain, job, keep=False)
        assert made.data == expected.data
        assert made.warnings == expected.warnings
        assert "the PDF engine reported: odd layout" in made.warnings
        assert any("U+0378" in warning for warning in made.warnings)
    assert warm.pages.reused == 2  # the correction once, then the summary's group
    # a whole layout that warned is not kept: its warnings cannot be told apart by group
    warm = Renderer()
    warm.pages = PageKeeper()
    for text in (odd, other_answer(odd)):
        job = analysis(text)
        assert pdf(warm, job).warnings == pdf(plain, job, keep=False).warnings
    assert warm.pages.reused == 0


def test_a_group_laid_out_alone_is_used_only_after_a_forced_break():
    renderer = Renderer()
    weasyprint, _ = renderer._weasyprint

    def lead_then(style: str):
        html = f"<html><body>{LEAD}<p style='{style}'>text</p></body></html>"
        return weasyprint.HTML(string=html).render()

    assert _lead_page_empty(lead_then("break-before: page"))
    assert not _lead_page_empty(lead_then(""))


def test_page_numbers_of_a_group_alone():
    sheets = numbered(['@page { @bottom-right { content: "p. " counter(page) " / " '
                       'counter(pages); } }'], start=7, total=10, lead=True)
    assert sheets == ['@page { @bottom-right { content: "p. " counter(page) " / " "10"; } }',
                      "@page :first { counter-reset: page 6; }"]
    assert numbered(["@page { @bottom-right { content: counter(pages, upper-roman) } }"],
                    start=1, total=3, lead=False) is None
    assert numbered(["@page { @bottom-right { content: counter( pages ) } }"], start=1,
                    total=3, lead=False) == ['@page { @bottom-right { content: "3" } }']


def test_the_sample_analysis_pages_break_where_the_groups_do(plain):
    """What the test above assumes of the sample: its correction starts a page."""
    made = pdf(plain, analysis(SAMPLE_TEXT), keep=False)
    pages = pdf_text_pages(made.data)
    starts = [i for i, page in enumerate(pages) if "COMMENTED CORRECTION" in page]
    assert len(starts) == 1 and 0 < starts[0] < len(pages) - 1
    cut = split(analysis(SAMPLE_TEXT).html)
    assert "correction-part" in cut.groups[1] and "correction-part" not in cut.groups[0]


def test_a_failure_of_the_kept_pages_only_costs_time(plain, monkeypatch):
    """Keeping pages is an optimisation: should it fail, the whole is laid out and the PDF
    made as without it, and what was kept is forgotten."""
    warm = Renderer()
    warm.pages = PageKeeper()
    pdf(warm, analysis(SAMPLE_TEXT))

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in assembling")

    monkeypatch.setattr(PageKeeper, "_assemble", broken)
    job = analysis(other_answer(SAMPLE_TEXT))
    assert pdf(warm, job).data == pdf(plain, job, keep=False).data
    assert warm.pages.reused == 0 and not warm.pages._kept


def test_kept_pages_stay_within_their_budget(plain):
    """A keeper of 5 pages cannot keep the summary's six: each save lays out what it must,
    and the PDFs are still the whole layout's."""
    warm = Renderer()
    warm.pages = PageKeeper(pages=5)
    text = SAMPLE_TEXT
    for edit in (other_answer, other_summary, other_answer):
        text = edit(text)
        job = analysis(text)
        assert pdf(warm, job).data == pdf(plain, job, keep=False).data
        assert sum(len(kept.pages) for kept in warm.pages._kept.values()) <= 5
    assert warm.pages.reused == 1  # the correction's four pages, once the summary changed
