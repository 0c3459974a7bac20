"""How wide a line of the easy-read leaflet is printed, measured with the real font.

A character count cannot say whether a sentence wraps ("mmm" and "iii" differ threefold), so
`check` adds up the advance widths of Open Sans (the leaflet's font, found through fontconfig,
read with fontTools, which WeasyPrint already needs) for the text exactly as printed: Markdown
rendered, typography applied, bold and italic (printed bold) measured in bold. Kerning is left
out, which overestimates by a fraction of a percent: a line said to fit does fit.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from functools import lru_cache

from .markup import inline

MM_PER_PT = 25.4 / 72
FAMILY = "Open Sans"
_TAG = re.compile(r"<(/?)(strong|em|a)\b[^>]*>")


@lru_cache(maxsize=2)
def _font(bold: bool) -> tuple[dict[int, int], int, int] | None:
    """(advance widths by character, units per em, width of a missing glyph) of Open Sans,
    or None when it is not installed (then nothing is measured)."""
    if not shutil.which("fc-match"):
        return None
    pattern = f"{FAMILY}:{'bold' if bold else 'regular'}"
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", pattern],
                               capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    family, _, path = found.stdout.partition("\n")
    if FAMILY not in family:
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in cmap.items() if glyph in metrics}
    return widths, font["head"].unitsPerEm, metrics[".notdef"][0]


def available() -> bool:
    return _font(False) is not None


def _runs(text: str, lang: str) -> list[tuple[str, bool]]:
    """The printed text in runs of (characters, bold)."""
    rendered = str(inline(text, lang))
    runs, depth, position = [], 0, 0
    for match in _TAG.finditer(rendered):
        runs.append((html.unescape(rendered[position:match.start()]), depth > 0))
        if match.group(2) in ("strong", "em"):
            depth += -1 if match.group(1) else 1
        position = match.end()
    runs.append((html.unescape(rendered[position:]), depth > 0))
    return [run for run in runs if run[0]]


def width_mm(text: str, size_pt: float, lang: str = "en", bold: bool = False) -> float | None:
    """The printed width of one line of content at `size_pt`, in millimetres; None when
    the font is not installed."""
    total = 0.0
    for run, run_bold in _runs(text, lang):
        font = _font(bold or run_bold)
        if font is None:
            return None
        widths, units, missing = font
        total += sum(widths.get(ord(c), missing) for c in run) / units
    return total * size_pt * MM_PER_PT
