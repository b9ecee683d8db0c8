"""Skills training: courses with sessions, attendance, completion by rule, certificates, feedback.

A course belongs to a program (kind "training", or "enterprise" for business-management training)
and so to the program's agency; its participants come from that program's enrollments of one
resident each. Completion is computed from the course's rule (a minimum share of sessions attended
and, when set, a minimum assessment score) and frozen in ``Participant.outcome`` when the course is
finished. A certificate carries a verification code whose last characters are a keyed checksum, so
a mistyped or forged code is refused before any lookup; the public page shows only initials, the
course and the date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SkillArea(models.TextChoices):
    """Skill areas shared by courses and job vacancies (matching compares them)."""

    SEWING = "sewing", _("Menjahit & busana")
    COOKING = "cooking", _("Tata boga")
    DIGITAL = "digital", _("Keterampilan digital")
    BEAUTY = "beauty", _("Tata rias & salon")
    AUTOMOTIVE = "automotive", _("Otomotif & perbengkelan")
    ELECTRICAL = "electrical", _("Listrik & elektronik")
    CRAFT = "craft", _("Kerajinan tangan")
    BUSINESS = "business", _("Manajemen usaha & keuangan")
    HOSPITALITY = "hospitality", _("Perhotelan & pelayanan")
    CONSTRUCTION = "construction", _("Bangunan & pertukangan")
    OTHER = "other", _("Lainnya")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")  # sessions and participants being prepared
    RUNNING = "running", _("Berjalan")  # attendance is taken
    FINISHED = "finished", _("Selesai")  # outcomes frozen, certificates may be issued
    CANCELLED = "cancelled", _("Dibatalkan")  # stopped (reason recorded); nothing changes any more


COURSE_TRANSITIONS = {
    CourseStatus.PLANNED: {CourseStatus.RUNNING, CourseStatus.CANCELLED},
    CourseStatus.RUNNING: {CourseStatus.FINISHED, CourseStatus.CANCELLED},
    CourseStatus.FINISHED: set(),
    CourseStatus.CANCELLED: set(),
}


class Course(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="courses", verbose_name=_("program")
    )
    title = models.CharField(_("judul pelatihan"), max_length=150)
    skill_area = models.CharField(_("bidang keterampilan"), max_length=20, choices=SkillArea.choices)
    description = models.TextField(_("keterangan"), blank=True)
    # The provider is the program's agency; a partner company may co-run the course (agency kind business).
    partner = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="partner_courses",
        verbose_name=_("perusahaan mitra"),
    )
    women_only = models.BooleanField(_("khusus perempuan"), default=False)
    youth_only = models.BooleanField(_("khusus pemuda (16-30 tahun)"), default=False)
    capacity = models.PositiveIntegerField(_("kapasitas peserta"))
    # Completion rule: at least this share of the sessions attended and, when set, this score or more.
    min_attendance_pct = models.PositiveSmallIntegerField(_("kehadiran minimum (%)"), default=75)
    pass_score = models.PositiveSmallIntegerField(_("nilai lulus minimum (0-100)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.PLANNED)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pelatihan")
        verbose_name_plural = _("pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(min_attendance_pct__lte=100), name="course_attendance_pct_range"),
            models.CheckConstraint(condition=Q(pass_score__isnull=True) | Q(pass_score__lte=100),
                                   name="course_pass_score_range"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("pertemuan ke"))
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=150)
    trainer = models.CharField(_("pelatih"), max_length=120)
    topic = models.CharField(_("materi"), max_length=200, blank=True)
    # Set when attendance was taken (even if nobody came), so "not yet taken" differs from "all absent".
    attendance_taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("pertemuan")
        verbose_name_plural = _("pertemuan")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="course_session_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.course} #{self.number}"


class ParticipantState(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    DROPPED = "dropped", _("Berhenti")  # left the course; visible as a dropout


class Outcome(models.TextChoices):
    """Frozen when the course is finished (until then the outcome is computed on the fly)."""

    COMPLETED = "completed", _("Lulus")
    NOT_COMPLETED = "not_completed", _("Tidak lulus")
    DROPPED = "dropped", _("Berhenti")


class Participant(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="participants")
    enrollment = models.ForeignKey(
        "programs.Enrollment", on_delete=models.PROTECT, related_name="course_places"
    )
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="course_places")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="course_places")
    state = models.CharField(max_length=8, choices=ParticipantState.choices, default=ParticipantState.ACTIVE)
    dropped_reason = models.CharField(_("alasan berhenti"), max_length=200, blank=True)
    assessment_score = models.PositiveSmallIntegerField(_("nilai asesmen"), null=True, blank=True)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)  # when the outcome was frozen as completed
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "resident__full_name", "pk"]
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        constraints = [
            models.UniqueConstraint(fields=["course", "resident"], name="course_participant_unique"),
            models.CheckConstraint(condition=Q(assessment_score__isnull=True) | Q(assessment_score__lte=100),
                                   name="participant_score_range"),
        ]
        indexes = [models.Index(fields=["resident", "outcome"], name="participant_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.resident} — {self.course}"


class Attendance(models.Model):
    """One row per participant and session once attendance is taken; a tap flips ``present``."""

    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_unique"),
        ]
        indexes = [models.Index(fields=["participant", "present"], name="attendance_participant_idx")]


class Certificate(models.Model):
    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=20, unique=True)  # see bansos.training.certificates
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=200, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")

    def __str__(self) -> str:
        return self.code

    @property
    def display_code(self) -> str:
        from bansos.training.certificates import display

        return display(self.code)


class Feedback(models.Model):
    """A participant's rating (1-5) and comment on one session, or on the course as a whole."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="feedback")
    session = models.ForeignKey(CourseSession, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("nilai (1-5)"))
    comment = models.TextField(_("komentar"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"),
            models.UniqueConstraint(fields=["participant", "session"], condition=Q(session__isnull=False),
                                    name="feedback_session_unique"),
            models.UniqueConstraint(fields=["participant"], condition=Q(session__isnull=True),
                                    name="feedback_course_unique"),
        ]
