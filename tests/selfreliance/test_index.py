"""The index components and score against a hand-built household set with known answers (both databases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bansos.selfreliance.components import weighted_score
from bansos.selfreliance.models import IndexScore
from bansos.selfreliance.services.index import index_compute_month
from tests.selfreliance.conftest import MONTH

pytestmark = pytest.mark.django_db


def _row(household, month=MONTH) -> dict:
    s = IndexScore.objects.get(household=household, month=month)
    return {"score": s.score, "income": s.c_income, "earner": s.c_earner, "livelihood": s.c_livelihood,
            "schooling": s.c_schooling, "growth": s.c_growth, "no_arrears": s.c_no_arrears,
            "no_cash_aid": s.c_no_cash_aid}


def _member(household, relation):
    return household.residents.get(relation=relation)


def _visit(cast, areas, child, *, on: dt.date, haz, whz):
    from bansos.health.models import ChildVisit, PosyanduSession

    session, _ = PosyanduSession.objects.get_or_create(posyandu=areas["pos1"], month=on.replace(day=1),
                                                       defaults={"date": on})
    return ChildVisit.objects.create(session=session, child=child, household=child.household, visit_date=on,
                                     age_days=(on - child.birth_date).days, haz=haz, whz=whz)


@pytest.fixture
def umkm_program(make_program):
    return make_program("dinsos", budget=10_000_000, kind="enterprise", benefit_kind="capital",
                        benefit_amount=1_000_000, benefit_periods=1, name="Modal UMKM")


def _business(household, program, *, started: dt.date, closed: dt.date | None = None):
    from bansos.umkm.models import Business

    return Business.objects.create(owner=_member(household, "head"), household=household, program=program,
                                   name="Warung Uji",
                                   sector="food", products="Nasi uduk", started_on=started,
                                   status="closed" if closed else "active", closed_on=closed)


def test_it_scores_the_plain_family_from_its_defaults(cast, model):
    # 4 members, Rp 2.500.000: Rp 625.000 per person is under the line; nobody recorded as working;
    # the 14-year-old is in school; the toddler was never weighed; no loans; no cash aid.
    h = cast["households"]["rw1"]
    assert index_compute_month(actor=None, month=MONTH) == 3
    assert _row(h) == {"score": 45, "income": 0, "earner": 0, "livelihood": 0, "schooling": 100, "growth": 100,
                       "no_arrears": 100, "no_cash_aid": 100}


def test_it_reads_income_work_business_and_growth(cast, areas, model, umkm_program):
    from bansos.registry.models import Household, Resident

    h = cast["households"]["rw1"]
    Household.objects.filter(pk=h.pk).update(monthly_income=4_000_000)  # Rp 1.000.000 per person
    Resident.objects.filter(pk=_member(h, "head").pk).update(employment_status="employee")
    _business(h, umkm_program, started=dt.date(2025, 1, 15))
    toddler = h.residents.get(birth_date=dt.date(2023, 1, 9))
    _visit(cast, areas, toddler, on=dt.date(2025, 3, 10), haz=Decimal("-1.0"), whz=Decimal("0.2"))
    _visit(cast, areas, toddler, on=dt.date(2025, 6, 10), haz=Decimal("-2.40"), whz=Decimal("0.1"))  # latest: stunted
    index_compute_month(actor=None, month=MONTH)
    assert _row(h) == {"score": 90, "income": 100, "earner": 100, "livelihood": 100, "schooling": 100, "growth": 0,
                       "no_arrears": 100, "no_cash_aid": 100}
    # In May the latest measurement (March) was normal and the business had started.
    index_compute_month(actor=None, month=dt.date(2025, 5, 1))
    assert _row(h, dt.date(2025, 5, 1))["growth"] == 100


def test_it_counts_a_business_only_while_it_runs(cast, model, umkm_program):
    h = cast["households"]["rw1"]
    _business(h, umkm_program, started=dt.date(2025, 7, 1))
    _business(h, umkm_program, started=dt.date(2024, 1, 1), closed=dt.date(2025, 6, 15))
    index_compute_month(actor=None, month=MONTH)
    assert _row(h)["livelihood"] == 0  # one closed mid-June, the other starts in July
    index_compute_month(actor=None, month=dt.date(2025, 5, 1))
    assert _row(h, dt.date(2025, 5, 1))["livelihood"] == 100


def test_it_gives_part_credit_for_schooling_and_needs_an_adult_earner(cast, model):
    from bansos.registry.models import Resident

    h = cast["households"]["rw1_rt2"]  # head and a 12-year-old in school, Rp 2.500.000 for two people
    Resident.objects.create(household=h, nik="3173054508110001", full_name="Tono Uji", sex="L",
                            birth_date=dt.date(2011, 8, 5), relation="child", school_enrolment="dropped_out",
                            employment_status="casual")  # a 13-year-old casual worker is no adult earner
    index_compute_month(actor=None, month=MONTH)
    row = _row(h)
    # Rp 2.500.000 for three people is Rp 833.333 each, just above the line of Rp 825.288.
    assert (row["income"], row["earner"], row["schooling"]) == (100, 0, 50)


def test_it_marks_arrears_once_an_instalment_is_30_days_late(cast, umkm_program, enrol, model):
    from bansos.umkm.models import CapitalSupport, Installment, Repayment

    h = cast["households"]["rw1"]
    enrollment = enrol(umkm_program, h, "active")
    business = _business(h, umkm_program, started=dt.date(2024, 1, 1))
    loan = CapitalSupport.objects.create(business=business, enrollment=enrollment, kind="loan", amount=600_000,
                                         term_months=3, first_due_date=dt.date(2025, 4, 1), total_due=600_000,
                                         approved_on=dt.date(2025, 3, 1))
    for i, due in enumerate((dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 1)), start=1):
        Installment.objects.create(loan=loan, number=i, due_date=due, amount_due=200_000)
    Repayment.objects.create(loan=loan, paid_on=dt.date(2025, 4, 3), amount=200_000)
    index_compute_month(actor=None, month=MONTH)
    assert _row(h)["no_arrears"] == 0  # the 1 May instalment is unpaid on 30 June (more than 30 days)
    Repayment.objects.create(loan=loan, paid_on=dt.date(2025, 6, 20), amount=200_000)
    index_compute_month(actor=None, month=MONTH)
    assert _row(h)["no_arrears"] == 100  # 1 June's is due but not yet 30 days late


def test_it_reads_cash_aid_as_of_the_month(cast, cash_program, enrol, model):
    from django.utils import timezone

    h = cast["households"]["rw1"]
    enrol(cash_program, h, "active")
    this_month = timezone.localdate().replace(day=1)
    index_compute_month(actor=None, month=this_month)
    index_compute_month(actor=None, month=MONTH)
    assert _row(h, this_month)["no_cash_aid"] == 0
    assert _row(h, MONTH)["no_cash_aid"] == 100  # approved only now: in June 2025 it received nothing


def test_it_replaces_a_month_and_skips_inactive_households(cast, model):
    from bansos.registry.models import Household

    index_compute_month(actor=None, month=MONTH)
    Household.objects.filter(pk=cast["households"]["rw2"].pk).update(status="moved")
    assert index_compute_month(actor=None, month=MONTH) == 2
    assert IndexScore.objects.filter(month=MONTH).count() == 2


def test_it_uses_the_weights_of_the_published_version(cast, model):
    from bansos.selfreliance.services.index import (
        index_model_draft_create, index_model_publish, index_model_update,
    )

    admin = cast["admin"]
    draft = index_model_draft_create(actor=admin)
    index_model_update(actor=admin, model=draft, name="Hanya sekolah", poverty_line="825.288", threshold=60,
                       months_required=3, notes="", weights={"income": 0, "earner": 0, "livelihood": 0,
                                                             "schooling": 10, "growth": 0, "no_arrears": 0,
                                                             "no_cash_aid": 0})
    index_model_publish(actor=admin, model=draft)
    index_compute_month(actor=None, month=MONTH)
    assert _row(cast["households"]["rw1"])["score"] == 100
    assert IndexScore.objects.filter(month=MONTH).values_list("model_id", flat=True).distinct().get() == draft.pk


def test_weighted_score_rounds_half_up():
    weights = {"income": 1, "earner": 1}
    assert weighted_score(weights, {"income": 100, "earner": 0}) == 50
    assert weighted_score({"income": 2, "earner": 1}, {"income": 100, "earner": 0}) == 67
    assert weighted_score({"income": 1, "earner": 2}, {"income": 100, "earner": 0}) == 33
    assert weighted_score({"income": 0}, {}) == 0
