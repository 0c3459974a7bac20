"""The results' statistics: small cases worked out by hand here, larger random ones checked
against numpy and scipy (independent implementations of the same textbook formulas)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy import stats as scipy_stats

from generator.view import stats


def test_mean_and_sample_sd_by_hand():
    assert stats.mean([1, 2, 3, 4]) == 2.5
    # deviations ±1.5, ±0.5: squares 2.25 + 0.25 + 0.25 + 2.25 = 5, over n - 1 = 3
    assert stats.sd([1, 2, 3, 4]) == pytest.approx(math.sqrt(5 / 3))
    assert stats.mean([]) is None
    assert stats.sd([7]) is None


def test_corrected_point_biserial_by_hand():
    # right: 1 1 0 0; totals 3 2 2 0, this item worth 1 point: the rest is 2 1 2 0.
    # x - 0.5 = ±0.5; rest - 1.25 = 0.75 -0.25 0.75 -1.25
    # Sxy = 0.375 - 0.125 - 0.375 + 0.625 = 0.5; Sxx = 1; Syy = 2.75
    found = stats.point_biserial([True, True, False, False], [3, 2, 2, 0], 1)
    assert found == pytest.approx(0.5 / math.sqrt(2.75))


def test_point_biserial_takes_the_item_points_out():
    # worth 3 points: totals 5 5 1 1 leave rest 2 2 1 1; x = 1 1 0 0 gives r = 1
    assert stats.point_biserial([True, True, False, False], [5, 5, 1, 1], 3) == pytest.approx(1)


def test_no_spread_no_correlation():
    assert stats.point_biserial([True, True, True], [3, 2, 1], 1) is None
    assert stats.correlation([1.0], [2.0]) is None


def test_kr20_by_hand():
    # totals 3 2 1 0: mean 1.5, variance (2.25+0.25+0.25+2.25)/4 = 1.25
    # p = 0.75, 0.5, 0.25: Σpq = 0.1875 + 0.25 + 0.1875 = 0.625; 3/2 (1 - 0.625/1.25) = 0.75
    items = [[True, True, True], [True, True, False], [True, False, False],
             [False, False, False]]
    assert stats.kr20(items) == pytest.approx(0.75)
    assert stats.kr20([[True, False]]) is None  # one person
    assert stats.kr20([[True, True], [True, True]]) is None  # no spread


def test_normalised_gain_band_and_dz_by_hand():
    assert stats.normalised_gain(2, 4, 5) == pytest.approx(2 / 3)
    assert stats.normalised_gain(5, 5, 5) is None
    assert stats.normalised_gain(4, 3, 5) == pytest.approx(-1)
    assert [stats.hake_band(g) for g in (0.29, 0.3, 0.69, 0.7, -0.2)] == [
        "low", "medium", "medium", "high", "low"]
    # differences 1 2 2: mean 5/3, deviations -2/3 1/3 1/3, variance (6/9)/2 = 1/3
    assert stats.cohen_dz([1, 2, 3], [2, 4, 5]) == pytest.approx((5 / 3) / math.sqrt(1 / 3))
    assert stats.cohen_dz([1, 2], [2, 3]) is None  # every difference equal: no spread


@pytest.mark.parametrize("seed", range(5))
def test_random_tables_agree_with_numpy_and_scipy(seed):
    rng = random.Random(seed)
    people, items = rng.randint(12, 60), rng.randint(3, 12)
    ability = [rng.random() for _ in range(people)]
    right = [[rng.random() < 0.3 + 0.5 * a for _ in range(items)] for a in ability]
    points = [rng.randint(1, 3) for _ in range(items)]
    totals = [float(sum(p for r, p in zip(row, points, strict=True) if r)) for row in right]
    matrix = np.array(right, dtype=float)

    assert stats.mean(totals) == pytest.approx(np.mean(totals))
    assert stats.sd(totals) == pytest.approx(np.std(totals, ddof=1))
    for j in range(items):
        column = [row[j] for row in right]
        if len(set(column)) < 2:
            continue
        rest = np.array(totals) - matrix[:, j] * points[j]
        expected = scipy_stats.pointbiserialr(matrix[:, j], rest).statistic
        assert stats.point_biserial(column, totals, points[j]) == pytest.approx(expected)
    # KR-20 is Cronbach's alpha of right/wrong items (population variances)
    k = items
    alpha = k / (k - 1) * (1 - matrix.var(axis=0).sum() / matrix.sum(axis=1).var())
    assert stats.kr20(right) == pytest.approx(alpha)
    before = [float(rng.randint(0, 10)) for _ in range(people)]
    after = [min(10.0, b + rng.randint(-2, 6)) for b in before]
    # the paired t statistic is d_z · √n
    t = scipy_stats.ttest_rel(after, before).statistic
    assert stats.cohen_dz(before, after) == pytest.approx(t / math.sqrt(people))
