"""The notification outbox: one row per message per channel, delivered by the worker with retries.

Every app that tells a person something (a grievance's new status, a one-time sign-in code, the outcome
of an objection, an announcement) writes here through ``notifications.services.notify``; nothing sends
mail or SMS directly, so delivery status and retries are in one place and the portal inbox is the same
list the resident reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("Kotak pesan portal")  # the resident's (or user's) inbox in the platform
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")  # waiting for its (next) delivery attempt
    SENDING = "sending", _("Sedang dikirim")  # claimed by one worker until claimed_until (then claimable again)
    SENT = "sent", _("Terkirim")  # the channel accepted it (inbox: stored in the inbox)
    LOGGED = "logged", _("Dicatat di berkas, tidak dikirim")  # no gateway configured: written to the outbox file
    FAILED = "failed", _("Gagal")  # gave up after the last attempt; the error says why
    READ = "read", _("Dibaca")  # opened in the portal inbox (inbox channel only)


# Who may move a message where: the worker (queued -> sending -> sent/logged/queued/failed), the inbox
# (sent -> read), staff's "retry now" (failed/queued -> queued).
MESSAGE_TRANSITIONS: dict[str, set[str]] = {
    MessageStatus.QUEUED: {MessageStatus.SENDING, MessageStatus.QUEUED},
    MessageStatus.SENDING: {MessageStatus.SENT, MessageStatus.LOGGED, MessageStatus.QUEUED, MessageStatus.FAILED},
    MessageStatus.SENT: {MessageStatus.READ},
    MessageStatus.LOGGED: set(),
    MessageStatus.FAILED: {MessageStatus.QUEUED},
    MessageStatus.READ: set(),
}


class Message(models.Model):
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    # Who it is for: an account (inbox, or a staff member), a household (its residents' accounts read
    # it in the portal), and the address the external channels use, copied when the message is made.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    address = models.CharField(_("alamat tujuan"), max_length=254, blank=True)  # phone number or email
    topic = models.CharField(_("topik"), max_length=60)  # e.g. "grievance.status", "portal.otp", "announcement"
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    reference = models.CharField(max_length=60, blank=True)  # "<app>.<model>:<pk>" of what it is about
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # The worker that claimed the message (a random token) and until when; see delivery.claim_due.
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_via = models.CharField(_("lewat"), max_length=40, blank=True)  # "gateway", "django-email", "file"
    provider_ref = models.CharField(max_length=100, blank=True)  # the gateway's id of the message, if it gave one
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(household__isnull=False) | ~Q(address=""),
                name="message_has_recipient",
            ),
            models.CheckConstraint(condition=~Q(channel="inbox") | Q(address=""), name="message_inbox_no_address"),
            models.CheckConstraint(
                condition=Q(channel="inbox") | ~Q(address=""), name="message_external_has_address"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
            models.Index(fields=["user", "channel", "-created_at"], name="message_user_idx"),
            models.Index(fields=["household", "channel", "-created_at"], name="message_household_idx"),
            models.Index(fields=["reference"], name="message_reference_idx"),
            models.Index(fields=["status", "claimed_until"], name="message_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"


# --- Announcements --------------------------------------------------------------------------------


class TargetKind(models.TextChoices):
    KELURAHAN = "kelurahan", _("Seluruh kelurahan")  # every active household (public)
    RW = "rw", _("Satu RW")  # the active households of one RW (public)
    PROGRAM = "program", _("Peserta program")  # households receiving a program (approved, active, suspended)
    GROUP = "group", _("Kelompok sasaran")  # households with a member of a target group, optionally in one RW


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # written; nobody has received it
    PUBLISHED = "published", _("Diterbitkan")  # inbox messages written (visible from publish_at)


# Public announcements: anyone may read them on the public page; the others reach their households only.
PUBLIC_KINDS = (TargetKind.KELURAHAN, TargetKind.RW)


class Announcement(models.Model):
    title = models.CharField(_("judul"), max_length=150)
    body = models.TextField(_("isi"))
    publish_at = models.DateTimeField(_("waktu terbit"))
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="announcements",
        verbose_name=_("program"),
    )
    target_kind = models.CharField(_("sasaran"), max_length=12, choices=TargetKind.choices)
    rw = models.ForeignKey(
        "core.RW", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="RW"
    )
    group = models.CharField(_("kelompok sasaran"), max_length=20, blank=True)
    send_sms = models.BooleanField(_("kirim juga SMS"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=AnnouncementStatus.choices, default=AnnouncementStatus.DRAFT
    )
    # Counted when published (the messages are the truth; these are for lists).
    recipients = models.PositiveIntegerField(default=0)
    sms_queued = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_kind="rw") | Q(rw__isnull=False), name="announcement_rw_has_rw"
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="program") | Q(program__isnull=False), name="announcement_program_has_program"
            ),
            models.CheckConstraint(
                condition=Q(target_kind="group") & ~Q(group="") | ~Q(target_kind="group") & Q(group=""),
                name="announcement_group_only_for_group",
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="kelurahan") | Q(rw__isnull=True), name="announcement_kelurahan_no_rw"
            ),
        ]
        indexes = [models.Index(fields=["status", "target_kind", "-publish_at"], name="announcement_public_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """What its messages carry in ``Message.reference`` (reach is counted from them)."""
        return f"notifications.announcement:{self.pk}"

    @property
    def is_scheduled(self) -> bool:
        """Published for a later time: its messages exist but residents do not see them yet."""
        from django.utils import timezone

        return self.status == AnnouncementStatus.PUBLISHED and self.publish_at > timezone.now()

    @property
    def is_public(self) -> bool:
        return self.target_kind in PUBLIC_KINDS
