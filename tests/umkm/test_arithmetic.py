"""Loan schedule arithmetic in integer Rupiah, due dates, arrears days, revenue trend, months active."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from bansos.umkm import arithmetic as ar

D = dt.date


def test_it_computes_flat_interest_rounded_down():
    # 1.000.000 at 12 % a year for 12 months: exactly 120.000.
    assert ar.flat_interest(1_000_000, 1200, 12) == 120_000
    # 1.000.001 × 1200 × 7 / 120000 = 70.000,07 → 70.000 (down, in the borrower's favour).
    assert ar.flat_interest(1_000_001, 1200, 7) == 70_000
    assert ar.flat_interest(999, 1, 1) == 0
    assert ar.flat_interest(5_000_000, 0, 24) == 0


def test_it_gives_the_remainder_to_the_first_instalments():
    assert ar.instalment_amounts(100, 3) == [34, 33, 33]
    assert ar.instalment_amounts(101, 3) == [34, 34, 33]
    assert ar.instalment_amounts(99, 3) == [33, 33, 33]
    assert ar.instalment_amounts(2, 3) == [1, 1, 0]


def test_a_schedule_example():
    s = ar.loan_schedule(1_000_000, 1000, 12, D(2026, 1, 31))
    assert (s.interest, s.total_due) == (100_000, 1_100_000)
    assert [a for _n, _d, a in s.rows] == [91_667] * 8 + [91_666] * 4
    assert [d for _n, d, _a in s.rows][:4] == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]
    assert [n for n, _d, _a in s.rows] == list(range(1, 13))


def test_due_dates_clamp_to_the_month_end_and_keep_the_original_day():
    assert ar.due_dates(D(2026, 1, 31), 3) == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]
    assert ar.due_dates(D(2028, 1, 31), 2) == [D(2028, 1, 31), D(2028, 2, 29)]  # leap year
    assert ar.due_dates(D(2026, 11, 30), 4) == [D(2026, 11, 30), D(2026, 12, 30), D(2027, 1, 30), D(2027, 2, 28)]
    assert ar.add_months(D(2026, 8, 31), 1) == D(2026, 9, 30)
    assert ar.add_months(D(2026, 12, 15), 13) == D(2028, 1, 15)


@settings(max_examples=300, deadline=None)
@given(principal=st.integers(1, 10**12), bp=st.integers(0, ar.MAX_INTEREST_BP),
       term=st.integers(1, ar.MAX_TERM_MONTHS),
       first=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)))
def test_no_rupiah_is_lost_or_created(principal, bp, term, first):
    s = ar.loan_schedule(principal, bp, term, first)
    amounts = [a for _n, _d, a in s.rows]
    exact = Fraction(principal * bp * term, ar.BP_MONTHS)
    assert 0 <= exact - s.interest < 1  # rounded down, by less than a rupiah
    assert s.total_due == principal + s.interest
    assert sum(amounts) == s.total_due
    assert len(amounts) == term
    assert max(amounts) - min(amounts) <= 1
    assert amounts == sorted(amounts, reverse=True)
    dates = [d for _n, d, _a in s.rows]
    assert dates == sorted(dates) and len(set(dates)) == term
    assert all(d.day == min(first.day, 28) or d.day >= 28 for d in dates)


@given(total=st.integers(0, 10**9), dues=st.lists(st.integers(0, 10**7), min_size=1, max_size=30))
def test_allocation_fills_the_oldest_first_and_keeps_every_rupiah(total, dues):
    total = min(total, sum(dues))
    shares = ar.allocate(total, dues)
    assert sum(shares) == total
    assert all(0 <= s <= d for s, d in zip(shares, dues))
    first_short = next((i for i, (s, d) in enumerate(zip(shares, dues)) if s < d), len(dues))
    assert all(s == 0 for s in shares[first_short + 1:])


def test_days_overdue_at_the_boundaries():
    on = D(2026, 5, 10)
    assert ar.days_overdue(on, [(D(2026, 5, 10), 100, 0)]) == 0  # due today: not overdue yet
    assert ar.days_overdue(on, [(D(2026, 5, 9), 100, 0)]) == 1  # due yesterday: one day
    assert ar.days_overdue(on, [(D(2026, 5, 9), 100, 100)]) == 0  # paid
    assert ar.days_overdue(on, [(D(2026, 3, 10), 100, 100), (D(2026, 4, 10), 100, 99),
                                (D(2026, 5, 9), 100, 0)]) == 30  # from the oldest unpaid


def test_repayment_status_and_buckets():
    assert ar.repayment_status(total_due=100, repaid=100, disbursed=True, overdue_days=0) == ar.LUNAS
    assert ar.repayment_status(total_due=100, repaid=10, disbursed=True, overdue_days=0) == ar.LANCAR
    assert ar.repayment_status(total_due=100, repaid=10, disbursed=True, overdue_days=3) == ar.MENUNGGAK
    assert ar.repayment_status(total_due=100, repaid=0, disbursed=False, overdue_days=0) == ar.BELUM_CAIR
    assert [ar.bucket_of(d) for d in (0, 1, 30, 31, 90, 91, 400)] == ["", "1-30", "1-30", "31-90", "31-90",
                                                                       "90+", "90+"]


def test_trend_boundaries():
    assert ar.revenue_trend([100, 100, 100]).code == ar.KURANG_DATA
    # Newest first: last 3 average 110 against 100 before = +10 % exactly: still stable.
    assert ar.revenue_trend([110, 110, 110, 100, 100, 100]).code == ar.STABIL
    assert ar.revenue_trend([111, 110, 110, 100, 100, 100]).code == ar.NAIK
    assert ar.revenue_trend([90, 90, 90, 100, 100, 100]).code == ar.STABIL  # -10 % exactly
    assert ar.revenue_trend([89, 90, 90, 100, 100, 100]).code == ar.TURUN
    four = ar.revenue_trend([200, 200, 200, 100])  # 4 months: the 3 recent against the 1 before
    assert (four.code, four.recent_avg, four.before_avg, four.pct) == (ar.NAIK, 200, 100, 100)
    assert four.pct_display == "+100,0 %"
    assert ar.revenue_trend([0, 0, 0, 0]).code == ar.STABIL
    assert ar.revenue_trend([5, 0, 0, 0]).code == ar.NAIK
    # Only the 6 newest months count.
    assert ar.revenue_trend([100, 100, 100, 100, 100, 100, 1]).code == ar.STABIL


def test_months_between():
    assert ar.months_between(D(2026, 1, 15), D(2026, 1, 31)) == 0
    assert ar.months_between(D(2026, 1, 15), D(2026, 2, 15)) == 1
    assert ar.months_between(D(2026, 1, 15), D(2026, 2, 14)) == 0
    assert ar.months_between(D(2026, 1, 31), D(2026, 2, 28)) == 1  # month end counts as a whole month
    assert ar.months_between(D(2026, 5, 1), D(2026, 1, 1)) == 0
