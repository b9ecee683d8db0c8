"""Youth proposals: residents aged 16-30 propose, signed-in residents support, the kelurahan reviews.

Support is one vote per account and per person (database constraints, so two requests at the same moment
cannot both count); the count on the proposal moves with ``F()``. A proposer does not support their own
proposal: the count says how many *other* residents back it, which is what the kelurahan weighs.
An approved proposal becomes a program draft (kind "community") of a community group or government
agency, through ``programs.services.programs.program_create``, linked back to the proposal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Agency, AgencyKind
from bansos.community.access import require_resident, require_review
from bansos.community.models import PROPOSAL_TRANSITIONS, SUPPORTABLE, Proposal, ProposalStatus, ProposalVote
from bansos.community.services.common import MSG_INVALID_CHOICE, MSG_REQUIRED, text, today
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, Errors, NotFoundError, raise_if_errors
from bansos.core.formats import age_on, rupiah
from bansos.core.models import RW
from bansos.notifications.services import notify
from bansos.programs.models import ProgramKind, TargetGroup
from bansos.programs.services.programs import program_create
from bansos.registry.models.household import YOUTH_AGES

MSG_AGE = _("Usulan pemuda hanya dapat diajukan warga berusia %(low)s sampai %(high)s tahun.")
MSG_NO_BIRTH_DATE = _("Akun Anda belum terhubung dengan data kependudukan; hubungi kantor kelurahan.")
MSG_BUDGET = _("Isi perkiraan anggaran dalam Rupiah, bilangan bulat lebih dari 0 dan paling banyak %(max)s.")
MSG_SELF_VOTE = _("Pengusul tidak dapat mendukung usulannya sendiri.")
MSG_ALREADY_SUPPORTED = _("Anda sudah mendukung usulan ini.")
MSG_NOT_SUPPORTABLE = _("Usulan ini sudah diputuskan; dukungan ditutup.")
MSG_DECIDED = _("Usulan ini sudah diputuskan.")
MSG_AGENCY_KIND = _("Pilih kelompok masyarakat atau instansi pemerintah (kelurahan) yang aktif.")
MSG_PERIOD = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")

BUDGET_MAX = 10_000_000_000


def youth_age_ok(resident, on: dt.date) -> bool:
    """16 from the 16th birthday, 30 until the day before the 31st birthday."""
    age = age_on(resident.birth_date, on)
    return age is not None and YOUTH_AGES[0] <= age <= YOUTH_AGES[1]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    clean: dict[str, Any] = {}
    for name, limit, minimum in (("title", 150, 5), ("description", 4000, 20)):
        try:
            clean[name] = text(data.get(name), field=name, limit=limit, minimum=minimum)
        except DomainError as exc:
            errors.add_domain(exc)
    budget = data.get("budget_estimate")
    if isinstance(budget, str) and budget.strip().replace(".", "").isdigit():
        budget = int(budget.strip().replace(".", ""))
    if not isinstance(budget, int) or isinstance(budget, bool) or not 0 < budget <= BUDGET_MAX:
        errors.add("budget_estimate", MSG_BUDGET, max=rupiah(BUDGET_MAX))
    clean["budget_estimate"] = budget
    group = data.get("target_group") or ""
    if group not in TargetGroup.values:
        errors.add("target_group", MSG_REQUIRED if not group else MSG_INVALID_CHOICE)
    clean["target_group"] = group
    rw = data.get("rw")
    if isinstance(rw, int) and not isinstance(rw, bool):
        rw = RW.objects.filter(number=rw).first()
    if not isinstance(rw, RW):
        errors.add("rw", MSG_REQUIRED if not rw else MSG_INVALID_CHOICE)
    clean["rw"] = rw
    raise_if_errors(errors)
    return clean


@transaction.atomic
def proposal_create(*, actor, data: dict[str, Any]) -> Proposal:
    """A resident aged 16-30 (by the account's resident's birth date) proposes a community program."""
    require_resident(actor)
    person = actor.resident
    if person is None or person.birth_date is None:
        raise DomainError("no_birth_date", MSG_NO_BIRTH_DATE)
    if not youth_age_ok(person, today()):
        raise DomainError("age_outside", MSG_AGE, low=YOUTH_AGES[0], high=YOUTH_AGES[1])
    clean = _clean(data)
    proposal = Proposal.objects.create(**clean, proposer=actor, proposer_resident=person)
    audit_log(actor=actor, action="community.proposal.create", obj=proposal, household_id=actor.household_id,
              changes={"title": proposal.title, "budget_estimate": proposal.budget_estimate,
                       "target_group": proposal.target_group, "rw": proposal.rw.number})
    return proposal


@transaction.atomic
def proposal_support(*, actor, proposal: Proposal) -> ProposalVote:
    """One signed-in resident's support; a second one by the same account or person is refused."""
    require_resident(actor)
    proposal = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if proposal is None:
        raise NotFoundError()
    if proposal.status not in SUPPORTABLE:
        raise DomainError("not_supportable", MSG_NOT_SUPPORTABLE)
    if proposal.proposer_id == actor.pk or (actor.resident_id and proposal.proposer_resident_id == actor.resident_id):
        raise DomainError("self_vote", MSG_SELF_VOTE)
    try:
        with transaction.atomic():
            vote = ProposalVote.objects.create(proposal=proposal, voter=actor, voter_resident_id=actor.resident_id)
    except IntegrityError:
        raise DomainError("already_supported", MSG_ALREADY_SUPPORTED) from None
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    audit_log(actor=actor, action="community.proposal.support", obj=proposal, household_id=actor.household_id)
    return vote


