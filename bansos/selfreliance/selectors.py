"""Reads of the kemandirian index: the model in force, trajectories, overview, proposals and follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery

from bansos.accounts.models import Role
from bansos.selfreliance.components import CODES, COMPONENTS
from bansos.selfreliance.models import Graduation, GraduationState, IndexModel, IndexScore, ModelStatus


def published_model() -> IndexModel | None:
    return IndexModel.objects.filter(status=ModelStatus.PUBLISHED).first()


def model_weights(model: IndexModel) -> dict[str, int]:
    return dict(model.weights.values_list("component", "weight"))


def model_list() -> list[IndexModel]:
    return list(IndexModel.objects.prefetch_related("weights"))


def latest_month() -> dt.date | None:
    return IndexScore.objects.aggregate(m=Max("month"))["m"]


def months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def household_trajectory(household, *, months: int = 12) -> list[IndexScore]:
    """The household's last ``months`` stored months, oldest first (one indexed range read)."""
    rows = list(IndexScore.objects.filter(household=household).select_related("model").order_by("-month")[:months])
    rows.reverse()
    return rows


def components_of(score: IndexScore, weights: dict[str, int], *, show_growth: bool) -> list[dict[str, Any]]:
    out = []
    for c in COMPONENTS:
        value = getattr(score, f"c_{c.code}")
        hidden = c.code == "growth" and not show_growth
        out.append({"code": c.code, "label": c.label, "definition": c.definition, "weight": weights.get(c.code, 0),
                    "value": None if hidden else value, "hidden": hidden, "dated": c.dated})
    return out


def overview(month: dt.date | None) -> dict[str, Any]:
    """Counts for one month: households scored, mean score, at/above the threshold, per band, per component."""
    model = published_model()
    if month is None or model is None:
        return {"month": month, "model": model, "total": 0}
    rows = IndexScore.objects.filter(month=month)
    agg = rows.aggregate(
        total=Count("pk"), mean=Avg("score"),
        above=Count("pk", filter=Q(score__gte=model.threshold)),
        b0=Count("pk", filter=Q(score__lt=25)), b1=Count("pk", filter=Q(score__gte=25, score__lt=50)),
        b2=Count("pk", filter=Q(score__gte=50, score__lt=75)), b3=Count("pk", filter=Q(score__gte=75)),
        **{f"m_{code}": Avg(f"c_{code}") for code in CODES},
    )
    total = agg["total"] or 0
    bands = [("0–24", agg["b0"]), ("25–49", agg["b1"]), ("50–74", agg["b2"]), ("75–100", agg["b3"])]
    return {
        "month": month, "model": model, "total": total, "mean": round(agg["mean"] or 0, 1),
        "above": agg["above"], "above_pct": round(100 * agg["above"] / total, 1) if total else 0,
        "bands": [{"label": label, "n": n, "pct": round(100 * n / total) if total else 0} for label, n in bands],
        "components": [{"label": c.label, "mean": round(agg[f"m_{c.code}"] or 0)} for c in COMPONENTS],
    }


def month_means(*, limit: int = 12) -> list[dict[str, Any]]:
    """The kelurahan's mean index per stored month, oldest first."""
    rows = list(IndexScore.objects.values("month").annotate(mean=Avg("score"), n=Count("pk")).order_by("-month")[:limit])
    rows.reverse()
    return [{"month": r["month"], "mean": round(r["mean"] or 0, 1), "n": r["n"]} for r in rows]


def _officer_filter(user) -> Q:
    """Proposals an officer may decide: every active cash enrollment of the household is its agency's."""
    from bansos.programs.models import Enrollment, EnrollmentState, ProgramKind

    cash = Enrollment.objects.filter(household_id=OuterRef("household_id"), state=EnrollmentState.ACTIVE,
                                     program__kind=ProgramKind.CASH)
    return Q(Exists(cash.filter(program__agency_id=user.agency_id))) & ~Q(
        Exists(cash.exclude(program__agency_id=user.agency_id)))


def graduation_list(*, user, state: str = GraduationState.PROPOSED) -> list[Graduation]:
    qs = (Graduation.objects.filter(state=state)
          .select_related("household__rt__rw", "decided_by", "model").order_by("-month", "pk"))
    if user.role != Role.ADMIN:
        qs = qs.filter(_officer_filter(user)) if user.role == Role.OFFICER and user.agency_id else qs.none()
    return list(qs[:500])


def graduation_get(*, user, pk: int) -> Graduation:
    from bansos.core.errors import NotFoundError
    from bansos.selfreliance.access import can_decide_graduation

    graduation = Graduation.objects.select_related("household__rt__rw", "model").filter(pk=pk).first()
    if graduation is None:
        raise NotFoundError()
    if not can_decide_graduation(user, graduation) and user.role != Role.ADMIN:
        # An officer's proposal of another agency's household: not found rather than revealing it exists.
        raise NotFoundError()
    return graduation


def followup(*, user, month: dt.date | None = None) -> list[dict[str, Any]]:
    """Graduated households with their latest score, months since graduation and a relapse flag.

    Relapse: the latest stored month is below the threshold of the model in force. ``months_below``
    counts the stored months after graduation below it (a dip that recovered shows here too).
    """
    model = published_model()
    month = month or latest_month()
    if model is None or month is None:
        return []
    qs = Graduation.objects.filter(state=GraduationState.CONFIRMED).select_related("household__rt__rw")
    if user.role != Role.ADMIN:
        if user.role != Role.OFFICER or not user.agency_id:
            return []
        from bansos.programs.models import Enrollment

        qs = qs.filter(Exists(Enrollment.objects.filter(household_id=OuterRef("household_id"),
                                                        program__agency_id=user.agency_id,
                                                        state="graduated")))
    latest = IndexScore.objects.filter(household_id=OuterRef("household_id"), month__lte=month).order_by("-month")
    qs = qs.annotate(latest_score=Subquery(latest.values("score")[:1]),
                     latest_month=Subquery(latest.values("month")[:1]),
                     months_below=Subquery(
                         IndexScore.objects.filter(household_id=OuterRef("household_id"), month__gt=OuterRef("month"),
                                                   month__lte=month, score__lt=model.threshold)
                         .values("household_id").annotate(n=Count("pk")).values("n")[:1]))
    out = []
    for g in qs.order_by("-month", "pk")[:500]:
        out.append({
            "graduation": g, "household": g.household, "latest_score": g.latest_score, "latest_month": g.latest_month,
            "months_since": months_between(g.month, month), "months_below": g.months_below or 0,
            "relapse": g.latest_score is not None and g.latest_score < model.threshold,
        })
    return out


def household_graduations(household) -> list[Graduation]:
    return list(Graduation.objects.filter(household=household).order_by("-month", "-pk")[:5])


def stored_months() -> list[dt.date]:
    return list(IndexScore.objects.order_by("month").values_list("month", flat=True).distinct())


def default_baseline(program, months: list[dt.date]) -> dt.date:
    """The last stored month before the program started, else the first stored month."""
    start = program.start_date.replace(day=1)
    before = [m for m in months if m < start]
    return before[-1] if before else months[0]
