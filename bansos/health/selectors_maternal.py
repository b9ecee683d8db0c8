"""Reads of maternal care, health education and referrals. Callers have checked access
(``bansos.health.access``) before calling these; lists take a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from bansos.health import maternal
from bansos.health.access import visible_posyandu_ids
from bansos.health.models_maternal import (
    AntenatalVisit, EducationSession, HealthDeath, Pregnancy, PregnancyStatus, Referral, ReferralOutcome,
)


@dataclass
class PregnancyRow:
    pregnancy: Pregnancy
    visits: list[AntenatalVisit]
    days: int  # gestational age today (or at the end)
    flags: list[str]
    next_due: dt.date
    overdue: bool
    shortfall: list = field(default_factory=list)

    @property
    def week_label(self) -> str:
        return maternal.gestational_label(self.days)

    @property
    def trimester(self) -> int:
        return maternal.trimester_of(self.days).number

    @property
    def flag_labels(self) -> list[tuple[str, str]]:
        return [(code, str(maternal.RISK_LABELS[code])) for code in self.flags]


def pregnancy_row(p: Pregnancy, visits: list[AntenatalVisit], today: dt.date | None = None) -> PregnancyRow:
    today = today or timezone.localdate()
    delivered = p.status == PregnancyStatus.DELIVERED
    on = p.ended_on if p.ended_on else today
    dates = [v.visit_date for v in visits]
    flags = maternal.pregnancy_flags(mother_birth=p.mother.birth_date, lmp=p.lmp, visits=visits, on=on,
                                     delivered=delivered)
    due = maternal.next_visit_due(p.lmp, dates, today)
    return PregnancyRow(pregnancy=p, visits=visits, days=maternal.gestational_days(p.lmp, on), flags=flags,
                        next_due=due, overdue=p.status == PregnancyStatus.ONGOING and due < today,
                        shortfall=maternal.schedule_shortfall(p.lmp, dates, on, delivered=delivered))


def _with_visits(qs):
    return qs.select_related("mother__household__rt__rw").prefetch_related(
        Prefetch("visits", queryset=AntenatalVisit.objects.order_by("visit_date", "id")))


def pregnancy_rows(posyandu, *, status: str = PregnancyStatus.ONGOING) -> list[PregnancyRow]:
    """The posyandu area's pregnancies of ``status`` with flags and the next expected visit (two queries)."""
    qs = Pregnancy.objects.filter(status=status, mother__household__rt__posyandus=posyandu).order_by("edd", "id")
    today = timezone.localdate()
    return [pregnancy_row(p, list(p.visits.all()), today) for p in _with_visits(qs)]


def pregnancy_get(pk: int) -> Pregnancy | None:
    return _with_visits(Pregnancy.objects.filter(pk=pk)).select_related("delivery__baby").first()


def _years_before(day: dt.date, years: int) -> dt.date:
    return dt.date(day.year - years, day.month, min(day.day, 28))


def women_of_area(posyandu, q: str = "", limit: int = 30):
    """Active women aged 10-60 of the posyandu's area without an ongoing pregnancy, by name."""
    from bansos.registry.models import Resident
    from bansos.registry.names import name_key

    today = timezone.localdate()
    qs = (Resident.objects.filter(status="active", sex="P", household__status="active",
                                  household__rt__posyandus=posyandu,
                                  birth_date__lte=_years_before(today, 10),
                                  birth_date__gte=_years_before(today, 60))
          .exclude(pregnancies__status=PregnancyStatus.ONGOING).select_related("household__rt__rw"))
    if q.strip():
        qs = qs.filter(name_key__contains=name_key(q))
    return list(qs.order_by("full_name")[:limit])


def residents_of_area(posyandu, q: str = "", limit: int = 30):
    from bansos.registry.models import Resident
    from bansos.registry.names import name_key

    qs = Resident.objects.filter(status="active", household__status="active", household__rt__posyandus=posyandu)
    if q.strip():
        qs = qs.filter(name_key__contains=name_key(q))
    return list(qs.select_related("household__rt__rw").order_by("full_name")[:limit])


def education_sessions(posyandu, limit: int = 50) -> list[EducationSession]:
    return list(EducationSession.objects.filter(posyandu=posyandu).annotate(n_attending=Count("attendance"))
                .order_by("-date", "-id")[:limit])


def education_attendees(session: EducationSession):
    from bansos.registry.models import Resident

    return list(Resident.objects.filter(pk__in=session.attendance.values("resident_id"))
                .select_related("household__rt__rw").order_by("full_name"))


def education_suggestions(session: EducationSession, limit: int = 40):
    """Who the session is most likely for: the area's pregnant women and mothers of under-fives, not yet marked."""
    from bansos.registry.models import Resident

    today = timezone.localdate()
    taken = session.attendance.values("resident_id")
    mothers_of_small = Resident.objects.filter(
        household__rt__posyandus=session.posyandu, status="active",
        birth_date__gte=today - dt.timedelta(days=5 * 365)).values("household_id")
    qs = (Resident.objects.filter(status="active", sex="P", household__rt__posyandus=session.posyandu)
          .filter(Q(pregnant=True) | Q(relation__in=("head", "spouse"), household_id__in=mothers_of_small))
          .exclude(pk__in=taken))
    return list(qs.select_related("household__rt__rw").order_by("full_name")[:limit])


def referrals(posyandu=None, *, user=None, outcome: str = "", limit: int = 200) -> list[Referral]:
    qs = Referral.objects.select_related("resident__household__rt__rw")
    if posyandu is not None:
        qs = qs.filter(household__rt__posyandus=posyandu)
    if user is not None:
        ids = visible_posyandu_ids(user)
        if ids is not None:
            qs = qs.filter(household__rt__posyandus__in=ids)
    if outcome in ReferralOutcome.values:
        qs = qs.filter(outcome=outcome)
    return list(qs.order_by("-date", "-id")[:limit])


def referral_counts(posyandu) -> dict[str, int]:
    rows = (Referral.objects.filter(household__rt__posyandus=posyandu).values("outcome")
            .annotate(n=Count("id")).values_list("outcome", "n"))
    found = dict(rows)
    return {value: found.get(value, 0) for value in ReferralOutcome.values}


def death_counts(posyandu=None, *, year: int | None = None) -> list[dict]:
    """Deaths by kind and year (monitoring shows counts only, never a list of names)."""
    qs = HealthDeath.objects.all()
    if posyandu is not None:
        qs = qs.filter(household__rt__posyandus=posyandu)
    if year is not None:
        qs = qs.filter(date__year=year)
    return list(qs.values("kind").annotate(n=Count("id")).order_by("kind"))


def household_mothers(household) -> list[PregnancyRow]:
    """The household's pregnancies, ongoing first then the last ended (the household panel)."""
    qs = Pregnancy.objects.filter(mother__household=household).order_by("-lmp", "-id")
    rows = [pregnancy_row(p, list(p.visits.all())) for p in _with_visits(qs)[:5]]
    return sorted(rows, key=lambda r: r.pregnancy.status != PregnancyStatus.ONGOING)
