"""Reads of the notifications app: the outbox, the resident's inbox, announcements and their reach."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bansos.accounts.permissions import P, require
from bansos.core.errors import NotFoundError
from bansos.notifications.access import announcement_scope, inbox_scope
from bansos.notifications.models import (
    PUBLIC_KINDS, Announcement, AnnouncementStatus, Channel, Message, MessageStatus,
)


def mask_address(address: str) -> str:
    """A phone number or email shown on staff pages: enough to recognise, not to copy."""
    if not address:
        return ""
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    digits = address.strip()
    if len(digits) <= 6:
        return "*" * len(digits)
    return f"{digits[:4]}{'*' * (len(digits) - 7)}{digits[-3:]}"


# --- Outbox (staff) ------------------------------------------------------------------------------------


def outbox_list(*, user, status: str = "", channel: str = "", topic: str = "", reference: str = "") -> QuerySet:
    """Every message, newest first, for the outbox page (addresses are masked by the page)."""
    require(user, P.OUTBOX_VIEW)
    qs = Message.objects.select_related("household", "user").order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if topic:
        qs = qs.filter(topic=topic)
    if reference:
        qs = qs.filter(reference=reference)
    return qs


def outbox_counts(*, user) -> dict[str, int]:
    """How many messages are in each status (one grouped query)."""
    require(user, P.OUTBOX_VIEW)
    counts = {s: 0 for s in MessageStatus.values}
    for row in Message.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def outbox_get(*, user, pk: int) -> Message:
    require(user, P.OUTBOX_VIEW)
    message = Message.objects.filter(pk=pk).first()
    if message is None:
        raise NotFoundError()
    return message


# --- Inbox (resident) ----------------------------------------------------------------------------------


def inbox_list(*, user) -> QuerySet:
    """The resident's inbox: its account's and its household's messages already visible, newest first."""
    return (Message.objects.filter(inbox_scope(user), sent_at__lte=timezone.now())
            .order_by("-sent_at", "-pk"))


def inbox_unread_count(*, user) -> int:
    return inbox_list(user=user).filter(read_at__isnull=True).count()


def inbox_get(*, user, pk: int) -> Message:
    """One message of the resident's inbox; another household's message is simply not found."""
    message = inbox_list(user=user).filter(pk=pk).first()
    if message is None:
        raise NotFoundError()
    return message


def portal_inbox_section(*, user, household) -> dict[str, Any] | None:
    """The portal home's inbox section: the unread count and the latest three messages."""
    messages = inbox_list(user=user)
    latest = list(messages[:3])
    return {"unread": messages.filter(read_at__isnull=True).count(), "latest": latest}


# --- Announcements (staff) -----------------------------------------------------------------------------


def announcement_list(*, user, status: str = "", target_kind: str = "") -> QuerySet:
    qs = Announcement.objects.filter(announcement_scope(user)).select_related("program", "rw", "created_by")
    if status:
        qs = qs.filter(status=status)
    if target_kind:
        qs = qs.filter(target_kind=target_kind)
    return qs.order_by("-publish_at", "-pk")


def announcement_get(*, user, pk: int) -> Announcement:
    """An announcement the user may manage; others' are not found (their existence is no one's business)."""
    found = announcement_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def _reach(references: list[str]) -> dict[str, Any]:
    """Per RW reached: active households, households that received the information, and those that opened it.

    Only the RWs with at least one message of these references are listed (an RW announcement is one row).
    """
    from bansos.core.models import RW
    from bansos.registry.models import Household
    from bansos.registry.models.choices import HouseholdStatus

    now = timezone.now()
    received = (Q(channel=Channel.INBOX, sent_at__lte=now)
                | Q(channel__in=[Channel.SMS, Channel.WHATSAPP, Channel.EMAIL], status=MessageStatus.SENT))
    rows = (Message.objects.filter(reference__in=references, household__isnull=False).order_by()
            .values("household__rt__rw_id")
            .annotate(received=Count("household_id", distinct=True, filter=received),
                      opened=Count("household_id", distinct=True, filter=Q(read_at__isnull=False)),
                      sms=Count("pk", filter=Q(channel=Channel.SMS, status=MessageStatus.SENT)),
                      sms_logged=Count("pk", filter=Q(channel=Channel.SMS, status=MessageStatus.LOGGED)),
                      sms_failed=Count("pk", filter=Q(channel=Channel.SMS, status=MessageStatus.FAILED))))
    by_rw = {row["household__rt__rw_id"]: row for row in rows}
    totals = dict(Household.objects.filter(status=HouseholdStatus.ACTIVE).order_by().values("rt__rw_id")
                  .annotate(n=Count("pk")).values_list("rt__rw_id", "n"))
    table = []
    sums = {"households": 0, "received": 0, "opened": 0, "sms": 0, "sms_logged": 0, "sms_failed": 0}
    for rw in RW.objects.order_by("number"):
        row = by_rw.get(rw.pk, {})
        line = {"rw": rw, "households": totals.get(rw.pk, 0), "received": row.get("received", 0),
                "opened": row.get("opened", 0), "sms": row.get("sms", 0), "sms_logged": row.get("sms_logged", 0),
                "sms_failed": row.get("sms_failed", 0)}
        line["opened_pct"] = round(100 * line["opened"] / line["received"]) if line["received"] else 0
        if rw.pk not in by_rw:
            continue
        table.append(line)
        for key in sums:
            sums[key] += line[key]
    sums["opened_pct"] = round(100 * sums["opened"] / sums["received"]) if sums["received"] else 0
    return {"rows": table, "total": sums}


def announcement_reach(*, announcement: Announcement) -> dict[str, Any]:
    return _reach([announcement.reference])


def program_reach(*, user, program) -> dict[str, Any]:
    """Reach of every announcement about ``program`` that the user may see."""
    announcements = list(announcement_list(user=user).filter(program=program, status=AnnouncementStatus.PUBLISHED))
    data = _reach([a.reference for a in announcements])
    data["announcements"] = announcements
    return data


# --- Public ------------------------------------------------------------------------------------------


def public_announcements() -> QuerySet:
    """Published kelurahan-wide and RW-wide announcements whose time has come (no personal data)."""
    return (Announcement.objects.filter(status=AnnouncementStatus.PUBLISHED, target_kind__in=PUBLIC_KINDS,
                                        publish_at__lte=timezone.now())
            .select_related("program", "rw").order_by("-publish_at", "-pk"))


def public_announcement_get(pk: int) -> Announcement:
    found = public_announcements().filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found
