"""Forums (per RW, per program, per target group) with moderation, and residents' ratings of programs.

A forum is one row per RW, per program, or per target group (women, youth), made on demand. Threads
carry their opening text; replies hang below them. Staff replies may be marked official. Moderators
hide a thread or a reply with a reason (hidden rows stay for the record but residents never see them)
and lock a thread (no more replies). Anyone who may read a forum may report a post as abusive; the
moderators of the forum review the report (dismiss it, or hide the post).

Who may read and write which forum is decided in ``bansos.forums.access``.

Ratings of training sessions live in the training app (``training.Feedback``); ratings of programs
live here (``ProgramFeedback``, one per resident and program, editable). The monitoring app reads
these models (their ``created_at``) for participation indicators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    RW = "rw", _("Forum RW")  # the residents of one RW and its RW officer
    PROGRAM = "program", _("Forum program")  # the participating households of one program and its agency
    GROUP = "group", _("Forum kelompok")  # a target group's own place (women, youth), kelurahan-wide


class ForumGroup(models.TextChoices):
    """Target groups with a forum of their own; membership is derived from the registry (sex, age)."""

    WOMEN = "women", _("Perempuan")
    YOUTH = "youth", _("Pemuda (16–30 tahun)")


class Forum(models.Model):
    kind = models.CharField(_("jenis forum"), max_length=8, choices=ForumKind.choices)
    rw = models.ForeignKey("core.RW", null=True, blank=True, on_delete=models.PROTECT, related_name="forums")
    program = models.ForeignKey("programs.Program", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="forums")
    group = models.CharField(_("kelompok"), max_length=8, choices=ForumGroup.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "rw__number", "program__name", "group"]
        verbose_name = _("forum")
        verbose_name_plural = _("forum")
        constraints = [
            models.UniqueConstraint(fields=["rw"], condition=Q(kind="rw"), name="forum_rw_unique"),
            models.UniqueConstraint(fields=["program"], condition=Q(kind="program"), name="forum_program_unique"),
            models.UniqueConstraint(fields=["group"], condition=Q(kind="group"), name="forum_group_unique"),
            # Exactly the field of its kind is set, so a forum cannot belong to two scopes at once.
            models.CheckConstraint(
                condition=(Q(kind="rw", rw__isnull=False, program__isnull=True, group="")
                           | Q(kind="program", program__isnull=False, rw__isnull=True, group="")
                           | Q(kind="group", rw__isnull=True, program__isnull=True) & ~Q(group="")),
                name="forum_kind_fields"),
        ]

    def __str__(self) -> str:
        if self.kind == ForumKind.RW:
            return _("Forum RW %(n)02d") % {"n": self.rw.number}
        if self.kind == ForumKind.PROGRAM:
            return _("Forum %(name)s") % {"name": self.program.name}
        return _("Forum %(group)s") % {"group": self.get_group_display()}


class Thread(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="threads")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_threads")
    title = models.CharField(_("judul"), max_length=150)
    body = models.TextField(_("isi"))
    official = models.BooleanField(default=False)  # opened by a moderator of the forum (an announcement, a FAQ)
    locked_at = models.DateTimeField(null=True, blank=True)  # set: no more replies
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)  # set: residents do not see the thread
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=300, blank=True)
    reply_count = models.PositiveIntegerField(default=0)  # visible replies, kept by the services
    last_activity_at = models.DateTimeField()  # opening or latest visible reply: the list's order
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name = _("utas")
        verbose_name_plural = _("utas")
        indexes = [
            models.Index(fields=["forum", "-last_activity_at"], name="thread_forum_activity_idx"),
            models.Index(fields=["author", "created_at"], name="thread_author_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class Reply(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_replies")
    body = models.TextField(_("isi"))
    official = models.BooleanField(default=False)  # an answer of a moderator of the forum, marked as official
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.CharField(_("alasan disembunyikan"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["thread", "created_at", "pk"]
        verbose_name = _("balasan")
        verbose_name_plural = _("balasan")
        indexes = [models.Index(fields=["author", "created_at"], name="reply_author_created_idx")]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Menunggu tinjauan")  # in the moderators' queue
    UPHELD = "upheld", _("Diterima; tulisan disembunyikan")  # the post was hidden
    DISMISSED = "dismissed", _("Ditolak")  # the post stays (the review note says why)


class Report(models.Model):
    """An abuse report on a thread (its opening post) or on a reply."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reports")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_reports")
    reason = models.CharField(_("alasan laporan"), max_length=300)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("catatan tinjauan"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("laporan penyalahgunaan")
        verbose_name_plural = _("laporan penyalahgunaan")
        constraints = [
            # One open report per person and post: a second tap does not flood the queue.
            models.UniqueConstraint(fields=["reporter", "thread"], condition=Q(status="open", reply__isnull=True),
                                    name="report_open_thread_unique"),
            models.UniqueConstraint(fields=["reporter", "reply"], condition=Q(status="open", reply__isnull=False),
                                    name="report_open_reply_unique"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_status_idx")]


class ProgramFeedback(models.Model):
    """A resident's rating (1-5) and comment on a program the household takes part in; recorded again: edited."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="resident_feedback")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="program_feedback")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="program_feedback")
    rating = models.PositiveSmallIntegerField(_("nilai (1-5)"))
    comment = models.TextField(_("komentar"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("penilaian program")
        verbose_name_plural = _("penilaian program")
        constraints = [
            models.UniqueConstraint(fields=["program", "resident"], name="program_feedback_unique"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="program_feedback_rating_range"),
        ]
