"""The budget card and the forecast "at the current pace the budget runs out on ..."."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.programs.models import BudgetMovement, MovementKind
from bansos.programs.selectors.budget import WINDOW_DAYS, budget_card, budget_forecast

TODAY = dt.date(2026, 3, 31)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), timezone.get_current_timezone())


def ledger(program, *rows) -> None:
    """Movements (kind, amount, day) as the services write them, dated in the past, figures kept in step."""
    for kind, amount, day in rows:
        movement = BudgetMovement.objects.create(program=program, kind=kind, amount=amount)
        BudgetMovement.objects.filter(pk=movement.pk).update(created_at=_at(day))
        if kind in (MovementKind.COMMIT, MovementKind.RELEASE):
            program.budget_committed += amount
    program.save(update_fields=["budget_committed"])
    program.refresh_from_db()


def test_it_forecasts_from_the_net_commitments_of_the_window(make_program):
    program = make_program(budget=10_000_000, end_date=dt.date(2026, 12, 31))
    # First commitment 10 days ago (window = 11 days including today); Rp 2.2M net of a release.
    ledger(program,
           (MovementKind.COMMIT, 1_500_000, TODAY - dt.timedelta(days=10)),
           (MovementKind.COMMIT, 900_000, TODAY - dt.timedelta(days=3)),
           (MovementKind.RELEASE, -200_000, TODAY - dt.timedelta(days=1)))
    forecast = budget_forecast(program, today=TODAY)
    assert forecast.reason == "ok"
    assert forecast.window_start == TODAY - dt.timedelta(days=10)
    assert forecast.window_days == 11
    assert forecast.net_committed == 2_200_000
    assert forecast.per_day == 200_000
    # 7.8M remaining at 200k a day: 39 days.
    assert forecast.days_left == 39
    assert forecast.runs_out_on == TODAY + dt.timedelta(days=39)
    assert forecast.before_end is True


def test_it_rounds_up_to_the_day_the_money_is_gone(make_program):
    program = make_program(budget=1_000_000)
    ledger(program, (MovementKind.COMMIT, 300_000, TODAY - dt.timedelta(days=1)))  # 150k/day over 2 days
    forecast = budget_forecast(program, today=TODAY)
    assert forecast.days_left == 5  # 700k / 150k = 4.67 -> during the fifth day
    assert forecast.runs_out_on == dt.date(2026, 4, 5)


def test_old_commitments_outside_the_window_do_not_count(make_program):
    program = make_program(budget=50_000_000)
    old = TODAY - dt.timedelta(days=WINDOW_DAYS + 30)
    ledger(program,
           (MovementKind.COMMIT, 20_000_000, old),
           (MovementKind.COMMIT, 900_000, TODAY - dt.timedelta(days=5)))
    forecast = budget_forecast(program, today=TODAY)
    assert forecast.window_days == WINDOW_DAYS
    assert forecast.window_start == TODAY - dt.timedelta(days=WINDOW_DAYS - 1)
    assert forecast.net_committed == 900_000
    assert forecast.per_day == 10_000
    assert forecast.days_left == 29_100_000 // 10_000


def test_the_first_day_of_the_window_counts_whole(make_program):
    program = make_program(budget=1_000_000)
    first_day = TODAY - dt.timedelta(days=WINDOW_DAYS - 1)
    ledger(program, (MovementKind.COMMIT, 90_000, first_day))
    BudgetMovement.objects.update(created_at=_at(first_day, hour=0))
    forecast = budget_forecast(program, today=TODAY)
    assert forecast.net_committed == 90_000 and forecast.window_days == WINDOW_DAYS


def test_a_commitment_made_today_gives_a_one_day_window(make_program):
    program = make_program(budget=1_000_000)
    ledger(program, (MovementKind.COMMIT, 250_000, TODAY))
    forecast = budget_forecast(program, today=TODAY)
    assert (forecast.window_days, forecast.per_day, forecast.days_left) == (1, 250_000, 3)


@pytest.mark.parametrize(("rows", "reason"), [
    ((), "no_rate"),  # nothing committed yet
    (((MovementKind.COMMIT, 300_000, TODAY - dt.timedelta(days=200)),), "no_rate"),  # nothing recent
    (((MovementKind.COMMIT, 300_000, TODAY - dt.timedelta(days=5)),
      (MovementKind.RELEASE, -300_000, TODAY - dt.timedelta(days=2))), "no_rate"),  # all released
])
def test_there_is_no_forecast_without_a_rate(rows, reason, make_program):
    program = make_program(budget=1_000_000)
    ledger(program, *rows)
    forecast = budget_forecast(program, today=TODAY)
    assert (forecast.reason, forecast.runs_out_on) == (reason, None)


def test_there_is_no_forecast_when_nothing_remains(make_program):
    program = make_program(budget=900_000)
    ledger(program, (MovementKind.COMMIT, 900_000, TODAY - dt.timedelta(days=2)))
    forecast = budget_forecast(program, today=TODAY)
    assert (forecast.reason, forecast.runs_out_on) == ("nothing_left", None)


def test_there_is_no_forecast_without_a_budget_or_once_closed(make_program):
    assert budget_forecast(make_program(), today=TODAY).reason == "no_budget"
    assert budget_forecast(make_program(budget=1_000_000, status="closed"), today=TODAY).reason == "closed"


def test_allocations_and_disbursements_are_not_a_rate(make_program):
    program = make_program(budget=1_000_000)
    ledger(program, (MovementKind.DISBURSE, 300_000, TODAY - dt.timedelta(days=1)))
    assert budget_forecast(program, today=TODAY).reason == "no_rate"


def test_the_forecast_uses_the_real_ledger_of_approvals(cast, areas, make_program):
    from bansos.programs.services.enrollment import enrollment_apply, enrollment_transition
    from tests.programs.catalog_helpers import families

    program = make_program(budget=9_000_000)  # Rp 900.000 per participant
    for family in families(cast, areas, 2):
        enrollment = enrollment_apply(actor=cast["admin"], program=program, household=family)
        enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="verified", reason="dikunjungi")
        enrollment_transition(actor=cast["admin"], enrollment=enrollment, to="approved")
    program.refresh_from_db()
    today = timezone.localdate()
    forecast = budget_forecast(program, today=today)
    # 1.8M committed today: 7.2M remaining lasts 4 days.
    assert (forecast.window_days, forecast.net_committed, forecast.days_left) == (1, 1_800_000, 4)
    assert forecast.runs_out_on == today + dt.timedelta(days=4)


def test_the_card_figures(make_program):
    program = make_program(budget=2_000_000, capacity=10)
    ledger(program, (MovementKind.COMMIT, 900_000, TODAY))
    program.seats_taken = 1
    program.budget_disbursed = 300_000
    program.save(update_fields=["seats_taken", "budget_disbursed"])
    card = budget_card(program)
    assert (card.allocated, card.committed, card.disbursed, card.remaining) == (
        2_000_000, 900_000, 300_000, 1_100_000)
    assert (card.committed_pct, card.disbursed_pct) == (45, 15)
    assert (card.seats_taken, card.capacity, card.seats_remaining) == (1, 10, 9)
    assert (card.cost_per_participant, card.affordable) == (900_000, 1)


def test_a_free_program_has_no_affordable_count(make_program):
    card = budget_card(make_program(benefit_amount=0))
    assert card.affordable is None and card.committed_pct == 0


def test_the_page_explains_when_there_is_no_forecast(cast, make_program, client_for):
    html = client_for(cast["admin"]).get(f"/program/{make_program(budget=1_000_000).pk}/").content.decode()
    assert "Belum ada perkiraan: tidak ada komitmen baru" in html
    html = client_for(cast["admin"]).get(f"/program/{make_program().pk}/").content.decode()
    assert "Belum ada dana yang dialokasikan ke program ini." in html
