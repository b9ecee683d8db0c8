"""Reads of meetings and the needs overview. Aggregates leave here as counts, never as names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm, household_scope
from bansos.core.errors import NotFoundError
from bansos.core.models import RW
from bansos.meetings.models import Attendance, Meeting, MeetingStatus, Need, NeedCategory, NeedStatus, NeedVote
from bansos.registry.models import Household, Resident, ResidentStatus
from bansos.registry.names import name_key

TOP_NEEDS_PER_RW = 3
TOP_NEEDS_KELURAHAN = 10
SEARCH_LIMIT = 20
# Needs that still count as needs of the area: declined ones are kept for the record only.
_COUNTED = ~Q(status=NeedStatus.DECLINED)


# --- Shares ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """Attendance of one meeting or a group of meetings, with the women and youth shares.

    Non-registered attendees whose sex (or age) nobody counted are left out of that share's base:
    the share is over the attendees it is known for, and ``*_base`` says how many that is.
    """

    registered: int
    others: int
    women: int
    women_base: int
    youth: int
    youth_base: int

    @property
    def total(self) -> int:
        return self.registered + self.others

    @property
    def women_share(self) -> float | None:
        return round(self.women / self.women_base, 4) if self.women_base else None

    @property
    def youth_share(self) -> float | None:
        return round(self.youth / self.youth_base, 4) if self.youth_base else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "registered": self.registered, "others": self.others, "total": self.total,
            "women": self.women, "women_base": self.women_base, "women_share": self.women_share,
            "youth": self.youth, "youth_base": self.youth_base, "youth_share": self.youth_share,
        }


def participation(*, registered: int, registered_women: int, registered_youth: int, others: int,
                  others_known_women: int, others_women: int, others_known_youth: int,
                  others_youth: int) -> Participation:
    """Combine registry attendees with counted others; ``others_known_*`` are the others counted."""
    return Participation(
        registered=registered, others=others,
        women=registered_women + others_women, women_base=registered + others_known_women,
        youth=registered_youth + others_youth, youth_base=registered + others_known_youth,
    )


def meeting_participation(meeting: Meeting) -> Participation:
    """Attendance of one meeting (one query)."""
    counts = Attendance.objects.filter(meeting=meeting).aggregate(
        n=Count("id"), women=Count("id", filter=Q(is_woman=True)), youth=Count("id", filter=Q(is_youth=True))
    )
    return participation(
        registered=counts["n"], registered_women=counts["women"], registered_youth=counts["youth"],
        others=meeting.others_count,
        others_known_women=meeting.others_count if meeting.others_women is not None else 0,
        others_women=meeting.others_women or 0,
        others_known_youth=meeting.others_count if meeting.others_youth is not None else 0,
        others_youth=meeting.others_youth or 0,
    )


# --- Meetings --------------------------------------------------------------------------------


def meetings_readable(user) -> bool:
    return has_role_perm(user, P.MEETING_MANAGE) or has_role_perm(user, P.NEEDS_VIEW)


def meeting_list(*, user, rw: int | None = None, status: str = "", kelurahan_only: bool = False) -> QuerySet[Meeting]:
    """Meetings the user may read, newest first, with their attendee and need counts.

    A surveyor sees their own RW's meetings and the kelurahan-wide ones (read-only); staff with
    the needs view see all meetings (the page shows them counts, names only within their scope).
    """
    if not meetings_readable(user):
        return Meeting.objects.none()
    qs = Meeting.objects.select_related("rw")
    if user.role == Role.SURVEYOR:
        qs = qs.filter(Q(rw_id=user.rw_id) | Q(rw__isnull=True))
    if rw:
        qs = qs.filter(rw__number=rw)
    if kelurahan_only:
        qs = qs.filter(rw__isnull=True)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        n_registered=Count("attendances", distinct=True),
        n_women=Count("attendances", filter=Q(attendances__is_woman=True), distinct=True),
        n_youth=Count("attendances", filter=Q(attendances__is_youth=True), distinct=True),
        n_needs=Count("needs", distinct=True),
    ).order_by("-date", "-id")


def listed_participation(meeting: Meeting) -> Participation:
    """Participation of a meeting from ``meeting_list``'s annotations (no query)."""
    return participation(
        registered=meeting.n_registered, registered_women=meeting.n_women, registered_youth=meeting.n_youth,
        others=meeting.others_count,
        others_known_women=meeting.others_count if meeting.others_women is not None else 0,
        others_women=meeting.others_women or 0,
        others_known_youth=meeting.others_count if meeting.others_youth is not None else 0,
        others_youth=meeting.others_youth or 0,
    )


