"""Demo courses built through the training services, on the demo programs and their enrollments.

A finished sewing course (outcomes frozen, certificates issued, one revoked), a six-week digital-skills
course with the partner company that is running (sessions taken, one today, by the company's officer
when there is one), a planned business-management course under the UMKM program, and feedback.
Session dates are relative to today, so the demo makes sense whenever it is built.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from bansos.accounts.models import Agency, Role, User
from bansos.core.errors import DomainError
from bansos.programs.models import EnrollmentState, Program
from bansos.training.models import Certificate, Course, Participant
from bansos.training.services import certificates as certs
from bansos.training.services import courses
from bansos.training.services import participants as people

SEWING = "Pelatihan Menjahit Perempuan Kepala Keluarga"
YOUTH = "Pelatihan Digital dan Kewirausahaan Pemuda"
UMKM = "Modal Usaha UMKM Pemula"
COMPANY = "CSR PT Sentosa Makmur Abadi"

COMMENTS = [
    "Materinya jelas dan langsung dipraktikkan.", "Pelatihnya sabar menjelaskan berulang kali.",
    "Ruangannya panas, mohon kipas tambahan.", "Waktunya terlalu singkat untuk praktik.",
    "Sangat bermanfaat, ingin ikut kelas lanjutan.", "",
]


def _staff(program: Program, admin):
    return (User.objects.filter(role=Role.OFFICER, agency_id=program.agency_id, is_active=True).order_by("pk").first()
            or admin)


def _add_all(actor, course: Course, enrollments, *, limit: int, household_member=None) -> list[Participant]:
    added = []
    for enrollment in enrollments:
        if len(added) >= limit:
            break
        resident = household_member(enrollment) if household_member else None
        try:
            added.append(people.participant_add(actor=actor, course=course, enrollment=enrollment, resident=resident))
        except DomainError:  # not eligible for this course (age, sex) or already in: the officer skips them
            continue
    return added


def _approve_waiting(actor, program: Program, *, want: int) -> None:
    """The coordinator fills the batch: waiting applicants verified and approved (within budget and places)."""
    from bansos.programs.services.enrollment import enrollment_transition

    have = program.enrollments.filter(state__in=(EnrollmentState.APPROVED, EnrollmentState.ACTIVE)).count()
    waiting = program.enrollments.filter(state__in=(EnrollmentState.APPLIED, EnrollmentState.VERIFIED),
                                         resident__isnull=False).order_by("pk")
    for enrollment in waiting[:max(0, want - have)]:
        try:
            with transaction.atomic():
                if enrollment.state == EnrollmentState.APPLIED:
                    enrollment = enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.VERIFIED,
                                                       reason="Wawancara minat untuk angkatan kursus menjahit.")
                enrollment_transition(actor=actor, enrollment=enrollment, to=EnrollmentState.APPROVED,
                                      reason="Masuk angkatan pertama kursus menjahit.")
        except DomainError:  # no budget or place left, or a warning to acknowledge: the officer leaves it
            continue


def _schedule(actor, course: Course, days: list[int], *, place: str, trainers: list[str], topics: list[str]) -> None:
    today = timezone.localdate()
    for i, offset in enumerate(days):
        courses.session_add(actor=actor, course=course, data={
            "date": today + dt.timedelta(days=offset), "start_time": dt.time(9 if i % 2 == 0 else 13, 0),
            "place": place, "trainer": trainers[i % len(trainers)], "topic": topics[i % len(topics)]})


def _take(actor, course: Course, rng: random.Random, participants: list[Participant], *, until: dt.date,
          keen: float) -> None:
    """Attendance of every session up to ``until``; the first two participants never miss (a sure graduate)."""
    for session in course.sessions.filter(date__lte=until).order_by("number"):
        for i, p in enumerate(participants):
            if p.state != "active":
                continue
            people.attendance_mark(actor=actor, session=session, participant=p,
                                   present=i < 2 or rng.random() < keen)


def _feedback(actor, rng: random.Random, course: Course, participants: list[Participant]) -> int:
    made = 0
    sessions = list(course.sessions.filter(attendance_taken_at__isnull=False).order_by("number"))
    for p in participants[: max(1, len(participants) * 2 // 3)]:
        for session in rng.sample(sessions, k=min(2, len(sessions))):
            people.feedback_record(actor=actor, participant=p, session=session, rating=rng.choice([3, 4, 4, 5, 5]),
                                   comment=rng.choice(COMMENTS))
            made += 1
    return made


def demo_training_create(*, actor, seed: int = 2026) -> dict[str, Any] | None:
    """The demo courses, once (None when courses exist or the demo programs are missing)."""
    if Course.objects.exists():
        return None
    programs = {p.name: p for p in Program.objects.filter(name__in=(SEWING, YOUTH, UMKM))}
    if not programs:
        return None
    started = time.monotonic()
    rng = random.Random(f"training-{seed}")
    company = Agency.objects.filter(name=COMPANY).first()
    made = {"courses": 0, "participants": 0, "certificates": 0, "feedback": 0}
    today = timezone.localdate()
    with transaction.atomic():
        sewing = programs.get(SEWING)
        if sewing is not None:
            staff = _staff(sewing, actor)
            course = courses.course_create(actor=staff, program=sewing, data={
                "title": "Menjahit Busana Dasar Angkatan 1", "skill_area": "sewing", "women_only": True,
                "partner": company, "capacity": 20, "min_attendance_pct": 75, "pass_score": 60,
                "description": "Menjahit pola dasar, memakai mesin jahit, dan menghitung harga jual."})
            _schedule(staff, course, [-7 * w for w in range(13, 1, -1)], place="Balai Warga RW 02",
                      trainers=["Ibu Ratna Sari", "Ibu Yuliana"],
                      topics=["Mengenal mesin jahit", "Pola dasar rok", "Menjahit blus", "Menghitung harga jual"])
            courses.course_start(actor=staff, course=course)
            _approve_waiting(staff, sewing, want=12)
            enrolled = sewing.enrollments.filter(state__in=(EnrollmentState.APPROVED, EnrollmentState.ACTIVE),
                                                 resident__isnull=False).order_by("pk")
            group = _add_all(staff, course, enrolled, limit=14)
            if len(group) >= 3:
                people.participant_drop(actor=staff, participant=group[-1],
                                        reason="Diterima bekerja di konveksi sebelum pelatihan selesai.")
                group[-1].refresh_from_db()
            _take(staff, course, rng, group, until=today, keen=0.85)
            for i, p in enumerate(group):
                if p.state == "active":
                    people.participant_score_set(actor=staff, participant=p,
                                                 score=rng.randint(75, 95) if i < 2 else rng.randint(45, 95))
            made["feedback"] += _feedback(staff, rng, course, group)
            courses.course_finish(actor=staff, course=course)
            certs.certificate_issue_course(actor=staff, course=course)
            first = course.participants.filter(certificate__isnull=False).order_by("pk").first()
            if first is not None:
                certs.certificate_revoke(actor=staff, certificate=first.certificate,
                                         reason="Nilai asesmen salah catat; sertifikat diterbitkan ulang "
                                                "setelah ujian ulang.")
            made["courses"] += 1
            made["participants"] += len(group)

        youth = programs.get(YOUTH)
        if youth is not None:
            staff = _staff(youth, actor)
            course = courses.course_create(actor=staff, program=youth, data={
                "title": "Pemasaran Digital dan Desain Grafis", "skill_area": "digital", "youth_only": True,
                "partner": company, "capacity": 20, "min_attendance_pct": 80, "pass_score": 70,
                "description": "Enam minggu: foto produk, media sosial, toko daring, desain brosur."})
            _schedule(staff, course, [-21, -14, -7, 0, 7, 14], place="Ruang Pelatihan PT Sentosa Makmur Abadi",
                      trainers=["Raka Pratama", "Dewi Kusuma"],
                      topics=["Foto produk dengan ponsel", "Media sosial untuk jualan", "Membuka toko daring",
                              "Desain brosur", "Iklan berbayar", "Presentasi usaha"])
            courses.course_start(actor=staff, course=course)
            enrolled = youth.enrollments.filter(state__in=(EnrollmentState.APPROVED, EnrollmentState.ACTIVE),
                                                resident__isnull=False).order_by("pk")
            group = _add_all(staff, course, enrolled, limit=15)
            host = (User.objects.filter(role=Role.OFFICER, agency=company, is_active=True).order_by("pk").first()
                    if company else None) or staff
            _take(host, course, rng, group, until=today - dt.timedelta(days=1), keen=0.8)
            made["feedback"] += _feedback(staff, rng, course, group)
            made["courses"] += 1
            made["participants"] += len(group)

        umkm = programs.get(UMKM)
        if umkm is not None:
            staff = _staff(umkm, actor)
            course = courses.course_create(actor=staff, program=umkm, data={
                "title": "Pembukuan Sederhana untuk Usaha Rumahan", "skill_area": "business", "capacity": 15,
                "min_attendance_pct": 75, "pass_score": None,
                "description": "Mencatat kas harian, memisahkan uang usaha dan rumah tangga, menghitung laba."})
            _schedule(staff, course, [10, 17, 24, 31], place="Aula Kantor Kelurahan Duri Kepa",
                      trainers=["Bapak Hendra Wijaya"],
                      topics=["Kas harian", "Uang usaha dan rumah tangga", "Harga pokok", "Laba dan rencana"])
            enrolled = umkm.enrollments.filter(state__in=(EnrollmentState.APPROVED, EnrollmentState.ACTIVE)
                                               ).select_related("household").order_by("pk")

            def owner(enrollment):
                return (enrollment.resident or enrollment.household.residents.filter(
                    status="active", relation="head").first())

            group = _add_all(staff, course, enrolled, limit=10, household_member=owner)
            made["courses"] += 1
            made["participants"] += len(group)
        made["certificates"] = Certificate.objects.count()
    made["seconds"] = time.monotonic() - started
    return made
