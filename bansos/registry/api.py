"""Registry API: households and their members.

Each operation looks the object up through a scoped selector (out of scope answers 404, exactly
like a missing id), hands the typed input to one service, and renders the result. Permission
checks, validation and audit events are the services' business, shared with the pages.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router


from bansos.accounts.permissions import P, has_perm, require
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import DomainError, ValidationFailed
from bansos.core.formats import mask_nik
from bansos.core.selectors import rt_list
from bansos.registry import selectors, services
from bansos.registry.models import Household
from bansos.registry.panels import history_for
from bansos.registry.schemas import (
    HOUSEHOLD_BLANK_CHOICES, RESIDENT_BLANK_CHOICES, RESIDENT_TEXT_FIELDS, ChangeHeadIn, HistoryEvent,
    HouseholdCreateIn, HouseholdListItem, HouseholdOut, HouseholdPage, HouseholdStatusIn, HouseholdUpdateIn,
    ResidentAddIn, ResidentMoveIn, ResidentOut, ResidentStatusIn, ResidentUpdateIn, SearchStatus, enum_values,
)
from bansos.registry.selectors import HouseholdFilters
from bansos.registry.validation import MSG_REQUIRED

router = Router(tags=["registry"])

PAGE_SIZE_DEFAULT = 25
PAGE_SIZE_MAX = 100
HISTORY_LIMIT_MAX = 200

MSG_RT_UNKNOWN = _("RT tidak ditemukan.")
MSG_TARGET_UNKNOWN = _("Keluarga tujuan tidak ditemukan.")

# Household fields stored as text (blank allowed) or flags: null in an update means "clear it".
_HOUSEHOLD_TEXT = (*HOUSEHOLD_BLANK_CHOICES, "phone")
_HOUSEHOLD_FLAGS = (
    "asset_motorbike", "asset_car", "asset_refrigerator", "asset_air_conditioner", "asset_television",
    "asset_computer", "asset_smartphone", "asset_gold",
)
_RESIDENT_TEXT = (*RESIDENT_BLANK_CHOICES, *RESIDENT_TEXT_FIELDS)
# Fields that cannot be emptied; null would otherwise reach a NOT NULL column.
_HOUSEHOLD_NOT_NULL = ("legal_basis",)
_RESIDENT_NOT_NULL = ("marital_status", "disability")


def _actor(request):
    return request.auth


def _rt(rt_id: int):
    rt = rt_list().filter(pk=rt_id).first()
    if rt is None:
        raise ValidationFailed({"rt": [str(MSG_RT_UNKNOWN)]})
    return rt


def _household_out(user, household_id: int) -> dict[str, Any]:
    household = selectors.household_get(user=user, pk=household_id)
    return HouseholdOut.from_household(household, full_nik=has_perm(user, P.NIK_FULL, household))


def _resident_out(user, resident, household: Household) -> dict[str, Any]:
    return ResidentOut.from_resident(resident, full_nik=has_perm(user, P.NIK_FULL, household))


def _clean_update(data: dict[str, Any], *, text: tuple[str, ...], flags: tuple[str, ...],
                  not_null: tuple[str, ...]) -> dict[str, Any]:
    """Turn an update's nulls into what the model stores ("" for text, False for flags)."""
    errors: dict[str, list[str]] = {}
    clean = {}
    for key, value in enum_values(data).items():
        if value is None:
            if key in text:
                value = ""
            elif key in flags:
                value = False
            elif key in not_null:
                errors[key] = [str(MSG_REQUIRED)]
        clean[key] = value
    if errors:
        raise ValidationFailed(errors)
    return clean


def _household_data(payload: dict[str, Any]) -> dict[str, Any]:
    data = enum_values(payload)
    if data.get("rt") is not None:
        data["rt"] = _rt(data["rt"])
    return data


