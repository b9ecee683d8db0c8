"""Writes of the grievances app: file, record, respond, assign, note, reclassify, resolve, reject, accept,
appeal, and the escalation run.

Every function runs in one transaction, locks the grievance row it changes (two officers answering at
once must not both count as the first response), writes the timeline event and an audit event, and
tells the complainant through ``notify`` (never an anonymous one). ``now`` may be passed so tests and
the escalation run can travel in time; it defaults to the clock.

The audit events of grievances carry no household id on purpose: the household history is readable by
the household's own resident, and a fraud report about a household must never show up there.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, Role, User
from bansos.accounts.permissions import P, has_role_perm, household_in_scope
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, NotFoundError, PermissionDeniedError, raise_if_errors
from bansos.core.models import RW
from bansos.grievances import sla
from bansos.grievances.access import can_assign_anywhere, is_complainant, require_handle
from bansos.grievances.models import (
    AUTO_CLOSE_DAYS, DEFAULT_TRACK, OPEN_STATES, STAFF_CHANNELS, TRANSITIONS, Category, Channel, EventKind,
    Grievance, GrievanceEvent, State, Track,
)
from bansos.programs.models import Program, ProgramStatus
from bansos.registry.models import Household

MSG_REQUIRED = _("Wajib diisi.")
MSG_TOO_LONG = _("Paling banyak %(max)s karakter.")
MSG_INVALID_CHOICE = _("Pilihan tidak valid.")
MSG_PHONE = _("Nomor HP tidak valid; tulis seperti 081234567890.")
MSG_ANONYMOUS_FRAUD_ONLY = _("Laporan tanpa nama hanya dapat dibuat untuk kategori penipuan atau penyalahgunaan.")
MSG_NAME_OR_ANONYMOUS = _("Tuliskan nama Anda (atau pilih laporan tanpa nama untuk penipuan/penyalahgunaan).")
MSG_STAFF_CHANNEL = _("Saluran ini tidak dapat dipilih; pengaduan lewat portal diisi sendiri oleh warga.")
MSG_TRANSITION = _("Pengaduan berstatus “%(state)s”; tindakan ini tidak dapat dilakukan.")
MSG_APPEAL_ONCE = _("Banding hanya dapat diajukan satu kali.")
MSG_NOT_COMPLAINANT = _("Hanya pelapor yang dapat menerima penyelesaian atau mengajukan banding.")
MSG_PHONE_MISMATCH = _("Nomor HP tidak cocok dengan nomor yang dicatat pada pengaduan ini.")
MSG_USE_ACCOUNT = _("Pengaduan ini dibuat dari akun portal; masuk ke portal untuk menanggapinya.")
MSG_ASSIGN_NOTHING = _("Pilih lembaga atau petugas.")
MSG_ASSIGN_OTHER_AGENCY = _("Anda hanya dapat menugaskan petugas lembaga Anda sendiri.")
MSG_ASSIGNEE_AGENCY = _("Petugas harus dari lembaga yang ditugaskan.")
MSG_ASSIGNEE_ROLE = _("Pilih petugas program atau admin kelurahan yang aktif.")
MSG_SAME_TRACK = _("Jenis penanganan sudah “%(track)s”.")
MSG_DUPLICATE_SELF = _("Pengaduan tidak dapat menjadi duplikat dirinya sendiri.")
MSG_DUPLICATE_REQUIRED = _("Tuliskan kode pengaduan aslinya.")
MSG_HOUSEHOLD_SCOPE = _("Keluarga ini di luar wilayah atau program Anda.")
MSG_PROGRAM_DRAFT = _("Program ini belum diumumkan.")

NAME_MAX, SUBJECT_MAX, TEXT_MAX, MESSAGE_MAX = 120, 150, 4000, 2000
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U to misread
CODE_LENGTH = 12  # 60 random bits: a code cannot be guessed, so it is the only key a non-account filer needs


# --- small helpers ------------------------------------------------------------------------------------------

def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str | None) -> str:
    """What a person typed (any case, dashes, O for 0, I/L for 1) as the stored code, or ""."""
    raw = re.sub(r"[^0-9A-Za-z]", "", value or "").upper().translate(str.maketrans("OIL", "011"))
    return raw if len(raw) == CODE_LENGTH and all(c in CODE_ALPHABET for c in raw) else ""


def display_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize_phone(value: str | None) -> str:
    """An Indonesian mobile number as 08..., or "" when it is not one."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits if re.fullmatch(r"08\d{8,11}", digits) else ""


