"""Graduation out of cash assistance: proposals from the index, and staff's confirmation or decline.

The rule (parameters of the published ``IndexModel``): a household is proposed for month M when its
index was at or above the threshold in each of the N months ending with M (N = ``months_required``;
a month without a score, or one below the threshold, breaks the run), it has at least one active cash
enrollment (something to graduate from), and it has no open proposal and no decision inside those N
months (a declined household needs N fresh months after the decline's month before it is proposed again).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.core.audit import audit_log, bulk_audit
from bansos.core.errors import DomainError, NotFoundError
from bansos.programs.models import Enrollment, EnrollmentState, ProgramKind
from bansos.selfreliance.access import require_decide_graduation
from bansos.selfreliance.models import GRADUATION_TRANSITIONS, Graduation, GraduationState, IndexScore

MSG_TRANSITION = _("Usulan kelulusan ini sudah diputuskan (%(state)s).")
MSG_REASON_REQUIRED = _("Alasan wajib diisi.")
MSG_REASON_LONG = _("Alasan paling banyak 1.000 karakter.")


def months_back(month: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months before ``month``."""
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def active_cash(household_id_ref) -> Exists:
    return Exists(Enrollment.objects.filter(household_id=household_id_ref, state=EnrollmentState.ACTIVE,
                                            program__kind=ProgramKind.CASH))


def graduation_candidates(*, month: dt.date, threshold: int, months_required: int) -> dict[int, int]:
    """Household id -> that month's score, for households meeting the rule for ``month`` (see module doc)."""
    start = months_back(month, months_required - 1)
    above = (IndexScore.objects.filter(month__gte=start, month__lte=month, score__gte=threshold)
             .values("household_id").annotate(n=Count("pk")).filter(n=months_required)
             .values("household_id"))
    decided = Graduation.objects.filter(household_id=OuterRef("household_id"), month__gte=start)
    open_ = Graduation.objects.filter(household_id=OuterRef("household_id"), state=GraduationState.PROPOSED)
    rows = (IndexScore.objects.filter(month=month, household_id__in=above)
            .filter(active_cash(OuterRef("household_id")))
            .exclude(Exists(decided)).exclude(Exists(open_))
            .values_list("household_id", "score"))
    return dict(rows)


def graduation_propose_month(*, actor, month: dt.date) -> list[Graduation]:
    """Create the proposals for ``month`` (system run after each index computation); returns them."""
    from bansos.selfreliance.services.index import index_default_model

    with transaction.atomic():
        model = index_default_model()
        found = graduation_candidates(month=month, threshold=model.threshold,
                                      months_required=model.months_required)
        if not found:
            return []
        made = Graduation.objects.bulk_create(
            Graduation(household_id=hid, model=model, month=month, score=score,
                       months_above=model.months_required)
            for hid, score in sorted(found.items())
        )
        # bulk_create returns ids on both databases (SQLite >= 3.35 has RETURNING).
        bulk_audit(actor=actor, action="selfreliance.graduation_propose", object_type="selfreliance.graduation",
                   rows=[(g.pk, g.household_id) for g in made],
                   changes={"month": month.isoformat(), "threshold": model.threshold,
                            "months": model.months_required, "model": model.version})
    return made


def _lock(graduation: Graduation) -> Graduation:
    try:
        return Graduation.objects.select_for_update().get(pk=graduation.pk)
    except Graduation.DoesNotExist:
        raise NotFoundError() from None


def _check(graduation: Graduation, new: str) -> None:
    if new not in GRADUATION_TRANSITIONS[GraduationState(graduation.state)]:
        raise DomainError("graduation_decided", MSG_TRANSITION, state=graduation.get_state_display())


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError("reason_required", MSG_REASON_REQUIRED, field="reason")
    if len(reason) > 1000:
        raise DomainError("reason_long", MSG_REASON_LONG, field="reason")
    return reason


def graduation_confirm(*, actor, graduation: Graduation, note: str = "") -> Graduation:
    """Confirm a proposal: the household's active cash enrollments end as graduated; it is followed up since."""
    from bansos.notifications.services import notify
    from bansos.programs.services.enrollment import enrollment_graduate

    require_decide_graduation(actor, graduation)
    note = _clean_reason(note, required=False)
    with transaction.atomic():
        graduation = _lock(graduation)
        _check(graduation, GraduationState.CONFIRMED)
        # Checked again on the locked row: the enrollments may have changed since the page was shown.
        require_decide_graduation(actor, graduation)
        ended = []
        cash = (Enrollment.objects.filter(household_id=graduation.household_id, state=EnrollmentState.ACTIVE,
                                          program__kind=ProgramKind.CASH).order_by("pk"))
        for enrollment in cash:
            enrollment_graduate(actor=actor, enrollment=enrollment,
                                note=note or _t("Lulus dari bantuan: indeks kemandirian di atas ambang."))
            ended.append(enrollment.pk)
        graduation.state, graduation.decided_by, graduation.decided_at = GraduationState.CONFIRMED, actor, timezone.now()
        graduation.reason, graduation.ended_enrollments = note, ended
        graduation.save(update_fields=["state", "decided_by", "decided_at", "reason", "ended_enrollments"])
        audit_log(actor=actor, action="selfreliance.graduation_confirm", obj=graduation,
                  household_id=graduation.household_id,
                  changes={"state": [GraduationState.PROPOSED, GraduationState.CONFIRMED],
                           "enrollments": ended, "month": graduation.month.isoformat(), "score": graduation.score},
                  reason=note)
        notify(topic="selfreliance.graduated", household=graduation.household, actor=actor,
               reference=f"graduation:{graduation.pk}",
               subject=_t("Keluarga Anda dinyatakan mandiri"),
               body=_t("Indeks kemandirian keluarga Anda berada di atas ambang selama %(n)s bulan berturut-turut. "
                       "Bantuan tunai keluarga Anda selesai dengan status lulus. Petugas tetap mendampingi; "
                       "hubungi kelurahan bila keadaan keluarga berubah.") % {"n": graduation.months_above})
    return graduation


def graduation_decline(*, actor, graduation: Graduation, reason: str) -> Graduation:
    """Decline a proposal with a reason; nothing else changes (the household may be proposed again later)."""
    require_decide_graduation(actor, graduation)
    reason = _clean_reason(reason, required=True)
    with transaction.atomic():
        graduation = _lock(graduation)
        _check(graduation, GraduationState.DECLINED)
        require_decide_graduation(actor, graduation)
        graduation.state, graduation.decided_by, graduation.decided_at = GraduationState.DECLINED, actor, timezone.now()
        graduation.reason = reason
        graduation.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        audit_log(actor=actor, action="selfreliance.graduation_decline", obj=graduation,
                  household_id=graduation.household_id,
                  changes={"state": [GraduationState.PROPOSED, GraduationState.DECLINED]}, reason=reason)
    return graduation

