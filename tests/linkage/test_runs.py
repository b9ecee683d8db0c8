"""A deduplication run over the registry completes and keeps its model; review confirms (merges) or rejects."""

from __future__ import annotations

import pytest

from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.linkage.models import CandidatePair, LinkageRun, PairStatus, RunStatus
from bansos.linkage.services.pairs import pair_confirm, pair_reject
from bansos.linkage.services.runs import linkage_run_start

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_run_over_the_registry_completes_and_keeps_its_model(cast, twin, django_capture_on_commit_callbacks):
    # Finding people needs a registry of realistic size to train on (tests/linkage/test_engine.py measures it on
    # generated people; the demo finds its planted duplicates); an 11-person registry only shows the run's flow.
    with django_capture_on_commit_callbacks(execute=True):  # the run is queued when the transaction commits
        run = linkage_run_start(actor=cast["admin"])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.records == 11
    assert "comparisons" in run.model and "nik" in run.model["comparisons"]


def test_confirming_a_pair_merges_it_and_it_cannot_be_rejected_after(cast, twin):
    budi, dup = twin
    run = LinkageRun.objects.create(created_by=cast["admin"], status=RunStatus.DONE)
    pair = CandidatePair.objects.create(
        run=run, left=budi, right=dup, probability=0.97, weight=8.0,
        evidence={"nik": "typo", "name": "exact", "birth_date": "exact", "sex": "exact", "household": "else"})
    pair_confirm(actor=cast["admin"], pair=pair, keep_id=budi.pk, reason="orang yang sama")
    pair.refresh_from_db()
    dup.refresh_from_db()
    assert pair.status == PairStatus.CONFIRMED and dup.status == "merged" and dup.merged_into_id == budi.pk
    with pytest.raises(DomainError):
        pair_reject(actor=cast["admin"], pair=pair)


@pytest.mark.parametrize("who", ["officer", "surveyor", "evaluator", "resident"])
def test_only_linkage_managers_start_a_run(cast, who):
    with pytest.raises(PermissionDeniedError):
        linkage_run_start(actor=cast[who])
    assert not LinkageRun.objects.exists()
