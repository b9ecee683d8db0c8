"""Matching trained residents to a vacancy: who qualifies, in what order, and why.

Candidates of a vacancy are active residents of active households, aged ``min_age``..``max_age``
today, women when the vacancy is for women only, not working as an employee or on their own
account, with at least one completed course (not dropped) whose skill area is among the vacancy's,
of a course the user may draw candidates from (``access.candidate_course_scope``). They are ranked
by the number of matching courses, the best assessment score, the most recent completion, and then
the poorer household first (welfare decile), and each carries its reasons.

Two queries whatever the registry's size: one row per completed course with the person, the area,
the certificate and the decile joined in, and the vacancy's referrals; the grouping is done here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from bansos.core.formats import age_on
from bansos.jobs import reasons as R
from bansos.jobs.access import candidate_course_scope
from bansos.jobs.models import JobReferral
from bansos.registry.models import EmploymentStatus, HouseholdStatus, ResidentStatus
from bansos.training.models import Outcome, Participant, ParticipantState

# Working already: not offered again. Casual and family workers, job seekers and homemakers are.
EMPLOYED = (EmploymentStatus.EMPLOYEE, EmploymentStatus.SELF_EMPLOYED)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class Candidate:
    resident_id: int
    household_id: int
    name: str
    sex: str
    age: int
    rw: int | None
    rt: int | None
    employment_status: str
    decile: int | None
    courses: list[dict[str, Any]] = field(default_factory=list)
    referral_status: str | None = None  # set when already referred to this vacancy

    @property
    def best_score(self) -> int:
        scores = [c["score"] for c in self.courses if c["score"] is not None]
        return max(scores) if scores else -1

    @property
    def latest(self) -> str:
        return max((c["completed"] or "" for c in self.courses), default="")

    def reasons(self) -> list[dict[str, Any]]:
        """The reasons as codes with values (stored on a referral, rendered by ``reasons``)."""
        out: list[dict[str, Any]] = [dict(code=R.COURSE, **c) for c in self.courses]
        out.append({"code": R.AGE, "age": self.age})
        out.append({"code": R.WORK, "status": self.employment_status})
        if self.decile is not None:
            out.append({"code": R.DECILE, "decile": self.decile})
        return out

    def reason_texts(self) -> list[str]:
        return R.reasons_text(self.reasons())

    @property
    def referred(self) -> bool:
        return self.referral_status is not None


def _rank_key(c: Candidate):
    decile = c.decile if c.decile is not None else 11
    return (-len(c.courses), -c.best_score, _negated(c.latest), decile, c.name, c.resident_id)


def _negated(text: str) -> tuple:
    # ISO dates (all the same length) newest first inside an ascending key; no date sorts last.
    return tuple(-ord(ch) for ch in text) if text else (1,)


def vacancy_candidates(*, user, vacancy, resident_id: int | None = None, today: dt.date | None = None
                       ) -> list[Candidate]:
    """The vacancy's candidates for ``user``, best first (already referred ones marked, not dropped)."""
    skill_areas = list(vacancy.skill_areas or [])
    if not skill_areas:
        return []
    today = today or timezone.localdate()
    # Aged min..max today: born on or before today minus min years, after today minus (max + 1) years.
    qs = Participant.objects.filter(
        candidate_course_scope(user),
        outcome=Outcome.COMPLETED,
        course__skill_area__in=skill_areas,
        resident__status=ResidentStatus.ACTIVE,
        resident__household__status=HouseholdStatus.ACTIVE,
        resident__birth_date__lte=years_before(today, vacancy.min_age),
        resident__birth_date__gt=years_before(today, vacancy.max_age + 1),
    ).exclude(state=ParticipantState.DROPPED).exclude(resident__employment_status__in=EMPLOYED)
    if vacancy.women_only:
        qs = qs.filter(resident__sex="P")
    if resident_id is not None:
        qs = qs.filter(resident_id=resident_id)
    rows = qs.values_list(
        "resident_id", "resident__household_id", "resident__full_name", "resident__sex", "resident__birth_date",
        "resident__employment_status", "resident__household__rt__rw__number", "resident__household__rt__number",
        "resident__household__welfare__decile", "course__title", "course__skill_area", "completed_at",
        "assessment_score", "certificate__code", "certificate__revoked_at",
    ).order_by("resident_id", "completed_at", "pk")
    people: dict[int, Candidate] = {}
    for (rid, hid, name, sex, birth, work, rw, rt, decile, title, skill, completed, score, cert,
         revoked) in rows:
        person = people.get(rid)
        if person is None:
            person = people[rid] = Candidate(
                resident_id=rid, household_id=hid, name=name, sex=sex, age=age_on(birth, today), rw=rw, rt=rt,
                employment_status=work or "", decile=decile,
            )
        person.courses.append({
            "title": title, "skill": skill, "score": score,
            "completed": timezone.localtime(completed).date().isoformat() if completed else None,
            "certificate": cert if cert and revoked is None else "",
        })
    if not people:
        return []
    referred = JobReferral.objects.filter(vacancy=vacancy)
    if resident_id is not None:
        referred = referred.filter(resident_id=resident_id)
    for rid, status in referred.values_list("resident_id", "status"):
        if rid in people:
            people[rid].referral_status = status
    return sorted(people.values(), key=_rank_key)
