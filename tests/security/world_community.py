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
    accepting = Program.objects.filter(status__in=("open", "running")).order_by("pk")
    prog = accepting.filter(agency_id=w.household_agency).first() or accepting.first()
    prog2 = (accepting.filter(agency_id=w.other_household_agency).exclude(agency_id=prog.agency_id).first()
             or accepting.exclude(agency_id=prog.agency_id).first())
    mine_enr = _beneficiary(prog, h, admin)
    other_enr = _beneficiary(prog2, h2, admin)
    # The entry the route rules object to: another of the resident's RW, not yet objected to by it.
    listed = (Enrollment.objects.filter(state="active", household__rt__rw=h.rt.rw).exclude(household=h)
              .exclude(pk=mine_enr.pk).order_by("pk").first()) or _beneficiary(prog2, h, admin)
    programs = list(Program.objects.filter(pk__in=[mine_enr.program_id, other_enr.program_id, listed.program_id]))
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
    K["listed_enrollment"] = Kind(listed, None, listed.program.agency_id)
    # Nominations: of a neighbour of each side for the same programs.
    neighbour = _first(Household.objects.filter(rt__rw=h.rt.rw, status="active").exclude(pk=h.pk))
    neighbour2 = _first(Household.objects.filter(rt__rw=h2.rt.rw, status="active").exclude(pk=h2.pk))
    nomination = cases.nomination_create(actor=resident, program=mine_enr.program, relation="neighbour",
                                         reason="Uji keamanan: usul tetangga.", kk_number=neighbour.kk_number)
    nomination2 = cases.nomination_create(actor=resident_other, program=other_enr.program, relation="neighbour",
                                          reason="Uji keamanan: usul tetangga lain.", kk_number=neighbour2.kk_number)
    K["nomination"] = Kind(nomination, nomination2, mine_enr.program.agency_id, other_enr.program.agency_id)
    K["proposal"] = Kind(_first(Proposal.objects.filter(status="submitted")) or _first(Proposal.objects))


def _beneficiary(program, household, admin):
    """An active participant of ``program`` in ``household``'s RW (not that household), made when the small
    world has none (as the world's education kinds do)."""
    from bansos.programs.models import OPEN_STATES, Enrollment
    from bansos.registry.models import Household

    found = (Enrollment.objects.filter(program=program, state="active", household__rt__rw=household.rt.rw)
             .exclude(household=household).order_by("pk").first())
    if found:
        return found
    home = (Household.objects.filter(rt__rw=household.rt.rw, status="active").exclude(pk=household.pk)
            .exclude(enrollments__program=program, enrollments__state__in=OPEN_STATES).order_by("pk").first())
    head = home.residents.filter(status="active", relation="head").first()
    return Enrollment.objects.create(program=program, household=home, state="active", applied_by=admin,
                                     resident=head if program.participant == "resident" else None)