def meeting_get(*, user, pk: int) -> Meeting:
    meeting = meeting_list(user=user).filter(pk=pk).first()
    if meeting is None:
        raise NotFoundError()
    return meeting


def meeting_attendees(*, user, meeting: Meeting) -> dict[str, Any]:
    """The attendees the user may see by name (their household is in scope) and how many others.

    Attendance is personal data: names leave only for households the user may view.
    """
    visible = list(
        Attendance.objects.filter(meeting=meeting, resident__household__in=Household.objects.filter(household_scope(user)))
        .select_related("resident__household__rt__rw")
        .order_by("resident__name_key", "id")
    )
    total = Attendance.objects.filter(meeting=meeting).count()
    return {"visible": visible, "hidden_count": total - len(visible)}


def meeting_needs(*, meeting: Meeting) -> list[Need]:
    """The needs raised at a meeting with their vote totals, most votes first."""
    needs = list(
        Need.objects.filter(meeting=meeting).select_related("rw").annotate(n_votes=Count("votes"))
        .order_by("-id")
    )
    for need in needs:
        need.total_votes = need.hand_votes + need.n_votes
    needs.sort(key=lambda n: (-n.total_votes, n.pk))
    return needs


def meeting_votes_by_need(*, user, meeting: Meeting) -> dict[int, set[int]]:
    """Resident ids that voted per need, for the residents the user may see."""
    rows = NeedVote.objects.filter(
        need__meeting=meeting, resident__household__in=Household.objects.filter(household_scope(user))
    ).values_list("need_id", "resident_id")
    votes: dict[int, set[int]] = defaultdict(set)
    for need_id, resident_id in rows:
        votes[need_id].add(resident_id)
    return votes


def attendee_candidates(*, user, meeting: Meeting, q: str) -> list[Resident]:
    """Active residents of the meeting's RW (or the kelurahan) matching a name prefix or NIK.

    Limited to the households the user may view and to people not yet recorded as present.
    """
    text = (q or "").strip()
    if len(text) < 2:
        return []
    qs = Resident.objects.filter(
        status=ResidentStatus.ACTIVE, household__in=Household.objects.filter(household_scope(user))
    )
    if meeting.rw_id is not None:
        qs = qs.filter(household__rt__rw_id=meeting.rw_id)
    digits = text.replace(" ", "")
    if digits.isdigit():
        qs = qs.filter(nik=digits) if len(digits) == 16 else qs.filter(nik__startswith=digits)
    else:
        key = name_key(text)
        if not key:
            return []
        upper = key[:-1] + chr(ord(key[-1]) + 1)
        qs = qs.filter(name_key__gte=key, name_key__lt=upper)
    qs = qs.exclude(pk__in=Attendance.objects.filter(meeting=meeting).values("resident_id"))
    return list(qs.select_related("household__rt__rw").order_by("name_key", "pk")[:SEARCH_LIMIT])


def household_meetings(*, household: Household) -> list[Attendance]:
    """Held meetings that members of this household attended, newest first (one query)."""
    return list(
        Attendance.objects.filter(resident__household=household, meeting__status=MeetingStatus.HELD)
        .select_related("meeting__rw", "resident")
        .order_by("-meeting__date", "-meeting_id", "resident__name_key")
    )


# --- Needs overview --------------------------------------------------------------------------


