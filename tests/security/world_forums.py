"""Objects of the forums app for the authorization world.

The cast's resident accounts name their household heads (as the portal's activation does), so rules that
depend on the person (ratings) can be exercised. "Mine": the RW forum of the in-scope household's RW with a
thread, a reply and an open report; a program the household takes part in; a training session its head
attended (a course added to that program, the household's own agency, so no agency scope changes).
"Other": the same on the other household's side.
"""

from __future__ import annotations

import datetime as dt


def _participating(household):
    from bansos.forums.access import PARTICIPATING
    from bansos.programs.models import Enrollment

    return Enrollment.objects.filter(household=household, state__in=PARTICIPATING).select_related("program") \
        .order_by("pk").first()


def _attended_session(admin, enrollment, head):
    """A running course on the enrollment's program where ``head`` attended session 1 (made directly: the
    world's program may be of any kind, and the training services require a training program)."""
    from django.utils import timezone

    from bansos.training.models import Attendance, Course, CourseSession, Participant

    today = timezone.localdate()
    course = Course.objects.create(program=enrollment.program, title="Kelas Uji Keamanan Forum", skill_area="other",
                                   capacity=10, status="running", created_by=admin)
    session = CourseSession.objects.create(course=course, number=1, date=today - dt.timedelta(days=3),
                                           place="Balai Warga", trainer="Pelatih Uji",
                                           attendance_taken_at=timezone.now())
    participant = Participant.objects.create(course=course, enrollment=enrollment, resident=head,
                                             household_id=enrollment.household_id, added_by=admin)
    Attendance.objects.create(session=session, participant=participant, present=True, recorded_by=admin)
    return session


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """Adds this app's kinds to ``w.kinds`` (see ``world.Kind``)."""
    from bansos.forums.services import moderation, posts
    from tests.security.world import Kind

    K = w.kinds
    heads = {}
    for name, household in (("resident", h), ("resident_other", h2)):
        user = w.users[name]
        user.resident = household.residents.filter(status="active", relation="head").first() \
            or household.residents.filter(status="active").order_by("pk").first()
        user.save(update_fields=["resident"])
        heads[name] = user.resident
    forums, threads, replies, reports = [], [], [], []
    for rw, surveyor, resident in ((h.rt.rw, w.users["surveyor"], w.users["resident"]),
                                   (h2.rt.rw, w.users["surveyor_other"], w.users["resident_other"])):
        forum = posts.forum_for_rw(rw=rw)
        thread = posts.thread_create(actor=surveyor, forum=forum, title="Kerja bakti hari Minggu",
                                     body="Warga diundang kerja bakti membersihkan saluran air.")
        reply = posts.reply_create(actor=resident, thread=thread, body="Saya ikut, jam berapa mulainya?")
        report = moderation.report_create(actor=surveyor, thread=thread, reply=reply, reason="Uji laporan forum")
        forums.append(forum)
        threads.append(thread)
        replies.append(reply)
        reports.append(report)
    K["forum"] = Kind(*forums)
    K["forum_thread"] = Kind(*threads)
    K["forum_reply"] = Kind(*replies)
    K["forum_report"] = Kind(*reports)
    mine, other = _participating(h), _participating(h2)
    K["rated_program"] = Kind(mine.program, other.program, mine.program.agency_id, other.program.agency_id)
    K["forum_session"] = Kind(_attended_session(admin, mine, heads["resident"]),
                              _attended_session(admin, other, heads["resident_other"]),
                              mine.program.agency_id, other.program.agency_id)
