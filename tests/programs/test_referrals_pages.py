"""Referral inbox and referral page: who sees which referral, and answering one (accept, decline, enroll)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from bansos.core.models import AuditEvent
from bansos.programs.models import Channel, Enrollment, Referral, ReferralStatus
from bansos.programs.services import enrollment as svc
from bansos.programs.services.referrals import referral_accept, referral_decline, referral_send

CASH = "Bantuan Tunai Dinsos Uji"
TRAINING = "Pelatihan Menjahit Yayasan Uji"
SAVINGS = "Kelompok Tabungan Yayasan Uji"


def _snapshot():
    return (list(Referral.objects.order_by("pk").values()), list(Enrollment.objects.order_by("pk").values()),
            AuditEvent.objects.count())


@pytest.fixture
def setup(cast, make_program):
    """Dinsos cash (household rw1 enrolled) refers rw1 to a Yayasan training (person program)."""
    admin = cast["admin"]
    household = cast["households"]["rw1"]
    cash = make_program("dinsos", budget=9_000_000, name=CASH)
    training = make_program("lsm", name=TRAINING, kind="training", participant="resident", benefit_kind="course",
                            benefit_amount=0)
    svc.enrollment_apply(actor=admin, program=cash, household=household)
    member = household.residents.get(relation="spouse")
    referral = referral_send(actor=cast["officer"], household=household, from_program=cash, to_program=training,
                             resident=member, note="Ibu rumah tangga ingin menjahit")
    return {"household": household, "cash": cash, "training": training, "member": member, "referral": referral}


def _list(client_for, user, **params):
    return client_for(user).get(reverse("programs:referral_list"), params)


def _detail(referral):
    return reverse("programs:referral_detail", args=[referral.pk])


# --- Inbox ----------------------------------------------------------------------------------------------


def test_it_shows_the_receiving_officer_the_referral_as_incoming(cast, setup, client_for):
    response = _list(client_for, cast["officer_other"])
    html = response.content.decode()
    assert response.status_code == 200
    assert CASH in html and TRAINING in html and setup["household"].kk_number in html
    assert "1 menunggu" in html
    assert list(response.context["page"].object_list) == [setup["referral"]]


def test_it_shows_the_sending_officer_the_referral_as_outgoing_only(cast, setup, client_for):
    assert list(_list(client_for, cast["officer"]).context["page"].object_list) == []
    response = _list(client_for, cast["officer"], arah="keluar")
    assert list(response.context["page"].object_list) == [setup["referral"]]


def test_it_shows_the_admin_every_referral(cast, setup, make_program, client_for):
    other = make_program("lsm", name=SAVINGS, kind="community", participant="household", benefit_kind="service",
                         benefit_amount=0)
    second = referral_send(actor=cast["admin"], household=cast["households"]["rw2"], to_program=other)
    page = _list(client_for, cast["admin"]).context["page"]
    assert list(page.object_list) == [second, setup["referral"]]


def test_it_filters_the_inbox_by_status(cast, setup, make_program, client_for):
    other = make_program("lsm", name=SAVINGS, kind="community", participant="household", benefit_kind="service",
                         benefit_amount=0)
    declined = referral_send(actor=cast["admin"], household=cast["households"]["rw2"], to_program=other)
    referral_decline(actor=cast["officer_other"], referral=declined, response="Kuota penuh")
    sent = _list(client_for, cast["officer_other"], status="sent").context["page"]
    assert list(sent.object_list) == [setup["referral"]]
    gone = _list(client_for, cast["officer_other"], status="declined").context["page"]
    assert list(gone.object_list) == [declined]
    # An unknown status is ignored rather than failing.
    assert _list(client_for, cast["officer_other"], status="nonsense").status_code == 200


def test_it_keeps_an_uninvolved_agencys_referrals_out_of_the_inbox(cast, setup, make_program, client_for):
    from bansos.accounts.models import Agency, User

    third = Agency.objects.create(name="Karang Taruna Duri Kepa", kind="community")
    officer = User.objects.create_user(username="officer_third", password="x" * 12, role="officer", agency=third)
    for arah in ("masuk", "keluar", "semua"):
        response = _list(client_for, officer, arah=arah)
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == []
        assert TRAINING not in response.content.decode()


@pytest.mark.parametrize("name", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_the_inbox_to_roles_without_referrals(cast, setup, client_for, name):
    assert _list(client_for, cast[name]).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(setup, client_for):
    response = _list(client_for, None)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_it_shows_the_nav_link_to_referral_staff_only(cast, setup, client_for):
    home = reverse("registry:household_detail", args=[setup["household"].pk])
    assert 'href="/program/rujukan/"' in client_for(cast["officer"]).get(home).content.decode()
    assert 'href="/program/rujukan/"' not in client_for(cast["surveyor"]).get(home).content.decode()


# --- One referral -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "officer", "officer_other"])
def test_it_shows_the_referral_to_both_agencies_and_the_admin(cast, setup, client_for, name):
    response = client_for(cast[name]).get(_detail(setup["referral"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert CASH in html and TRAINING in html and "Ibu rumah tangga ingin menjahit" in html


def test_it_offers_the_answers_to_the_receiving_agency_only(cast, setup, client_for):
    receiving = client_for(cast["officer_other"]).get(_detail(setup["referral"])).content.decode()
    sending = client_for(cast["officer"]).get(_detail(setup["referral"])).content.decode()
    for action in ("referral_accept", "referral_decline", "referral_enroll"):
        url = reverse(f"programs:{action}", args=[setup["referral"].pk])
        assert url in receiving
        assert url not in sending
    assert "Menunggu jawaban lembaga program tujuan." in sending


def test_it_hides_a_referral_from_an_uninvolved_officer(cast, setup, client_for):
    from bansos.accounts.models import Agency, User

    third = Agency.objects.create(name="Karang Taruna Duri Kepa", kind="community")
    officer = User.objects.create_user(username="officer_third", password="x" * 12, role="officer", agency=third)
    assert client_for(officer).get(_detail(setup["referral"])).status_code == 404


@pytest.mark.parametrize("name", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_the_referral_page_to_other_roles(cast, setup, client_for, name):
    assert client_for(cast[name]).get(_detail(setup["referral"])).status_code == 403


def test_it_answers_404_for_a_missing_referral(cast, client_for, setup):
    assert client_for(cast["admin"]).get(reverse("programs:referral_detail", args=[99999])).status_code == 404


# --- Accept, decline, enroll ------------------------------------------------------------------------


def _post(client_for, user, action, referral, data):
    return client_for(user).post(reverse(f"programs:{action}", args=[referral.pk]), data)


def test_it_lets_the_receiving_agency_accept(cast, setup, client_for):
    response = _post(client_for, cast["officer_other"], "referral_accept", setup["referral"],
                     {"accept-response": "Silakan datang Senin"})
    assert response.status_code == 302
    referral = Referral.objects.get(pk=setup["referral"].pk)
    assert (referral.status, referral.response) == (ReferralStatus.ACCEPTED, "Silakan datang Senin")
    event = AuditEvent.objects.filter(action="referral.accept").get()
    assert (event.actor, event.household_id) == (cast["officer_other"], setup["household"].pk)


@pytest.mark.parametrize("action,data", [
    ("referral_accept", {"accept-response": ""}),
    ("referral_decline", {"decline-response": "Tidak cocok"}),
    ("referral_enroll", {"enroll-note": ""}),
])
def test_it_refuses_the_sending_agency_any_answer_and_changes_nothing(cast, setup, client_for, action, data):
    data = dict(data, **{"enroll-resident": setup["member"].pk})
    before = _snapshot()
    assert _post(client_for, cast["officer"], action, setup["referral"], data).status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("name", ["surveyor", "cadre", "evaluator", "resident"])
def test_it_refuses_answers_from_other_roles(cast, setup, client_for, name):
    before = _snapshot()
    assert _post(client_for, cast[name], "referral_accept", setup["referral"], {}).status_code == 403
    assert _snapshot() == before


def test_it_requires_a_reason_to_decline(cast, setup, client_for):
    before = _snapshot()
    response = _post(client_for, cast["officer_other"], "referral_decline", setup["referral"],
                     {"decline-response": "   "})
    assert response.status_code == 422
    assert "Tuliskan alasan penolakan rujukan." in response.content.decode()
    assert _snapshot() == before


def test_it_declines_with_the_reason(cast, setup, client_for):
    response = _post(client_for, cast["officer_other"], "referral_decline", setup["referral"],
                     {"decline-response": "Kelas penuh sampai Juni"})
    assert response.status_code == 302
    referral = Referral.objects.get(pk=setup["referral"].pk)
    assert (referral.status, referral.response) == (ReferralStatus.DECLINED, "Kelas penuh sampai Juni")
    assert AuditEvent.objects.get(action="referral.decline").reason == "Kelas penuh sampai Juni"


def test_it_refuses_to_answer_a_declined_referral_again(cast, setup, client_for):
    referral_decline(actor=cast["officer_other"], referral=setup["referral"], response="Penuh")
    before = _snapshot()
    response = _post(client_for, cast["officer_other"], "referral_accept", setup["referral"], {"accept-response": ""})
    assert response.status_code == 422
    assert "Rujukan tidak dapat diubah dari Ditolak menjadi Diterima." in response.content.decode()
    assert _snapshot() == before


def test_it_requires_the_participant_when_enrolling_into_a_person_program(cast, setup, client_for):
    before = _snapshot()
    response = _post(client_for, cast["officer_other"], "referral_enroll", setup["referral"], {"enroll-note": ""})
    assert response.status_code == 422
    assert "Pilih anggota keluarga yang menjadi peserta." in response.content.decode()
    assert _snapshot() == before


def test_it_refuses_a_participant_from_another_family(cast, setup, client_for):
    stranger = cast["households"]["rw2"].residents.first()
    before = _snapshot()
    response = _post(client_for, cast["officer_other"], "referral_enroll", setup["referral"],
                     {"enroll-resident": stranger.pk})
    assert response.status_code == 422
    assert _snapshot() == before


def test_it_enrols_the_chosen_member_from_the_referral(cast, setup, client_for):
    referral_accept(actor=cast["officer_other"], referral=setup["referral"])
    response = _post(client_for, cast["officer_other"], "referral_enroll", setup["referral"],
                     {"enroll-resident": setup["member"].pk, "enroll-note": "Kelas Juli"})
    assert response.status_code == 302
    referral = Referral.objects.get(pk=setup["referral"].pk)
    enrollment = referral.enrollment
    assert referral.status == ReferralStatus.ENROLLED
    assert (enrollment.program, enrollment.resident, enrollment.channel, enrollment.state) == (
        setup["training"], setup["member"], Channel.REFERRAL, "applied")
    # Straight to the new enrollment's page, where the workflow goes on.
    assert response["Location"] == reverse("programs:enrollment_detail", args=[enrollment.pk])
    page = client_for(cast["officer_other"]).get(_detail(referral)).content.decode()
    assert reverse("programs:enrollment_detail", args=[enrollment.pk]) in page


def test_it_enrols_a_household_program_without_asking_for_a_member(cast, setup, make_program, client_for):
    savings = make_program("lsm", name=SAVINGS, kind="community", participant="household", benefit_kind="service",
                           benefit_amount=0)
    referral = referral_send(actor=cast["officer"], household=setup["household"], from_program=setup["cash"],
                             to_program=savings)
    page = client_for(cast["officer_other"]).get(_detail(referral))
    assert "resident" not in page.context["enroll_form"].fields
    response = _post(client_for, cast["officer_other"], "referral_enroll", referral, {"enroll-note": ""})
    assert response.status_code == 302
    enrollment = Referral.objects.get(pk=referral.pk).enrollment
    assert (enrollment.program, enrollment.resident, enrollment.household) == (savings, None, setup["household"])


def test_it_does_not_enrol_into_a_program_that_is_not_accepting(cast, setup, client_for):
    from bansos.programs.services.programs import program_status_set

    program_status_set(actor=cast["admin"], program=setup["training"], status="draft")
    page = client_for(cast["officer_other"]).get(_detail(setup["referral"])).content.decode()
    assert "Program tujuan tidak sedang menerima peserta" in page
    before = _snapshot()
    response = _post(client_for, cast["officer_other"], "referral_enroll", setup["referral"],
                     {"enroll-resident": setup["member"].pk})
    assert response.status_code == 422
    assert "tidak sedang menerima peserta" in response.content.decode()
    assert _snapshot() == before


def test_it_refuses_a_second_enrollment_for_a_member_already_in_the_program(cast, setup, client_for):
    svc.enrollment_apply(actor=cast["officer_other"], program=setup["training"], household=setup["household"],
                         resident=setup["member"])
    before = _snapshot()
    response = _post(client_for, cast["officer_other"], "referral_enroll", setup["referral"],
                     {"enroll-resident": setup["member"].pk})
    assert response.status_code == 422
    assert "Peserta ini sudah terdaftar di program ini dan belum selesai." in response.content.decode()
    assert _snapshot() == before
