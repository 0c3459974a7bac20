"""The colours of handouts.toml checked for contrast (WCAG 2) and the panel tint made from the
primary colour: what `[colours]` may be, said with a darker colour that would do."""

from __future__ import annotations

MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA, normal text
MIN_GRAPHIC_CONTRAST = 3.0  # WCAG 2 AA, rules and panel edges (1.4.11)
# What the primary colour is printed on (paper, and the lightest grey panel that
# tests/test_accessibility.py checks), and the other text colours of base.css printed on its
# tint.
TEXT_BACKGROUNDS = ("#ffffff", "#f4f7f9")
PANEL_TEXT = ("#1f2a33", "#4f5d69")


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """`amount` of `colour` over `other` (a tint)."""
    mixed = (round(a * amount + b * (1 - amount))
             for a, b in zip(_channels(colour), _channels(other), strict=True))
    return "#" + "".join(f"{value:02x}" for value in mixed)


def darken_to(colour: str, ratio: float) -> str:
    """The nearest shade of `colour` (mixed with black) that reaches `ratio` on white and on
    the light panels."""
    for step in range(101):
        shade = mix(colour, "#000000", 1 - step / 100)
        if min(contrast(shade, background) for background in TEXT_BACKGROUNDS) >= ratio:
            return shade
    return "#000000"


def panel_tint(primary: str) -> str:
    """The tinted panel behind text (--accent-soft): 10% of the primary colour, lighter when
    the primary, the ink or the muted text would fall under 4.5:1 on it."""
    for percent in range(10, -1, -1):
        tint = mix(primary, "#ffffff", percent / 100)
        if all(contrast(text, tint) >= MIN_TEXT_CONTRAST for text in (primary, *PANEL_TEXT)):
            return tint
    return "#ffffff"