def _resident_data(payload: dict[str, Any]) -> dict[str, Any]:
    data = enum_values(payload)
    for key in _RESIDENT_TEXT:
        if data.get(key) is None and key in data:
            data[key] = ""
    return data


# --- Households -------------------------------------------------------------------------------


@router.get("/households", response={200: HouseholdPage, **ERROR_RESPONSES}, operation_id="household_search",
            summary="Search households")
def household_search(
    request,
    q: str = Query("", max_length=100, description="KK number, NIK (or their first 4+ digits), a name, "
                                                   "'RT/RW' such as 3/2, or 'RW 2'"),
    rw: int | None = Query(None, ge=1, le=999, description="RW number"),
    rt: int | None = Query(None, ge=1, description="RT id (area.rt_id)"),
    status: SearchStatus = Query(SearchStatus.ACTIVE),
    female_head: bool = Query(False, description="Only households headed by a woman"),
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX),
):
    """Households in the caller's scope matching the filters, one page at a time, by KK number."""
    require(_actor(request), P.HOUSEHOLD_VIEW)  # roles without it (evaluators) are refused, as on the page
    filters = HouseholdFilters(
        q=q, rw=rw, rt=rt, status="" if status == SearchStatus.ALL else status.value, female_head=female_head
    )
    rows, total = selectors.household_search_page(user=_actor(request), filters=filters, page=page,
                                                  page_size=page_size)
    return {
        "items": [HouseholdListItem.from_household(h) for h in rows],
        "total": total,
        "page": page,
        "page_size": page_size,
        "pages": math.ceil(total / page_size),
    }


@router.post("/households", response={201: HouseholdOut, **ERROR_RESPONSES}, operation_id="household_create",
             summary="Register a household with its members")
def household_create(request, payload: HouseholdCreateIn):
    data = payload.dict()
    members = [_resident_data(m) for m in data.pop("members")]
    reason = data.pop("reason")
    household = services.household_create(
        actor=_actor(request), data=_household_data(data), members=members, reason=reason
    )
    return Status(201, _household_out(_actor(request), household.pk))


@router.get("/households/{household_id}", response={200: HouseholdOut, **ERROR_RESPONSES},
            operation_id="household_read", summary="One household with its members")
def household_read(request, household_id: int):
    """NIKs are shown in full only to roles that may see them for this household."""
    return _household_out(_actor(request), household_id)


@router.patch("/households/{household_id}", response={200: HouseholdOut, **ERROR_RESPONSES},
              operation_id="household_update", summary="Change a household's data (reason required)")
