"""Reads of the registry, scoped to what the user may see and written to avoid N+1 queries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from bansos.accounts.permissions import P, has_perm, household_scope
from bansos.core.errors import NotFoundError
from bansos.core.models import AuditEvent
from bansos.registry.models import Household, Relation, Resident, ResidentStatus
from bansos.registry.names import name_key

_RT_RW = re.compile(r"^\s*(?:rt\s*)?(\d{1,3})\s*/\s*(?:rw\s*)?(\d{1,3})\s*$", re.I)
_RW_ONLY = re.compile(r"^\s*rw\s*(\d{1,3})\s*$", re.I)


def _prefix_range(field: str, prefix: str) -> Q:
    # A range instead of LIKE 'x%': SQLite's LIKE is case-insensitive and cannot use a plain
    # B-tree index, while a range on an upper-case key uses it on both databases.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


@dataclass(frozen=True)
class HouseholdFilters:
    q: str = ""
    rw: int | None = None  # RW number
    rt: int | None = None  # RT id
    status: str = "active"
    female_head: bool = False


def household_search(*, user, filters: HouseholdFilters) -> QuerySet[Household]:
    """Households visible to ``user`` that match the search text and filters, by KK number."""
    qs = Household.objects.filter(household_scope(user))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.rw:
        qs = qs.filter(rt__rw__number=filters.rw)
    if filters.rt:
        qs = qs.filter(rt_id=filters.rt)
    if filters.female_head:
        qs = qs.filter(
            pk__in=Resident.objects.filter(relation=Relation.HEAD, sex="P", status=ResidentStatus.ACTIVE).values(
                "household_id"
            )
        )
    text = (filters.q or "").strip()
    if text:
        qs = qs.filter(_text_filter(text))
    return qs.order_by("kk_number", "pk")


# A search text that matches more households than this (a first name alone, "SITI") is cut to
# its first matches: the list says so and asks for more letters instead of counting and sorting
# tens of thousands of households on every keystroke.
SEARCH_CAP = 1000


@dataclass(frozen=True)
class BoundedSearch:
    households: QuerySet[Household]  # every match, by KK number (the plain list pages through it)
    # With a search text: the ids of the matches by KK number, at most ``cap`` of them (page these).
    ids: list[int] | None = None
    capped: bool = False  # the search text matched more than ``cap`` households
    cap: int = SEARCH_CAP


def household_search_bounded(*, user, filters: HouseholdFilters, cap: int | None = None) -> BoundedSearch:
    """household_search(), cut to its first ``cap`` matches when a search text matches more.

    Without a search text the list is the whole scope (RW, RT, status): counted and paged in the
    database. With one, the matches' ids and KK numbers are read once, unordered, up to one more
    than ``cap`` (a cost that stops growing with the registry), and sorted here: counting and
    paging them needs no further query.
    """
    cap = SEARCH_CAP if cap is None else cap
    qs = household_search(user=user, filters=filters)
    if not (filters.q or "").strip():
        return BoundedSearch(households=qs, cap=cap)
    first = list(qs.order_by().values_list("kk_number", "pk")[: cap + 1])
    capped = len(first) > cap
    ids = [pk for _kk, pk in sorted(first[:cap])]
    return BoundedSearch(households=qs, ids=ids, capped=capped, cap=cap)


def household_search_page(*, user, filters: HouseholdFilters, page: int, page_size: int) -> tuple[list[Household], int]:
    """One page of household_search() with list-row data, and the exact number of matches (the API's list).

    With a search text, the matches' KK numbers and ids are read unordered and sorted here: the
    planner, asked for the first rows by KK number, walks the whole KK index and tests every
    household against the name match (a tenth of a second and more at a million residents), while
    the matches of a text are few enough to read. Without one, the database counts the scope and
    picks the page by the KK index.
    """
    qs = household_search(user=user, filters=filters)
    start = (page - 1) * page_size
    if not (filters.q or "").strip():
        total = qs.count()
        return (list(household_list_page(qs)[start:start + page_size]) if start < total else []), total
    matches = sorted(qs.order_by().values_list("kk_number", "pk"))
    ids = [pk for _kk, pk in matches[start:start + page_size]]
    found = {h.pk: h for h in household_list_page(Household.objects.filter(pk__in=ids))} if ids else {}
    return [found[pk] for pk in ids if pk in found], len(matches)


def _text_filter(text: str) -> Q:
    digits = re.sub(r"[\s.\-']", "", text)
    if digits.isdigit():
        if len(digits) == 16:
            # The few households of this NIK as literal ids: "kk = x OR pk IN (subquery)" makes
            # PostgreSQL scan every household, while "kk = x OR pk IN (1, 2)" uses both indexes.
            ids = list(_nik_households(Q(nik=digits)))
            return Q(kk_number=digits) | Q(pk__in=ids)
        if len(digits) >= 4:
            return _prefix_range("kk_number", digits) | Q(pk__in=_nik_households(_prefix_range("nik", digits)))
    match = _RT_RW.match(text)
    if match:
        return Q(rt__number=int(match.group(1)), rt__rw__number=int(match.group(2)))
    match = _RW_ONLY.match(text)
    if match:
        return Q(rt__rw__number=int(match.group(1)))
    key = name_key(text)
    if not key:
        return Q(pk__in=[])
    residents = Resident.objects.filter(_prefix_range("name_key", key)).values("household_id")
    return Q(pk__in=residents)


def _nik_households(condition: Q) -> QuerySet[Resident]:
    """Ids of the households of residents matching a NIK condition, active residents or not.

    NIKs are indexed in two partial indexes (active residents, everyone else) and not as a
    whole, so each half of the union names the status that picks its index.
    """
    active = Resident.objects.filter(condition, status=ResidentStatus.ACTIVE).order_by()
    others = Resident.objects.filter(condition).exclude(status=ResidentStatus.ACTIVE).order_by()
    return active.values_list("household_id", flat=True).union(others.values_list("household_id", flat=True))


def household_list_page(qs: QuerySet[Household]) -> QuerySet[Household]:
    """Add what a list row shows (RT/RW, head, member count) to one page of households."""
    heads = Resident.objects.filter(relation=Relation.HEAD, status=ResidentStatus.ACTIVE)
    return qs.select_related("rt__rw").prefetch_related(Prefetch("residents", queryset=heads, to_attr="heads")).annotate(
        member_count=Count("residents", filter=Q(residents__status=ResidentStatus.ACTIVE))
    )


def household_get(*, user, pk: int, perm: str = P.HOUSEHOLD_VIEW) -> Household:
    """One household with its members, or NotFoundError when missing or outside the user's scope."""
    members = Resident.objects.order_by("status", "birth_date", "pk")
    try:
        household = (
            Household.objects.filter(household_scope(user))
            .select_related("rt__rw")
            .prefetch_related(Prefetch("residents", queryset=members))
            .get(pk=pk)
        )
    except Household.DoesNotExist:
        # Out of scope looks the same as missing, so ids cannot be probed.
        raise NotFoundError() from None
    if not has_perm(user, perm, household):
        raise NotFoundError()
    return household


def resident_get(*, user, pk: int) -> Resident:
    try:
        resident = Resident.objects.select_related("household__rt__rw").get(pk=pk)
    except Resident.DoesNotExist:
        raise NotFoundError() from None
    if not has_perm(user, P.HOUSEHOLD_VIEW, resident.household):
        raise NotFoundError()
    return resident


def household_history(*, household: Household, limit: int = 200) -> QuerySet[AuditEvent]:
    """The household's audit trail, newest first."""
    return AuditEvent.objects.filter(household_id=household.pk).select_related("actor").order_by(
        "-created_at", "-id"
    )[:limit]


def registry_counts(*, user) -> dict[str, int]:
    scope = household_scope(user)
    households = Household.objects.filter(scope, status="active")
    return {
        "households": households.count(),
        "residents": Resident.objects.filter(household__in=households, status=ResidentStatus.ACTIVE).count(),
    }


def household_get_by_kk(*, user, kk_number: str) -> Household:
    """The active household with this KK number inside the user's scope, or NotFoundError."""
    household = (
        Household.objects.filter(household_scope(user), kk_number=kk_number, status="active")
        .select_related("rt__rw")
        .first()
    )
    if household is None:
        raise NotFoundError()
    return household


def household_kk_numbers(*, user, ids) -> dict[int, str]:
    """KK numbers of the given households that the user may see (for history lines of moves)."""
    return dict(Household.objects.filter(household_scope(user), pk__in=list(ids)).values_list("pk", "kk_number"))