def _text(errors: Errors, data: dict, name: str, limit: int, *, required: bool = True) -> str:
    value = data.get(name) or ""
    value = value.strip() if isinstance(value, str) else str(value).strip()
    if required and not value:
        errors.add(name, MSG_REQUIRED)
    elif len(value) > limit:
        errors.add(name, MSG_TOO_LONG, max=limit)
    return value


def _message(value: str | None, field: str = "message", *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("required", MSG_REQUIRED, field=field)
    if len(text) > MESSAGE_MAX:
        raise DomainError("too_long", MSG_TOO_LONG, field=field, max=MESSAGE_MAX)
    return text


def _lock(grievance: Grievance) -> Grievance:
    return Grievance.objects.select_for_update(of=("self",)).select_related("program").get(pk=grievance.pk)


def _move(grievance: Grievance, to: str) -> None:
    if to not in TRANSITIONS[grievance.state]:
        raise DomainError("transition", MSG_TRANSITION, state=State(grievance.state).label)
    grievance.state = to


def _event(grievance: Grievance, kind: str, *, actor, at: dt.datetime, message: str = "", public: bool = False,
           state_from: str = "", state_to: str = "") -> GrievanceEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return GrievanceEvent.objects.create(grievance=grievance, kind=kind, at=at, message=message, public=public,
                                         state_from=state_from, state_to=state_to,
                                         actor=actor if authenticated else None)


def _audit(actor, action: str, grievance: Grievance, changes: dict[str, Any] | None = None, reason: str = "") -> None:
    audit_log(actor=actor, action=action, obj=grievance, object_label=f"{display_code(grievance.code)}",
              changes=changes or {}, reason=reason)


def tell_complainant(grievance: Grievance, *, subject: str, body: str, actor=None) -> None:
    """Inbox for an account (or the household it was filed for), SMS to a phone given; nobody when anonymous."""
    if grievance.anonymous:
        return
    from bansos.notifications.services import notify

    notify(topic="grievance", subject=subject, body=body, user=grievance.complainant_user,
           household=grievance.complainant_household, phone=grievance.complainant_phone,
           channels=("inbox", "sms"), reference=grievance.code, actor=actor)


def _status_body(grievance: Grievance, message: str = "") -> str:
    text = _t("Pengaduan %(code)s “%(subject)s” kini berstatus: %(state)s.") % {
        "code": display_code(grievance.code), "subject": grievance.subject, "state": State(grievance.state).label}
    return f"{text}\n\n{message}" if message else text


# --- filing -------------------------------------------------------------------------------------------------

def _choice(errors: Errors, data: dict, name: str, choices) -> str:
    value = data.get(name) or ""
    if value not in choices.values:
        errors.add(name, MSG_REQUIRED if not value else MSG_INVALID_CHOICE)
    return value


def _object(errors: Errors, data: dict, name: str, model, qs=None):
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    if not str(value).isdigit():
        errors.add(name, MSG_INVALID_CHOICE)
        return None
    found = (qs if qs is not None else model.objects).filter(pk=int(value)).first()
    if found is None:
        errors.add(name, MSG_INVALID_CHOICE)
    return found


def _clean_filing(data: dict[str, Any], *, named_required: bool) -> tuple[dict[str, Any], Errors]:
    errors = Errors()
    clean: dict[str, Any] = {
        "category": _choice(errors, data, "category", Category),
        "subject": _text(errors, data, "subject", SUBJECT_MAX),
        "description": _text(errors, data, "description", TEXT_MAX),
        "anonymous": bool(data.get("anonymous")),
    }
    if clean["anonymous"] and clean["category"] and clean["category"] != Category.FRAUD:
        errors.add("anonymous", MSG_ANONYMOUS_FRAUD_ONLY)
    name = _text(errors, data, "name", NAME_MAX, required=False)
    raw_phone = (data.get("phone") or "").strip()
    phone = normalize_phone(raw_phone)
    if raw_phone and not phone:
        errors.add("phone", MSG_PHONE)
    if clean["anonymous"]:
        name, phone = "", ""  # an anonymous report keeps no identity, whatever was typed
    elif named_required:
        if not name:
            errors.add("name", MSG_NAME_OR_ANONYMOUS)
        if not raw_phone:
            errors.add("phone", MSG_REQUIRED)
    clean["complainant_name"], clean["complainant_phone"] = name, phone
    clean["program"] = _object(errors, data, "program", Program, Program.objects.exclude(status=ProgramStatus.DRAFT))
    clean["rw"] = _object(errors, data, "rw", RW)
    return clean, errors


def _place(grievance: Grievance) -> None:
    """The RW/RT a grievance concerns: the household it is about, else the RW chosen, else the complainant's."""
    if grievance.household_id:
        grievance.rt = grievance.household.rt
        grievance.rw_id = grievance.household.rt.rw_id
    elif grievance.rw_id:
        grievance.rt = None
    elif grievance.complainant_household_id and not grievance.anonymous:
        grievance.rt = grievance.complainant_household.rt
        grievance.rw_id = grievance.complainant_household.rt.rw_id


def _create(*, actor, clean: dict[str, Any], channel: str, now: dt.datetime | None, **extra) -> Grievance:
    now = now or timezone.now()
    track = DEFAULT_TRACK[Category(clean["category"])]
    grievance = Grievance(
        code=new_code(), channel=channel, track=track, state=State.RECEIVED, received_at=now,
        first_response_due_at=sla.first_response_due(now), resolution_due_at=sla.resolution_due(now, track),
        **clean, **extra,
    )
    if grievance.program_id and not grievance.agency_id:
        grievance.agency_id = grievance.program.agency_id
    _place(grievance)
    grievance.save()
    # An anonymous report names no one: not even the account that filed it appears in the audit trail.
    who = None if grievance.anonymous else actor
    _event(grievance, EventKind.RECEIVED, actor=who, at=now, public=True, state_to=State.RECEIVED,
           message=_t("Pengaduan diterima. Tanggapan pertama paling lambat %(due)s.") % {
               "due": timezone.localtime(grievance.first_response_due_at).strftime("%d-%m-%Y")})
    _audit(who, "grievances.grievance.file", grievance, changes={
        "category": [None, grievance.category], "channel": [None, grievance.channel],
        "track": [None, grievance.track], "anonymous": [None, grievance.anonymous],
        "program": [None, str(grievance.program) if grievance.program_id else None]})
    tell_complainant(grievance, actor=who, subject=_t("Pengaduan Anda diterima"),
                     body=_t("Pengaduan Anda diterima dengan kode lacak %(code)s. Simpan kode ini untuk melihat "
                             "perkembangannya. Tanggapan pertama paling lambat 3 hari kerja.")
                     % {"code": display_code(grievance.code)})
    return grievance


@transaction.atomic
def grievance_file(*, actor, data: dict[str, Any], now: dt.datetime | None = None) -> Grievance:
    """File a grievance on the portal: a signed-in resident, or anyone with a name and phone, or anonymously."""
    resident = actor is not None and getattr(actor, "is_authenticated", False) and actor.role == Role.RESIDENT
    clean, errors = _clean_filing(data, named_required=not resident)
    raise_if_errors(errors)
    extra: dict[str, Any] = {}
    if resident:
        extra["complainant_user"] = actor
        if not clean["anonymous"]:
            extra["complainant_household_id"] = actor.household_id
            if not clean["complainant_name"]:
                clean["complainant_name"] = (actor.resident.full_name if actor.resident_id
                                             else actor.get_full_name())[:NAME_MAX]
        else:
            # Kept only so the reporter finds it under "Pengaduan saya"; staff pages never show it.
            extra["complainant_household_id"] = None
    return _create(actor=actor, clean=clean, channel=Channel.PORTAL, now=now, **extra)


@transaction.atomic
def grievance_record(*, actor, data: dict[str, Any], now: dt.datetime | None = None) -> Grievance:
    """Enter a grievance received at the kelurahan office, by phone or by an RT/RW officer."""
    if not has_role_perm(actor, P.GRIEVANCE_RECORD):
        raise PermissionDeniedError()
    errors = Errors()
    channel = data.get("channel") or ""
    if channel not in STAFF_CHANNELS:
        errors.add("channel", MSG_REQUIRED if not channel else MSG_STAFF_CHANNEL)
    clean, more = _clean_filing(data, named_required=False)
    for field, messages in more.items():
        for message in messages:
            errors.add(field, message)
    complainant = _object(errors, data, "complainant_household", Household)
    about = _object(errors, data, "household", Household)
    for field, household in (("complainant_household", complainant), ("household", about)):
        if household is not None and not household_in_scope(actor, household):
            errors.add(field, MSG_HOUSEHOLD_SCOPE)
    if not clean["anonymous"] and not (clean["complainant_name"] or complainant):
        errors.add("name", MSG_NAME_OR_ANONYMOUS)
    raise_if_errors(errors)
    extra: dict[str, Any] = {"recorded_by": actor, "household": about,
                             "complainant_household": None if clean["anonymous"] else complainant}
    if complainant is not None and not clean["anonymous"] and not clean["complainant_name"]:
        head = complainant.residents.filter(relation="head").first()
        clean["complainant_name"] = head.full_name if head else ""
    if actor.role == Role.OFFICER:
        extra["agency"] = actor.agency  # what an officer records is its agency's to handle
    elif actor.role == Role.SURVEYOR and about is None and clean["rw"] is None:
        clean["rw"] = actor.rw
    grievance = _create(actor=actor, clean=clean, channel=channel, now=now, **extra)
    if actor.role == Role.SURVEYOR and actor.rt_id and grievance.rt_id is None and grievance.rw_id == actor.rw_id:
        grievance.rt_id = actor.rt_id  # an RT-scoped officer keeps seeing what it recorded for its RW
        grievance.save(update_fields=["rt"])
    return grievance


# --- handling -----------------------------------------------------------------------------------------------

def _first_response(grievance: Grievance, now: dt.datetime) -> list[str]:
    if grievance.first_response_at is None:
        grievance.first_response_at = now
        return ["first_response_at"]
    return []


@transaction.atomic
def grievance_respond(*, actor, grievance: Grievance, message: str, now: dt.datetime | None = None) -> Grievance:
    """A public answer to the complainant; the first one moves a received grievance to in progress."""
    require_handle(actor, grievance)
    now = now or timezone.now()
    message = _message(message)
    grievance = _lock(grievance)
    if grievance.state not in OPEN_STATES:
        raise DomainError("transition", MSG_TRANSITION, state=State(grievance.state).label)
    before = grievance.state
    fields = _first_response(grievance, now)
    if grievance.state == State.RECEIVED:
        _move(grievance, State.IN_PROGRESS)
        fields.append("state")
    grievance.save(update_fields=[*fields, "updated_at"])
    _event(grievance, EventKind.RESPONDED, actor=actor, at=now, message=message, public=True,
           state_from=before, state_to=grievance.state)
    _audit(actor, "grievances.grievance.respond", grievance,
           changes={"state": [before, grievance.state]} if before != grievance.state else {})
    tell_complainant(grievance, actor=actor, subject=_t("Tanggapan atas pengaduan Anda"),
                     body=_status_body(grievance, message))
    return grievance


@transaction.atomic
def grievance_assign(*, actor, grievance: Grievance, agency: Agency | None = None, assignee: User | None = None,
                     note: str = "", now: dt.datetime | None = None) -> Grievance:
    """Hand a grievance to an agency and/or an officer (an officer: only within its own agency)."""
    require_handle(actor, grievance)
    now = now or timezone.now()
    note = _message(note, "note", required=False)
    if agency is None and assignee is None:
        raise DomainError("assign_nothing", MSG_ASSIGN_NOTHING, field="agency")
    if assignee is not None:
        if not assignee.is_active or assignee.role not in (Role.OFFICER, Role.ADMIN):
            raise DomainError("assignee_role", MSG_ASSIGNEE_ROLE, field="assignee")
        if agency is None and assignee.role == Role.OFFICER:
            agency = assignee.agency
        if agency is not None and assignee.role == Role.OFFICER and assignee.agency_id != agency.pk:
            raise DomainError("assignee_agency", MSG_ASSIGNEE_AGENCY, field="assignee")
    if not can_assign_anywhere(actor):
        if agency is not None and agency.pk != actor.agency_id:
            raise DomainError("assign_other_agency", MSG_ASSIGN_OTHER_AGENCY, field="agency")
    grievance = _lock(grievance)
    if grievance.state not in OPEN_STATES:
        raise DomainError("transition", MSG_TRANSITION, state=State(grievance.state).label)
    before = {"agency": str(grievance.agency) if grievance.agency_id else None,
              "assignee": grievance.assignee.username if grievance.assignee_id else None}
    if agency is not None:
        grievance.agency = agency
    grievance.assignee = assignee
    grievance.save(update_fields=["agency", "assignee", "updated_at"])
    after = {"agency": str(grievance.agency) if grievance.agency_id else None,
             "assignee": assignee.username if assignee else None}
    label = after["agency"] or ""
    if assignee is not None:
        label = f"{label} · {assignee.get_full_name() or assignee.username}".strip(" ·")
    _event(grievance, EventKind.ASSIGNED, actor=actor, at=now,
           message=(_t("Ditugaskan kepada %(who)s.") % {"who": label}) + (f"\n{note}" if note else ""))
    _audit(actor, "grievances.grievance.assign", grievance,
           changes={k: [before[k], after[k]] for k in after if before[k] != after[k]}, reason=note)
    if assignee is not None and assignee.pk != getattr(actor, "pk", None):
        from bansos.notifications.services import notify

        notify(topic="grievance", user=assignee, actor=actor, reference=grievance.code,
               subject=_t("Pengaduan ditugaskan kepada Anda"),
               body=_t("Pengaduan %(code)s “%(subject)s” ditugaskan kepada Anda.") % {
                   "code": display_code(grievance.code), "subject": grievance.subject})
    return grievance


@transaction.atomic
def grievance_note(*, actor, grievance: Grievance, message: str, now: dt.datetime | None = None) -> GrievanceEvent:
    """An internal note: staff only, never shown to the complainant."""
    require_handle(actor, grievance)
    message = _message(message)
    grievance = _lock(grievance)
    event = _event(grievance, EventKind.NOTE, actor=actor, at=now or timezone.now(), message=message)
    _audit(actor, "grievances.grievance.note", grievance)
    return event


@transaction.atomic
def grievance_reclassify(*, actor, grievance: Grievance, track: str, reason: str,
                         now: dt.datetime | None = None) -> Grievance:
    """Change the service-level track (e.g. a field check is needed); the resolution deadline is recomputed."""
    require_handle(actor, grievance)
    now = now or timezone.now()
    if track not in Track.values:
        raise DomainError("track", MSG_INVALID_CHOICE, field="track")
    reason = _message(reason, "reason")
    grievance = _lock(grievance)
    if grievance.state not in OPEN_STATES:
        raise DomainError("transition", MSG_TRANSITION, state=State(grievance.state).label)
    if grievance.track == track:
        raise DomainError("same_track", MSG_SAME_TRACK, field="track", track=Track(track).label)
    before, before_due = grievance.track, grievance.resolution_due_at
    start = grievance.appealed_at if grievance.state == State.APPEALED else grievance.received_at
    grievance.track = track
    grievance.resolution_due_at = sla.resolution_due(start, track)
    if grievance.resolution_due_at > now:
        grievance.resolution_escalated_at = None  # a new, later deadline may be missed (and escalated) again
    grievance.save(update_fields=["track", "resolution_due_at", "resolution_escalated_at", "updated_at"])
    _event(grievance, EventKind.RECLASSIFIED, actor=actor, at=now, public=True,
           message=_t("Jenis penanganan: %(track)s. Batas penyelesaian: %(due)s.") % {
               "track": Track(track).label,
               "due": timezone.localtime(grievance.resolution_due_at).strftime("%d-%m-%Y")} + f"\n{reason}")
    _audit(actor, "grievances.grievance.reclassify", grievance, reason=reason,
           changes={"track": [before, track], "resolution_due_at": [before_due, grievance.resolution_due_at]})
    return grievance


@transaction.atomic
def grievance_resolve(*, actor, grievance: Grievance, resolution: str, now: dt.datetime | None = None) -> Grievance:
    """Give the resolution (public); the complainant may accept it or appeal once."""
    require_handle(actor, grievance)
    now = now or timezone.now()
    resolution = _message(resolution, "resolution")
    grievance = _lock(grievance)
    before = grievance.state
    _move(grievance, State.RESOLVED)
    fields = _first_response(grievance, now)
    grievance.resolution = resolution
    grievance.resolved_at = now
    grievance.save(update_fields=[*fields, "state", "resolution", "resolved_at", "updated_at"])
    _event(grievance, EventKind.RESOLVED, actor=actor, at=now, message=resolution, public=True,
           state_from=before, state_to=State.RESOLVED)
    _audit(actor, "grievances.grievance.resolve", grievance, changes={"state": [before, State.RESOLVED]})
    hint = (_t("Jika Anda setuju, terima penyelesaian ini; jika tidak, Anda dapat mengajukan banding satu kali.")
            if grievance.appeal_count == 0 else _t("Jika Anda setuju, terima penyelesaian ini."))
    tell_complainant(grievance, actor=actor, subject=_t("Pengaduan Anda selesai ditangani"),
                     body=_status_body(grievance, f"{resolution}\n\n{hint}"))
    return grievance


@transaction.atomic
def grievance_reject(*, actor, grievance: Grievance, reason: str, duplicate_of: Grievance | None = None,
                     now: dt.datetime | None = None) -> Grievance:
    """Close without resolution: rejected (with a reason) or a duplicate of another grievance."""
    require_handle(actor, grievance)
    now = now or timezone.now()
    reason = _message(reason, "reason")
    if duplicate_of is not None and duplicate_of.pk == grievance.pk:
        raise DomainError("duplicate_self", MSG_DUPLICATE_SELF, field="duplicate_of")
    grievance = _lock(grievance)
    before = grievance.state
    to = State.DUPLICATE if duplicate_of is not None else State.REJECTED
    _move(grievance, to)
    grievance.duplicate_of = duplicate_of
    grievance.closed_at = now
    grievance.save(update_fields=["state", "duplicate_of", "closed_at", "updated_at"])
    message = reason
    if duplicate_of is not None:
        message = _t("Sama dengan pengaduan %(code)s.") % {"code": display_code(duplicate_of.code)} + f"\n{reason}"
    _event(grievance, EventKind.DUPLICATE if duplicate_of else EventKind.REJECTED, actor=actor, at=now,
           message=message, public=True, state_from=before, state_to=to)
    _audit(actor, "grievances.grievance.reject", grievance, reason=reason, changes={"state": [before, to]})
    tell_complainant(grievance, actor=actor, subject=_t("Pengaduan Anda ditutup"),
                     body=_status_body(grievance, message))
    return grievance


# --- the complainant's answer ---------------------------------------------------------------------------------

def _require_complainant(actor, grievance: Grievance, phone: str | None) -> None:
    """By account (a resident who filed it), or by tracking code plus the phone given when filing."""
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.role == Role.RESIDENT:
        if is_complainant(actor, grievance):
            return
        raise NotFoundError()
    if phone is None:
        raise PermissionDeniedError(MSG_NOT_COMPLAINANT)
    if grievance.complainant_user_id is not None:
        raise DomainError("use_account", MSG_USE_ACCOUNT)
    if grievance.anonymous:
        return  # the unguessable tracking code is the only key an anonymous reporter has
    if not grievance.complainant_phone or normalize_phone(phone) != grievance.complainant_phone:
        raise DomainError("phone_mismatch", MSG_PHONE_MISMATCH, field="phone")


@transaction.atomic
def grievance_accept(*, actor, grievance: Grievance, phone: str | None = None,
                     now: dt.datetime | None = None) -> Grievance:
    """The complainant accepts the resolution: the grievance is closed."""
    _require_complainant(actor, grievance, phone)
    now = now or timezone.now()
    grievance = _lock(grievance)
    before = grievance.state
    if before != State.RESOLVED:
        raise DomainError("transition", MSG_TRANSITION, state=State(before).label)
    _move(grievance, State.CLOSED)
    grievance.closed_at = now
    grievance.save(update_fields=["state", "closed_at", "updated_at"])
    who = None if grievance.anonymous else actor
    _event(grievance, EventKind.ACCEPTED, actor=who, at=now, public=True, state_from=before, state_to=State.CLOSED,
           message=_t("Pelapor menerima penyelesaian."))
    _audit(who, "grievances.grievance.accept", grievance, changes={"state": [before, State.CLOSED]})
    tell_complainant(grievance, actor=who, subject=_t("Pengaduan Anda ditutup"),
                     body=_status_body(grievance, _t("Terima kasih; Anda menerima penyelesaiannya.")))
    return grievance


@transaction.atomic
def grievance_appeal(*, actor, grievance: Grievance, reason: str, phone: str | None = None,
                     now: dt.datetime | None = None) -> Grievance:
    """The complainant disagrees with the resolution (once): it is to be resolved again within the same track."""
    _require_complainant(actor, grievance, phone)
    now = now or timezone.now()
    reason = _message(reason, "reason")
    grievance = _lock(grievance)
    before = grievance.state
    if grievance.appeal_count >= 1:
        raise DomainError("appeal_once", MSG_APPEAL_ONCE)
    if before != State.RESOLVED:
        raise DomainError("transition", MSG_TRANSITION, state=State(before).label)
    _move(grievance, State.APPEALED)
    grievance.appeal_count += 1
    grievance.appealed_at = now
    grievance.resolution_due_at = sla.resolution_due(now, grievance.track)
    grievance.resolution_escalated_at = None
    grievance.save(update_fields=["state", "appeal_count", "appealed_at", "resolution_due_at",
                                  "resolution_escalated_at", "updated_at"])
    who = None if grievance.anonymous else actor
    _event(grievance, EventKind.APPEALED, actor=who, at=now, message=reason, public=True, state_from=before,
           state_to=State.APPEALED)
    _audit(who, "grievances.grievance.appeal", grievance, reason=reason, changes={"state": [before, State.APPEALED]})
    tell_complainant(grievance, actor=who, subject=_t("Banding Anda diterima"), body=_status_body(
        grievance, _t("Banding diterima. Penyelesaian ulang paling lambat %(due)s.") % {
            "due": timezone.localtime(grievance.resolution_due_at).strftime("%d-%m-%Y")}))
    return grievance


# --- escalation ---------------------------------------------------------------------------------------------

def _admins() -> list[User]:
    return list(User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"))


def _escalate(grievance: Grievance, *, which: str, now: dt.datetime, admins: list[User]) -> None:
    from bansos.notifications.services import notify

    if which == "response":
        grievance.response_escalated_at = now
        what = _t("Batas tanggapan pertama (%(due)s) terlewati.") % {
            "due": timezone.localtime(grievance.first_response_due_at).strftime("%d-%m-%Y")}
    else:
        grievance.resolution_escalated_at = now
        what = _t("Batas penyelesaian (%(due)s) terlewati.") % {
            "due": timezone.localtime(grievance.resolution_due_at).strftime("%d-%m-%Y")}
    grievance.save(update_fields=[f"{which}_escalated_at", "updated_at"])
    _event(grievance, EventKind.ESCALATED, actor=None, at=now, message=what)
    _audit(None, "grievances.grievance.escalate", grievance, changes={"deadline": [None, which]}, reason=what)
    subject = _t("Eskalasi pengaduan %(code)s") % {"code": display_code(grievance.code)}
    body = f"{what}\n{grievance.subject}"
    for admin in admins:
        notify(topic="grievance_escalation", user=admin, subject=subject, body=body, reference=grievance.code)


def grievances_escalate(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Escalate every grievance whose deadline passed to the kelurahan admins (flag, notify, audit), once per
    missed deadline; close resolutions left unanswered for ``AUTO_CLOSE_DAYS`` working days. Idempotent:
    a second run at the same moment changes nothing. Each grievance is its own transaction, so one bad row
    does not hold back the others and a crash leaves the rest for the next run."""
    now = now or timezone.now()
    admins = _admins()
    counts = {"response": 0, "resolution": 0, "closed": 0}
    due = {
        "response": Grievance.objects.filter(state=State.RECEIVED, first_response_at=None,
                                             first_response_due_at__lt=now, response_escalated_at=None),
        "resolution": Grievance.objects.filter(state__in=OPEN_STATES, resolution_due_at__lt=now,
                                               resolution_escalated_at=None),
    }
    for which, qs in due.items():
        for pk in qs.values_list("pk", flat=True).order_by("pk"):
            with transaction.atomic():
                grievance = Grievance.objects.select_for_update().get(pk=pk)
                if which == "response" and (grievance.response_escalated_at or grievance.first_response_at
                                            or grievance.first_response_due_at >= now):
                    continue
                if which == "resolution" and (grievance.resolution_escalated_at or grievance.state not in OPEN_STATES
                                              or grievance.resolution_due_at >= now):
                    continue
                _escalate(grievance, which=which, now=now, admins=admins)
                counts[which] += 1
    for grievance in Grievance.objects.filter(state=State.RESOLVED).only("pk", "resolved_at").order_by("pk"):
        if sla.due_after(grievance.resolved_at, AUTO_CLOSE_DAYS) >= now:
            continue
        with transaction.atomic():
            locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
            if locked.state != State.RESOLVED:
                continue
            locked.state, locked.closed_at = State.CLOSED, now
            locked.save(update_fields=["state", "closed_at", "updated_at"])
            message = _t("Ditutup otomatis: tidak ada tanggapan pelapor dalam %(n)s hari kerja.") % {"n": AUTO_CLOSE_DAYS}
            _event(locked, EventKind.CLOSED, actor=None, at=now, message=message, public=True,
                   state_from=State.RESOLVED, state_to=State.CLOSED)
            _audit(None, "grievances.grievance.autoclose", locked, changes={"state": [State.RESOLVED, State.CLOSED]})
            tell_complainant(locked, subject=_t("Pengaduan Anda ditutup"), body=_status_body(locked, message))
            counts["closed"] += 1
    return counts

