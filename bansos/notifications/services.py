"""Writes of the notifications app. ``notify`` is the one door through which every app tells people things;
announcements are written, published to their households, and their messages read and retried here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from bansos.accounts.permissions import P, has_role_perm, require
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, Errors, NotFoundError, PermissionDeniedError, raise_if_errors
from bansos.notifications.access import (
    MSG_SMS_ADMIN, can_choose_sms, require_manage_announcement, target_allowed, target_refusal,
)
from bansos.notifications.models import (
    Announcement, AnnouncementStatus, Channel, Message, MessageStatus, TargetKind,
)
from bansos.notifications.targets import GROUPS, target_households


def notify(
    *,
    topic: str,
    subject: str,
    body: str,
    user=None,
    household=None,
    phone: str = "",
    email: str = "",
    channels: Iterable[str] = (Channel.INBOX,),
    reference: str = "",
    actor=None,
) -> list[Message]:
    """Queues one message per channel for a person or a household and returns them.

    ``inbox`` needs ``user`` or ``household``; ``sms`` and ``whatsapp`` need ``phone``; ``email``
    needs ``email``. A channel whose address is missing is skipped (the person has no phone on record,
    say), so callers pass every channel they would like and the person's addresses as known. The
    inbox message counts as sent at once; the others are delivered by the worker after the
    surrounding transaction commits, with retries (``deliver_due``).
    """
    now = timezone.now()
    made = []
    for channel in dict.fromkeys(channels):
        if channel == Channel.INBOX:
            if user is None and household is None:
                continue
            address, status, sent_at = "", MessageStatus.SENT, now
        else:
            address = email if channel == Channel.EMAIL else phone
            address = (address or "").strip()
            if not address:
                continue
            status, sent_at = MessageStatus.QUEUED, None
        made.append(Message(channel=channel, user=user, household=household, address=address, topic=topic,
                            subject=subject[:200], body=body, reference=reference[:60], status=status,
                            sent_at=sent_at, next_attempt_at=None if sent_at else now, created_by=actor))
    Message.objects.bulk_create(made)
    if any(m.status == MessageStatus.QUEUED for m in made):
        transaction.on_commit(_enqueue_delivery)
    return made


def _enqueue_delivery(run_after: dt.datetime | None = None) -> None:
    """Start a delivery run now, or at ``run_after`` when the task backend can defer (the database one)."""
    from django_tasks import default_task_backend

    from bansos.notifications.tasks import deliver_due_task

    if run_after is not None and run_after > timezone.now() and getattr(default_task_backend, "supports_defer", False):
        deliver_due_task.using(run_after=run_after).enqueue()
    elif not _delivery_waiting(deliver_due_task):
        deliver_due_task.enqueue()


def _delivery_waiting(task) -> bool:
    """Whether a delivery run is queued and not started yet: it will send every message due when it starts,
    these included (they are committed), so a second one would only add a task that finds nothing to do."""
    if not getattr(task.get_backend(), "supports_defer", False):
        return False  # a backend that runs tasks at once keeps no queue to look at
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY,
                                       run_after__lte=timezone.now()).exists()



# --- Messages: the resident's inbox and the staff's "retry now" ------------------------------------

MSG_NOT_RETRYABLE = _("Hanya pesan yang gagal atau masih dalam antrean yang dapat dikirim ulang.")


def message_read(*, actor, message: Message) -> Message:
    """Mark an inbox message of the actor (or its household) as read; reading it again changes nothing.

    No audit event: opening one's own message is no change to anyone's data; ``read_at`` is the record.
    """
    from bansos.notifications.access import inbox_scope

    if not Message.objects.filter(inbox_scope(actor), pk=message.pk).exists():
        raise NotFoundError()
    now = timezone.now()
    Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now, status=MessageStatus.READ)
    message.refresh_from_db()
    return message


@transaction.atomic
def message_retry(*, actor, message: Message) -> Message:
    """Queue a failed (or waiting) external message for delivery now, with a fresh set of attempts."""
    require(actor, P.OUTBOX_VIEW)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.channel == Channel.INBOX or message.status not in (MessageStatus.FAILED, MessageStatus.QUEUED):
        raise DomainError("not_retryable", MSG_NOT_RETRYABLE)
    before = {"status": message.status, "attempts": message.attempts}
    message.status = MessageStatus.QUEUED
    message.next_attempt_at = timezone.now()
    if before["status"] == MessageStatus.FAILED:
        message.attempts = 0
    message.save(update_fields=["status", "next_attempt_at", "attempts"])
    audit_log(actor=actor, action="notifications.message.retry", obj=message,
              household_id=message.household_id,
              changes={"status": [before["status"], message.status], "attempts": [before["attempts"], message.attempts],
                       "last_error": message.last_error})
    transaction.on_commit(_enqueue_delivery)
    return message


# --- Announcements ----------------------------------------------------------------------------------

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_RW_REQUIRED = _("Pilih RW yang dituju.")
MSG_RW_KELURAHAN = _("Pengumuman untuk seluruh kelurahan tidak memilih RW.")
MSG_PROGRAM_REQUIRED = _("Pilih program yang pesertanya dituju.")
MSG_GROUP_REQUIRED = _("Pilih kelompok sasaran.")
MSG_PUBLISH_AT = _("Waktu terbit tidak valid.")
MSG_PUBLISHED = _("Pengumuman sudah diterbitkan; isinya tidak dapat diubah lagi.")
MSG_NO_RECIPIENTS = _("Tidak ada keluarga aktif di sasaran ini; pengumuman tidak diterbitkan.")

ANNOUNCEMENT_FIELDS = ("title", "body", "publish_at", "target_kind", "rw", "program", "group", "send_sms")


def _pick(model, value, errors: Errors, field: str):
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        found = model.objects.filter(pk=int(value)).first()
        if found is not None:
            return found
    errors.add(field, MSG_INVALID_CHOICE)
    return None


def _clean_announcement(actor, data: dict[str, Any]) -> dict[str, Any]:
    from bansos.core.models import RW
    from bansos.programs.models import Program

    errors = Errors()
    clean: dict[str, Any] = {}
    for name, limit in (("title", 150), ("body", 5000)):
        value = data.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            errors.add(name, MSG_REQUIRED)
        elif len(value) > limit:
            errors.add(name, MSG_TOO_LONG, max=limit)
        clean[name] = value
    publish_at = data.get("publish_at")
    if publish_at in (None, ""):
        publish_at = timezone.now()
    elif isinstance(publish_at, str):
        publish_at = parse_datetime(publish_at.strip())
    if not isinstance(publish_at, dt.datetime):
        errors.add("publish_at", MSG_PUBLISH_AT)
        publish_at = None
    elif timezone.is_naive(publish_at):
        publish_at = timezone.make_aware(publish_at)
    clean["publish_at"] = publish_at
    kind = data.get("target_kind") or ""
    if kind not in TargetKind.values:
        errors.add("target_kind", MSG_REQUIRED if not kind else MSG_INVALID_CHOICE)
    clean["target_kind"] = kind
    rw = _pick(RW, data.get("rw"), errors, "rw")
    program = _pick(Program, data.get("program"), errors, "program")
    group = data.get("group") or ""
    if kind == TargetKind.KELURAHAN and rw is not None:
        errors.add("rw", MSG_RW_KELURAHAN)
    if kind == TargetKind.RW and rw is None and "rw" not in errors:
        errors.add("rw", MSG_RW_REQUIRED)
    if kind == TargetKind.PROGRAM and program is None and "program" not in errors:
        errors.add("program", MSG_PROGRAM_REQUIRED)
    if kind == TargetKind.GROUP:
        if group not in GROUPS:
            errors.add("group", MSG_GROUP_REQUIRED if not group else MSG_INVALID_CHOICE)
    else:
        group = ""
    clean.update(rw=rw, program=program, group=group, send_sms=bool(data.get("send_sms")))
    if clean["send_sms"] and not can_choose_sms(actor):
        errors.add("send_sms", MSG_SMS_ADMIN)
    raise_if_errors(errors)
    if not target_allowed(actor, target_kind=kind, program=program, rw=rw):
        raise PermissionDeniedError(target_refusal(actor))
    return clean


def _require_manager(actor) -> None:
    if not has_role_perm(actor, P.ANNOUNCEMENT_MANAGE):
        raise PermissionDeniedError()


@transaction.atomic
def announcement_create(*, actor, data: dict[str, Any]) -> Announcement:
    """Write a draft announcement for an audience the actor may address."""
    _require_manager(actor)
    announcement = Announcement.objects.create(created_by=actor, **_clean_announcement(actor, data))
    audit_log(actor=actor, action="notifications.announcement.create", obj=announcement,
              changes={k: [None, v] for k, v in snapshot(announcement, ANNOUNCEMENT_FIELDS).items()})
    return announcement


@transaction.atomic
def announcement_update(*, actor, announcement: Announcement, data: dict[str, Any]) -> Announcement:
    """Change a draft (its audience too, within the actor's scope)."""
    require_manage_announcement(actor, announcement)
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.status != AnnouncementStatus.DRAFT:
        raise DomainError("announcement_published", MSG_PUBLISHED)
    before = snapshot(announcement, ANNOUNCEMENT_FIELDS)
    for name, value in _clean_announcement(actor, data).items():
        setattr(announcement, name, value)
    announcement.save()
    changes = diff(before, snapshot(announcement, ANNOUNCEMENT_FIELDS))
    if changes:
        audit_log(actor=actor, action="notifications.announcement.update", obj=announcement, changes=changes)
    return announcement


def _insert_messages(*, households, channel: str, address_column: str | None, announcement: Announcement,
                     actor, visible_at: dt.datetime, now: dt.datetime) -> int:
    """One message per household of ``households`` by a single INSERT ... SELECT (20,000 rows in one go).

    Building 20,000 model instances for bulk_create costs seconds and memory; the database copies the
    household ids (and phones) itself here. Plain SQL that SQLite and PostgreSQL both run.
    """
    ops = connection.ops
    sub_sql, sub_params = households.order_by().values(*(["pk", "phone"] if address_column else ["pk"])).query \
        .sql_with_params()
    queued = channel != Channel.INBOX
    values = {
        "channel": channel, "address": None, "topic": "announcement", "subject": announcement.title[:200],
        "body": announcement.body, "reference": announcement.reference,
        "status": MessageStatus.QUEUED if queued else MessageStatus.SENT, "attempts": 0,
        "next_attempt_at": ops.adapt_datetimefield_value(visible_at) if queued else None, "last_error": "",
        "claim": "", "delivered_via": "" if queued else "inbox", "provider_ref": "",
        "sent_at": None if queued else ops.adapt_datetimefield_value(visible_at),
        "created_by_id": actor.pk, "created_at": ops.adapt_datetimefield_value(now),
    }
    table = Message._meta.db_table
    quote = ops.quote_name
    names = ["household_id", *values]
    select = ["h.pk"]
    params: list = []
    for name, value in values.items():
        if name == "address":
            select.append("h.phone" if address_column else "''")
        else:
            select.append("%s")
            params.append(str(value) if isinstance(value, str) else value)
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
           f"SELECT {', '.join(select)} FROM ({sub_sql}) h")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *sub_params])
        return max(cursor.rowcount, 0)


