"""The portal's demo step: public fields, a training open for resident applications, one office code."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_opens_trainings_for_residents_and_issues_one_office_code_once(cast, make_program):
    import datetime as dt

    from bansos.core.models import AuditEvent
    from bansos.portal.demo import demo_portal_create
    from bansos.portal.models import OfficeCode
    from bansos.programs.models import Program

    make_program("dinsos", kind="training", participant="resident", benefit_kind="course", benefit_amount=0,
                 status="running", name="Pelatihan Barista", start_date=dt.date(2026, 1, 1),
                 end_date=dt.date(2026, 12, 31))
    result = demo_portal_create(actor=cast["admin"], seed=1)
    assert result["open"] == 1 and result["office_codes"] == 1
    program = Program.objects.get(name="Pelatihan Barista")
    assert program.resident_applications and program.how_to_apply and program.contact
    assert OfficeCode.objects.count() == 1
    assert AuditEvent.objects.filter(action="portal.office_code.issue").count() == 1
    assert "kode tidak ditampilkan" in result["line"]
    assert demo_portal_create(actor=cast["admin"], seed=1) is None
