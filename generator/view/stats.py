"""The statistics of a results report, as pure functions of plain numbers.

Each is the textbook formula, written out so that a reader can check it against a hand
computation (tests/test_stats.py does, and against numpy and scipy on random tables). A
figure that cannot be computed (one person, no spread) is None, never a division error:
the report prints it as "—" and the CSV leaves its cell empty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

TOO_EASY = 0.9  # share correct above which a question tells little
TOO_HARD = 0.2  # share correct under which a question is mostly guessed
SMALL_GROUP = 10  # under this many people, reliability is a rough figure
LOW_GAIN, MEDIUM_GAIN = 0.3, 0.7  # Hake's bands of the normalised gain


def mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def sd(values: Sequence[float]) -> float | None:
    """The sample standard deviation (n - 1): the group stands for others like it."""
    if len(values) < 2:
        return None
    centre = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1))


def _population_variance(values: Sequence[float]) -> float:
    centre = math.fsum(values) / len(values)
    return math.fsum((v - centre) ** 2 for v in values) / len(values)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when either side does not vary (or fewer than two pairs)."""
    if len(xs) < 2:
        return None
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def point_biserial(item: Sequence[bool], totals: Sequence[float], points: float
                   ) -> float | None:
    """Corrected item–total discrimination: the correlation of being right on this question
    with the score on the other questions (the item's own points taken out of each total, so
    that a question does not correlate with itself)."""
    rest = [total - (points if right else 0) for right, total in zip(item, totals, strict=True)]
    return correlation([1.0 if right else 0.0 for right in item], rest)


def kr20(items: Sequence[Sequence[bool]]) -> float | None:
    """Kuder–Richardson 20 over right/wrong items (`items[person][question]`):
    k/(k-1) · (1 - Σ p·q / σ²), p the share right on each item and σ² the variance of the
    number right (both over the people present, not n - 1). None under two items or two
    people, or when every total is equal."""
    people = len(items)
    if people < 2 or not items[0] or len(items[0]) < 2:
        return None
    k = len(items[0])
    totals = [float(sum(row)) for row in items]
    variance = _population_variance(totals)
    if variance == 0:
        return None
    pq = math.fsum((p := sum(row[j] for row in items) / people) * (1 - p) for j in range(k))
    return k / (k - 1) * (1 - pq / variance)


def normalised_gain(before: float, after: float, maximum: float) -> float | None:
    """(after - before) / (maximum - before): the share of what was left to learn that was
    learnt; None when the before score is already the maximum."""
    if maximum - before <= 0:
        return None
    return (after - before) / (maximum - before)


def hake_band(gain: float) -> str:
    """"low" under 0.3, "medium" under 0.7, "high" from 0.7 (Hake, 1998)."""
    if gain < LOW_GAIN:
        return "low"
    return "medium" if gain < MEDIUM_GAIN else "high"


def cohen_dz(before: Sequence[float], after: Sequence[float]) -> float | None:
    """Paired effect size: the mean of the differences over their standard deviation."""
    differences = [a - b for b, a in zip(before, after, strict=True)]
    spread = sd(differences)
    centre = mean(differences)
    if spread is None or spread == 0 or centre is None:
        return None
    return centre / spread
