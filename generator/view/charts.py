"""The results report's charts: vector SVG drawn with matplotlib, text kept as text.

Each chart is printed with a text alternative and its data table (resultsview.py), so a
reader who cannot see it, or a screen reader, gets the same figures. The same results give
the same bytes (a fixed hash salt, no date), as every other output of handouts.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

# The report's colours in black-and-white print too: a solid dark bar and a light hatched one.
BEFORE_COLOUR = "#9fb8c6"
AFTER_COLOUR = "#1b5e7a"
INK = "#1a1a1a"
FONTS = ["Noto Sans", "Open Sans", "DejaVu Sans"]


def _figure(width: float, height: float) -> Any:
    """A figure drawn by the SVG backend alone (pyplot, its state and its GUI backends are
    never loaded: a second less to start)."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "handouts", "font.family": "sans-serif",
        "font.sans-serif": FONTS, "font.size": 9, "axes.edgecolor": INK,
        "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
        "axes.spines.top": False, "axes.spines.right": False, "hatch.linewidth": 0.6,
    })
    return Figure(figsize=(width, height))


def _svg(figure: Any) -> str:
    """The figure as an SVG `data:` URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
         axis: str, percent: bool = True) -> str:
    """Grouped vertical bars: one group per label, one bar per series (before, after)."""
    width = max(4.2, min(7.0, 0.45 * len(labels) * max(1, len(series)) + 1.5))
    figure = _figure(width, 2.2)
    axes = figure.subplots()
    step = 0.8 / max(1, len(series))
    styles = [(BEFORE_COLOUR, "///"), (AFTER_COLOUR, "")] if len(series) > 1 else [
        (AFTER_COLOUR, "")]
    for n, ((name, values), (colour, hatch)) in enumerate(zip(series, styles, strict=False)):
        positions = [i + (n - (len(series) - 1) / 2) * step for i in range(len(labels))]
        # a bar of nothing is no bar: no outline drawn along the axis
        axes.bar(positions, [v * 100 if percent else v for v in values], step * 0.92,
                 label=name, color=colour, hatch=hatch, edgecolor=INK,
                 linewidth=[0.5 if v else 0 for v in values])
    axes.set_xticks(range(len(labels)), labels)
    axes.set_ylabel(axis)
    if percent:
        axes.set_ylim(0, 100)
        axes.set_yticks([0, 25, 50, 75, 100])
    else:
        axes.yaxis.get_major_locator().set_params(integer=True)
    if len(series) > 1:
        axes.legend(frameon=False, ncols=len(series), loc="lower center",
                    bbox_to_anchor=(0.5, 1.0))
    return _svg(figure)
