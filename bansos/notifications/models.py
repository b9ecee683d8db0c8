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
    SENT = "sent", _("Terkirim")  # the channel accepted it (inbox: stored in the inbox)
    FAILED = "failed", _("Gagal")  # gave up after the last attempt; the error says why
    READ = "read", _("Dibaca")  # opened in the portal inbox (inbox channel only)


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
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"
