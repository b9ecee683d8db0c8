"""The fuzz world: the platform's demo data at a small scale, built once for the package.

Like the security world it lives in one outer transaction that is rolled back when the package's
tests end; each test (one API operation) runs in a savepoint, so what one operation's examples
create or destroy never reaches another operation's test.

Requests go through Django's real WSGI handler in this process (no server). That handler closes
"old" database connections at the start and end of every request, which would close the test
transaction; Django's own test client switches that off for the same reason, and so does the
``wsgi_app`` fixture here while the fuzz tests run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from tests.package_world import package_world

SEED = 1111
HOUSEHOLDS = 60


@dataclass
class FuzzWorld:
    tokens: dict[str, str] = field(default_factory=dict)  # "admin" / "officer" -> bearer key
    ids: dict[str, list] = field(default_factory=dict)  # path parameter kind -> existing ids
    seconds: float = 0.0


def _build_demo():
    from bansos.accounts.models import User
    from bansos.core.origin import origin
    from bansos.demo.services import demo_accounts_create, demo_prepare
    from bansos.demo.steps import demo_apps_create

    # The same steps, in the same order, as ``bansos demo`` (bansos.demo.steps).
    with origin(channel="cli", command="demo"):
        demo_prepare(households=HOUSEHOLDS, seed=SEED)
        accounts = demo_accounts_create()
        admin = User.objects.get(username=accounts[0].username)
        demo_apps_create(actor=admin, seed=SEED)
    return admin


def _id_pools() -> dict[str, list]:
    """A few existing ids per path-parameter kind, so examples reach real objects, not only 404s."""
    from bansos.cash.models import Batch, Cycle, Payment, PaymentInstitution, ResultUpload
    from bansos.eligibility.models import EligibilityRule
    from bansos.health.models import PosyanduSession
    from bansos.jobs.models import JobReferral, Vacancy
    from bansos.programs.models import Enrollment, Program, Referral
    from bansos.registry.models import Household, Resident
    from bansos.training.models import Certificate, Course, CourseSession, Participant
    from bansos.umkm.models import Business, CapitalSupport, Repayment

    def pks(qs, n=6):
        return list(qs.order_by("pk").values_list("pk", flat=True)[:n])

    today_children = Resident.objects.filter(status="active").order_by("-birth_date")
    return {
        "household_id": pks(Household.objects),
        "resident_id": pks(Resident.objects.filter(status="active").exclude(relation="head")),
        "program_id": pks(Program.objects, 10),
        "enrollment_id": pks(Enrollment.objects),
        "referral_id": pks(Referral.objects),
        "job_referral_id": pks(JobReferral.objects),
        "rule_id": pks(EligibilityRule.objects),
        "cycle_id": pks(Cycle.objects),
        "batch_id": pks(Batch.objects),
        "upload_id": pks(ResultUpload.objects),
        "payment_id": pks(Payment.objects),
        "institution_id": pks(PaymentInstitution.objects),
        "course_id": pks(Course.objects),
        "session_id": pks(CourseSession.objects),
        "health_session_id": pks(PosyanduSession.objects),
        "participant_id": pks(Participant.objects),
        "certificate_id": pks(Certificate.objects),
        "code": list(Certificate.objects.order_by("pk").values_list("code", flat=True)[:4]),
        "vacancy_id": pks(Vacancy.objects),
        "business_id": pks(Business.objects),
        "capital_id": pks(CapitalSupport.objects),
        "repayment_id": pks(Repayment.objects),
        "child_id": list(today_children.values_list("pk", flat=True)[:6]),
    }


def build_fuzz_world() -> FuzzWorld:
    from bansos.accounts.models import User
    from bansos.accounts.tokens import token_create

    start = time.monotonic()
    admin = _build_demo()
    officer = User.objects.filter(role="officer", is_active=True).exclude(agency=None).order_by("pk").first()
    assert officer is not None, "the demo has no program officer"
    world = FuzzWorld()
    world.tokens["admin"] = token_create(actor=admin, owner=admin, name="fuzz admin")[1]
    world.tokens["officer"] = token_create(actor=admin, owner=officer, name="fuzz petugas")[1]
    world.ids = _id_pools()
    # At 60 households the demo may make no referral or certificate: those ids stay generated (404s).
    core = ("household_id", "resident_id", "program_id", "enrollment_id", "cycle_id", "course_id",
            "business_id")
    assert all(world.ids[kind] for kind in core), f"the demo lacks core objects: {world.ids}"
    world.seconds = time.monotonic() - start
    return world


@pytest.fixture(scope="package")
def fuzz_world(django_db_setup, django_db_blocker):
    from tests.fuzz import pools

    with package_world(django_db_blocker, build_fuzz_world) as world:
        pools.IDS.clear()
        pools.IDS.update(world.ids)
        try:
            yield world
        finally:
            pools.IDS.clear()


@pytest.fixture(scope="package")
def wsgi_app():
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
