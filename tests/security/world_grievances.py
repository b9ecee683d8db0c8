"""Objects of the grievances app for the authorization world."""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """A grievance on each side: filed by the side's resident about a program of the side's agency, so the
    resident, the RW's officer and the agency's officer of "mine" are in scope and those of "other" are not."""
    from bansos.grievances.services import grievance_file
    from tests.security.world import Kind

    K = w.kinds
    made = []
    for user, program in ((w.users["resident"], K["program"].mine), (w.users["resident_other"], K["program"].other)):
        made.append(grievance_file(actor=user, data={
            "category": "aid_not_received", "subject": "Bantuan belum diterima (uji keamanan)",
            "description": "uji keamanan", "program": program.pk}))
    mine, other = made
    K["grievance"] = Kind(mine, other, mine.agency_id, other.agency_id)
    K["grievance_code"] = Kind(mine.code, other.code, mine.agency_id, other.agency_id)
