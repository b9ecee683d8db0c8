from __future__ import annotations

from django.db.models import Count, Q

from bansos.core.models import RT, RW, Kelurahan, Posyandu


def kelurahan_current() -> Kelurahan | None:
    return Kelurahan.objects.order_by("id").first()


def rw_list():
    return RW.objects.annotate(rt_count=Count("rts")).order_by("number")


def rt_list(*, rw: RW | None = None):
    qs = RT.objects.select_related("rw").order_by("rw__number", "number")
    return qs.filter(rw=rw) if rw else qs


def posyandu_list():
    return Posyandu.objects.select_related("rw").prefetch_related("rts").order_by("rw__number", "name")


def area_tree() -> list[dict]:
    """RWs with their RTs and the active households of each RT, in two queries whatever the size.

    The household counts come from one GROUP BY over RTs; RWs without an RT still appear.
    """
    from bansos.registry.models import HouseholdStatus

    rts = (
        RT.objects.select_related("rw")
        .annotate(household_count=Count("households", filter=Q(households__status=HouseholdStatus.ACTIVE)))
        .order_by("rw__number", "number")
    )
    by_rw: dict[int, list[RT]] = {}
    for rt in rts:
        by_rw.setdefault(rt.rw_id, []).append(rt)
    tree = []
    for rw in RW.objects.order_by("number"):
        children = by_rw.get(rw.pk, [])
        tree.append({"rw": rw, "rts": children, "households": sum(rt.household_count for rt in children)})
    return tree


def household_breakdown(*, scope: Q, by: str = "rw") -> list[dict]:
    """Active households, active residents and female-headed households per RW (or per RT).

    One aggregated query: counts are DISTINCT because joining residents multiplies household rows.
    Only counts leave this function, never names or NIKs, so evaluators may see it too.
    """
    from bansos.registry.models import Household, HouseholdStatus, Relation, ResidentStatus, Sex

    keys = ["rt__rw__number"] if by == "rw" else ["rt__rw__number", "rt__number", "rt_id"]
    active_member = Q(residents__status=ResidentStatus.ACTIVE)
    rows = (
        Household.objects.filter(scope, status=HouseholdStatus.ACTIVE)
        .values(*keys)
        .annotate(
            n_households=Count("id", distinct=True),
            n_residents=Count("residents", filter=active_member, distinct=True),
            n_female_headed=Count(
                "residents",
                filter=active_member & Q(residents__relation=Relation.HEAD, residents__sex=Sex.FEMALE),
                distinct=True,
            ),
        )
        .order_by(*keys)
    )
    return [
        {
            "rw": row["rt__rw__number"],
            "rt": row.get("rt__number"),
            "households": row["n_households"],
            "residents": row["n_residents"],
            "female_headed": row["n_female_headed"],
        }
        for row in rows
    ]


def breakdown_totals(rows: list[dict]) -> dict[str, int]:
    return {
        key: sum(row[key] for row in rows) for key in ("households", "residents", "female_headed")
    }


def audit_filter_choices() -> dict[str, list[str]]:
    """The actions and object types present in the trail, for the filter drop-downs (index scans)."""
    from bansos.core.models import AuditEvent

    return {
        "actions": list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()),
        "object_types": list(
            AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
        ),
    }


def audit_search(
    *, action: str = "", actor: str = "", object_type: str = "", date_from=None, date_to=None
):
    """Audit events matching the filters, newest first. Dates are whole days in Asia/Jakarta."""
    import datetime as dt

    from django.utils import timezone

    from bansos.core.models import AuditEvent

    qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name__iexact=actor.strip())
    if object_type:
        qs = qs.filter(object_type=object_type)
    # A day in Jakarta starts at 17:00 UTC the day before: compare aware datetimes, not __date,
    # which would cut days in UTC and keep the index unusable.
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(created_at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs.order_by("-created_at", "-id")


def home_breakdown(*, user) -> dict | None:
    """The per-area table of a user's landing page, or None for roles that get none.

    Admins and evaluators see the whole kelurahan per RW (evaluators only ever get these counts);
    surveyors and health cadres see their own area per RT.
    """
    from bansos.accounts.models import Role
    from bansos.accounts.permissions import household_scope

    if not (user.is_authenticated and user.is_active):
        return None
    if user.role in (Role.ADMIN, Role.EVALUATOR):
        rows = household_breakdown(scope=Q(), by="rw")
        by = "rw"
    elif user.role in (Role.SURVEYOR, Role.CADRE):
        rows = household_breakdown(scope=household_scope(user), by="rt")
        by = "rt"
    else:
        return None
    return {"by": by, "rows": rows, "totals": breakdown_totals(rows)}


def posyandu_get(pk: int) -> Posyandu | None:
    """A posyandu with its RW and the RTs it serves."""
    return Posyandu.objects.select_related("rw").prefetch_related("rts__rw").filter(pk=pk).first()