def household_update(request, household_id: int, payload: HouseholdUpdateIn):
    user = _actor(request)
    household = selectors.household_get(user=user, pk=household_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    data = _clean_update(_household_data(data), text=_HOUSEHOLD_TEXT, flags=_HOUSEHOLD_FLAGS,
                         not_null=_HOUSEHOLD_NOT_NULL)
    services.household_update(actor=user, household=household, data=data, reason=reason)
    return _household_out(user, household_id)


@router.post("/households/{household_id}/status", response={200: HouseholdOut, **ERROR_RESPONSES},
             operation_id="household_set_status", summary="Mark a household moved, dissolved or active again")
def household_set_status(request, household_id: int, payload: HouseholdStatusIn):
    user = _actor(request)
    household = selectors.household_get(user=user, pk=household_id)
    services.household_set_status(actor=user, household=household, status=payload.status.value,
                                  reason=payload.reason)
    return _household_out(user, household_id)


@router.post("/households/{household_id}/head", response={200: HouseholdOut, **ERROR_RESPONSES},
             operation_id="household_change_head", summary="Make another member the head of the household")
def household_change_head(request, household_id: int, payload: ChangeHeadIn):
    user = _actor(request)
    household = selectors.household_get(user=user, pk=household_id)
    # Looked up among this household's members only, so another household's ids cannot be probed.
    new_head = next((r for r in household.residents.all() if r.pk == payload.new_head), None)
    if new_head is None:
        raise DomainError("new_head_not_member", services.MSG_NEW_HEAD_MEMBER, field="new_head")
    services.household_change_head(actor=user, household=household, new_head=new_head,
                                   old_head_relation=payload.old_head_relation.value, reason=payload.reason)
    return _household_out(user, household_id)


@router.get("/households/{household_id}/history", response={200: list[HistoryEvent], **ERROR_RESPONSES},
            operation_id="household_history", summary="The household's change history, newest first")
def household_history(request, household_id: int,
                      limit: int = Query(50, ge=1, le=HISTORY_LIMIT_MAX)):
    user = _actor(request)
    household = selectors.household_get(user=user, pk=household_id)
    full_nik = has_perm(user, P.NIK_FULL, household)
    events = history_for(user=user, events=selectors.household_history(household=household, limit=limit))
    return [_event_out(event, full_nik=full_nik) for event in events]


def _event_out(event, *, full_nik: bool) -> dict[str, Any]:
    changes = dict(event.changes or {})
    if not full_nik and "nik" in changes:
        changes["nik"] = [mask_nik(v) if v else v for v in changes["nik"]]
    return {
        "id": event.pk,
        "created_at": event.created_at,
        "actor": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "changes": changes,
        "reason": event.reason,
        "channel": (event.origin or {}).get("channel", ""),
    }


# --- Residents --------------------------------------------------------------------------------


@router.post("/households/{household_id}/residents", response={201: ResidentOut, **ERROR_RESPONSES},
             operation_id="resident_add", summary="Add a member to a household")
def resident_add(request, household_id: int, payload: ResidentAddIn):
    user = _actor(request)
    household = selectors.household_get(user=user, pk=household_id)
    data = _resident_data(payload.dict())
    reason = data.pop("reason")
    resident = services.resident_add(actor=user, household=household, data=data, reason=reason)
    return Status(201, _resident_out(user, resident, household))


@router.patch("/residents/{resident_id}", response={200: ResidentOut, **ERROR_RESPONSES},
              operation_id="resident_update", summary="Correct a person's data (reason required)")
def resident_update(request, resident_id: int, payload: ResidentUpdateIn):
    user = _actor(request)
    resident = selectors.resident_get(user=user, pk=resident_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    data = _clean_update(_resident_data(data), text=_RESIDENT_TEXT, flags=("pregnant",),
                         not_null=_RESIDENT_NOT_NULL)
    updated = services.resident_update(actor=user, resident=resident, data=data, reason=reason)
    return _resident_out(user, updated, resident.household)


@router.post("/residents/{resident_id}/move", response={200: ResidentOut, **ERROR_RESPONSES},
             operation_id="resident_move", summary="Move a person into another household")
def resident_move(request, resident_id: int, payload: ResidentMoveIn):
    user = _actor(request)
    resident = selectors.resident_get(user=user, pk=resident_id)
    # Refuse a caller who may not move anyone before saying anything about the target.
    require(user, P.RESIDENT_CHANGE, resident.household)
    try:
        target = selectors.household_get(user=user, pk=payload.to_household)
    except DomainError:
        # Missing and out-of-scope targets read the same.
        raise ValidationFailed({"to_household": [str(MSG_TARGET_UNKNOWN)]}) from None
    moved = services.resident_move(actor=user, resident=resident, to_household=target,
                                   relation=payload.relation.value, reason=payload.reason)
    return _resident_out(user, moved, target)


@router.post("/residents/{resident_id}/status", response={200: ResidentOut, **ERROR_RESPONSES},
             operation_id="resident_set_status", summary="Record that a person moved out or died")
def resident_set_status(request, resident_id: int, payload: ResidentStatusIn):
    user = _actor(request)
    resident = selectors.resident_get(user=user, pk=resident_id)
    updated = services.resident_set_status(actor=user, resident=resident, status=payload.status.value,
                                           reason=payload.reason)
    return _resident_out(user, updated, resident.household)