def _lock(proposal: Proposal) -> Proposal:
    found = Proposal.objects.select_for_update(of=("self",)).select_related("proposer", "rw").filter(
        pk=proposal.pk).first()
    if found is None:
        raise NotFoundError()
    return found


def _answer(actor, proposal: Proposal, status: str, answer: str) -> dict:
    if status not in PROPOSAL_TRANSITIONS.get(proposal.status, set()):
        raise DomainError("proposal_decided", MSG_DECIDED)
    answer = text(answer, field="answer", limit=4000, minimum=10)
    old = proposal.status
    proposal.status, proposal.answer, proposal.answered_by, proposal.answered_at = (
        status, answer, actor, timezone.now())
    return {"status": [old, status]}


def _tell(actor, proposal: Proposal) -> None:
    notify(topic="community.proposal", user=proposal.proposer, actor=actor,
           subject=_t("Tanggapan kelurahan atas usulan \"%(title)s\"") % {"title": proposal.title},
           body=_t("Status: %(status)s. Jawaban kelurahan: %(answer)s") % {
               "status": proposal.get_status_display(), "answer": proposal.answer},
           reference=f"usulan:{proposal.pk}")


@transaction.atomic
def proposal_answer(*, actor, proposal: Proposal, answer: str) -> Proposal:
    """The kelurahan's public answer while the proposal is under review (it stays open for support)."""
    require_review(actor)
    proposal = _lock(proposal)
    changes = _answer(actor, proposal, ProposalStatus.REVIEWING, answer)
    proposal.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
    audit_log(actor=actor, action="community.proposal.answer", obj=proposal, changes=changes, reason=proposal.answer)
    _tell(actor, proposal)
    return proposal


@transaction.atomic
def proposal_decline(*, actor, proposal: Proposal, answer: str) -> Proposal:
    """Decline with a public answer; support closes."""
    require_review(actor)
    proposal = _lock(proposal)
    changes = _answer(actor, proposal, ProposalStatus.DECLINED, answer)
    proposal.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
    audit_log(actor=actor, action="community.proposal.decline", obj=proposal, changes=changes, reason=proposal.answer)
    _tell(actor, proposal)
    return proposal


@transaction.atomic
def proposal_approve(*, actor, proposal: Proposal, answer: str, agency: Agency | None, start_date: dt.date | None,
                     end_date: dt.date | None) -> Proposal:
    """Approve with a public answer: a program draft of ``agency`` (community group or government) is made."""
    require_review(actor)
    proposal = _lock(proposal)
    changes = _answer(actor, proposal, ProposalStatus.APPROVED, answer)
    errors = Errors()
    if agency is None or not agency.is_active or agency.kind not in (AgencyKind.COMMUNITY, AgencyKind.GOVERNMENT):
        errors.add("agency", MSG_AGENCY_KIND)
    if not isinstance(start_date, dt.date):
        errors.add("start_date", MSG_REQUIRED)
    if not isinstance(end_date, dt.date):
        errors.add("end_date", MSG_REQUIRED)
    elif isinstance(start_date, dt.date) and end_date < start_date:
        errors.add("end_date", MSG_PERIOD)
    raise_if_errors(errors)
    description = _t("%(description)s\n\nBerasal dari usulan pemuda RW %(rw)s (%(votes)s dukungan warga). "
                     "Perkiraan anggaran usulan: %(budget)s.") % {
        "description": proposal.description, "rw": f"{proposal.rw.number:02d}", "votes": proposal.support_count,
        "budget": rupiah(proposal.budget_estimate)}
    program = program_create(actor=actor, data={
        "name": proposal.title, "kind": ProgramKind.COMMUNITY, "agency": agency, "description": description[:4000],
        "target_groups": [proposal.target_group], "participant": "resident", "benefit_kind": "service",
        "benefit_description": _t("Kegiatan masyarakat usulan pemuda"), "benefit_amount": 0, "benefit_periods": 1,
        "start_date": start_date, "end_date": end_date, "capacity": None,
    })
    proposal.program = program
    proposal.save(update_fields=["status", "answer", "answered_by", "answered_at", "program", "updated_at"])
    audit_log(actor=actor, action="community.proposal.approve", obj=proposal,
              changes={**changes, "program": program.pk}, reason=proposal.answer)
    _tell(actor, proposal)
    return proposal
