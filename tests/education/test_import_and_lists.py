"""CSV import report, out-of-school list, school and student rules, pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bansos.core.errors import PermissionDeniedError
from tests.education.conftest import child, edu_state


def test_csv_import_reports_every_row(cast, participant, student):
    from bansos.education.models import Attendance
    from bansos.education.services.importing import attendance_import

    record, _e = participant
    rina = child(cast["households"]["rw1_rt2"], "Rina Lestari")
    student(rina, "sd", 6)
    rows = ["nisn;nik;bulan;hadir;hari_sekolah",
            "0101234567;;2025-09;18;20",  # stored (NISN)
            f";{rina.nik};2025-09;20;20",  # stored (NIK)
            "0101234567;;2025-09;17;20",  # duplicate of line 2
            "9999999999;;2025-09;17;20",  # unknown student
            f";{rina.nik};2025-13;17;20",  # bad month
            f";{rina.nik};2025-10;25;20",  # present > days
            "", "0101234567;;2025-10;16;20"]  # blank line skipped; stored with a warning
    report = attendance_import(actor=cast["officer"], content="\n".join(rows).encode())
    assert report.total == 7 and report.stored == 3 and report.rejected == 4
    assert report.total == report.stored + report.rejected
    assert [r["line"] for r in report.rows if not r["ok"]] == [4, 5, 6, 7]
    assert Attendance.objects.count() == 3
    assert "Peringatan" in report.rows[-1]["message"]


def test_csv_without_the_columns_is_refused(cast, participant):
    from bansos.core.errors import DomainError
    from bansos.education.services.importing import attendance_import

    before = edu_state()
    with pytest.raises(DomainError):
        attendance_import(actor=cast["officer"], content=b"nama,hadir\nAndi,3\n")
    assert edu_state() == before


def _resident(cast, birth: dt.date, **extra):
    from bansos.registry.services import resident_add
    from tests.factories import person

    return resident_add(actor=cast["admin"], household=cast["households"]["rw2"],
                        data=person("Anak Uji", "L", birth, "child", **extra), reason="lahir")


def test_out_of_school_ages_7_and_18_in_6_and_19_out_enrolled_out(cast):
    from bansos.education.selectors import out_of_school

    on = dt.date(2026, 11, 28)
    seven = _resident(cast, dt.date(2019, 11, 28))
    eighteen = _resident(cast, dt.date(2007, 11, 29))  # 19 tomorrow
    _resident(cast, dt.date(2019, 11, 29))  # six until tomorrow
    _resident(cast, dt.date(2007, 11, 28))  # 19 today
    _resident(cast, dt.date(2012, 1, 1), school_enrolment="enrolled")
    found = {r["pk"] for r in out_of_school(rw=2, on=on)}
    household_children = {r.pk for r in cast["households"]["rw2"].residents.all()}
    assert {seven.pk, eighteen.pk} <= found
    assert found == {seven.pk, eighteen.pk} | (found & household_children - {seven.pk, eighteen.pk})
    ages = {r["pk"]: r["birth_date"] for r in out_of_school(on=on)}
    assert all(dt.date(2007, 11, 29) <= b <= dt.date(2019, 11, 28) for b in ages.values())


def test_a_current_student_record_takes_a_child_off_the_list(cast, student):
    from bansos.education.selectors import out_of_school

    on = dt.date(2025, 10, 1)
    kid = _resident(cast, dt.date(2015, 5, 5))
    assert kid.pk in {r["pk"] for r in out_of_school(on=on)}
    student(kid, "sd", 5)
    kid.refresh_from_db()
    assert kid.pk not in {r["pk"] for r in out_of_school(on=on)}


def test_out_of_school_list_is_one_query(cast, django_assert_num_queries):
    from bansos.education.selectors import out_of_school

    for year in (2010, 2012, 2014):
        _resident(cast, dt.date(year, 1, 1))
    with django_assert_num_queries(1):
        list(out_of_school())


def test_enrolling_a_student_marks_the_registry(cast, schools):
    from bansos.education.calendar import school_year_of
    from bansos.education.services.students import student_enroll, student_set_status

    kid = _resident(cast, dt.date(2015, 5, 5))
    record = student_enroll(actor=cast["officer"], resident=kid, school=schools["sd"], grade=5,
                            school_year=school_year_of(dt.date.today()))
    kid.refresh_from_db()
    assert kid.school_enrolment == "enrolled"
    student_set_status(actor=cast["officer"], student=record, status="dropped_out", reason="bekerja")
    kid.refresh_from_db()
    assert kid.school_enrolment == "dropped_out"


@pytest.mark.parametrize("who", ["surveyor", "cadre", "resident", "evaluator"])
def test_schools_are_kept_by_education_staff_only(cast, who):
    from bansos.education.services.schools import school_create

    before = edu_state()
    with pytest.raises(PermissionDeniedError):
        school_create(actor=cast[who], data={"name": "SD Uji", "level": "sd"})
    assert edu_state() == before


def test_bad_npsn_is_refused(cast, schools):
    from bansos.core.errors import ValidationFailed
    from bansos.education.services.schools import school_create

    before = edu_state()
    for npsn in ("1234", "20101234"):
        with pytest.raises(ValidationFailed) as exc:
            school_create(actor=cast["admin"], data={"name": "SD Lain", "level": "sd", "npsn": npsn})
        assert "npsn" in exc.value.errors
    assert edu_state() == before


def test_applying_from_the_list_only_for_own_agency(cast, edu_program):
    from bansos.education.services.programs import student_apply
    from bansos.programs.models import Enrollment

    kid = _resident(cast, dt.date(2014, 3, 3))
    before = edu_state()
    with pytest.raises(PermissionDeniedError):
        student_apply(actor=cast["officer_other"], program=edu_program, resident=kid)
    assert edu_state() == before
    enrollment = student_apply(actor=cast["officer"], program=edu_program, resident=kid)
    assert Enrollment.objects.get(pk=enrollment.pk).resident_id == kid.pk


def test_pages_for_the_officer(cast, client_for, participant, schools):
    record, _e = participant
    client = client_for(cast["officer"])
    from bansos.education.services.attendance import attendance_record

    attendance_record(actor=cast["officer"], student=record, month=dt.date(2025, 10, 1), present_days=10,
                      school_days=20)
    for url in ("/pendidikan/", f"/pendidikan/sekolah/{schools['smp'].pk}/?tahun=2025/2026",
                f"/pendidikan/siswa/{record.pk}/", f"/pendidikan/sekolah/{schools['smp'].pk}/kehadiran/",
                f"/pendidikan/sekolah/{schools['smp'].pk}/kehadiran/?kelas=8&bulan=2025-10",
                "/pendidikan/kehadiran/impor/", "/pendidikan/tidak-sekolah/?rw=1&urut=umur",
                f"/pendidikan/program/{_e.program_id}/syarat/"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/pendidikan/siswa/{record.pk}/").content.decode()
    assert "Peringatan kehadiran" in page
    household = client_for(cast["admin"]).get(reverse("registry:household_detail", args=[record.resident.household_id])).content.decode()
    assert "SMPN 75 Jakarta" in household


@pytest.mark.parametrize("who,status", [("cadre", 403), ("surveyor", 403), ("resident", 403), ("evaluator", 403),
                                        (None, 302)])
def test_pages_refuse_others(cast, client_for, who, status):
    client = client_for(cast[who] if who else None)
    assert client.get("/pendidikan/").status_code == status
    before = edu_state()
    response = client.post("/pendidikan/sekolah/baru/", {"name": "SD Uji", "level": "sd"})
    assert response.status_code == status
    assert edu_state() == before


def test_api_records_attendance_and_lists(cast, client_for, participant):
    record, _e = participant
    client = client_for(cast["officer"])
    response = client.post("/api/education/attendance", {"student_id": record.pk, "month": "2025-10",
                                                         "present_days": 10, "school_days": 20},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["events"][0]["kind"] == "warning"
    assert client.get("/api/education/out-of-school?rw=1").status_code == 200
    other = client_for(cast["officer_other"])
    before = edu_state()
    response = other.post("/api/education/attendance", {"student_id": record.pk, "month": "2025-11",
                                                        "present_days": 10, "school_days": 20},
                          content_type="application/json")
    assert response.status_code == 403
    assert edu_state() == before


def test_another_agencys_officer_may_not_open_a_participants_student_page(cast, client_for, participant):
    """Its attendance condition, warnings and stipends are the other agency's details (DESIGN §2)."""
    record, _e = participant
    assert client_for(cast["officer_other"]).get(f"/pendidikan/siswa/{record.pk}/").status_code == 403
    assert client_for(cast["officer"]).get(f"/pendidikan/siswa/{record.pk}/").status_code == 200
    assert client_for(cast["admin"]).get(f"/pendidikan/siswa/{record.pk}/").status_code == 200
