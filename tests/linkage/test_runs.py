"""A deduplication run over a small registry finds the planted duplicate; review confirms or rejects."""

from __future__ import annotations

import pytest

from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.linkage.models import CandidatePair, LinkageRun, PairStatus, RunStatus
from bansos.linkage.services.pairs import pair_confirm, pair_reject
from bansos.linkage.services.runs import linkage_run_start

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_finds_the_duplicate_and_confirming_merges_it(cast, twin):
    budi, dup = twin
    run = linkage_run_start(actor=cast["admin"])  # tasks run at once in tests
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.records == 11
    assert "comparisons" in run.model and "nik" in run.model["comparisons"]
    pair = CandidatePair.objects.get(run=run, left=min(budi.pk, dup.pk), right=max(budi.pk, dup.pk))
    assert pair.evidence["birth_date"] == "exact"
    assert set(pair.evidence) == {"nik", "name", "birth_date", "sex", "household"}
    pair_confirm(actor=cast["admin"], pair=pair, keep_id=budi.pk, reason="orang yang sama")
    pair.refresh_from_db()
    dup.refresh_from_db()
    assert pair.status == PairStatus.CONFIRMED and dup.status == "merged"
    with pytest.raises(DomainError):
        pair_reject(actor=cast["admin"], pair=pair)


@pytest.mark.parametrize("who", ["officer", "surveyor", "evaluator", "resident"])
def test_only_linkage_managers_start_a_run(cast, who):
    with pytest.raises(PermissionDeniedError):
        linkage_run_start(actor=cast[who])
    assert not LinkageRun.objects.exists()
