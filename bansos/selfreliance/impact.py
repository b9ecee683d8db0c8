"""Impact of a program on the kemandirian index: difference in differences against matched non-participants.

An observational estimate, labelled as such wherever it is shown. For a program, a baseline month B and
a follow-up month F (both stored months of the index):

- participants: households that took part in the program (approved at some time: approved, active,
  suspended, graduated or exited) and have a score in both months;
- comparison: active households never enrolled in the program in any state, with scores in both months;
- cells: exact matching on welfare decile (``welfare.HouseholdWelfare``, "unknown" is a value of its
  own), RW and household type (female-headed or not x with or without members under 18 at F);
- estimate: in each cell with participants and comparison households, the mean change (F - B) of the
  participants minus the mean change of the comparison; the cells are averaged weighted by their
  participants (the effect on the participants). Participants in cells without any comparison
  household are left out and counted.
- confidence interval: analytic, 95 %, normal approximation: Var = sum over cells of
  (n_t/N_t)^2 (s_t^2/n_t + s_c^2/n_c), with s^2 the sample variance (n - 1) of the changes; a group
  of one household in a cell borrows its group's pooled variance over all matched cells.

No personal data leaves this module: only counts and means. Results with fewer than ``MIN_CELL``
households on either side are suppressed, and so are RW rows with fewer than ``MIN_CELL`` participants.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean, variance
from typing import Any

MIN_CELL = 5
Z95 = 1.959964
TOOK_PART = ("approved", "active", "suspended", "graduated", "exited")


@dataclass
class Group:
    n: int = 0
    base_mean: float | None = None
    follow_mean: float | None = None
    change: float | None = None


@dataclass
class Estimate:
    participants: Group
    comparison: Group  # weighted to the participants' cells
    did: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    cells: int
    unmatched: int  # participants in cells without comparison households
    pool: int  # comparison households in matched cells
    suppressed: bool
    by_rw: list[dict[str, Any]] = field(default_factory=list)


def _sample_var(values: list[float]) -> float | None:
    return variance(values) if len(values) >= 2 else None


def did_estimate(rows: list[tuple[Any, bool, float, float]], *, min_cell: int = MIN_CELL) -> Estimate:
    """The matched difference in differences from (cell, is_participant, baseline, follow-up) rows."""
    cells: dict[Any, dict[bool, list[tuple[float, float]]]] = defaultdict(lambda: {True: [], False: []})
    for cell, treated, base, follow in rows:
        cells[cell][bool(treated)].append((float(base), float(follow)))
    matched = {k: v for k, v in cells.items() if v[True] and v[False]}
    unmatched = sum(len(v[True]) for k, v in cells.items() if k not in matched)
    n_t = sum(len(v[True]) for v in matched.values())
    n_c = sum(len(v[False]) for v in matched.values())
    if not matched:
        return Estimate(Group(), Group(), None, None, None, None, 0, unmatched, 0, True)
    deltas = {k: {g: [f - b for b, f in v[g]] for g in (True, False)} for k, v in matched.items()}
    pooled = {g: _sample_var([d for v in deltas.values() for d in v[g]]) or 0.0 for g in (True, False)}
    did, var = 0.0, 0.0
    base_t = follow_t = base_c = follow_c = 0.0
    for key, groups in matched.items():
        w = len(groups[True]) / n_t
        d_t, d_c = deltas[key][True], deltas[key][False]
        did += w * (fmean(d_t) - fmean(d_c))
        s_t = _sample_var(d_t)
        s_c = _sample_var(d_c)
        var += w * w * ((pooled[True] if s_t is None else s_t) / len(d_t)
                        + (pooled[False] if s_c is None else s_c) / len(d_c))
        base_t += w * fmean(b for b, _f in groups[True])
        follow_t += w * fmean(f for _b, f in groups[True])
        base_c += w * fmean(b for b, _f in groups[False])
        follow_c += w * fmean(f for _b, f in groups[False])
    se = math.sqrt(var)
    suppressed = n_t < min_cell or n_c < min_cell
    participants = Group(n_t, base_t, follow_t, follow_t - base_t)
    comparison = Group(n_c, base_c, follow_c, follow_c - base_c)
    return Estimate(participants, comparison, did, se, did - Z95 * se, did + Z95 * se, len(matched), unmatched,
                    n_c, suppressed)


def program_rows(program, baseline: dt.date, followup: dt.date) -> tuple[list[tuple[Any, bool, float, float]],
                                                                         dict[Any, str]]:
    """The (cell, participant?, score at B, score at F) rows for a program, and each household's RW label."""
    from bansos.programs.models import Enrollment
    from bansos.registry.models import Household, Resident
    from bansos.selfreliance.models import IndexScore
    from bansos.selfreliance.sql import month_end, years_before
    from bansos.welfare.models import HouseholdWelfare

    base = dict(IndexScore.objects.filter(month=baseline).values_list("household_id", "score"))
    follow = dict(IndexScore.objects.filter(month=followup).values_list("household_id", "score"))
    both = base.keys() & follow.keys()
    took_part = set(Enrollment.objects.filter(program=program, state__in=TOOK_PART).values_list("household_id",
                                                                                                 flat=True))
    ever = set(Enrollment.objects.filter(program=program).values_list("household_id", flat=True))
    deciles = dict(HouseholdWelfare.objects.values_list("household_id", "decile"))
    rws = dict(Household.objects.filter(status="active").values_list("pk", "rt__rw_id"))
    rw_labels = dict(Household.objects.filter(status="active").values_list("rt__rw_id", "rt__rw__number").distinct())
    female = set(Resident.objects.filter(status="active", relation="head", sex="P").values_list("household_id",
                                                                                                 flat=True))
    minors = set(Resident.objects.filter(status="active", birth_date__gt=years_before(month_end(followup), 18))
                 .values_list("household_id", flat=True).distinct())
    rows = []
    for hid in both:
        if hid not in rws:
            continue
        treated = hid in took_part
        if not treated and hid in ever:
            continue  # applied, rejected or still applying: neither participant nor a clean comparison
        cell = (deciles.get(hid), rws[hid], hid in female, hid in minors)
        rows.append((cell, treated, base[hid], follow[hid]))
    return rows, {k: f"RW {v:02d}" if isinstance(v, int) else str(v) for k, v in rw_labels.items()}


def program_impact(program, baseline: dt.date, followup: dt.date) -> Estimate:
    rows, rw_labels = program_rows(program, baseline, followup)
    estimate = did_estimate(rows)
    per_rw: dict[Any, list[float]] = defaultdict(list)
    for (_decile, rw, _female, _minors), treated, base, follow in rows:
        if treated:
            per_rw[rw].append(follow - base)
    estimate.by_rw = [
        {"rw": rw_labels.get(rw, "?"), "n": len(ch), "suppressed": len(ch) < MIN_CELL,
         "change": None if len(ch) < MIN_CELL else round(fmean(ch), 1)}
        for rw, ch in sorted(per_rw.items(), key=lambda kv: rw_labels.get(kv[0], ""))
    ]
    return estimate
