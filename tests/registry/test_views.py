"""Registry pages: list and search, the household page, and the forms that change a family."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bansos.core.formats import mask_nik
from bansos.core.models import AuditEvent
from bansos.registry.models import Household, Resident
from bansos.registry.services import MSG_REASON_REQUIRED
from tests.factories import kk_number, make_household, nik_for

pytestmark = pytest.mark.django_db

LIST = reverse("registry:household_list")


def _detail(household):
    return reverse("registry:household_detail", args=[household.pk])


def _kks(response):
    return sorted(h.kk_number for h in response.context["rows"])


def _head(household):
    return household.residents.get(relation="head")


# --- List and search ------------------------------------------------------------------------------


def test_it_lists_households_in_the_admins_whole_kelurahan(cast, client_for):
    response = client_for(cast["admin"]).get(LIST)
    assert response.status_code == 200
    assert _kks(response) == sorted(h.kk_number for h in cast["households"].values())
    assert response.context["can_create"] is True
    assert response.context["can_export"] is True
    assert b"Tambah keluarga" in response.content


def test_it_searches_by_full_nik(cast, client_for):
    target = cast["households"]["rw2"]
    response = client_for(cast["admin"]).get(LIST, {"q": _head(target).nik})
    assert _kks(response) == [target.kk_number]


def test_it_searches_by_kk_number_typed_with_spaces(cast, client_for):
    target = cast["households"]["rw1_rt2"]
    spaced = " ".join(target.kk_number[i:i + 4] for i in range(0, 16, 4))
    response = client_for(cast["admin"]).get(LIST, {"q": spaced})
    assert _kks(response) == [target.kk_number]


def test_it_searches_by_name_prefix_of_any_member(cast, client_for):
    response = client_for(cast["admin"]).get(LIST, {"q": "sri wah"})
    assert _kks(response) == [cast["households"]["rw1_rt2"].kk_number]


def test_it_searches_by_rt_slash_rw(cast, client_for):
    response = client_for(cast["admin"]).get(LIST, {"q": "2/1"})
    assert _kks(response) == [cast["households"]["rw1_rt2"].kk_number]


def test_it_filters_by_rw_and_female_head(cast, client_for):
    client = client_for(cast["admin"])
    assert _kks(client.get(LIST, {"rw": "2"})) == [cast["households"]["rw2"].kk_number]
    assert _kks(client.get(LIST, {"female_head": "on"})) == [cast["households"]["rw1_rt2"].kk_number]


def test_it_shows_an_empty_state_when_nothing_matches(cast, client_for):
    response = client_for(cast["admin"]).get(LIST, {"q": "zzzz"})
    assert response.status_code == 200
    assert list(response.context["rows"]) == []
    assert "Tidak ada keluarga yang cocok." in response.content.decode()


def test_it_passes_the_current_filters_to_the_export_link(cast, client_for):
    response = client_for(cast["admin"]).get(LIST, {"q": "budi", "rw": "1"})
    assert f'{reverse("registry:export")}?q=budi&amp;rw=1&amp;status=active' in response.content.decode()


def test_it_hides_create_and_export_from_a_surveyor_without_export(cast, client_for):
    response = client_for(cast["surveyor"]).get(LIST)
    assert response.context["can_create"] is True
    assert response.context["can_export"] is False
    assert reverse("registry:export") not in response.content.decode()


def test_it_shows_a_surveyor_only_households_of_own_rw(cast, client_for):
    response = client_for(cast["surveyor_other"]).get(LIST)
    assert _kks(response) == [cast["households"]["rw2"].kk_number]
    # Asking for the other RW by filter does not widen the scope.
    assert _kks(client_for(cast["surveyor_other"]).get(LIST, {"rw": "1"})) == []


def test_it_shows_a_resident_only_the_own_household(cast, client_for):
    response = client_for(cast["resident"]).get(LIST)
    assert _kks(response) == [cast["households"]["rw1"].kk_number]
    assert response.context["can_create"] is False


def test_it_refuses_the_list_to_an_evaluator(cast, client_for):
    assert client_for(cast["evaluator"]).get(LIST).status_code == 403


def test_it_shows_an_officer_no_household_until_programs_enroll_them(cast, client_for):
    response = client_for(cast["officer"]).get(LIST)
    assert response.status_code == 200
    assert _kks(response) == []


def test_it_sends_anonymous_visitors_to_sign_in(cast, client_for):
    response = client_for(None).get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_renders_only_the_results_for_htmx(cast, client_for):
    response = client_for(cast["admin"]).get(LIST, {"q": "joko"}, HTTP_HX_REQUEST="true")
    assert [t.name for t in response.templates][0] == "registry/_household_results.html"
    assert "<html" not in response.content.decode()


def test_it_paginates_the_list_without_per_row_queries(cast, client_for, django_assert_max_num_queries):
    for i in range(27):
        make_household(actor=cast["admin"], rt=cast["households"]["rw1"].rt, head_name=f"Warga {chr(65 + i % 26)}{chr(65 + i // 26)}")
    client = client_for(cast["admin"])
    client.get(LIST)  # warm the session
    # session, user, kelurahan (footer), count, page rows, heads prefetch, RW and RT choices
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 25
    assert response.context["page"].paginator.count == 30
    assert len(client.get(LIST, {"page": "2"}).context["rows"]) == 5


# --- Household page -------------------------------------------------------------------------


def test_it_shows_the_household_page_with_members_and_history(cast, client_for):
    household = cast["households"]["rw1"]
    response = client_for(cast["admin"]).get(_detail(household))
    assert response.status_code == 200
    text = response.content.decode()
    assert household.kk_number in text
    assert "BUDI SANTOSO" in text and "DEWI ANGGRAINI" in text
    assert "Balita" in text  # Dewi, born 2023, is an under-five
    assert "Rp 2.500.000" in text
    actions = [e["code"] for e in response.context["history"]]
    assert actions.count("resident.create") == 4
    assert actions[-1] == "household.create" or "household.create" in actions


def test_it_shows_the_full_nik_to_admin_and_surveyor(cast, client_for):
    household = cast["households"]["rw1"]
    nik = _head(household).nik
    for who in ("admin", "surveyor"):
        assert nik in client_for(cast[who]).get(_detail(household)).content.decode(), who


def test_it_masks_the_nik_for_cadre_and_resident(cast, client_for):
    household = cast["households"]["rw1"]
    nik = _head(household).nik
    for who in ("cadre", "resident"):
        text = client_for(cast[who]).get(_detail(household)).content.decode()
        assert nik not in text, who
        assert mask_nik(nik) in text, who


def test_it_gives_404_outside_the_scope(cast, client_for):
    rw1 = cast["households"]["rw1"]
    for who in ("surveyor_other", "cadre_other", "resident_other", "officer", "evaluator"):
        assert client_for(cast[who]).get(_detail(rw1)).status_code == 404, who
    assert client_for(cast["admin"]).get(reverse("registry:household_detail", args=[999999])).status_code == 404


def test_it_shows_change_actions_only_to_who_may_change(cast, client_for):
    household = cast["households"]["rw1"]
    edit = reverse("registry:resident_edit", args=[_head(household).pk])
    assert edit in client_for(cast["surveyor"]).get(_detail(household)).content.decode()
    for who in ("cadre", "resident"):
        assert edit not in client_for(cast[who]).get(_detail(household)).content.decode(), who


def test_it_builds_the_household_page_in_few_queries(cast, client_for, django_assert_max_num_queries):
    household = cast["households"]["rw1"]
    for who in ("admin", "surveyor"):
        client = client_for(cast[who])
        client.get(_detail(household))
        # session, user, kelurahan (footer), surveyor's RW (header), household, members, history;
        # then at most two queries for each section another app adds to the page.
        from bansos.registry.panels import _PANELS

        with django_assert_max_num_queries(7 + 2 * len(_PANELS)):
            assert client.get(_detail(household)).status_code == 200


# --- Correcting a resident ------------------------------------------------------------------------


def _resident_post(resident, **changes):
    data = {
        "nik": resident.nik, "full_name": resident.full_name, "sex": resident.sex,
        "birth_place": resident.birth_place, "birth_date": resident.birth_date.isoformat(),
        "relation": resident.relation, "marital_status": resident.marital_status,
        "education": resident.education, "school_enrolment": resident.school_enrolment,
        "occupation": resident.occupation, "employment_status": resident.employment_status,
        "monthly_income": "" if resident.monthly_income is None else str(resident.monthly_income),
        "disability": resident.disability, "chronic_illness": resident.chronic_illness,
        "reason": "",
    }
    data.update(changes)
    return data


def test_it_corrects_a_resident_and_shows_it_in_the_history(cast, client_for):
    household = cast["households"]["rw1"]
    head = _head(household)
    client = client_for(cast["surveyor"])
    url = reverse("registry:resident_edit", args=[head.pk])
    response = client.post(url, _resident_post(head, occupation="Pedagang sayur", monthly_income="1.750.000",
                                               reason="Salah ketik saat pendataan"))
    assert response.status_code == 302
    assert response["Location"] == _detail(household)
    head.refresh_from_db()
    assert (head.occupation, head.monthly_income) == ("Pedagang sayur", 1_750_000)
    event = AuditEvent.objects.get(action="resident.update")
    assert (event.actor_id, event.reason) == (cast["surveyor"].pk, "Salah ketik saat pendataan")
    assert event.changes == {"occupation": ["Pedagang", "Pedagang sayur"], "monthly_income": [None, 1750000]}

    page = client.get(_detail(household))
    entry = page.context["history"][0]
    assert entry["action"] == "Data warga diperbaiki"
    assert entry["actor"] == "surveyor"
    assert entry["reason"] == "Salah ketik saat pendataan"
    assert entry["subject"] == "BUDI SANTOSO"
    assert {"label": "pekerjaan", "old": "Pedagang", "new": "Pedagang sayur"} in entry["changes"]
    assert {"label": "penghasilan per bulan (Rp)", "old": "–", "new": "Rp 1.750.000"} in entry["changes"]
    text = page.content.decode()
    assert "Salah ketik saat pendataan" in text and "oleh surveyor" in text


def test_it_shows_choice_labels_and_masks_nik_changes_in_history(cast, client_for):
    household = cast["households"]["rw1"]
    spouse = household.residents.get(relation="spouse")
    new_nik = nik_for(spouse.birth_date, "P")
    client_for(cast["admin"]).post(
        reverse("registry:resident_edit", args=[spouse.pk]),
        _resident_post(spouse, nik=new_nik, education="sma", reason="Sesuai KTP elektronik"),
    )
    for who, expected in (("admin", new_nik), ("cadre", mask_nik(new_nik))):
        entry = client_for(cast[who]).get(_detail(household)).context["history"][0]
        assert {"label": "NIK", "old": entry["changes"][0]["old"], "new": expected} == entry["changes"][0], who
        assert {"label": "pendidikan terakhir", "old": "–", "new": "SMA/SMK/sederajat"} in entry["changes"]


def test_it_refuses_a_correction_without_reason_and_changes_nothing(cast, client_for):
    head = _head(cast["households"]["rw1"])
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(
        reverse("registry:resident_edit", args=[head.pk]), _resident_post(head, occupation="Sopir", reason="  ")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [str(MSG_REASON_REQUIRED)]
    head.refresh_from_db()
    assert head.occupation == "Pedagang"
    assert AuditEvent.objects.count() == events


def test_it_shows_a_service_error_next_to_the_field(cast, client_for):
    head = _head(cast["households"]["rw1"])
    other_nik = _head(cast["households"]["rw2"]).nik
    response = client_for(cast["admin"]).post(
        reverse("registry:resident_edit", args=[head.pk]),
        _resident_post(head, full_name="Budi 2", birth_date="1978-08-18", reason="koreksi"),
    )
    errors = response.context["form"].errors
    assert "full_name" in errors and "nik" in errors
    head.refresh_from_db()
    assert head.full_name == "BUDI SANTOSO"
    assert other_nik != head.nik


@pytest.mark.parametrize("who, status", [("surveyor_other", 404), ("resident_other", 404), ("cadre", 403),
                                         ("resident", 403), ("officer", 404), ("evaluator", 404)])
def test_it_refuses_edits_from_outside_and_changes_nothing(cast, client_for, who, status):
    head = _head(cast["households"]["rw1"])
    events = AuditEvent.objects.count()
    url = reverse("registry:resident_edit", args=[head.pk])
    client = client_for(cast[who])
    assert client.get(url).status_code == status
    response = client.post(url, _resident_post(head, occupation="Sopir", reason="coba"))
    assert response.status_code == status
    head.refresh_from_db()
    assert head.occupation == "Pedagang"
    assert AuditEvent.objects.count() == events


# --- Household forms ------------------------------------------------------------------------------


def _household_post(rt, members, **extra):
    data = {
        "kk_number": kk_number(), "rt": str(rt.pk), "address": "Jl. Kelapa Dua No. 3", "phone": "0812 3456 7890",
        "legal_basis": "consent", "consent_date": "2025-01-10", "monthly_income": "Rp 1.200.000",
        "members-TOTAL_FORMS": str(len(members)), "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1", "members-MAX_NUM_FORMS": "30",
    }
    for i, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{i}-{key}"] = value
    data.update(extra)
    return data


def _member(name, sex, birth, relation):
    return {"nik": nik_for(birth, sex), "full_name": name, "sex": sex, "birth_date": birth.isoformat(),
            "relation": relation, "marital_status": "single", "disability": "none"}


def test_it_creates_a_household_with_members(cast, client_for):
    rt = cast["households"]["rw1"].rt
    members = [_member("Ani Rahma", "P", dt.date(1990, 4, 5), "head"),
               _member("Bagus Rahma", "L", dt.date(2015, 6, 7), "child"),
               {"marital_status": "single", "disability": "none"}]  # an untouched extra row
    data = _household_post(rt, members)
    response = client_for(cast["surveyor"]).post(reverse("registry:household_create"), data)
    assert response.status_code == 302
    household = Household.objects.get(kk_number=data["kk_number"])
    assert response["Location"] == _detail(household)
    assert (household.phone, household.monthly_income, household.rt_id) == ("081234567890", 1_200_000, rt.pk)
    assert sorted(household.residents.values_list("full_name", "relation")) == [
        ("ANI RAHMA", "head"), ("BAGUS RAHMA", "child")]


def test_it_puts_member_errors_on_the_member_row(cast, client_for):
    rt = cast["households"]["rw1"].rt
    bad = _member("Joko Susilo", "L", dt.date(1978, 8, 17), "other_family")
    bad["nik"] = _head(cast["households"]["rw2"]).nik  # already registered
    data = _household_post(rt, [_member("Ani Rahma", "P", dt.date(1990, 4, 5), "head"), bad])
    before = Household.objects.count(), AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(reverse("registry:household_create"), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["nik"] == ["NIK ini sudah terdaftar pada warga aktif lain."]
    assert (Household.objects.count(), AuditEvent.objects.count()) == before


def test_it_refuses_a_household_without_head(cast, client_for):
    rt = cast["households"]["rw1"].rt
    data = _household_post(rt, [_member("Ani Rahma", "P", dt.date(1990, 4, 5), "spouse")])
    before = Household.objects.count()
    response = client_for(cast["admin"]).post(reverse("registry:household_create"), data)
    assert response.context["form"].non_field_errors() == ["Satu keluarga harus memiliki tepat satu kepala keluarga."]
    assert Household.objects.count() == before


def test_it_adds_a_member_row_without_saving(cast, client_for):
    rt = cast["households"]["rw1"].rt
    data = _household_post(rt, [_member("Ani Rahma", "P", dt.date(1990, 4, 5), "head")], add_member="1")
    before = Household.objects.count()
    response = client_for(cast["admin"]).post(reverse("registry:household_create"), data)
    assert len(response.context["formset"].forms) == 2
    assert response.context["formset"].forms[0]["full_name"].value() == "Ani Rahma"
    assert Household.objects.count() == before


def test_it_limits_rt_choices_to_the_surveyors_rw(cast, client_for, areas):
    form = client_for(cast["surveyor_other"]).get(reverse("registry:household_create")).context["form"]
    assert list(form.fields["rt"].queryset) == [areas["rt3"]]
    data = _household_post(areas["rt1"], [_member("Ani Rahma", "P", dt.date(1990, 4, 5), "head")])
    before = Household.objects.count(), AuditEvent.objects.count()
    response = client_for(cast["surveyor_other"]).post(reverse("registry:household_create"), data)
    assert "rt" in response.context["form"].errors
    assert (Household.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("who", ["cadre", "resident", "officer", "evaluator"])
def test_it_refuses_household_creation_to_roles_without_it(cast, client_for, areas, who):
    data = _household_post(areas["rt1"], [_member("Ani Rahma", "P", dt.date(1990, 4, 5), "head")])
    before = Household.objects.count(), AuditEvent.objects.count()
    assert client_for(cast[who]).post(reverse("registry:household_create"), data).status_code == 403
    assert (Household.objects.count(), AuditEvent.objects.count()) == before


def _edit_household_post(household, **changes):
    data = {"kk_number": household.kk_number, "rt": str(household.rt_id), "address": household.address,
            "phone": household.phone, "legal_basis": household.legal_basis,
            "monthly_income": str(household.monthly_income or ""), "reason": ""}
    data.update(changes)
    return data


def test_it_edits_a_household_with_reason(cast, client_for):
    household = cast["households"]["rw1"]
    response = client_for(cast["admin"]).post(
        reverse("registry:household_edit", args=[household.pk]),
        _edit_household_post(household, address="Jl. Duri Raya No. 14", floor_material="ceramic",
                             reason="Nomor rumah berubah"),
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.address, household.floor_material) == ("Jl. Duri Raya No. 14", "ceramic")
    entry = client_for(cast["admin"]).get(_detail(household)).context["history"][0]
    assert entry["action"] == "Data keluarga diubah"
    assert {"label": "jenis lantai", "old": "–", "new": "Keramik/granit/marmer"} in entry["changes"]


def test_it_refuses_a_household_edit_without_reason(cast, client_for):
    household = cast["households"]["rw1"]
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(reverse("registry:household_edit", args=[household.pk]),
                                              _edit_household_post(household, address="Jl. Lain 1"))
    assert response.context["form"].errors["reason"] == [str(MSG_REASON_REQUIRED)]
    household.refresh_from_db()
    assert household.address == "Jl. Duri Raya No. 12"
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_household_edit_from_another_rw(cast, client_for):
    household = cast["households"]["rw1"]
    events = AuditEvent.objects.count()
    response = client_for(cast["surveyor_other"]).post(
        reverse("registry:household_edit", args=[household.pk]),
        _edit_household_post(household, address="Jl. Lain 1", reason="coba"))
    assert response.status_code == 404
    household.refresh_from_db()
    assert household.address == "Jl. Duri Raya No. 12"
    assert AuditEvent.objects.count() == events


def test_it_adds_a_member(cast, client_for):
    household = cast["households"]["rw2"]
    data = _member("Putri Susilo", "P", dt.date(2024, 12, 1), "child")
    data["reason"] = "Kelahiran"
    response = client_for(cast["surveyor_other"]).post(reverse("registry:resident_add", args=[household.pk]), data)
    assert response.status_code == 302
    resident = household.residents.get(full_name="PUTRI SUSILO")
    event = AuditEvent.objects.get(action="resident.create", object_id=str(resident.pk))
    assert (event.reason, event.actor_id) == ("Kelahiran", cast["surveyor_other"].pk)


def test_it_moves_a_resident_to_another_household_by_kk(cast, client_for):
    source, target = cast["households"]["rw1"], cast["households"]["rw1_rt2"]
    child = source.residents.get(full_name="ANDI PRATAMA")
    response = client_for(cast["surveyor"]).post(
        reverse("registry:resident_move", args=[child.pk]),
        {"kk_number": target.kk_number, "relation": "other_family", "reason": "Ikut tante"},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.household_id, child.relation) == (target.pk, "other_family")
    entry = client_for(cast["surveyor"]).get(_detail(source)).context["history"][0]
    assert entry["action"] == "Warga pindah ke keluarga lain"
    assert {"label": "keluarga", "old": f"KK {source.kk_number}", "new": f"KK {target.kk_number}"} in entry["changes"]


def test_it_refuses_a_move_to_a_household_outside_the_scope(cast, client_for):
    source, target = cast["households"]["rw1"], cast["households"]["rw2"]
    child = source.residents.get(full_name="ANDI PRATAMA")
    events = AuditEvent.objects.count()
    response = client_for(cast["surveyor"]).post(
        reverse("registry:resident_move", args=[child.pk]),
        {"kk_number": target.kk_number, "relation": "child", "reason": "coba"},
    )
    assert response.context["form"].errors["kk_number"] == [
        "Tidak ada keluarga aktif dengan nomor KK ini di wilayah Anda."]
    child.refresh_from_db()
    assert child.household_id == source.pk
    assert AuditEvent.objects.count() == events


def test_it_records_a_resident_death(cast, client_for):
    household = cast["households"]["rw1"]
    spouse = household.residents.get(relation="spouse")
    response = client_for(cast["admin"]).post(reverse("registry:resident_status", args=[spouse.pk]),
                                              {"status": "deceased", "reason": "Akta kematian 2025"})
    assert response.status_code == 302
    spouse.refresh_from_db()
    assert spouse.status == "deceased"


def test_it_shows_a_domain_error_when_the_head_leaves_members_behind(cast, client_for):
    head = _head(cast["households"]["rw1"])
    events = AuditEvent.objects.count()
    response = client_for(cast["admin"]).post(reverse("registry:resident_status", args=[head.pk]),
                                              {"status": "moved_out", "reason": "Pindah"})
    assert response.context["form"].errors["status"] == [
        "Kepala keluarga masih memiliki anggota aktif; tunjuk kepala keluarga baru terlebih dahulu."]
    head.refresh_from_db()
    assert head.status == "active"
    assert AuditEvent.objects.count() == events


def test_it_changes_the_head(cast, client_for):
    household = cast["households"]["rw1"]
    old_head, spouse = _head(household), household.residents.get(relation="spouse")
    response = client_for(cast["admin"]).post(
        reverse("registry:household_change_head", args=[household.pk]),
        {"new_head": str(spouse.pk), "old_head_relation": "spouse", "reason": "Suami bekerja di luar kota"},
    )
    assert response.status_code == 302
    assert dict(Resident.objects.filter(pk__in=[old_head.pk, spouse.pk]).values_list("pk", "relation")) == {
        old_head.pk: "spouse", spouse.pk: "head"}


def test_it_marks_a_household_moved(cast, client_for):
    household = cast["households"]["rw2"]
    form = client_for(cast["admin"]).get(reverse("registry:household_status", args=[household.pk])).context["form"]
    assert [c[0] for c in form.fields["status"].choices] == ["moved", "dissolved"]
    response = client_for(cast["admin"]).post(reverse("registry:household_status", args=[household.pk]),
                                              {"status": "moved", "reason": "Pindah ke Bekasi"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == "moved"
    assert set(household.residents.values_list("status", flat=True)) == {"moved_out"}


def test_it_refuses_a_status_change_from_a_cadre(cast, client_for):
    household = cast["households"]["rw1"]
    events = AuditEvent.objects.count()
    response = client_for(cast["cadre"]).post(reverse("registry:household_status", args=[household.pk]),
                                              {"status": "moved", "reason": "coba"})
    assert response.status_code == 403
    household.refresh_from_db()
    assert household.status == "active"
    assert AuditEvent.objects.count() == events


def test_a_search_matching_more_than_the_cap_says_so_and_shows_the_first_ones(cast, client_for, monkeypatch):
    from bansos.registry import selectors

    monkeypatch.setattr(selectors, "SEARCH_CAP", 2)
    response = client_for(cast["admin"]).get(LIST, {"q": "3173"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    assert "Lebih dari 2 keluarga cocok" in response.content.decode()
    response = client_for(cast["admin"]).get(LIST, {"q": "sri wah"})
    assert "1 keluarga ditemukan" in response.content.decode()
