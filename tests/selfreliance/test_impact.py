"""Matched difference in differences against a hand-computed example."""

from __future__ import annotations

import math

import pytest

from bansos.selfreliance.impact import did_estimate

# cell A: participants change +10 and +20, comparison 0 and +4; cell B: participant +5, comparison +1, +3, +2;
# cell C: a participant without comparison (left out).
ROWS = [
    ("A", True, 40, 50), ("A", True, 50, 70), ("A", False, 45, 45), ("A", False, 40, 44),
    ("B", True, 30, 35), ("B", False, 30, 31), ("B", False, 20, 23), ("B", False, 25, 27),
    ("C", True, 10, 90),
]


def test_it_matches_the_hand_computed_estimate():
    est = did_estimate(ROWS, min_cell=1)
    # weights 2/3 (A) and 1/3 (B): 2/3 * (15 - 2) + 1/3 * (5 - 2) = 29/3
    assert est.did == pytest.approx(29 / 3)
    # Var: A (2/3)^2 (50/2 + 8/2) + B (1/3)^2 (pooled participants' variance 175/3 over 1 + 1/3)
    var = (4 / 9) * (25 + 4) + (1 / 9) * (175 / 3 + 1 / 3)
    assert est.se == pytest.approx(math.sqrt(var))
    assert est.ci_low == pytest.approx(29 / 3 - 1.959964 * math.sqrt(var))
    assert est.ci_high == pytest.approx(29 / 3 + 1.959964 * math.sqrt(var))
    assert (est.participants.n, est.comparison.n, est.cells, est.unmatched, est.suppressed) == (3, 5, 2, 1, False)
    assert est.participants.change == pytest.approx(2 / 3 * 15 + 1 / 3 * 5)
    assert est.comparison.change == pytest.approx(2.0)


def test_it_suppresses_small_samples():
    assert did_estimate(ROWS).suppressed is True  # 3 matched participants < 5


def test_no_match_gives_no_estimate():
    est = did_estimate([("A", True, 1, 2), ("B", False, 1, 1)])
    assert (est.did, est.unmatched, est.suppressed) == (None, 1, True)
