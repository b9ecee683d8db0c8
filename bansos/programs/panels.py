"""The household page's "Program & bantuan" panel, and what the household history may show of programs.

Who sees what of a family's programs (issue 4, DESIGN §2):
- the kelurahan admin: everything;
- a program officer: everything of the own agency's programs; of another agency's program only its
  kind, "lembaga lain" and the state, never its name, agency, period, reasons or money;
- the family itself (a resident signed in): its own programs in full;
- RT/RW officers and health cadres (local helpers): program names, agencies and states, no money;
- evaluators never reach a household page; the panel is hidden from them anyway.

Rows are prepared here as plain dicts, so the template cannot reach a hidden program's name.
"""

from __future__ import annotations

import copy
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _t

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.core.audit import action_label
from bansos.programs.access import can_program
from bansos.programs.models import (
    EnrollmentState, Participant, Program, Referral, ReferralStatus,
)
from bansos.programs.selectors import household as selectors
from bansos.registry.models import HouseholdStatus

FULL = "full"  # name, agency, period, reasons, money
NAMES = "names"  # name, agency, period, state; no money
KIND = "kind"  # only the kind, "lembaga lain" and the state

_ROLES_SHOWN = (Role.ADMIN, Role.OFFICER, Role.SURVEYOR, Role.CADRE, Role.RESIDENT)

STATE_BADGE = {
    EnrollmentState.APPLIED: "warn",
    EnrollmentState.VERIFIED: "warn",
    EnrollmentState.APPROVED: "",
    EnrollmentState.ACTIVE: "",
    EnrollmentState.SUSPENDED: "danger",
    EnrollmentState.GRADUATED: "",
    EnrollmentState.REJECTED: "off",
    EnrollmentState.EXITED: "off",
}
REFERRAL_BADGE = {
    ReferralStatus.SENT: "warn",
    ReferralStatus.ACCEPTED: "",
    ReferralStatus.ENROLLED: "",
    ReferralStatus.DECLINED: "off",
}
# Audit-change keys that are money; hidden from RT/RW officers and cadres in the household history.
MONEY_KEYS = {"committed_amount", "released_amount", "disbursed_amount", "amount"}


def other_agency_label() -> str:
    return _t("lembaga lain")


def program_level(user, program: Program) -> str | None:
    """How much of ``program`` the user may see on a household page (FULL, NAMES, KIND) or None."""
    role = getattr(user, "role", None)
    if role in (Role.ADMIN, Role.RESIDENT):
        return FULL
    if role == Role.OFFICER:
        return FULL if user.agency_id is not None and program.agency_id == user.agency_id else KIND
    if role in (Role.SURVEYOR, Role.CADRE):
        return NAMES
    return None


def _url(name: str, *args) -> str | None:
    """The URL of a page another part of the programs app may not have built yet (then no link)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _program(user, program: Program | None, level: str | None) -> dict[str, Any] | None:
    if program is None:
        return None
    shown = {"kind": program.get_kind_display(), "level": level}
    if level in (FULL, NAMES):
        shown.update(name=program.name, agency=program.agency.name, start=program.start_date, end=program.end_date,
                     is_person=program.participant == Participant.RESIDENT)
    else:
        shown.update(name=None, agency=other_agency_label())
    return shown


def _in_scope(user, household, enrollments, referrals) -> bool:
    if user.role == Role.OFFICER:
        # The officer's scope is exactly these rows (permissions._agency_households): no query needed.
        agency = user.agency_id
        return agency is not None and (
            any(e.program.agency_id == agency for e in enrollments)
            or any(r.to_program.agency_id == agency for r in referrals)
        )
    return has_perm(user, P.HOUSEHOLD_VIEW, household)


def _enrollment_row(user, enrollment) -> dict[str, Any]:
    program = enrollment.program
    level = program_level(user, program)
    row = {
        "level": level,
        "program": _program(user, program, level),
        "state": enrollment.state,
        "state_label": enrollment.get_state_display(),
        "badge": STATE_BADGE.get(enrollment.state, ""),
    }
    if level == KIND:
        return row
    if enrollment.resident_id:
        row["participant"] = enrollment.resident.full_name
    else:
        row["participant"] = _t("Seluruh keluarga")
    row["last"] = {
        "label": action_label(enrollment.last_action) if enrollment.last_action else "",
        "at": enrollment.last_at or enrollment.updated_at,
        "reason": enrollment.last_reason or "",
    }
    if level == FULL:
        row["money"] = {"committed": enrollment.committed_amount, "disbursed": enrollment.disbursed_amount}
    if can_program(user, P.ENROLLMENT_MANAGE, program):
        row["url"] = _url("programs:enrollment_detail", enrollment.pk)
    return row


def referral_involves(user, referral: Referral) -> bool:
    """Whether the user's agency sends or receives ``referral`` (admins: every referral)."""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.OFFICER or user.agency_id is None:
        return False
    return referral.to_program.agency_id == user.agency_id or (
        referral.from_program is not None and referral.from_program.agency_id == user.agency_id
    )


