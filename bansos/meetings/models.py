"""Community meetings (musyawarah): attendance, minutes, decisions and the needs raised there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")  # scheduled; nothing recorded yet
    HELD = "held", _("Terlaksana")  # took place: attendance, minutes and needs are recorded
    CANCELLED = "cancelled", _("Dibatalkan")  # did not take place; may be planned again


MEETING_TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    # A held meeting stays held: its attendance and needs are the record of what happened.
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: {MeetingStatus.PLANNED},
}


class NeedCategory(models.TextChoices):
    ECONOMY = "economy", _("Ekonomi & lapangan kerja")
    EDUCATION = "education", _("Pendidikan")
    HEALTH = "health", _("Kesehatan")
    HOUSING = "housing", _("Perumahan & infrastruktur")
    SOCIAL = "social", _("Sosial")
    OTHER = "other", _("Lainnya")


class NeedStatus(models.TextChoices):
    RAISED = "raised", _("Diusulkan")  # raised at a meeting, not yet acted on
    ADOPTED = "adopted", _("Masuk rencana program")  # taken into a program plan
    ADDRESSED = "addressed", _("Sudah ditangani")  # a program or action has met it
    DECLINED = "declined", _("Ditolak")  # will not be acted on; the reason is recorded


NEED_TRANSITIONS = {
    NeedStatus.RAISED: {NeedStatus.ADOPTED, NeedStatus.ADDRESSED, NeedStatus.DECLINED},
    NeedStatus.ADOPTED: {NeedStatus.ADDRESSED, NeedStatus.DECLINED},
    NeedStatus.ADDRESSED: set(),
    # A declined need can be raised again when circumstances change.
    NeedStatus.DECLINED: {NeedStatus.RAISED},
}


class Meeting(models.Model):
    """One musyawarah of an RW, or of the whole kelurahan when ``rw`` is empty."""

    date = models.DateField(_("tanggal"))
    rw = models.ForeignKey(
        "core.RW", null=True, blank=True, on_delete=models.PROTECT, related_name="meetings", verbose_name="RW"
    )
    title = models.CharField(_("judul"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    minutes = models.TextField(_("notulen"), blank=True)
    # A list of short texts, one per decision, in the order they were taken.
    decisions = models.JSONField(_("keputusan"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # Attendees who are not in the registry (guests, residents not yet registered): a count, and
    # how many of them are women and youth when someone counted (null = not known).
    others_count = models.PositiveIntegerField(_("peserta lain (tidak terdaftar)"), default=0)
    others_women = models.PositiveIntegerField(_("di antaranya perempuan"), null=True, blank=True)
    others_youth = models.PositiveIntegerField(_("di antaranya pemuda (16-30)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("musyawarah")
        verbose_name_plural = _("musyawarah")
        indexes = [models.Index(fields=["rw", "status", "date"], name="meeting_rw_status_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(others_women__isnull=True) | Q(others_women__lte=F("others_count")),
                name="meeting_others_women_le_count",
            ),
            models.CheckConstraint(
                condition=Q(others_youth__isnull=True) | Q(others_youth__lte=F("others_count")),
                name="meeting_others_youth_le_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    @property
    def is_kelurahan_wide(self) -> bool:
        return self.rw_id is None


class Attendance(models.Model):
    """A registered resident who attended a meeting.

    Sex and youth are recorded as they were on the meeting date, so participation figures stay
    what they were (a youth of 2024 is still counted as youth at the 2024 meeting in 2030) and
    the aggregates are plain counts the database can group.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    resident = models.ForeignKey(
        "registry.Resident", on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    is_woman = models.BooleanField(default=False)
    is_youth = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "resident"], name="attendance_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} @ {self.meeting_id}"


class Need(models.Model):
    """A need raised at a meeting, with its priority votes and what became of it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="needs")
    # The meeting's RW; at a kelurahan-wide meeting, the RW the need is about (empty = everywhere).
    rw = models.ForeignKey(
        "core.RW", null=True, blank=True, on_delete=models.PROTECT, related_name="needs", verbose_name="RW"
    )
    category = models.CharField(_("kategori"), max_length=12, choices=NeedCategory.choices)
    description = models.TextField(_("uraian kebutuhan"))
    # Votes counted from the show of hands; per-attendee votes (NeedVote) come on top of these.
    hand_votes = models.PositiveIntegerField(_("suara angkat tangan"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.RAISED)
    status_reason = models.TextField(_("alasan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = _("kebutuhan")
        verbose_name_plural = _("kebutuhan")
        indexes = [models.Index(fields=["rw", "category"], name="need_rw_category_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(status_reason=""), name="need_declined_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class NeedVote(models.Model):
    """One attendee's priority vote for a need raised at the meeting they attended."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="votes")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="need_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "resident"], name="need_vote_once")]
