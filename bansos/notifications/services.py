"""Writes of the notifications app. ``notify`` is the one door through which every app tells people things."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from bansos.notifications.models import Channel, Message, MessageStatus


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


def _enqueue_delivery() -> None:
    from bansos.notifications.tasks import deliver_due_task

    deliver_due_task.enqueue()
