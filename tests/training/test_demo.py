"""The training demo: built through the services on the demo programs, once."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin():
    from bansos.accounts.models import User
    from bansos.demo.services import demo_accounts_create, demo_agencies_create, demo_seed
    from bansos.demo.targeting import demo_targeting_create
    from bansos.programs.demo import demo_programs_create

    demo_seed(households=2000, seed=7)
    demo_agencies_create()
    demo_accounts_create()
    admin = User.objects.get(username="admin")
    demo_targeting_create(actor=admin, seed=7)
    demo_programs_create(actor=admin, seed=7)
    return admin


def test_the_demo_makes_finished_running_and_planned_courses_once(demo_admin, client):
    from bansos.training.demo import SEWING, UMKM, YOUTH, demo_training_create
    from bansos.training.models import Certificate, Course, CourseSession, Feedback, Outcome
    from bansos.training.selectors import certificate_verify
    from bansos.training.services.common import today

    summary = demo_training_create(actor=demo_admin, seed=7)
    assert summary["courses"] == 3 and summary["participants"] > 10
    by_program = {c.program.name: c for c in Course.objects.select_related("program", "partner")}
    sewing, youth, umkm = by_program[SEWING], by_program[YOUTH], by_program[UMKM]
    assert (sewing.status, youth.status, umkm.status) == ("finished", "running", "planned")
    assert youth.partner is not None and youth.partner.kind == "business"
    outcomes = set(sewing.participants.values_list("outcome", flat=True))
    assert Outcome.COMPLETED in outcomes and Outcome.DROPPED in outcomes
    certificates = Certificate.objects.filter(participant__course=sewing)
    assert certificates.count() >= 2
    revoked = certificates.filter(revoked_at__isnull=False)
    assert revoked.count() == 1
    assert certificate_verify(revoked.get().code)["status"] == "revoked"
    genuine = certificates.filter(revoked_at__isnull=True).first()
    assert certificate_verify(genuine.code)["status"] == "genuine"
    assert client.get(f"/pelatihan/verifikasi/{genuine.code}/").status_code == 200
    assert CourseSession.objects.filter(course=youth, date=today()).exists()
    assert CourseSession.objects.filter(course=youth, attendance_taken_at__isnull=False).count() == 3
    assert umkm.participants.exists()
    assert Feedback.objects.filter(participant__course=sewing).exists()
    assert demo_training_create(actor=demo_admin, seed=7) is None
