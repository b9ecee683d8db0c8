"""Objects of the selfreliance app for the authorization world."""

from __future__ import annotations


def add_kinds(w, admin, h, h2, pos, pos2) -> None:
    """Adds this app's kinds to ``w.kinds`` (see ``world.Kind``)."""
    import datetime as dt

    from bansos.programs.models import Enrollment
    from bansos.selfreliance.models import Graduation, GraduationState
    from bansos.selfreliance.services.index import index_default_model, index_model_draft_create
    from tests.security.world import Kind

    model = index_default_model()
    # A draft version to edit and publish; the published one is the "other" (not editable).
    draft = index_model_draft_create(actor=admin)
    w.kinds["sr_model"] = Kind(draft, model)

    def proposal(household):
        # An open proposal (replacing the demo's, if any): the rule and the decision are what is tested.
        Graduation.objects.filter(household=household, state=GraduationState.PROPOSED).delete()
        return Graduation.objects.create(household=household, model=model, month=dt.date(2026, 1, 1), score=80,
                                         months_above=model.months_required)

    cash = Enrollment.objects.filter(household=h, state="active", program__kind="cash")
    assert cash.exists(), "the world's household H needs an active cash enrollment for graduation"
    w.kinds["sr_graduation"] = Kind(proposal(h), proposal(h2), w.household_agency, w.other_household_agency)
