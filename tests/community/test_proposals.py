"""Youth proposals: age limits at the boundaries, one vote per resident (also concurrent), review, program draft."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from bansos.community.models import Proposal, ProposalVote
from bansos.community.services import proposals
from bansos.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from tests.community.conftest import years_ago

pytestmark = pytest.mark.django_db


def data(areas, **extra):
    d = {"title": "Kelas Desain Grafis Remaja", "description": "Kelas dua kali seminggu di balai RW selama 3 bulan.",
         "budget_estimate": 12_500_000, "target_group": "youth", "rw": areas["rw1"]}
    d.update(extra)
    return d


@pytest.mark.parametrize(("age", "days", "allowed"), [
    (16, 0, True),     # the 16th birthday is today
    (16, 1, False),    # the 16th birthday is tomorrow: still 15
    (30, 0, True),     # 30 today
    (31, 1, True),     # the 31st birthday is tomorrow: still 30
    (31, 0, False),    # the 31st birthday is today
])
def test_it_limits_proposers_to_ages_16_to_30(resident_in, areas, age, days, allowed):
    user = resident_in(born=years_ago(age, days=days))
    if allowed:
        assert proposals.proposal_create(actor=user, data=data(areas)).proposer == user
    else:
        with pytest.raises(DomainError) as exc:
            proposals.proposal_create(actor=user, data=data(areas))
        assert exc.value.code == "age_outside"
        assert Proposal.objects.count() == 0


def test_an_account_without_its_person_cannot_propose(cast, areas):
    with pytest.raises(DomainError) as exc:
        proposals.proposal_create(actor=cast["resident"], data=data(areas))
    assert exc.value.code == "no_birth_date"


def test_staff_cannot_propose(cast, areas):
    with pytest.raises(PermissionDeniedError):
        proposals.proposal_create(actor=cast["admin"], data=data(areas))


def test_it_names_every_bad_field(resident_in, areas):
    user = resident_in(age=20)
    with pytest.raises(ValidationFailed) as exc:
        proposals.proposal_create(actor=user, data=data(areas, title="", budget_estimate=-5, target_group="x",
                                                         rw=None))
    assert set(exc.value.errors) == {"title", "budget_estimate", "target_group", "rw"}
    assert Proposal.objects.count() == 0


@pytest.fixture
def proposal(resident_in, areas):
    return proposals.proposal_create(actor=resident_in(age=22, name="Rizky Pratama"), data=data(areas))


def test_one_vote_per_resident(people, proposal):
    proposals.proposal_support(actor=people["resident"], proposal=proposal)
    with pytest.raises(DomainError) as exc:
        proposals.proposal_support(actor=people["resident"], proposal=proposal)
    assert exc.value.code == "already_supported"
    proposals.proposal_support(actor=people["resident_other"], proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.support_count, ProposalVote.objects.count()) == (2, 2)


def test_two_accounts_of_one_person_vote_once(people, proposal):
    from bansos.accounts.models import User

    twin = User.objects.create_user(username="kembar", password="x-uji-123456", role="resident",
                                    household=people["resident"].household, resident=people["resident"].resident)
    proposals.proposal_support(actor=people["resident"], proposal=proposal)
    with pytest.raises(DomainError) as exc:
        proposals.proposal_support(actor=twin, proposal=proposal)
    assert exc.value.code == "already_supported"


def test_the_database_refuses_a_second_vote(people, proposal):
    from django.db import IntegrityError, transaction

    ProposalVote.objects.create(proposal=proposal, voter=people["resident"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalVote.objects.create(proposal=proposal, voter=people["resident"])


def test_a_proposer_cannot_support_its_own_proposal(proposal):
    with pytest.raises(DomainError) as exc:
        proposals.proposal_support(actor=proposal.proposer, proposal=proposal)
    assert exc.value.code == "self_vote"


def test_staff_cannot_vote(cast, proposal):
    with pytest.raises(PermissionDeniedError):
        proposals.proposal_support(actor=cast["admin"], proposal=proposal)


def test_review_is_the_admins_and_answers_are_public(cast, people, proposal, client_for):
    from bansos.notifications.models import Message

    for who in ("officer", "surveyor", "evaluator", "resident"):
        with pytest.raises(PermissionDeniedError):
            proposals.proposal_answer(actor=cast[who], proposal=proposal, answer="Jawaban uji yang panjang.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == ("submitted", "")
    proposals.proposal_answer(actor=cast["admin"], proposal=proposal, answer="Kelurahan mencari tempat kelas.")
    proposals.proposal_support(actor=people["resident"], proposal=proposal)  # still open for support
    page = client_for(None).get(f"/partisipasi/usulan-pemuda/{proposal.pk}/").content.decode()
    assert "Kelurahan mencari tempat kelas." in page
    assert Message.objects.filter(topic="community.proposal", user=proposal.proposer).count() == 1


def test_an_approved_proposal_becomes_a_program_draft(cast, proposal):
    from bansos.accounts.models import Agency

    group = Agency.objects.create(name="Karang Taruna Uji", kind="community")
    start = timezone.localdate() + dt.timedelta(days=30)
    p = proposals.proposal_approve(actor=cast["admin"], proposal=proposal, answer="Disetujui, mulai bulan depan.",
                                   agency=group, start_date=start, end_date=start + dt.timedelta(days=90))
    program = p.program
    assert (p.status, program.kind, program.status, program.agency, program.name) == (
        "approved", "community", "draft", group, proposal.title)
    assert program.proposal == p
    with pytest.raises(DomainError):
        proposals.proposal_support(actor=cast["resident"], proposal=p)


def test_it_refuses_a_business_as_the_program_agency(cast, agencies, proposal):
    from bansos.accounts.models import Agency

    shop = Agency.objects.create(name="PT Uji", kind="business")
    start = timezone.localdate()
    with pytest.raises(ValidationFailed) as exc:
        proposals.proposal_approve(actor=cast["admin"], proposal=proposal, answer="Disetujui dengan mitra.",
                                   agency=shop, start_date=start, end_date=start)
    assert "agency" in exc.value.errors
    proposal.refresh_from_db()
    assert (proposal.status, proposal.program) == ("submitted", None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_of_one_resident_count_once(people, proposal):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes the whole database)")
    voter = people["resident"]
    barrier = threading.Barrier(4)
    results = []

    def vote():
        from django.db import connection as conn

        try:
            barrier.wait()
            proposals.proposal_support(actor=voter, proposal=proposal)
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=vote) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    proposal.refresh_from_db()
    assert sorted(results) == ["already_supported"] * 3 + ["ok"]
    assert (proposal.support_count, ProposalVote.objects.filter(proposal=proposal).count()) == (1, 1)
