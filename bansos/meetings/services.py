"""Every write to meetings, attendance and needs. Each runs in a transaction with its audit event.

Scope: the kelurahan admin manages every meeting; a surveyor (RT/RW officer) only the meetings of
their own RW, never kelurahan-wide ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.core.audit import audit_log, diff, snapshot
from bansos.core.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.core.formats import age_on
from bansos.meetings.models import (
    MEETING_TRANSITIONS, NEED_TRANSITIONS, Attendance, Meeting, MeetingStatus, Need, NeedCategory, NeedStatus,
    NeedVote,
)
from bansos.registry.models import ResidentStatus, Sex
from bansos.registry.models.household import YOUTH_AGES

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_RW_OUT_OF_SCOPE = _("Anda hanya dapat mengelola musyawarah RW Anda sendiri.")
MSG_STATUS_TRANSITION = _("Status tidak dapat diubah dari %(old)s menjadi %(new)s.")
MSG_NOT_HELD = _("Kehadiran dan kebutuhan hanya dicatat untuk musyawarah yang sudah terlaksana.")
MSG_RESIDENT_OUTSIDE = _("Warga ini tidak tinggal di RW musyawarah ini.")
MSG_RESIDENT_INACTIVE = _("Warga ini tidak aktif.")
MSG_ALREADY_ATTENDING = _("Warga ini sudah tercatat hadir.")
MSG_NOT_ATTENDING = _("Warga ini tidak tercatat hadir.")
MSG_OTHERS_SUBSET = _("Tidak boleh lebih dari jumlah peserta lain.")
MSG_NEGATIVE = _("Tidak boleh negatif.")
MSG_REASON_REQUIRED = _("Tuliskan alasan penolakan.")
MSG_NEED_RW_MISMATCH = _("Kebutuhan pada musyawarah RW harus untuk RW itu.")
MSG_VOTER_NOT_ATTENDEE = _("Hanya peserta musyawarah yang dapat memberi suara.")
MSG_ALREADY_VOTED = _("Warga ini sudah memberi suara untuk kebutuhan ini.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_DATE_FUTURE_HELD = _("Musyawarah yang terlaksana tidak boleh bertanggal di masa depan.")

_MEETING_FIELDS = ("date", "rw", "title", "agenda", "place", "minutes", "decisions")
_MEETING_AUDIT = (*_MEETING_FIELDS, "status", "others_count", "others_women", "others_youth")
_NEED_FIELDS = ("category", "description", "rw", "hand_votes")
_NEED_AUDIT = (*_NEED_FIELDS, "status", "status_reason")


# --- Scope -----------------------------------------------------------------------------------


def rw_manageable(user, rw) -> bool:
    """Whether ``user`` may manage meetings of ``rw`` (None: kelurahan-wide)."""
    if not has_role_perm(user, P.MEETING_MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.SURVEYOR:
        return rw is not None and user.rw_id is not None and rw.pk == user.rw_id
    return False


def meeting_manageable(user, meeting: Meeting) -> bool:
    return rw_manageable(user, meeting.rw)


def _require_rw(actor, rw) -> None:
    if not has_role_perm(actor, P.MEETING_MANAGE):
        raise PermissionDeniedError()
    if not rw_manageable(actor, rw):
        raise PermissionDeniedError(MSG_RW_OUT_OF_SCOPE)


# --- Cleaning --------------------------------------------------------------------------------


def _text(errors: dict, data: dict, name: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(str(MSG_REQUIRED))
    if max_length and len(value) > max_length:
        errors.setdefault(name, []).append(str(MSG_TOO_LONG) % {"max": max_length})
    return value


def _decisions(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    return [str(item).strip() for item in value if str(item).strip()]


def _clean_meeting(data: dict[str, Any], *, status: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {
        "title": _text(errors, data, "title", required=True, max_length=200),
        "agenda": _text(errors, data, "agenda"),
        "place": _text(errors, data, "place", max_length=200),
        "minutes": _text(errors, data, "minutes"),
        "decisions": _decisions(data.get("decisions")),
        "rw": data.get("rw"),
    }
    date = data.get("date")
    if not isinstance(date, dt.date):
        errors.setdefault("date", []).append(str(MSG_REQUIRED))
    elif status == MeetingStatus.HELD and date > _today():
        errors.setdefault("date", []).append(str(MSG_DATE_FUTURE_HELD))
    clean["date"] = date
    if errors:
        raise ValidationFailed(errors)
    return clean


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


# --- Meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor, data: dict[str, Any], status: str = MeetingStatus.PLANNED) -> Meeting:
    """Record a musyawarah of an RW (``data["rw"]``) or of the kelurahan (``rw`` None)."""
    _require_rw(actor, data.get("rw"))
    if status not in (MeetingStatus.PLANNED, MeetingStatus.HELD):
        raise ValidationFailed({"status": [str(MSG_INVALID_CHOICE)]})
    clean = _clean_meeting(data, status=status)
    meeting = Meeting.objects.create(**clean, status=status, created_by=actor)
    audit_log(
        actor=actor, action="meeting.create", obj=meeting,
        changes={k: [None, v] for k, v in snapshot(meeting, _MEETING_AUDIT).items() if v not in (None, "", [], 0)},
    )
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    # Lock only the meeting row: PostgreSQL cannot lock the nullable side of the RW join.
    return Meeting.objects.select_for_update(of=("self",)).select_related("rw").get(pk=meeting.pk)


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Change a meeting's date, RW, title, agenda, place, minutes or decisions."""
    _require_rw(actor, meeting.rw)
    meeting = _locked(meeting)
    merged = {name: getattr(meeting, name) for name in _MEETING_FIELDS}
    merged.update({k: v for k, v in data.items() if k in _MEETING_FIELDS})
    if "rw" in data and (data["rw"].pk if data["rw"] else None) != meeting.rw_id:
        # Moving a meeting to another RW needs the right to manage that RW too.
        _require_rw(actor, data["rw"])
        if meeting.attendances.exists() or meeting.needs.exists():
            raise ValidationFailed({"rw": [str(_("RW tidak dapat diubah setelah kehadiran atau kebutuhan dicatat."))]})
    clean = _clean_meeting(merged, status=meeting.status)
    before = snapshot(meeting, _MEETING_AUDIT)
    for name, value in clean.items():
        setattr(meeting, name, value)
    changes = diff(before, snapshot(meeting, _MEETING_AUDIT))
    if changes:
        meeting.save(update_fields=[*clean.keys(), "updated_at"])
        audit_log(actor=actor, action="meeting.update", obj=meeting, changes=changes)
    return meeting