def _referral_row(user, referral: Referral) -> dict[str, Any]:
    involved = referral_involves(user, referral)

    def level(program):
        # The two agencies of a referral know of each other's program: the referral is their exchange.
        return FULL if involved else program_level(user, program)

    to_level = level(referral.to_program)
    from_level = level(referral.from_program) if referral.from_program else None
    visible = to_level != KIND and from_level != KIND
    row = {
        "from": _program(user, referral.from_program, from_level),
        "to": _program(user, referral.to_program, to_level),
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "badge": REFERRAL_BADGE.get(referral.status, ""),
        "created_at": referral.created_at,
        "answered_at": referral.updated_at if referral.status != ReferralStatus.SENT else None,
        "participant": referral.resident.full_name if referral.resident_id and visible else "",
        "note": referral.note if visible else "",
        "response": referral.response if visible else "",
    }
    if involved and has_role_perm(user, P.REFERRAL_MANAGE):
        row["url"] = _url("programs:referral_detail", referral.pk)
    return row


def can_refer(user, household, enrollments) -> bool:
    """Whether the user may send this family to another program (own program as origin; admin: any)."""
    if not has_role_perm(user, P.REFERRAL_MANAGE) or household.status != HouseholdStatus.ACTIVE:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.agency_id is not None and any(e.program.agency_id == user.agency_id for e in enrollments)


def household_programs(*, user, household) -> dict[str, Any] | None:
    """Context of the "Program & bantuan" panel, or None when the user may not see it."""
    if getattr(user, "role", None) not in _ROLES_SHOWN or not has_role_perm(user, P.HOUSEHOLD_VIEW):
        return None
    enrollments = selectors.household_enrollments(household=household)
    referrals = selectors.household_referrals(household=household)
    if not _in_scope(user, household, enrollments, referrals):
        return None
    refer = can_refer(user, household, enrollments)
    nominate = household.status == HouseholdStatus.ACTIVE and has_perm(user, P.ENROLLMENT_NOMINATE, household)
    return {
        "enrollments": [_enrollment_row(user, e) for e in enrollments],
        "referrals": [_referral_row(user, r) for r in referrals],
        "show_money": user.role in (Role.ADMIN, Role.RESIDENT, Role.OFFICER),
        "refer_url": _url("programs:referral_create", household.pk) if refer else None,
        "nominate_url": _url("programs:enrollment_nominate", household.pk) if nominate else None,
        "is_resident": user.role == Role.RESIDENT,
    }


# --- The household history -----------------------------------------------------------------------

ENROLLMENT_TYPE = "programs.enrollment"
REFERRAL_TYPE = "programs.referral"


def _ids(events, object_type: str) -> set[int]:
    return {int(e.object_id) for e in events if e.object_type == object_type and e.object_id.isdigit()}


def redact_history(*, user, events: list) -> list:
    """The household's audit events as ``user`` may read them (registered with registry.panels).

    An officer reads another agency's enrollment and referral events as "<kind> (lembaga lain)" with
    the state change only; RT/RW officers and cadres read them without money. Events are copied,
    never saved.
    """
    role = getattr(user, "role", None)
    if role not in (Role.OFFICER, Role.SURVEYOR, Role.CADRE):
        return events
    if not any(e.object_type in (ENROLLMENT_TYPE, REFERRAL_TYPE) for e in events):
        return events
    if role != Role.OFFICER:
        out = []
        for event in events:
            if event.object_type in (ENROLLMENT_TYPE, REFERRAL_TYPE) and MONEY_KEYS & set(event.changes or {}):
                event = copy.copy(event)
                event.changes = {k: v for k, v in event.changes.items() if k not in MONEY_KEYS}
            out.append(event)
        return out
    from bansos.accounts.models import User
    from bansos.programs.models import Enrollment

    hidden: dict[tuple[str, str], str] = {}  # (type, id) -> the kind's label, for rows of other agencies
    for pk, agency_id, kind in Enrollment.objects.filter(pk__in=_ids(events, ENROLLMENT_TYPE)).values_list(
        "pk", "program__agency_id", "program__kind"
    ):
        if agency_id != user.agency_id:
            hidden[(ENROLLMENT_TYPE, str(pk))] = kind
    for pk, to_agency, to_kind, from_agency in Referral.objects.filter(pk__in=_ids(events, REFERRAL_TYPE)).values_list(
        "pk", "to_program__agency_id", "to_program__kind", "from_program__agency_id"
    ):
        if user.agency_id not in (to_agency, from_agency):
            hidden[(REFERRAL_TYPE, str(pk))] = to_kind
    # An approval's overlap warning was written for the approving user: when an admin approved, it may
    # name another agency's program, so an officer reads only that a warning was confirmed.
    admin_actors = set(User.objects.filter(
        pk__in={e.actor_id for e in events if "overlap_warning" in (e.changes or {}) and e.actor_id},
        role=Role.ADMIN,
    ).values_list("pk", flat=True)) if any("overlap_warning" in (e.changes or {}) for e in events) else set()
    if not hidden and not admin_actors:
        return events
    kinds = dict(Program._meta.get_field("kind").flatchoices)
    out = []
    for event in events:
        kind = hidden.get((event.object_type, event.object_id))
        if kind is not None:
            event = copy.copy(event)
            event.object_label = f"{kinds.get(kind, kind)} ({other_agency_label()})"
            event.changes = {k: v for k, v in (event.changes or {}).items() if k in ("state", "status")}
            event.reason = ""
        elif event.actor_id in admin_actors and "overlap_warning" in (event.changes or {}):
            event = copy.copy(event)
            event.changes = {**event.changes, "overlap_warning": _t("peringatan tumpang tindih dikonfirmasi")}
        out.append(event)
    return out
