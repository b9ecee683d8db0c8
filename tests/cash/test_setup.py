"""Paying institutions, a program's cash scheme and households' payee accounts, through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from bansos.cash.models import CashScheme, Entitlement, PayeeAccount, PaymentInstitution
from bansos.cash.services.setup import institution_create, institution_update, payee_account_set, scheme_set
from bansos.core.errors import ValidationFailed
from bansos.core.models import AuditEvent
from tests.cash.conftest import BANK_COLUMNS, MARCH, refused

pytestmark = pytest.mark.django_db

EVERYONE_BUT_ADMIN = ("officer", "officer_other", "surveyor", "cadre", "evaluator", "resident")
OUTSIDERS = ("officer_other", "surveyor", "cadre", "evaluator", "resident")




def invalid(call, **kwargs) -> dict:
    """The call fails validation (nothing changed); returns the field errors."""
    error = refused("validation_failed", call, **kwargs)
    assert isinstance(error, ValidationFailed)
    return error.errors


POS = {"name": "PT Pos Indonesia KCP Kebon Jeruk", "kind": "post", "file_format": "xlsx",
       "columns": ["reference", "nik", "name", "pickup_code", "amount"]}


# --- Paying institutions --------------------------------------------------------------------------


def test_it_records_an_institution_with_normalised_columns(cast):
    institution = institution_create(actor=cast["admin"], data=POS)
    assert (institution.kind, institution.file_format, institution.csv_delimiter, institution.is_active) == (
        "post", "xlsx", ",", True)
    assert institution.columns == [{"key": "reference", "header": "referensi"}, {"key": "nik", "header": "nik"},
                                   {"key": "name", "header": "nama"},
                                   {"key": "pickup_code", "header": "kode_pengambilan"},
                                   {"key": "amount", "header": "nominal"}]
    event = AuditEvent.objects.get(action="cash.institution.create")
    assert (event.actor, event.changes["name"]) == (cast["admin"], [None, POS["name"]])


def test_it_refuses_institutions_to_anyone_but_an_admin(cast, bank):
    for who in (*EVERYONE_BUT_ADMIN, None):
        actor = cast[who] if who else None
        refused("permission_denied", institution_create, actor=actor, data=POS)
        refused("permission_denied", institution_update, actor=actor, institution=bank,
                data={**POS, "name": "Diambil alih"})


def test_it_refuses_a_bad_institution_and_names_every_field(cast, bank):
    errors = invalid(institution_create, actor=cast["admin"], data={
        "name": " ", "kind": "crypto", "columns": ["reference"], "file_format": "pdf", "csv_delimiter": "#"})
    assert set(errors) == {"name", "kind", "columns", "file_format", "csv_delimiter"}
    assert errors["columns"] == ["Berkas pembayaran wajib memuat kolom: amount."]
    errors = invalid(institution_create, actor=cast["admin"], data={**POS, "name": bank.name.upper()})
    assert errors == {"name": ["Nama lembaga bayar ini sudah dipakai."]}
    errors = invalid(institution_create, actor=cast["admin"], data={**POS, "columns": ["reference", "amount", "iban"]})
    assert list(errors) == ["columns"] and "iban" in errors["columns"][0]
    assert invalid(institution_create, actor=cast["admin"], data={**POS, "kind": ""})["kind"] == ["Wajib diisi."]
    assert "name" in invalid(institution_create, actor=cast["admin"], data={**POS, "name": "N" * 121})


def test_it_audits_only_what_an_update_changes(cast, bank):
    data = {"name": bank.name, "kind": "bank", "columns": BANK_COLUMNS, "file_format": "csv", "csv_delimiter": ";"}
    institution_update(actor=cast["admin"], institution=bank, data=data)
    assert not AuditEvent.objects.filter(action="cash.institution.update").exists()
    updated = institution_update(actor=cast["admin"], institution=bank, data={**data, "csv_delimiter": "|",
                                                                              "is_active": False})
    assert (updated.csv_delimiter, updated.is_active) == ("|", False)
    assert AuditEvent.objects.get(action="cash.institution.update").changes == {
        "csv_delimiter": [";", "|"], "is_active": [True, False]}
    other = institution_create(actor=cast["admin"], data=POS)
    assert invalid(institution_update, actor=cast["admin"], institution=other,
                   data={**POS, "name": bank.name}) == {"name": ["Nama lembaga bayar ini sudah dipakai."]}


# --- A program's scheme ---------------------------------------------------------------------------


def _scheme(paid_by, /, **changes) -> dict:
    data = {"frequency": "monthly", "amount_rule": "flat", "flat_amount": 300_000, "institution": paid_by}
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_it_sets_and_audits_a_scheme(cast, make_program, bank, who):
    program = make_program("dinsos", budget=900_000)
    scheme = scheme_set(actor=cast[who], program=program, data=_scheme(bank))
    assert (scheme.frequency, scheme.amount_rule, scheme.flat_amount, scheme.household_cap, scheme.months_per_cycle) == (
        "monthly", "flat", 300_000, None, 1)
    changed = scheme_set(actor=cast[who], program=program, data=_scheme(
        bank, frequency="quarterly", amount_rule="components", flat_amount=0, per_elderly=300_000,
        household_cap=600_000))
    assert changed.pk == scheme.pk and CashScheme.objects.count() == 1
    events = list(AuditEvent.objects.filter(action="cash.scheme.set").order_by("pk"))
    assert len(events) == 2 and events[0].changes["flat_amount"] == [None, 300_000]
    assert events[1].changes == {"frequency": ["monthly", "quarterly"], "amount_rule": ["flat", "components"],
                                 "flat_amount": [300_000, 0], "per_elderly": [0, 300_000],
                                 "household_cap": [None, 600_000]}
    scheme_set(actor=cast[who], program=program, data=_scheme(
        bank, frequency="quarterly", amount_rule="components", flat_amount=0, per_elderly=300_000,
        household_cap=600_000))
    assert AuditEvent.objects.filter(action="cash.scheme.set").count() == 2  # nothing changed: no event


def test_it_refuses_a_scheme_to_anyone_but_the_programs_managers(cast, make_program, bank):
    program = make_program("dinsos", budget=900_000)
    for who in (*OUTSIDERS, None):
        refused("permission_denied", scheme_set, actor=cast[who] if who else None, program=program,
                data=_scheme(bank))


def test_it_refuses_a_scheme_for_a_program_that_pays_no_money_or_is_closed(cast, make_program, bank):
    course = make_program("dinsos", benefit_kind="course")
    refused("not_cash", scheme_set, actor=cast["officer"], program=course, data=_scheme(bank))
    stipend = make_program("dinsos", benefit_kind="stipend")
    assert scheme_set(actor=cast["officer"], program=stipend, data=_scheme(bank)).program == stipend
    closed = make_program("dinsos", status="closed")
    refused("program_closed", scheme_set, actor=cast["officer"], program=closed, data=_scheme(bank))


@pytest.mark.parametrize(("changes", "fields"), [
    ({"frequency": "weekly"}, {"frequency"}),
    ({"frequency": "", "amount_rule": ""}, {"frequency", "amount_rule"}),
    ({"flat_amount": 0}, {"flat_amount"}),
    ({"flat_amount": -1}, {"flat_amount"}),
    ({"flat_amount": 300_000.0}, {"flat_amount"}),
    ({"flat_amount": True}, {"flat_amount"}),
    ({"flat_amount": "300000"}, {"flat_amount"}),
    ({"amount_rule": "components", "flat_amount": 0}, {"per_child_sd"}),
    ({"amount_rule": "components", "per_elderly": -300_000}, {"per_elderly", "per_child_sd"}),
    ({"household_cap": 0}, {"household_cap"}),
    ({"household_cap": -5}, {"household_cap"}),
    ({"household_cap": False}, {"household_cap"}),
    ({"institution": None}, {"institution"}),
    ({"institution": "Bank DKI"}, {"institution"}),
])
def test_it_refuses_a_bad_scheme(cast, make_program, bank, changes, fields):
    program = make_program("dinsos")
    assert set(invalid(scheme_set, actor=cast["officer"], program=program, data=_scheme(bank, **changes))) == fields


def test_it_refuses_an_inactive_institution(cast, make_program, bank):
    institution_update(actor=cast["admin"], institution=bank, data={
        "name": bank.name, "kind": "bank", "columns": BANK_COLUMNS, "is_active": False})
    bank.refresh_from_db()
    errors = invalid(scheme_set, actor=cast["officer"], program=make_program("dinsos"), data=_scheme(bank))
    assert errors == {"institution": ["Lembaga bayar ini tidak aktif."]}


def test_it_locks_the_scheme_while_a_list_waits_for_approval_and_freezes_approved_amounts(cast, cash_cycle, bank):
    from bansos.cash.services.cycles import cycle_approve, cycle_create

    program, _e, cycle = cash_cycle(2, state="draft")
    scheme_set(actor=cast["officer"], program=program, data=_scheme(bank, flat_amount=350_000))  # a draft: free
    from bansos.cash.services.cycles import cycle_generate

    cycle = cycle_generate(actor=cast["officer"], cycle=cycle)
    assert cycle.planned_amount == 700_000
    refused("scheme_locked", scheme_set, actor=cast["officer"], program=program, data=_scheme(bank))
    cycle_approve(actor=cast["admin"], cycle=cycle)
    scheme_set(actor=cast["officer"], program=program, data=_scheme(bank, flat_amount=400_000))
    assert list(Entitlement.objects.filter(cycle=cycle).values_list("amount", flat=True)) == [350_000, 350_000]
    cycle.refresh_from_db()
    assert cycle.planned_amount == 700_000
    april = cycle_create(actor=cast["officer"], program=program, period_start=dt.date(2026, 4, 1))
    assert cycle_generate(actor=cast["officer"], cycle=april).planned_amount == 800_000


def test_it_keeps_the_institution_a_cycle_was_created_with(cast, cash_cycle, office):
    program, _e, cycle = cash_cycle(1, state="approved", period=MARCH)
    bank = cycle.institution
    scheme_set(actor=cast["officer"], program=program, data=_scheme(office))
    cycle.refresh_from_db()
    assert cycle.institution == bank


# --- Payee accounts -------------------------------------------------------------------------------


def test_it_records_an_account_and_audits_corrections_only(cast, bank):
    home = cast["households"]["rw1"]
    account = payee_account_set(actor=cast["admin"], household=home, institution=bank,
                                account_number=" 0012-345 678.9 ", account_name=" Budi Santoso ")
    assert (account.account_number, account.account_name, account.updated_by) == (
        "00123456789", "Budi Santoso", cast["admin"])
    event = AuditEvent.objects.get(action="cash.account.set")
    assert (event.household_id, event.changes["account_number"]) == (home.pk, [None, "00123456789"])
    payee_account_set(actor=cast["admin"], household=home, institution=bank, account_number="00123456789",
                      account_name="Budi Santoso")
    assert AuditEvent.objects.filter(action="cash.account.set").count() == 1
    payee_account_set(actor=cast["admin"], household=home, institution=bank, account_number="99988877",
                      account_name="Budi Santoso")
    assert PayeeAccount.objects.get().account_number == "99988877"
    assert AuditEvent.objects.filter(action="cash.account.set").latest("pk").changes == {
        "institution": bank.name, "account_number": ["00123456789", "99988877"]}


def test_it_lets_area_staff_and_the_programs_officers_record_accounts_and_no_one_else(cast, bank, cash_world):
    program, enrollments = cash_world(1, accounts=False)
    enrolled = enrollments[0].household  # RT 1 of RW 1, in a dinsos program
    allowed = {"admin": enrolled, "officer": enrolled, "surveyor": enrolled}
    for who, home in allowed.items():
        payee_account_set(actor=cast[who], household=home, institution=bank, account_number=f"5550{len(who)}00",
                          account_name="Ahmad Uji")
    for who in ("officer_other", "surveyor_rt", "surveyor_other", "cadre", "evaluator", "resident", None):
        refused("permission_denied", payee_account_set, actor=cast[who] if who else None, household=enrolled,
                institution=bank, account_number="123456789", account_name="Ahmad Uji")
    # An officer reaches only households of the agency's programs.
    refused("permission_denied", payee_account_set, actor=cast["officer"], household=cast["households"]["rw2"],
            institution=bank, account_number="123456789", account_name="Joko Susilo")


@pytest.mark.parametrize(("number", "name", "code"), [
    ("1234", "Budi", "account_number"),
    ("1" * 35, "Budi", "account_number"),
    ("12345ABC", "Budi", "account_number"),
    ("", "Budi", "account_number"),
    ("123456789", "  ", "validation_failed"),
    ("123456789", "B" * 121, "validation_failed"),
])
def test_it_refuses_a_bad_account(cast, bank, number, name, code):
    refused(code, payee_account_set, actor=cast["admin"], household=cast["households"]["rw1"], institution=bank,
            account_number=number, account_name=name)


def test_it_refuses_an_account_at_the_kelurahan_cash_office(cast, office):
    refused("account_cash_office", payee_account_set, actor=cast["admin"], household=cast["households"]["rw1"],
            institution=office, account_number="123456789", account_name="Budi")
    assert PaymentInstitution.objects.get(pk=office.pk).kind == "cash_office"