@transaction.atomic
def announcement_publish(*, actor, announcement: Announcement) -> Announcement:
    """Write one inbox message per target household (and an SMS per household with a phone, if chosen).

    The messages become visible (and the SMS due) at ``publish_at``: an announcement published for later
    needs no scheduler of its own.
    """
    require_manage_announcement(actor, announcement)
    announcement = (Announcement.objects.select_for_update(of=("self",)).select_related("program", "rw")
                    .get(pk=announcement.pk))
    if announcement.status != AnnouncementStatus.DRAFT:
        raise DomainError("announcement_published", MSG_PUBLISHED)
    now = timezone.now()
    visible_at = max(announcement.publish_at, now)
    households = target_households(target_kind=announcement.target_kind, rw_id=announcement.rw_id,
                                   program_id=announcement.program_id, group=announcement.group,
                                   on=timezone.localdate(visible_at))
    count = _insert_messages(households=households, channel=Channel.INBOX, address_column=None,
                             announcement=announcement, actor=actor, visible_at=visible_at, now=now)
    if count == 0:
        raise DomainError("no_recipients", MSG_NO_RECIPIENTS)
    sms = 0
    if announcement.send_sms:
        sms = _insert_messages(households=households.exclude(phone=""), channel=Channel.SMS, address_column="phone",
                               announcement=announcement, actor=actor, visible_at=visible_at, now=now)
    announcement.status = AnnouncementStatus.PUBLISHED
    announcement.published_at = now
    announcement.published_by = actor
    announcement.recipients = count
    announcement.sms_queued = sms
    announcement.save(update_fields=["status", "published_at", "published_by", "recipients", "sms_queued",
                                     "updated_at"])
    audit_log(actor=actor, action="notifications.announcement.publish", obj=announcement,
              changes={"status": [AnnouncementStatus.DRAFT, AnnouncementStatus.PUBLISHED], "recipients": count,
                       "sms": sms, "publish_at": announcement.publish_at})
    if sms:
        transaction.on_commit(lambda: _enqueue_delivery(run_after=visible_at))
    return announcement
