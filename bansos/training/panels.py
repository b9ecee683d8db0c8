"""The household page's "Pelatihan" section: courses, attendance, outcome, certificates with verify links.

Who sees what follows the programs panel (``bansos.programs.panels.program_level``): the admin, the
family itself and the officers of the course's program agency (or its partner company) see
everything with links; RT/RW officers and cadres see course titles, attendance and outcomes; an
officer of another agency sees only that there is a course of another agency and its outcome.
Rows are plain dicts, so the template cannot reach what is hidden.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _t

from bansos.accounts.models import Role
from bansos.programs.panels import FULL, KIND, other_agency_label, program_level
from bansos.training.access import can_view_course
from bansos.training.certificates import display
from bansos.training.models import Outcome, ParticipantState
from bansos.training.selectors import household_courses, provisional_label


def household_training(*, user, household) -> dict[str, Any] | None:
    """None (panel hidden) when the household never had a course place or the user may see none."""
    places = household_courses(household)
    if not places:
        return None
    rows = []
    for place in places:
        course, participant = place["course"], place["participant"]
        level = program_level(user, course.program)
        viewer = can_view_course(user, course)
        if level is None and not viewer:
            continue
        hidden = level == KIND and not viewer
        outcome = place["outcome"]
        if outcome:
            label = Outcome(outcome).label
        elif participant.state == ParticipantState.DROPPED:
            label = Outcome.DROPPED.label
        else:
            label = _t("Berjalan (sementara: %(outcome)s)") % {"outcome": provisional_label(place["outcome_so_far"])}
        certificate = place["certificate"]
        rows.append({
            "title": f"{_t('Pelatihan')} ({other_agency_label()})" if hidden else course.title,
            "url": reverse("training:course_detail", args=[course.pk]) if viewer else None,
            "person": participant.resident.full_name,
            "status": course.get_status_display(),
            "attended": place["attended"], "sessions": place["sessions"], "pct": place["pct"],
            "outcome": outcome or "", "outcome_label": label,
            "dropped_reason": participant.dropped_reason if (level == FULL or viewer) else "",
            "certificate": None if hidden or certificate is None else {
                "code": display(certificate.code), "revoked_at": certificate.revoked_at,
                "verify_url": reverse("training:verify", args=[certificate.code]),
                "print_url": reverse("training:certificate_print", args=[certificate.pk]) if viewer and
                user.role != Role.RESIDENT else None,
            },
        })
    if not rows:
        return None
    return {"rows": rows, "is_own": user.role == Role.RESIDENT and user.household_id == household.pk}
