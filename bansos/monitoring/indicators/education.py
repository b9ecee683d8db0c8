"""Education: school-age children in school."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from bansos.monitoring.indicators import Cell, Context, computation
from bansos.monitoring.indicators.frame import active_residents, resident_share, years_before


@computation("education.school_age_in_school", backfill=False)
def school_age_in_school(ctx: Context) -> list[Cell]:
    """Residents aged 7-18 on ``as_of`` recorded as in school (registry) or enrolled (education app).

    The registry keeps today's school status only, so past months are computed from today's data.
    """
    from bansos.education.models import Student, StudentStatus
    from bansos.registry.models.choices import SchoolEnrolment

    lo, hi = ctx.params.get("ages", [7, 18])
    population = active_residents(ctx).filter(birth_date__lte=years_before(ctx.as_of, lo),
                                              birth_date__gt=years_before(ctx.as_of, hi + 1))
    enrolled = Student.objects.filter(resident_id=OuterRef("pk"), status=StudentStatus.ENROLLED)
    hit = Q(school_enrolment=SchoolEnrolment.ENROLLED) | Exists(enrolled)
    return resident_share(ctx, population=population, hit=hit)