def _survey_rows(rw_number: int | None = None) -> list[dict] | None:
    """Survey results per RW from the surveys app, or None while it offers none."""
    try:
        from bansos.surveys.selectors import survey_needs_by_rw
    except ImportError:
        return None
    rows = list(survey_needs_by_rw(round=None))
    if rw_number is not None:
        rows = [row for row in rows if row.get("rw") == rw_number]
    return rows


def _empty_column(label: str, rw: RW | None) -> dict[str, Any]:
    return {
        "label": label,
        "rw": rw,
        "categories": {
            value: {"value": value, "label": label_, "needs": 0, "votes": 0, "latest": None}
            for value, label_ in NeedCategory.choices
        },
        "needs": 0,
        "votes": 0,
        "top": [],
        "participation": None,
        "meetings_held": 0,
        "latest_meeting": None,
        "surveys": [],
    }


def _add(column: dict, category: str, needs: int, votes: int, latest) -> None:
    cell = column["categories"][category]
    cell["needs"] += needs
    cell["votes"] += votes
    if latest and (cell["latest"] is None or latest > cell["latest"]):
        cell["latest"] = latest
    column["needs"] += needs
    column["votes"] += votes


def _top_needs(rw_ids: list[int] | None) -> list[dict[str, Any]]:
    """Counted needs of held meetings, most votes first (one query)."""
    qs = (
        Need.objects.filter(_COUNTED, meeting__status=MeetingStatus.HELD)
        .annotate(n_votes=Count("votes"))
        .annotate(total_votes=F("hand_votes") + F("n_votes"))
    )
    if rw_ids is not None:
        qs = qs.filter(rw_id__in=rw_ids)
    rows = qs.values(
        "pk", "rw_id", "rw__number", "category", "description", "status", "total_votes", "meeting__date",
    ).order_by("-total_votes", "-meeting__date", "pk")
    return list(rows)


