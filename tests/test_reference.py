"""The HTML of the samples' handouts, compared with reference files reviewed in diffs.

Any change to what is printed shows up here as a diff of `tests/data/reference/`. After a
deliberate change, rewrite them with `pytest tests/test_reference.py --update-references`
and read the diff before committing it. Stylesheets are left out of the comparison (they are
sources of their own); the repository's absolute path is written `{ROOT}`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.batch.build import build
from generator.options import BuildOptions
from tests.conftest import DATA, FRENCH, FRENCH_SAMPLE, ROOT, SAMPLE

REFERENCE = DATA / "reference"
CASES = {
    "default": ([*sorted((ROOT / "content").glob("*.yaml")), FRENCH], BuildOptions(fmt="html")),
    "editions": ([SAMPLE, FRENCH_SAMPLE],
                 # only what editions change: the analysis and leaflet are the default case's
                 BuildOptions(fmt="html", versions=2, seed="7", pre_post=True,
                              answer_sheet=True,
                              only=("quiz", "answer-key", "marking-grid", "answer-sheet",
                                    "tally-sheet"))),
    "proof": ([FRENCH], BuildOptions(fmt="html", only=("easy-read-proof",))),
}
_STYLE = re.compile(r"<style>.*?</style>\n?", re.S)


def normalise(html: str) -> str:
    return _STYLE.sub("", html).replace(ROOT.as_uri(), "{ROOT}").replace(str(ROOT), "{ROOT}")


def _rendered(case: str, output: Path) -> dict[str, str]:
    sheets, options = CASES[case]
    result = build(sheets, output, options)
    assert result.ok, [str(failure) for failure in result.failures]
    return {f"{case}/{path.relative_to(output)}": normalise(path.read_text(encoding="utf-8"))
            for path in sorted(output.rglob("*.html"))}


@pytest.mark.parametrize("case", CASES)
def test_handouts_match_their_reference_html(case, tmp_path, request):
    rendered = _rendered(case, tmp_path)
    folder = REFERENCE / case
    if request.config.getoption("--update-references"):
        for old in folder.rglob("*.html"):
            old.unlink()
        for name, html in rendered.items():
            target = REFERENCE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        pytest.skip("references rewritten: review `git diff tests/data/reference`")
    expected = {f"{case}/{path.relative_to(folder)}" for path in folder.rglob("*.html")}
    assert set(rendered) == expected, "outputs differ from the references: --update-references"
    for name, html in rendered.items():
        reference = (REFERENCE / name).read_text(encoding="utf-8")
        assert html == reference, f"{name} differs from its reference: see the diff, then " \
                                  "--update-references if the change is wanted"
