"""The easy-read line width (view/linewidth.py): text the leaflet prints in bold — `**bold**`
and `*italic*`, which its stylesheet prints bold too — is measured with the bold font's
advance widths, read here straight from the font file."""

from __future__ import annotations

import subprocess

import pytest
from fontTools.ttLib import TTFont

from generator.view.linewidth import MM_PER_PT, width_mm

SIZE = 16.0  # the leaflet's body size, in points


def _width(text: str, style: str) -> float:
    """`text`'s width in mm at SIZE in Open Sans `style`, summed from the font's own table."""
    path = subprocess.run(["fc-match", "-f", "%{file}", f"Open Sans:{style}"],
                          capture_output=True, text=True, check=True).stdout
    font = TTFont(path)
    glyphs, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = sum(metrics[glyphs[ord(character)]][0] for character in text)
    return units / font["head"].unitsPerEm * SIZE * MM_PER_PT


@pytest.mark.parametrize("written", ["*Sleep well*", "**Sleep well**", "_Sleep well_"])
def test_bold_and_italic_are_measured_in_bold(written):
    bold, regular = _width("Sleep well", "bold"), _width("Sleep well", "regular")
    assert bold > regular * 1.03  # the two fonts do differ at this length
    assert width_mm(written, SIZE) == pytest.approx(bold, rel=1e-9)
    assert width_mm("Sleep well", SIZE) == pytest.approx(regular, rel=1e-9)


def test_only_the_emphasised_words_of_a_line_are_measured_in_bold():
    expected = _width("Sleep ", "regular") + _width("well", "bold")
    assert width_mm("Sleep *well*", SIZE) == pytest.approx(expected, rel=1e-9)
