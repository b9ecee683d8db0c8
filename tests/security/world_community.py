"""Objects of the community app for the authorization world.

Nominations and objections on both sides: "mine" on a household of the in-scope surveyor's RW and a program
of one agency, "other" on the other side's RW and a program of another agency. The beneficiary list lists
every running household program of those agencies, so the in-scope resident has an entry of its RW to
object to (``listed_enrollment``, not its own household).
"""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """Adds this app's kinds to ``w.kinds`` (see ``world.Kind``)."""
    from bansos.accounts.models import Agency
    from bansos.community.models import Proposal
    from bansos.community.services import cases, listing
    from bansos.programs.models import Enrollment, Program
    from bansos.registry.models import Household
    from tests.security.world import Kind, _first

    K = w.kinds
    resident, resident_other = w.users["resident"], w.users["resident_other"]
    for user, household in ((resident, h), (resident_other, h2)):
        if user.resident_id is None:
            user.resident = household.residents.filter(status="active", relation="head").first()
            user.save(update_fields=["resident"])
    receiving = Enrollment.objects.filter(state="active", program__participant="household",
                                          program__status__in=("open", "running"))
    mine_enr = _first(receiving.filter(household__rt__rw=h.rt.rw).exclude(household=h))
    other_enr = _first(receiving.filter(household__rt__rw=h2.rt.rw).exclude(household=h2)
                       .exclude(program__agency_id=mine_enr.program.agency_id))
    programs = list(Program.objects.filter(pk__in=[mine_enr.program_id, other_enr.program_id]))
    settings = listing.listing_settings()
    listing.listing_settings_update(
        actor=admin, enabled=True, audience="residents", masking="stars",
        programs=[*settings.programs.all(), *programs],
        agencies=[*settings.consenting_agencies.all(), *Agency.objects.filter(programs__in=programs)])
    # Objections: filed by each side's resident on an entry of its own RW's list.
    objection = cases.objection_create(actor=resident, enrollment=mine_enr, reason="Uji keamanan: sanggah warga.")
    objection2 = cases.objection_create(actor=resident_other, enrollment=other_enr,
                                        reason="Uji keamanan: sanggah warga lain.")
    K["objection"] = Kind(objection, objection2, mine_enr.program.agency_id, other_enr.program.agency_id)
    # The entry the route rules object to: another of the resident's RW, not yet objected to by it.
    listed = _first(receiving.filter(household__rt__rw=h.rt.rw, program__in=programs).exclude(household=h)
                    .exclude(pk=mine_enr.pk))
    K["listed_enrollment"] = Kind(listed or mine_enr, None, (listed or mine_enr).program.agency_id)
    # Nominations: of a neighbour of each side for the same programs.
    neighbour = _first(Household.objects.filter(rt__rw=h.rt.rw, status="active").exclude(pk=h.pk)
                       .exclude(enrollments__program=mine_enr.program))
    neighbour2 = _first(Household.objects.filter(rt__rw=h2.rt.rw, status="active").exclude(pk=h2.pk)
                        .exclude(enrollments__program=other_enr.program))
    nomination = cases.nomination_create(actor=resident, program=mine_enr.program, relation="neighbour",
                                         reason="Uji keamanan: usul tetangga.", kk_number=neighbour.kk_number)
    nomination2 = cases.nomination_create(actor=resident_other, program=other_enr.program, relation="neighbour",
                                          reason="Uji keamanan: usul tetangga lain.", kk_number=neighbour2.kk_number)
    K["nomination"] = Kind(nomination, nomination2, mine_enr.program.agency_id, other_enr.program.agency_id)
    K["proposal"] = Kind(_first(Proposal.objects.filter(status="submitted")) or _first(Proposal.objects))