def needs_overview(*, rw: RW | None = None) -> dict[str, Any]:
    """Needs per RW and for the whole kelurahan, side by side, in a fixed number of queries.

    Columns hold counts only (needs, votes, attendees, shares, survey answers), never a name,
    so evaluators may see it. With ``rw`` only that RW's column is built (the per-RW page).
    """
    from django.utils.translation import gettext as _t

    rws = [rw] if rw is not None else list(RW.objects.order_by("number"))
    kelurahan = _empty_column(_t("Kelurahan"), None)
    columns = {r.pk: _empty_column(str(r), r) for r in rws}
    rw_filter = Q(rw_id=rw.pk) if rw is not None else Q()

    # 1. Needs and show-of-hands votes per RW and category.
    needs = (
        Need.objects.filter(rw_filter, _COUNTED, meeting__status=MeetingStatus.HELD)
        .values("rw_id", "category")
        .annotate(n=Count("id"), hands=Sum("hand_votes"), latest=Max("meeting__date"))
        .order_by()
    )
    # 2. Per-attendee votes per RW and category (a separate GROUP BY: joining votes above would
    #    multiply the show-of-hands sums).
    per_attendee = {
        (row["need__rw_id"], row["need__category"]): row["n"]
        for row in NeedVote.objects.filter(
            Q(need__rw_id=rw.pk) if rw is not None else Q(), ~Q(need__status=NeedStatus.DECLINED),
            need__meeting__status=MeetingStatus.HELD,
        ).values("need__rw_id", "need__category").annotate(n=Count("id")).order_by()
    }
    for row in needs:
        votes = (row["hands"] or 0) + per_attendee.get((row["rw_id"], row["category"]), 0)
        if row["rw_id"] in columns:
            _add(columns[row["rw_id"]], row["category"], row["n"], votes, row["latest"])
        if rw is None:
            _add(kelurahan, row["category"], row["n"], votes, row["latest"])

    # 3. Top needs: one query, split per RW in Python (the list of counted needs is small:
    #    a few per meeting).
    top = _top_needs([rw.pk] if rw is not None else None)
    limit = TOP_NEEDS_KELURAHAN if rw is not None else TOP_NEEDS_PER_RW
    for row in top:
        row["category_label"] = NeedCategory(row["category"]).label
        column = columns.get(row["rw_id"])
        if column is not None and len(column["top"]) < limit:
            column["top"].append(row)
        if rw is None and len(kelurahan["top"]) < TOP_NEEDS_KELURAHAN:
            kelurahan["top"].append(row)

    # 4 and 5. Participation: meetings and counted others per RW, then registry attendees per RW.
    meeting_filter = Q(rw_id=rw.pk) if rw is not None else Q()
    meetings = {
        row["rw_id"]: row
        for row in Meeting.objects.filter(meeting_filter, status=MeetingStatus.HELD)
        .values("rw_id")
        .annotate(
            held=Count("id"), latest=Max("date"), others=Sum("others_count"),
            known_women=Sum("others_count", filter=Q(others_women__isnull=False)),
            women=Sum("others_women"),
            known_youth=Sum("others_count", filter=Q(others_youth__isnull=False)),
            youth=Sum("others_youth"),
        )
        .order_by()
    }
    attendance = {
        row["meeting__rw_id"]: row
        for row in Attendance.objects.filter(
            Q(meeting__rw_id=rw.pk) if rw is not None else Q(), meeting__status=MeetingStatus.HELD
        )
        .values("meeting__rw_id")
        .annotate(n=Count("id"), women=Count("id", filter=Q(is_woman=True)), youth=Count("id", filter=Q(is_youth=True)))
        .order_by()
    }
    totals = defaultdict(int)
    for rw_id in set(meetings) | set(attendance):
        m = meetings.get(rw_id, {})
        a = attendance.get(rw_id, {})
        figures = {
            "registered": a.get("n") or 0, "registered_women": a.get("women") or 0,
            "registered_youth": a.get("youth") or 0, "others": m.get("others") or 0,
            "others_known_women": m.get("known_women") or 0, "others_women": m.get("women") or 0,
            "others_known_youth": m.get("known_youth") or 0, "others_youth": m.get("youth") or 0,
        }
        for key, value in figures.items():
            totals[key] += value
        totals["held"] += m.get("held") or 0
        if rw_id in columns:
            columns[rw_id]["participation"] = participation(**figures)
            columns[rw_id]["meetings_held"] = m.get("held") or 0
            columns[rw_id]["latest_meeting"] = m.get("latest")
        if m.get("latest") and (kelurahan["latest_meeting"] is None or m["latest"] > kelurahan["latest_meeting"]):
            kelurahan["latest_meeting"] = m["latest"]
    held = totals.pop("held", 0)
    kelurahan["participation"] = participation(**{k: totals.get(k, 0) for k in (
        "registered", "registered_women", "registered_youth", "others", "others_known_women", "others_women",
        "others_known_youth", "others_youth")})
    kelurahan["meetings_held"] = held
    for column in columns.values():
        if column["participation"] is None:
            column["participation"] = participation(
                registered=0, registered_women=0, registered_youth=0, others=0, others_known_women=0,
                others_women=0, others_known_youth=0, others_youth=0,
            )

    # 6. Survey results (one call into the surveys app, when it offers them).
    surveys = _survey_rows(rw.number if rw is not None else None)
    by_number = {column["rw"].number: column for column in columns.values()}
    for row in surveys or []:
        column = by_number.get(row.get("rw"))
        if column is not None:
            column["surveys"].append(row)
        elif row.get("rw") is None and rw is None:
            kelurahan["surveys"].append(row)

    for column in [kelurahan, *columns.values()]:
        column["category_list"] = list(column["categories"].values())
    return {
        "kelurahan": kelurahan if rw is None else None,
        "columns": [columns[r.pk] for r in rws],
        "categories": NeedCategory.choices,
        "surveys_available": surveys is not None,
        "surveys_count": len(surveys or []),
    }
