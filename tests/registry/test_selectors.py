"""Registry reads: search, scope, list decoration and the look-ups the pages use."""

from __future__ import annotations

import pytest

from bansos.core.errors import NotFoundError, PermissionDeniedError
from bansos.registry import selectors, selectors_dsr
from bansos.registry.models import Household
from bansos.registry.selectors import HouseholdFilters
from bansos.registry.services import dsr_create, household_set_status

pytestmark = pytest.mark.django_db


def _kks(qs):
    return sorted(h.kk_number for h in qs)


def test_it_finds_a_household_by_nik_prefix_and_kk_prefix(cast):
    admin, target = cast["admin"], cast["households"]["rw2"]
    nik = target.residents.get(relation="head").nik
    assert target.pk in [h.pk for h in selectors.household_search(user=admin, filters=HouseholdFilters(q=nik[:10]))]
    assert _kks(selectors.household_search(user=admin, filters=HouseholdFilters(q=target.kk_number))) == [
        target.kk_number]


def test_it_keeps_the_search_inside_the_users_scope(cast):
    nik = cast["households"]["rw1"].residents.get(relation="head").nik
    assert list(selectors.household_search(user=cast["surveyor_other"], filters=HouseholdFilters(q=nik))) == []
    assert list(selectors.household_search(user=cast["evaluator"], filters=HouseholdFilters())) == []


def test_it_decorates_a_page_with_head_and_member_count(cast, django_assert_num_queries):
    qs = selectors.household_search(user=cast["admin"], filters=HouseholdFilters())
    with django_assert_num_queries(2):
        rows = {h.kk_number: (h.heads[0].full_name, h.member_count, h.rt.rw.number)
                for h in selectors.household_list_page(qs)}
    households = cast["households"]
    assert rows == {
        households["rw1"].kk_number: ("BUDI SANTOSO", 4, 1),
        households["rw1_rt2"].kk_number: ("SRI WAHYUNI", 2, 1),
        households["rw2"].kk_number: ("JOKO SUSILO", 4, 2),
    }


def test_it_finds_an_active_household_by_kk_in_scope_only(cast):
    target = cast["households"]["rw2"]
    assert selectors.household_get_by_kk(user=cast["surveyor_other"], kk_number=target.kk_number).pk == target.pk
    with pytest.raises(NotFoundError):
        selectors.household_get_by_kk(user=cast["surveyor"], kk_number=target.kk_number)
    household_set_status(actor=cast["admin"], household=target, status="moved", reason="pindah")
    with pytest.raises(NotFoundError):
        selectors.household_get_by_kk(user=cast["admin"], kk_number=target.kk_number)


def test_it_returns_kk_numbers_only_of_visible_households(cast):
    households = cast["households"]
    ids = [households["rw1"].pk, households["rw2"].pk]
    assert selectors.household_kk_numbers(user=cast["surveyor"], ids=ids) == {
        households["rw1"].pk: households["rw1"].kk_number}
    assert selectors.household_kk_numbers(user=cast["admin"], ids=ids) == {
        h.pk: h.kk_number for h in (households["rw1"], households["rw2"])}


def test_it_lists_requests_for_admins_and_refuses_others(cast):
    dsr = dsr_create(actor=cast["admin"], household=cast["households"]["rw1"], kind="access",
                     requester_name="Budi", description="Salinan")
    assert [r.pk for r in selectors_dsr.dsr_list(user=cast["admin"])] == [dsr.pk]
    assert selectors_dsr.dsr_get(user=cast["admin"], pk=dsr.pk).pk == dsr.pk
    with pytest.raises(PermissionDeniedError):
        selectors_dsr.dsr_list(user=cast["surveyor"])
    with pytest.raises(NotFoundError):
        selectors_dsr.dsr_get(user=cast["surveyor"], pk=dsr.pk)
    with pytest.raises(NotFoundError):
        selectors_dsr.dsr_get(user=cast["admin"], pk=dsr.pk + 1000)


def test_it_finds_people_who_moved_out_by_nik_and_nik_prefix(cast):
    from bansos.registry.services import resident_set_status

    admin, target = cast["admin"], cast["households"]["rw2"]
    child = target.residents.filter(relation="child").first()
    resident_set_status(actor=admin, resident=child, status="moved_out", reason="pindah ke Bekasi")
    for q in (child.nik, child.nik[:12]):
        found = selectors.household_search(user=admin, filters=HouseholdFilters(q=q, status=""))
        assert target.pk in [h.pk for h in found]


def test_a_bounded_search_counts_and_sorts_every_match_below_the_cap(cast):
    result = selectors.household_search_bounded(user=cast["admin"], filters=HouseholdFilters(q="3173"), cap=3)
    assert result.capped is False
    by_kk = sorted(cast["households"].values(), key=lambda h: h.kk_number)
    assert result.ids == [h.pk for h in by_kk]


def test_a_bounded_search_says_when_it_cut_a_common_search_to_its_first_matches(cast):
    result = selectors.household_search_bounded(user=cast["admin"], filters=HouseholdFilters(q="3173"), cap=2)
    assert (result.capped, result.cap, len(result.ids)) == (True, 2, 2)
    assert set(result.ids) < {h.pk for h in cast["households"].values()}
    kks = dict(Household.objects.values_list("pk", "kk_number"))
    assert [kks[pk] for pk in result.ids] == sorted(kks[pk] for pk in result.ids)


def test_a_bounded_search_stays_inside_the_scope_and_leaves_the_plain_list_whole(cast):
    households = cast["households"]
    in_scope = {households["rw1"].pk, households["rw1_rt2"].pk}
    result = selectors.household_search_bounded(user=cast["surveyor"], filters=HouseholdFilters(q="3173"), cap=1)
    assert (result.capped, len(result.ids)) == (True, 1)
    assert set(result.ids) < in_scope
    plain = selectors.household_search_bounded(user=cast["admin"], filters=HouseholdFilters(), cap=1)
    assert (plain.ids, plain.capped, plain.households.count()) == (None, False, 3)
