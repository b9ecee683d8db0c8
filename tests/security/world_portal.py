"""Objects of the portal app for the authorization world."""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """Adds this app's kinds to ``w.kinds`` (see ``world.Kind``)."""
    from bansos.programs.models import Program
    from tests.security.world import Kind

    # The demo opens a training program for resident applications (portal.demo); the other side is any
    # other public program (the public pages have no scope, so it is there for completeness).
    public = Program.objects.filter(status__in=("open", "running"))
    mine = public.filter(resident_applications=True, participant="resident").order_by("pk").first()
    assert mine is not None, "the portal demo opens a training program for resident applications"
    other = public.exclude(pk=mine.pk).order_by("pk").first()
    w.kinds["public_program"] = Kind(mine, other, mine.agency_id, other.agency_id if other else None)
