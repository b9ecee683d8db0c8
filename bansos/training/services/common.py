"""Input checks shared by the training services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.core.errors import DomainError, Errors
from bansos.training.models import Course, CourseStatus

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_WHOLE_NUMBER = _("Harus bilangan bulat.")
MSG_RANGE = _("Harus antara %(low)s dan %(high)s.")
MSG_REASON = _("Tuliskan alasannya.")
MSG_COURSE_CLOSED = _("Pelatihan sudah selesai atau dibatalkan; tidak ada yang dapat diubah lagi.")
MSG_COURSE_NOT_RUNNING = _("Absensi hanya dapat dicatat selama pelatihan berjalan.")


def text(errors: Errors, data: dict, name: str, limit: int, *, required: bool = True) -> str:
    value = (data.get(name) or "")
    value = value.strip() if isinstance(value, str) else str(value).strip()
    if required and not value:
        errors.add(name, MSG_REQUIRED)
    elif len(value) > limit:
        errors.add(name, MSG_TOO_LONG, max=limit)
    return value


def whole(errors: Errors, data: dict, name: str, low: int, high: int | None, *, required: bool = True) -> int | None:
    value: Any = data.get(name)
    if value is None or value == "":
        if required:
            errors.add(name, MSG_REQUIRED)
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add(name, MSG_WHOLE_NUMBER)
        return None
    if value < low or (high is not None and value > high):
        errors.add(name, MSG_RANGE, low=low, high=high if high is not None else "…")
        return None
    return value


def reason_text(reason: str | None, limit: int = 200) -> str:
    value = (reason or "").strip()
    if not value:
        raise DomainError("reason_required", MSG_REASON, field="reason")
    if len(value) > limit:
        raise DomainError("reason_too_long", MSG_TOO_LONG, field="reason", max=limit)
    return value


def lock_course(course: Course) -> Course:
    """The course row, locked: every change of its sessions, participants or state goes through it."""
    return Course.objects.select_related("program", "partner").select_for_update(of=("self",)).get(pk=course.pk)


def require_open(course: Course) -> None:
    if course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED):
        raise DomainError("course_closed", MSG_COURSE_CLOSED)


def today() -> dt.date:
    return timezone.localdate()
