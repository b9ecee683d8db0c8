"""Activation: identity -> SMS or office code -> password; non-enumeration, expiry, attempts, single use, audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.portal.conftest import sms_code

pytestmark = pytest.mark.django_db
STRONG = "Kuat-sekali-2026"


def _start(client, person, *, kk=None, born=None, ip="10.0.0.1"):
    return client.post(reverse("portal:activate"), {
        "nik": person.nik if hasattr(person, "nik") else person, "kk_number": kk or person.household.kk_number,
        "birth_date": (born or person.birth_date).isoformat()}, REMOTE_ADDR=ip)


def _code(client, code, ip="10.0.0.1"):
    return client.post(reverse("portal:activate_code"), {"code": code}, REMOTE_ADDR=ip)


def _password(client, password=STRONG):
    return client.post(reverse("portal:activate_password"), {"password": password, "password2": password})


def test_it_activates_with_the_sms_code_and_signs_the_resident_in(client, head, home):
    from bansos.accounts.models import User
    from bansos.core.models import AuditEvent

    response = _start(client, head)
    assert response.status_code == 302 and response.url == reverse("portal:activate_code")
    assert _code(client, sms_code()).url == reverse("portal:activate_password")
    response = _password(client)
    assert response.status_code == 302 and response.url == reverse("portal:beranda")
    user = User.objects.get(resident=head)
    assert (user.role, user.household_id, user.username) == ("resident", home.pk, f"warga.{head.pk}")
    assert user.check_password(STRONG)
    assert client.get(reverse("portal:beranda")).status_code == 200
    actions = list(AuditEvent.objects.filter(action__startswith="portal.activation").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["portal.activation.start", "portal.activation.verify", "portal.activation.complete"]
    assert AuditEvent.objects.filter(action="portal.activation.complete", household_id=home.pk).exists()


def test_the_code_is_stored_only_as_a_hash(client, head):
    from bansos.portal.models import ActivationChallenge

    _start(client, head)
    code = sms_code()
    challenge = ActivationChallenge.objects.get()
    assert challenge.code_hash != code and len(challenge.code_hash) == 64


def test_the_identity_step_answers_the_same_for_a_match_and_any_mismatch(client, head, cast):
    from bansos.notifications.models import Message
    from bansos.portal.models import ActivationChallenge

    answers = [
        _start(client, head),
        _start(client, head, kk="3173050203150999"),
        _start(client, head, born=head.birth_date - dt.timedelta(days=1)),
        _start(client, "3173050101900001", kk=head.household.kk_number, born=dt.date(1990, 1, 1)),
    ]
    assert {(r.status_code, r.url) for r in answers} == {(302, reverse("portal:activate_code"))}
    assert ActivationChallenge.objects.count() == 4
    assert ActivationChallenge.objects.filter(resident__isnull=False).count() == 1
    assert Message.objects.filter(channel="sms").count() == 1  # only the match had a code sent


def test_a_mismatched_activation_refuses_every_code_like_a_wrong_one(client, head):
    _start(client, head, born=head.birth_date - dt.timedelta(days=1))
    response = _code(client, "123456")
    assert response.status_code == 400
    assert "Kode salah, sudah dipakai, atau sudah kedaluwarsa." in response.content.decode()


def test_a_wrong_code_is_refused_and_the_attempts_are_limited(client, head, monkeypatch):
    monkeypatch.setenv("PORTAL_OTP_ATTEMPTS", "3")
    _start(client, head)
    right = sms_code()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(3):
        assert _code(client, wrong).status_code == 400
    # The right code no longer helps: the challenge is spent.
    assert _code(client, right).status_code == 400
    assert client.get(reverse("portal:activate_password")).status_code == 302


def test_an_expired_code_is_refused(client, head, monkeypatch):
    from django.utils import timezone

    _start(client, head)
    code = sms_code()
    later = timezone.now() + dt.timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _code(client, code).status_code == 400


def test_the_password_step_needs_the_code_step(client, head):
    from bansos.accounts.models import User

    _start(client, head)
    response = _password(client)
    assert response.status_code == 302 and response.url == reverse("portal:activate_code")
    assert not User.objects.filter(resident=head).exists()


def test_a_weak_password_is_refused_by_the_validators(client, head):
    from bansos.accounts.models import User

    _start(client, head)
    _code(client, sms_code())
    response = _password(client, "12345678")
    assert response.status_code == 400
    assert not User.objects.filter(resident=head).exists()


def test_activating_again_sets_a_new_password_on_the_same_account(client, head):
    from bansos.accounts.models import User

    _start(client, head)
    _code(client, sms_code())
    _password(client)
    client.logout()
    _start(client, head)
    _code(client, sms_code())
    _password(client, "Sandi-baru-lagi-77")
    assert User.objects.filter(resident=head).count() == 1
    assert User.objects.get(resident=head).check_password("Sandi-baru-lagi-77")


def test_the_identity_step_is_throttled_per_nik(client, head, monkeypatch):
    monkeypatch.setenv("PORTAL_ACTIVATION_PER_NIK", "2")
    assert _start(client, head, ip="10.0.0.1").status_code == 302
    assert _start(client, head, ip="10.0.0.2").status_code == 302
    response = _start(client, head, ip="10.0.0.3")
    assert response.status_code == 429


def test_the_identity_step_is_throttled_per_address(client, head, monkeypatch):
    monkeypatch.setenv("PORTAL_ACTIVATION_PER_IP", "2")
    for i in range(2):
        _start(client, f"317305010190{i:04d}", kk=head.household.kk_number, born=dt.date(1990, 1, 1))
    assert _start(client, head).status_code == 429
    assert _start(client, head, ip="10.0.0.9").status_code == 302


# --- Office codes --------------------------------------------------------------------------------------


def _issue(client_for, cast, person):
    response = client_for(cast["admin"]).post(reverse("portal:office_code"), {"nik": person.nik})
    assert response.status_code == 200, response.content.decode()[:500]
    return re.search(r'<p class="p-code">([A-Z0-9-]+)</p>', response.content.decode()).group(1)


def test_a_resident_without_a_phone_activates_with_an_office_code_once(client, client_for, cast, other_home):
    from bansos.accounts.models import User
    from bansos.core.models import AuditEvent
    from bansos.notifications.models import Message
    from bansos.portal.models import OfficeCode

    person = other_home.residents.get(relation="head")
    assert other_home.phone == ""
    code = _issue(client_for, cast, person)
    office = OfficeCode.objects.get()
    assert code.replace("-", "") not in office.code_hash
    assert AuditEvent.objects.filter(action="portal.office_code.issue", household_id=other_home.pk).exists()
    _start(client, person)
    assert not Message.objects.filter(channel="sms").exists()
    assert _code(client, code.lower()).status_code == 302  # typed in lower case, still accepted
    _password(client)
    assert User.objects.get(resident=person).household_id == other_home.pk
    # Single use: the same code does not open a second activation.
    client.logout()
    _start(client, person)
    assert _code(client, code).status_code == 400


def test_an_office_code_works_only_for_its_own_resident(client, client_for, cast, head, other_home):
    code = _issue(client_for, cast, other_home.residents.get(relation="head"))
    _start(client, head)
    assert _code(client, code).status_code == 400


def test_a_new_office_code_revokes_the_earlier_one(client, client_for, cast, other_home):
    person = other_home.residents.get(relation="head")
    first = _issue(client_for, cast, person)
    second = _issue(client_for, cast, person)
    _start(client, person)
    assert _code(client, first).status_code == 400
    assert _code(client, second).status_code == 302


def test_an_expired_office_code_is_refused(client, client_for, cast, other_home, monkeypatch):
    from django.utils import timezone

    person = other_home.residents.get(relation="head")
    code = _issue(client_for, cast, person)
    later = timezone.now() + dt.timedelta(days=15)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _start(client, person)
    assert _code(client, code).status_code == 400


@pytest.mark.parametrize("who", ["officer", "surveyor", "cadre", "evaluator", "resident"])
def test_only_holders_of_portal_activation_issue_office_codes(client_for, cast, other_home, who):
    from bansos.portal.models import OfficeCode

    response = client_for(cast[who]).post(reverse("portal:office_code"),
                                          {"nik": other_home.residents.get(relation="head").nik})
    assert response.status_code == 403
    assert not OfficeCode.objects.exists()


def test_an_unknown_nik_at_the_office_is_a_field_error(client_for, cast):
    response = client_for(cast["admin"]).post(reverse("portal:office_code"), {"nik": "3173050101900001"})
    assert response.status_code == 400
    assert "Tidak ada warga aktif dengan NIK ini." in response.content.decode()


# --- Sign-in ---------------------------------------------------------------------------------------------


def _activate(client, person):
    _start(client, person)
    _code(client, sms_code())
    _password(client)
    client.logout()


def test_a_resident_signs_in_with_nik_and_password(client, head):
    _activate(client, head)
    response = client.post(reverse("portal:login"), {"nik": head.nik, "password": STRONG})
    assert response.status_code == 302 and response.url == reverse("portal:beranda")


def test_a_wrong_password_and_an_unknown_nik_answer_the_same(client, head):
    _activate(client, head)
    wrong = client.post(reverse("portal:login"), {"nik": head.nik, "password": "salah-salah-1"})
    unknown = client.post(reverse("portal:login"), {"nik": "3173050101900001", "password": "salah-salah-1"})
    assert wrong.status_code == unknown.status_code == 400
    text = "NIK/nama pengguna atau kata sandi salah."
    assert text in wrong.content.decode() and text in unknown.content.decode()


def test_staff_cannot_sign_in_through_the_portal(client, cast):
    from tests.conftest import PASSWORD

    response = client.post(reverse("portal:login"), {"nik": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
