"""Vacancy and referral services: validation, permissions both ways (nothing changed when refused),
referral uniqueness, outcome transitions, and a hire flowing back to the registry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bansos.core.audit import action_label
from bansos.core.models import AuditEvent
from bansos.jobs import services
from bansos.jobs.models import JobReferral, Vacancy
from tests.jobs.conftest import jobs_state, refused

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def data(**extra):
    base = {"position": "Operator Jahit", "skill_areas": ["sewing"], "openings": 2, "wage_min": 5_396_761,
            "wage_max": 6_000_000, "min_age": 18, "max_age": 55, "closing_date": TODAY() + dt.timedelta(days=14)}
    base.update(extra)
    return base


# --- Vacancies ---------------------------------------------------------------------------------------


def test_a_company_officer_posts_a_vacancy_of_their_own_company(jobs_cast):
    vacancy = services.vacancy_create(actor=jobs_cast["company"], data=data())
    assert vacancy.company == jobs_cast["companies"]["company"]
    assert (vacancy.openings, vacancy.wage_min, vacancy.status) == (2, 5_396_761, "open")
    event = AuditEvent.objects.get(action="jobs.vacancy.create")
    assert event.actor == jobs_cast["company"] and event.changes["position"] == [None, "Operator Jahit"]


def test_the_admin_posts_for_any_business(jobs_cast):
    vacancy = services.vacancy_create(actor=jobs_cast["admin"], data=data(company=jobs_cast["companies"][
        "company_other"]))
    assert vacancy.company == jobs_cast["companies"]["company_other"]


@pytest.mark.parametrize("who", ["officer", "officer_other", "surveyor", "cadre", "resident", "evaluator"])
def test_others_cannot_post_vacancies(jobs_cast, who):
    refused("permission_denied", services.vacancy_create, actor=jobs_cast[who], data=data())


def test_an_officer_cannot_post_for_another_company(jobs_cast):
    refused("permission_denied", services.vacancy_create, actor=jobs_cast["company"],
            data=data(company=jobs_cast["companies"]["company_other"]))


def test_the_admin_cannot_post_for_an_agency_that_is_not_a_business(jobs_cast, agencies):
    refused("permission_denied", services.vacancy_create, actor=jobs_cast["admin"],
            data=data(company=agencies["dinsos"]))


def test_anonymous_cannot_post(jobs_cast):
    from django.contrib.auth.models import AnonymousUser

    refused("permission_denied", services.vacancy_create, actor=AnonymousUser(), data=data())


@pytest.mark.parametrize("field, value, message", [
    ("wage_min", 7_000_000, services.MSG_WAGE_RANGE),
    ("wage_min", 0, services.MSG_WAGE),
    ("wage_max", 5_500_000.5, services.MSG_WAGE),
    ("wage_max", "enam juta", services.MSG_WAGE),
    ("openings", 0, services.MSG_OPENINGS),
    ("min_age", 14, services.MSG_AGE),
    ("max_age", 66, services.MSG_AGE),
    ("min_age", 56, services.MSG_AGE_RANGE),
    ("skill_areas", [], services.MSG_SKILLS),
    ("skill_areas", ["astronaut"], services.MSG_SKILL_UNKNOWN),
    ("position", "  ", services.MSG_POSITION),
    ("closing_date", "2026-02-30", services.MSG_CLOSING_DATE),
])
def test_bad_vacancy_input_is_refused_with_a_clear_message(jobs_cast, field, value, message):
    error = refused("validation_failed", services.vacancy_create, actor=jobs_cast["company"],
                    data=data(**{field: value}))
    expected = "max_age" if message in (services.MSG_AGE_RANGE,) else (
        "wage_max" if message == services.MSG_WAGE_RANGE else field)
    texts = error.errors[expected]
    assert any(t.startswith(str(message).split("%")[0]) for t in texts), texts


def test_a_closing_date_in_the_past_is_refused_on_create(jobs_cast):
    error = refused("validation_failed", services.vacancy_create, actor=jobs_cast["company"],
                    data=data(closing_date=TODAY() - dt.timedelta(days=1)))
    assert error.errors == {"closing_date": [str(services.MSG_CLOSING_PAST)]}
    services.vacancy_create(actor=jobs_cast["company"], data=data(closing_date=TODAY()))


def test_the_company_edits_and_closes_its_vacancy(jobs_cast, vacancy):
    v = vacancy()
    v = services.vacancy_update(actor=jobs_cast["company"], vacancy=v, data={"openings": 5, "wage_max": 6_500_000})
    assert (v.openings, v.wage_max) == (5, 6_500_000)
    assert AuditEvent.objects.get(action="jobs.vacancy.update").changes == {
        "openings": [2, 5], "wage_max": [6_000_000, 6_500_000]}
    refused("validation_failed", services.vacancy_close, actor=jobs_cast["company"], vacancy=v, reason=" ")
    v = services.vacancy_close(actor=jobs_cast["company"], vacancy=v, reason="Sudah terisi")
    assert v.status == "closed"
    refused("vacancy_closed", services.vacancy_update, actor=jobs_cast["company"], vacancy=v, data={"openings": 3})
    refused("vacancy_closed", services.vacancy_close, actor=jobs_cast["admin"], vacancy=v, reason="lagi")


@pytest.mark.parametrize("who", ["company_other", "officer", "surveyor", "resident"])
def test_others_cannot_edit_or_close_a_companys_vacancy(jobs_cast, vacancy, who):
    v = vacancy()
    refused("permission_denied", services.vacancy_update, actor=jobs_cast[who], vacancy=v, data={"openings": 9})
    refused("permission_denied", services.vacancy_close, actor=jobs_cast[who], vacancy=v, reason="tutup")


def test_the_admin_edits_any_vacancy(jobs_cast, vacancy):
    v = services.vacancy_update(actor=jobs_cast["admin"], vacancy=vacancy(), data={"location": "Cengkareng"})
    assert v.location == "Cengkareng"


# --- Referrals ---------------------------------------------------------------------------------------


def test_a_training_officer_refers_a_candidate_with_the_reasons(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari", decile=3)
    v = vacancy()
    referral = services.referral_create(actor=jobs_cast["officer"], vacancy=v, resident=ani, note="Rapi dan teliti")
    assert (referral.status, referral.household_id, referral.referring_agency) == (
        "referred", ani.household_id, jobs_cast["officer"].agency)
    assert [r["code"] for r in referral.match_reasons] == ["course", "age", "work", "decile"]
    event = AuditEvent.objects.get(action="jobs.referral.create")
    assert event.household_id == ani.household_id and event.reason == "Rapi dan teliti"
    assert action_label("jobs.referral.create") == "Dirujuk ke lowongan kerja"


def test_a_resident_is_referred_once_per_vacancy(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari")
    v = vacancy()
    services.referral_create(actor=jobs_cast["officer"], vacancy=v, resident=ani)
    error = refused("already_referred", services.referral_create, actor=jobs_cast["admin"], vacancy=v, resident=ani)
    assert error.text == str(services.MSG_ALREADY_REFERRED)
    services.referral_create(actor=jobs_cast["officer"], vacancy=vacancy(position="Penjahit"), resident=ani)


def test_the_database_refuses_a_second_referral(jobs_cast, trained, vacancy):
    from django.db import IntegrityError, transaction

    ani = trained("Ani Lestari")
    v = vacancy()
    services.referral_create(actor=jobs_cast["officer"], vacancy=v, resident=ani)
    with pytest.raises(IntegrityError), transaction.atomic():
        JobReferral.objects.create(vacancy=v, resident=ani, household=ani.household)


def test_it_refuses_a_resident_outside_the_referrers_scope(jobs_cast, trained, vacancy):
    lsm_student = trained("Murid Lsm", agency="lsm")
    refused("not_candidate", services.referral_create, actor=jobs_cast["officer"], vacancy=vacancy(),
            resident=lsm_student)


def test_it_refuses_a_resident_who_does_not_match(jobs_cast, trained, vacancy):
    worker = trained("Sudah Bekerja", employment="employee")
    man = trained("Budi Hartono", sex="L")
    v = vacancy(women_only=True)
    refused("not_candidate", services.referral_create, actor=jobs_cast["officer"], vacancy=v, resident=worker)
    refused("not_candidate", services.referral_create, actor=jobs_cast["officer"], vacancy=v, resident=man)


def test_it_refuses_referrals_to_a_closed_or_past_vacancy(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari")
    v = vacancy()
    past = vacancy(position="Penjahit")
    Vacancy.objects.filter(pk=past.pk).update(closing_date=TODAY() - dt.timedelta(days=1))
    past.refresh_from_db()
    refused("vacancy_past", services.referral_create, actor=jobs_cast["admin"], vacancy=past, resident=ani)
    services.vacancy_close(actor=jobs_cast["company"], vacancy=v, reason="Batal")
    refused("vacancy_closed", services.referral_create, actor=jobs_cast["admin"], vacancy=v, resident=ani)


@pytest.mark.parametrize("who", ["surveyor", "cadre", "resident", "evaluator"])
def test_roles_without_the_right_cannot_refer(jobs_cast, trained, vacancy, who):
    ani = trained("Ani Lestari")
    refused("permission_denied", services.referral_create, actor=jobs_cast[who], vacancy=vacancy(), resident=ani)


def test_an_officer_cannot_refer_to_another_companys_closed_vacancy(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari")
    v = vacancy()
    Vacancy.objects.filter(pk=v.pk).update(status="closed")
    v.refresh_from_db()
    refused("permission_denied", services.referral_create, actor=jobs_cast["officer"], vacancy=v, resident=ani)


# --- Outcomes ----------------------------------------------------------------------------------------


@pytest.fixture
def referred(jobs_cast, trained, vacancy):
    ani = trained("Ani Lestari")
    v = vacancy()
    return services.referral_create(actor=jobs_cast["officer"], vacancy=v, resident=ani)


def test_a_hire_sets_the_residents_work_through_the_registry(jobs_cast, referred):
    start = TODAY() + dt.timedelta(days=7)
    services.referral_outcome(actor=jobs_cast["company"], referral=referred, status="interviewed")
    referral = services.referral_outcome(actor=jobs_cast["company"], referral=referred, status="hired",
                                         wage=5_400_000, start_date=start, note="Lulus uji jahit")
    assert (referral.status, referral.wage, referral.start_date) == ("hired", 5_400_000, start)
    referred.resident.refresh_from_db()
    assert (referred.resident.employment_status, referred.resident.occupation) == ("employee", "Operator Jahit")
    event = AuditEvent.objects.get(action="resident.employment")
    assert event.household_id == referred.household_id
    assert event.changes == {"employment_status": ["unemployed", "employee"], "occupation": ["", "Operator Jahit"]}
    assert event.reason == "Diterima bekerja sebagai Operator Jahit di CSR PT Sentosa Makmur Abadi (rujukan kerja)"
    hired = AuditEvent.objects.get(action="jobs.referral.hired")
    assert hired.household_id == referred.household_id and hired.changes["wage"] == [None, 5_400_000]
    assert action_label("resident.employment") == "Pekerjaan warga dicatat"


@pytest.mark.parametrize("extra, field", [
    ({"wage": None, "start_date": dt.date(2026, 12, 1)}, "wage"),
    ({"wage": 0, "start_date": dt.date(2026, 12, 1)}, "wage"),
    ({"wage": 5_000_000.5, "start_date": dt.date(2026, 12, 1)}, "wage"),
    ({"wage": 5_000_000, "start_date": None}, "start_date"),
])
def test_a_hire_needs_a_wage_and_a_start_date(jobs_cast, referred, extra, field):
    error = refused("validation_failed", services.referral_outcome, actor=jobs_cast["company"], referral=referred,
                    status="hired", **extra)
    assert list(error.errors) == [field]


def test_transitions_follow_the_table(jobs_cast, referred):
    services.referral_outcome(actor=jobs_cast["company"], referral=referred, status="not_hired", note="Belum cocok")
    for status in ("interviewed", "hired", "withdrawn", "not_hired"):
        refused("status_transition", services.referral_outcome, actor=jobs_cast["company"], referral=referred,
                status=status, wage=5_000_000, start_date=TODAY())
    refused("validation_failed", services.referral_outcome, actor=jobs_cast["admin"], referral=referred,
            status="referred")


@pytest.mark.parametrize("who, allowed", [
    ("company", True), ("officer", True), ("admin", True), ("company_other", False), ("officer_other", False),
    ("surveyor", False), ("cadre", False), ("resident", False), ("evaluator", False),
])
def test_who_records_an_outcome(jobs_cast, referred, who, allowed):
    if allowed:
        services.referral_outcome(actor=jobs_cast[who], referral=referred, status="interviewed")
        referred.refresh_from_db()
        assert referred.status == "interviewed"
    else:
        refused("permission_denied", services.referral_outcome, actor=jobs_cast[who], referral=referred,
                status="hired", wage=5_000_000, start_date=TODAY())


def test_more_hires_than_openings_are_recorded_and_flagged(jobs_cast, trained, vacancy):
    from bansos.jobs.selectors import over_hired, vacancy_get

    v = vacancy(openings=1)
    for name in ("Ani Lestari", "Bunga Citra"):
        r = services.referral_create(actor=jobs_cast["officer"], vacancy=v, resident=trained(name))
        services.referral_outcome(actor=jobs_cast["company"], referral=r, status="hired", wage=5_400_000,
                                  start_date=TODAY())
    v = vacancy_get(user=jobs_cast["company"], pk=v.pk)
    assert (v.hired_count, v.openings, over_hired(v)) == (2, 1, True)


def test_a_failed_hire_leaves_nothing_behind(jobs_cast, referred, monkeypatch):
    from bansos.registry import services as registry_services

    def broken(**kwargs):
        raise RuntimeError("registry down")

    monkeypatch.setattr(registry_services, "resident_employment_set", broken)
    before = jobs_state()
    with pytest.raises(RuntimeError):
        services.referral_outcome(actor=jobs_cast["company"], referral=referred, status="hired", wage=5_400_000,
                                  start_date=TODAY())
    assert jobs_state() == before


# --- The registry's service ------------------------------------------------------------------------


def test_resident_employment_set_permissions(jobs_cast):
    from bansos.registry.services import resident_employment_set

    head = jobs_cast["households"]["rw1"].residents.get(relation="head")
    resident_employment_set(actor=jobs_cast["surveyor"], resident=head, employment_status="casual",
                            occupation="Ojek daring", reason="kunjungan rumah")
    head.refresh_from_db()
    assert (head.employment_status, head.occupation) == ("casual", "Ojek daring")
    for who in ("surveyor_other", "cadre", "resident", "evaluator"):
        refused("permission_denied", resident_employment_set, actor=jobs_cast[who], resident=head,
                employment_status="employee", occupation="X", reason="x")
    refused("validation_failed", resident_employment_set, actor=jobs_cast["admin"], resident=head,
            employment_status="astronaut", occupation="X", reason="x")
    refused("validation_failed", resident_employment_set, actor=jobs_cast["admin"], resident=head,
            employment_status="employee", occupation="X", reason=" ")
