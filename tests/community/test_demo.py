"""The community demo: usul and sanggah in every state, three youth proposals with votes, one a program draft."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin():
    from bansos.accounts.models import User
    from bansos.demo.services import demo_accounts_create, demo_agencies_create, demo_seed
    from bansos.demo.targeting import demo_targeting_create
    from bansos.programs.demo import demo_programs_create

    demo_seed(households=1500, seed=7)
    demo_agencies_create()
    demo_accounts_create()
    admin = User.objects.get(username="admin")
    demo_targeting_create(actor=admin, seed=7)
    demo_programs_create(actor=admin, seed=7)
    return admin


def test_the_demo_makes_cases_in_every_state_and_proposals_once(demo_admin):
    from bansos.community.demo import demo_community_create
    from bansos.community.models import Nomination, Objection, Proposal

    made = demo_community_create(actor=demo_admin, seed=7)
    assert made["line"].endswith("dukungan.")
    assert set(Nomination.objects.values_list("status", flat=True)) == {"submitted", "checked", "accepted",
                                                                         "rejected"}
    assert set(Objection.objects.values_list("status", flat=True)) == {"submitted", "checked", "accepted",
                                                                        "rejected"}
    outcomes = set(Objection.objects.values_list("outcome", flat=True))
    assert "finding" in outcomes and outcomes & {"suspended", "exited"}
    assert all(n.enrollment.channel == "nomination" for n in Nomination.objects.filter(status="accepted"))
    proposals = Proposal.objects.order_by("pk")
    assert proposals.count() >= 3 and all(p.support_count > 0 for p in proposals)
    approved = proposals.get(status="approved")
    assert (approved.program.kind, approved.program.status) == ("community", "draft")
    assert demo_community_create(actor=demo_admin, seed=7) is None
