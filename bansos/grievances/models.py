"""Grievances (pengaduan) with SP4N-LAPOR! service levels.

A grievance is filed on the portal (a signed-in resident, or anyone with a name and phone, or
anonymously for fraud and abuse only) or entered by staff for the office, phone and RT/RW channels.
It carries a random tracking code so a person without an account can follow it, a service-level
track that decides the resolution deadline, an assignment to an agency or an officer, and a
timeline of every state change (``GrievanceEvent``): public messages the complainant reads, and
internal notes staff only see.

Deadlines are **working days** (Monday to Friday, Asia/Jakarta), as SP4N-LAPOR!'s national
guideline counts them ("hari kerja"): a deadline is the end (23:59:59 Jakarta time) of the Nth
working day after the day the grievance was received (or appealed). National holidays are not yet
subtracted; a deadline that falls after a holiday is therefore one day strict, never lenient.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    WRONGLY_INCLUDED = "wrongly_included", _("Salah sasaran: penerima tidak layak")
    WRONGLY_EXCLUDED = "wrongly_excluded", _("Salah sasaran: layak tetapi tidak terdaftar")
    AID_NOT_RECEIVED = "aid_not_received", _("Bantuan tidak diterima")
    SERVICE_QUALITY = "service_quality", _("Kualitas pelayanan")
    DATA_CORRECTION = "data_correction", _("Perbaikan data")
    FRAUD = "fraud", _("Penipuan atau penyalahgunaan")
    OTHER = "other", _("Lainnya")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal warga")  # filed by the complainant on the web
    OFFICE = "office", _("Kantor kelurahan")  # entered by staff (grievance.record)
    PHONE = "phone", _("Telepon")  # entered by staff
    RTRW = "rtrw", _("Petugas RT/RW")  # entered by staff


STAFF_CHANNELS = (Channel.OFFICE, Channel.PHONE, Channel.RTRW)


class Track(models.TextChoices):
    """Service-level track (SP4N-LAPOR!): decides the resolution deadline in working days."""

    COMPLAINT = "complaint", _("Permintaan informasi / pengaduan (5 hari kerja)")
    DISPUTE = "dispute", _("Sengketa tanpa pemeriksaan lapangan (14 hari kerja)")
    FIELD = "field", _("Sengketa dengan pemeriksaan lapangan (60 hari kerja)")


FIRST_RESPONSE_DAYS = 3
RESOLUTION_DAYS = {Track.COMPLAINT: 5, Track.DISPUTE: 14, Track.FIELD: 60}
# The track a new grievance starts on; staff may reclassify (a field check turns out to be needed).
DEFAULT_TRACK = {
    Category.WRONGLY_INCLUDED: Track.DISPUTE,
    Category.WRONGLY_EXCLUDED: Track.DISPUTE,
    Category.AID_NOT_RECEIVED: Track.COMPLAINT,
    Category.SERVICE_QUALITY: Track.COMPLAINT,
    Category.DATA_CORRECTION: Track.DISPUTE,
    Category.FRAUD: Track.FIELD,
    Category.OTHER: Track.COMPLAINT,
}
# A resolution the complainant neither accepts nor appeals is closed after this many working days.
AUTO_CLOSE_DAYS = 10


class State(models.TextChoices):
    RECEIVED = "received", _("Diterima")  # filed; waiting for the first response (3 working days)
    IN_PROGRESS = "in_progress", _("Sedang ditangani")  # first response given; being worked on
    RESOLVED = "resolved", _("Selesai ditangani")  # answer given; the complainant may accept or appeal once
    APPEALED = "appealed", _("Banding")  # the complainant disagreed once; to be resolved again
    CLOSED = "closed", _("Ditutup")  # accepted, or closed after the waiting time without an answer
    REJECTED = "rejected", _("Ditolak")  # not a grievance the kelurahan can handle (reason given)
    DUPLICATE = "duplicate", _("Duplikat")  # the same matter as another grievance (linked)


OPEN_STATES = (State.RECEIVED, State.IN_PROGRESS, State.APPEALED)
FINAL_STATES = (State.CLOSED, State.REJECTED, State.DUPLICATE)

TRANSITIONS = {
    State.RECEIVED: {State.IN_PROGRESS, State.RESOLVED, State.REJECTED, State.DUPLICATE},
    State.IN_PROGRESS: {State.RESOLVED, State.REJECTED, State.DUPLICATE},
    State.RESOLVED: {State.CLOSED, State.APPEALED},
    State.APPEALED: {State.RESOLVED},
    State.CLOSED: set(),
    State.REJECTED: set(),
    State.DUPLICATE: set(),
}


class Grievance(models.Model):
    code = models.CharField(_("kode lacak"), max_length=16, unique=True)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    track = models.CharField(_("jenis penanganan"), max_length=10, choices=Track.choices)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.RECEIVED)
    subject = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"))
    # The complainant: an account (resident), or a name and phone (public or entered by staff), or nobody.
    anonymous = models.BooleanField(_("anonim"), default=False)
    complainant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="grievances_filed")
    complainant_household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.SET_NULL, related_name="grievances_filed")
    complainant_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    complainant_phone = models.CharField(_("nomor HP pelapor"), max_length=20, blank=True)
    # What it is about (optional): a program, a household (the accused one for fraud: never told).
    program = models.ForeignKey("programs.Program", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="grievances", verbose_name=_("program terkait"))
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="grievances_about", verbose_name=_("keluarga terkait"))
    # The area it concerns (RT/RW officers see their RW's). From the household concerned, else the one chosen,
    # else the complainant's household (never for an anonymous one: it would point at the reporter).
    rw = models.ForeignKey("core.RW", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rt = models.ForeignKey("core.RT", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="grievances", verbose_name=_("lembaga penanggung jawab"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="grievances_assigned", verbose_name=_("petugas"))
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution = models.TextField(_("jawaban penyelesaian"), blank=True)  # public
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # Service levels. Timestamps are kept as fields: monitoring reads them for its indicators.
    received_at = models.DateTimeField(_("diterima"))
    first_response_due_at = models.DateTimeField(_("batas tanggapan pertama"))
    resolution_due_at = models.DateTimeField(_("batas penyelesaian"))
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    appealed_at = models.DateTimeField(_("banding"), null=True, blank=True)
    appeal_count = models.PositiveSmallIntegerField(default=0)
    # Escalation to the kelurahan admin, once per missed deadline (the task is idempotent through these).
    response_escalated_at = models.DateTimeField(null=True, blank=True)
    resolution_escalated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        constraints = [
            # Anonymous reports are for fraud and abuse only, and carry no identity at all.
            models.CheckConstraint(
                condition=Q(anonymous=False) | (Q(category="fraud") & Q(complainant_name="")
                                                & Q(complainant_phone="")),
                name="grievance_anonymous_fraud_only"),
            models.CheckConstraint(condition=Q(appeal_count__lte=1), name="grievance_appeal_once"),
        ]
        indexes = [
            models.Index(fields=["state", "first_response_due_at"], name="grievance_state_resp_idx"),
            models.Index(fields=["state", "resolution_due_at"], name="grievance_state_res_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Pengaduan diterima")
    RESPONDED = "responded", _("Tanggapan")
    ASSIGNED = "assigned", _("Penugasan")
    NOTE = "note", _("Catatan internal")
    RECLASSIFIED = "reclassified", _("Jenis penanganan diubah")
    RESOLVED = "resolved", _("Penyelesaian")
    ACCEPTED = "accepted", _("Penyelesaian diterima pelapor")
    APPEALED = "appealed", _("Banding pelapor")
    CLOSED = "closed", _("Ditutup")
    REJECTED = "rejected", _("Ditolak")
    DUPLICATE = "duplicate", _("Duplikat")
    ESCALATED = "escalated", _("Eskalasi ke admin kelurahan")


class GrievanceEvent(models.Model):
    """One line of a grievance's timeline. ``public`` lines are shown to the complainant and on the status page."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=14, choices=EventKind.choices)
    state_from = models.CharField(max_length=12, choices=State.choices, blank=True)
    state_to = models.CharField(max_length=12, choices=State.choices, blank=True)
    message = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["grievance", "at"], name="grievance_event_idx")]

    def __str__(self) -> str:
        return f"{self.grievance_id} {self.kind}"