@transaction.atomic
def meeting_set_status(*, actor, meeting: Meeting, status: str, reason: str = "") -> Meeting:
    """Mark a meeting held or cancelled (or planned again after a cancellation)."""
    _require_rw(actor, meeting.rw)
    meeting = _locked(meeting)
    old = MeetingStatus(meeting.status)
    try:
        new = MeetingStatus(status)
    except ValueError:
        raise ValidationFailed({"status": [str(MSG_INVALID_CHOICE)]}) from None
    if new not in MEETING_TRANSITIONS[old]:
        raise DomainError("meeting_status_transition", MSG_STATUS_TRANSITION, field="status",
                          old=old.label, new=new.label)
    if new == MeetingStatus.HELD and meeting.date > _today():
        raise ValidationFailed({"date": [str(MSG_DATE_FUTURE_HELD)]})
    meeting.status = new
    meeting.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="meeting.status", obj=meeting, changes={"status": [old.value, new.value]},
              reason=(reason or "").strip())
    return meeting


def _require_held(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("meeting_not_held", MSG_NOT_HELD)


def _count(errors: dict, name: str, value: Any, *, optional: bool) -> int | None:
    if value in (None, ""):
        if optional:
            return None
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(str(_("Harus berupa bilangan bulat.")))
        return None
    if number < 0:
        errors.setdefault(name, []).append(str(MSG_NEGATIVE))
    return number


@transaction.atomic
def meeting_others_set(*, actor, meeting: Meeting, count: int, women: int | None = None,
                       youth: int | None = None) -> Meeting:
    """Set the number of non-registered attendees and, when known, how many are women and youth."""
    _require_rw(actor, meeting.rw)
    meeting = _locked(meeting)
    _require_held(meeting)
    errors: dict[str, list[str]] = {}
    count = _count(errors, "others_count", count, optional=False)
    women = _count(errors, "others_women", women, optional=True)
    youth = _count(errors, "others_youth", youth, optional=True)
    for name, value in (("others_women", women), ("others_youth", youth)):
        if value is not None and count is not None and name not in errors and value > count:
            errors.setdefault(name, []).append(str(MSG_OTHERS_SUBSET))
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(meeting, ("others_count", "others_women", "others_youth"))
    meeting.others_count, meeting.others_women, meeting.others_youth = count, women, youth
    changes = diff(before, snapshot(meeting, ("others_count", "others_women", "others_youth")))
    if changes:
        meeting.save(update_fields=["others_count", "others_women", "others_youth", "updated_at"])
        audit_log(actor=actor, action="meeting.others", obj=meeting, changes=changes)
    return meeting


# --- Attendance ------------------------------------------------------------------------------


def _check_attendee(actor, meeting: Meeting, resident) -> None:
    household = resident.household
    # The household must be visible to the actor: ids of other areas cannot be probed.
    if not has_perm(actor, P.HOUSEHOLD_VIEW, household):
        raise NotFoundError()
    if resident.status != ResidentStatus.ACTIVE:
        raise DomainError("resident_inactive", MSG_RESIDENT_INACTIVE, field="resident")
    if meeting.rw_id is not None and household.rt.rw_id != meeting.rw_id:
        raise DomainError("resident_outside_rw", MSG_RESIDENT_OUTSIDE, field="resident")


@transaction.atomic
def attendance_add(*, actor, meeting: Meeting, resident) -> Attendance:
    """Record that a registered resident attended a held meeting."""
    _require_rw(actor, meeting.rw)
    meeting = _locked(meeting)
    _require_held(meeting)
    _check_attendee(actor, meeting, resident)
    age = age_on(resident.birth_date, meeting.date)
    attendance = Attendance(
        meeting=meeting, resident=resident, is_woman=resident.sex == Sex.FEMALE,
        is_youth=age is not None and YOUTH_AGES[0] <= age <= YOUTH_AGES[1],
    )
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        raise DomainError("already_attending", MSG_ALREADY_ATTENDING, field="resident") from None
    audit_log(
        actor=actor, action="meeting.attendance_add", obj=meeting, household_id=resident.household_id,
        changes={"resident": [None, resident.full_name]},
    )
    return attendance


@transaction.atomic
def attendance_remove(*, actor, meeting: Meeting, resident) -> None:
    """Remove a resident recorded by mistake, with the votes they cast at this meeting."""
    _require_rw(actor, meeting.rw)
    meeting = _locked(meeting)
    _require_held(meeting)
    if not has_perm(actor, P.HOUSEHOLD_VIEW, resident.household):
        raise NotFoundError()
    deleted, _detail = Attendance.objects.filter(meeting=meeting, resident=resident).delete()
    if not deleted:
        raise DomainError("not_attending", MSG_NOT_ATTENDING, field="resident")
    NeedVote.objects.filter(need__meeting=meeting, resident=resident).delete()
    audit_log(
        actor=actor, action="meeting.attendance_remove", obj=meeting, household_id=resident.household_id,
        changes={"resident": [resident.full_name, None]},
    )


# --- Needs -----------------------------------------------------------------------------------


def _clean_need(meeting: Meeting, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {"description": _text(errors, data, "description", required=True, max_length=2000)}
    category = data.get("category") or ""
    if category not in NeedCategory.values:
        errors.setdefault("category", []).append(str(MSG_REQUIRED if not category else MSG_INVALID_CHOICE))
    clean["category"] = category
    votes = _count(errors, "hand_votes", data.get("hand_votes"), optional=False)
    clean["hand_votes"] = votes or 0
    rw = data.get("rw", meeting.rw)
    if meeting.rw_id is not None:
        if rw is not None and rw.pk != meeting.rw_id:
            errors.setdefault("rw", []).append(str(MSG_NEED_RW_MISMATCH))
        rw = meeting.rw
    clean["rw"] = rw
    if errors:
        raise ValidationFailed(errors)
    return clean


def _need_meeting(need: Need) -> Meeting:
    return Meeting.objects.select_related("rw").get(pk=need.meeting_id)


@transaction.atomic
def need_create(*, actor, meeting: Meeting, data: dict[str, Any]) -> Need:
    """Record a need raised at a held meeting, with the votes from the show of hands."""
    _require_rw(actor, meeting.rw)
    meeting = _locked(meeting)
    _require_held(meeting)
    clean = _clean_need(meeting, data)
    need = Need.objects.create(meeting=meeting, **clean)
    audit_log(actor=actor, action="need.create", obj=need,
              changes={k: [None, v] for k, v in snapshot(need, _NEED_FIELDS).items() if v not in (None, "")})
    return need


@transaction.atomic
def need_update(*, actor, need: Need, data: dict[str, Any]) -> Need:
    """Change a need's category, description, RW or show-of-hands votes."""
    meeting = _need_meeting(need)
    _require_rw(actor, meeting.rw)
    need = Need.objects.select_for_update().get(pk=need.pk)
    merged = {name: getattr(need, name) for name in _NEED_FIELDS}
    merged.update({k: v for k, v in data.items() if k in _NEED_FIELDS})
    clean = _clean_need(meeting, merged)
    before = snapshot(need, _NEED_FIELDS)
    for name, value in clean.items():
        setattr(need, name, value)
    changes = diff(before, snapshot(need, _NEED_FIELDS))
    if changes:
        need.save(update_fields=[*clean.keys(), "updated_at"])
        audit_log(actor=actor, action="need.update", obj=need, changes=changes)
    return need


@transaction.atomic
def need_set_status(*, actor, need: Need, status: str, reason: str = "") -> Need:
    """Move a need along raised -> adopted -> addressed, or decline it with a reason."""
    meeting = _need_meeting(need)
    _require_rw(actor, meeting.rw)
    need = Need.objects.select_for_update().get(pk=need.pk)
    old = NeedStatus(need.status)
    try:
        new = NeedStatus(status)
    except ValueError:
        raise ValidationFailed({"status": [str(MSG_INVALID_CHOICE)]}) from None
    if new not in NEED_TRANSITIONS[old]:
        raise DomainError("need_status_transition", MSG_STATUS_TRANSITION, field="status",
                          old=old.label, new=new.label)
    reason = (reason or "").strip()
    if new == NeedStatus.DECLINED and not reason:
        raise ValidationFailed({"reason": [str(MSG_REASON_REQUIRED)]})
    need.status = new
    need.status_reason = reason
    need.save(update_fields=["status", "status_reason", "updated_at"])
    audit_log(actor=actor, action="need.status", obj=need, changes={"status": [old.value, new.value]},
              reason=reason)
    return need


@transaction.atomic
def need_vote_add(*, actor, need: Need, resident) -> NeedVote:
    """Record one attendee's priority vote for a need raised at their meeting."""
    meeting = _need_meeting(need)
    _require_rw(actor, meeting.rw)
    if not has_perm(actor, P.HOUSEHOLD_VIEW, resident.household):
        raise NotFoundError()
    if not Attendance.objects.filter(meeting=meeting, resident=resident).exists():
        raise DomainError("voter_not_attendee", MSG_VOTER_NOT_ATTENDEE, field="resident")
    try:
        with transaction.atomic():
            vote = NeedVote.objects.create(need=need, resident=resident)
    except IntegrityError:
        raise DomainError("already_voted", MSG_ALREADY_VOTED, field="resident") from None
    audit_log(actor=actor, action="need.vote", obj=need, household_id=resident.household_id,
              changes={"voter": [None, resident.full_name]})
    return vote


@transaction.atomic
def need_vote_remove(*, actor, need: Need, resident) -> None:
    """Withdraw an attendee's vote recorded by mistake."""
    meeting = _need_meeting(need)
    _require_rw(actor, meeting.rw)
    if not has_perm(actor, P.HOUSEHOLD_VIEW, resident.household):
        raise NotFoundError()
    deleted, _detail = NeedVote.objects.filter(need=need, resident=resident).delete()
    if not deleted:
        raise NotFoundError()
    audit_log(actor=actor, action="need.unvote", obj=need, household_id=resident.household_id,
              changes={"voter": [resident.full_name, None]})
