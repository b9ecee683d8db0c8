"""Merging duplicate residents: nothing lost, every move audited, reversible by an admin."""

from __future__ import annotations

import pytest

from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.core.models import AuditEvent
from bansos.programs.models import Enrollment
from bansos.programs.services.enrollment import enrollment_apply
from bansos.registry.models import Resident, ResidentMerge
from bansos.registry.services_merge import resident_links, resident_merge, resident_unmerge

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(cast, twin, make_program):
    """Each record of the twin pair has its own enrollment."""
    budi, dup = twin
    one = enrollment_apply(actor=cast["admin"], program=make_program(name="BLT", participant="resident"), household=budi.household,
                           resident=budi)
    two = enrollment_apply(actor=cast["admin"], program=make_program(name="KJP", participant="resident"), household=dup.household,
                           resident=dup)
    return budi, dup, one, two


def test_it_finds_the_links_of_every_app():
    labels = {m._meta.label_lower for m, _f in resident_links()}
    assert "programs.enrollment" in labels
    assert "registry.residentmerge" not in labels


def test_it_moves_the_duplicates_records_and_keeps_it_as_an_alias(cast, enrolled):
    budi, dup, one, two = enrolled
    merge = resident_merge(actor=cast["admin"], survivor=budi, duplicate=dup, reason="NIK salah ketik")
    dup.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into_id == budi.pk
    assert set(Enrollment.objects.filter(resident=budi).values_list("pk", flat=True)) == {one.pk, two.pk}
    assert merge.moved == [{"model": "programs.enrollment", "field": "resident", "pk": two.pk}]
    assert AuditEvent.objects.filter(action="registry.resident.records_moved").count() == 1
    assert AuditEvent.objects.filter(action="registry.resident.merge").count() == 2


def test_unmerge_restores_exactly_what_moved(cast, enrolled):
    budi, dup, one, two = enrolled
    merge = resident_merge(actor=cast["admin"], survivor=budi, duplicate=dup, reason="NIK salah ketik")
    resident_unmerge(actor=cast["admin"], merge=merge, reason="ternyata orang berbeda")
    dup.refresh_from_db()
    assert dup.status == "active" and dup.merged_into_id is None
    assert Enrollment.objects.get(pk=two.pk).resident_id == dup.pk
    assert Enrollment.objects.get(pk=one.pk).resident_id == budi.pk
    merge.refresh_from_db()
    assert merge.undone_at is not None
    with pytest.raises(DomainError):
        resident_unmerge(actor=cast["admin"], merge=merge, reason="lagi")


@pytest.mark.parametrize("who", ["officer", "surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_a_merge_to_other_roles_and_changes_nothing(cast, enrolled, who):
    budi, dup, one, two = enrolled
    with pytest.raises(PermissionDeniedError):
        resident_merge(actor=cast[who], survivor=budi, duplicate=dup, reason="x")
    assert Resident.objects.get(pk=dup.pk).status == "active"
    assert Enrollment.objects.get(pk=two.pk).resident_id == dup.pk
    assert not ResidentMerge.objects.exists()


def test_it_refuses_a_merge_without_a_reason_or_with_itself(cast, twin):
    budi, dup = twin
    with pytest.raises(DomainError) as info:
        resident_merge(actor=cast["admin"], survivor=budi, duplicate=dup, reason=" ")
    assert info.value.field == "reason"
    with pytest.raises(DomainError) as info:
        resident_merge(actor=cast["admin"], survivor=budi, duplicate=budi, reason="x")
    assert info.value.code == "merge_same"
    assert not ResidentMerge.objects.exists()


def test_it_refuses_a_merge_that_would_break_a_unique_rule_and_changes_nothing(cast, twin, make_program):
    budi, dup = twin
    program = make_program(name="BLT", participant="resident")
    enrollment_apply(actor=cast["admin"], program=program, household=budi.household, resident=budi)
    other = enrollment_apply(actor=cast["admin"], program=program, household=dup.household, resident=dup)
    try:
        resident_merge(actor=cast["admin"], survivor=budi, duplicate=dup, reason="NIK salah ketik")
    except DomainError as error:
        assert error.code == "merge_collision"
        assert Enrollment.objects.get(pk=other.pk).resident_id == dup.pk
        assert Resident.objects.get(pk=dup.pk).status == "active"
        assert not ResidentMerge.objects.exists()
    else:  # no unique rule on (program, resident): both enrollments now belong to the survivor
        assert Enrollment.objects.get(pk=other.pk).resident_id == budi.pk
