"""Cash API: institutions, schemes, cycles, entitlements, batches and their files, results, receipts,
and a household's cash as staff and as its resident.

Every operation is called by someone allowed and someone refused (the refusal changing nothing),
with bearer tokens as integrations call it (residents by their session).
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from bansos.cash.models import (
    Batch, CashReceipt, CashScheme, Cycle, Entitlement, PayeeAccount, Payment, PaymentInstitution, ResultProblem,
    ResultUpload,
)
from bansos.cash.services import cycles as cycle_services
from bansos.cash.services import payments as payment_services
from bansos.cash.services.setup import MSG_FLAT_NEEDED, payee_account_set
from bansos.core.errors import MSG_NOT_FOUND, MSG_PERMISSION_DENIED
from bansos.core.formats import mask_nik
from bansos.core.models import AuditEvent
from tests.cash.conftest import BANK_COLUMNS, result_csv
from tests.api.conftest import ApiClient
from tests.programs.api_helpers import DENIED, OTHER_AGENCY
from tests.programs.conftest import world

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def _state() -> dict:
    """Every row the cash API can change, the programs' money, and the audit trail."""
    return {
        **world(),
        **{model.__name__: list(model.objects.order_by("pk").values()) for model in (
            PaymentInstitution, CashScheme, PayeeAccount, Cycle, Entitlement, Batch, Payment, ResultUpload,
            ResultProblem, CashReceipt)},
    }


class Client(ApiClient):
    def put(self, path: str, data: dict | None = None):
        return self.client.put(f"/api{path}", data or {}, content_type="application/json", headers=self.headers)


STAFF = ("admin", "officer", "officer_other", "surveyor", "surveyor_other", "cadre", "cadre_other", "evaluator")


@pytest.fixture
def api(cast):
    """``api("officer")`` -> a client calling with a bearer token of that cast member (residents: session).

    Every staff token is made up front: making one is audited, and refusals assert that nothing was.
    """
    from bansos.accounts.tokens import token_create

    keys = {name: token_create(actor=cast["admin"], owner=cast[name], name=f"uji {name}")[1] for name in STAFF}

    def make(name: str | None) -> Client:
        if name is None:
            return Client()
        if name in keys:
            return Client(key=keys[name])
        return Client(cast[name])

    return make


@pytest.fixture
def unchanged():
    @contextlib.contextmanager
    def check():
        before = _state()
        yield
        assert _state() == before

    return check


def _refused(response, body=DENIED, status=403):
    assert response.status_code == status, response.content
    assert response.json() == body


@pytest.fixture
def blt(cast, cash_world, enrol, bank):
    """A running dinsos cash program (Rp 300.000 a month) paying two new households and the resident's own."""
    program, enrollments = cash_world(2, budget=9_000_000)
    own = enrol(program, cast["households"]["rw1"], "active")
    payee_account_set(actor=cast["admin"], household=own.household, institution=bank, account_number="9876500001",
                      account_name="Budi Santoso")
    return program, [*enrollments, own]


def _cycle(program, state="generated", period=MARCH, *, cast):
    cycle = cycle_services.cycle_create(actor=cast["officer"], program=program, period_start=period)
    if state != "draft":
        cycle = cycle_services.cycle_generate(actor=cast["officer"], cycle=cycle)
    if state in ("approved", "paying"):
        cycle = cycle_services.cycle_approve(actor=cast["admin"], cycle=cycle)
    if state == "paying":
        payment_services.batch_create(actor=cast["officer"], cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def _payments(cycle):
    return list(Payment.objects.filter(batch__cycle=cycle).order_by("pk"))


def _upload(client, cycle, data: bytes, name="hasil.csv"):
    return client.client.post(f"/api/cash/cycles/{cycle.pk}/results",
                              {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
                              headers=client.headers)


# --- Paying institutions ------------------------------------------------------------------------


def test_cash_staff_list_the_paying_institutions(cast, api, bank, office):
    for name in ("admin", "officer", "officer_other"):
        body = api(name).get("/cash/institutions").json()
        assert [i["name"] for i in body] == ["Bank DKI Cabang Kebon Jeruk", "Kas Kelurahan Duri Kepa"]
    first = api("officer").get("/cash/institutions").json()[0]
    assert first == {"id": bank.pk, "name": "Bank DKI Cabang Kebon Jeruk", "kind": "bank", "columns": BANK_COLUMNS,
                     "file_format": "csv", "csv_delimiter": ";", "is_active": True}
    assert api("officer").get("/cash/institutions", {"active": "false"}).json() == []


def test_others_may_not_list_the_paying_institutions(cast, api, bank):
    for name in ("surveyor", "cadre", "evaluator", "resident"):
        _refused(api(name).get("/cash/institutions"))
    assert api(None).get("/cash/institutions").status_code == 401


def test_the_admin_records_a_paying_institution(cast, api):
    response = api("admin").post("/cash/institutions", {
        "name": "Kantor Pos Kebon Jeruk", "kind": "post",
        "columns": ["reference", {"key": "name", "header": "NAMA PENERIMA"}, "pickup_code", "amount"],
    })
    assert response.status_code == 201
    body = response.json()
    institution = PaymentInstitution.objects.get(name="Kantor Pos Kebon Jeruk")
    assert body == {"id": institution.pk, "name": "Kantor Pos Kebon Jeruk", "kind": "post", "columns": [
        {"key": "reference", "header": "referensi"}, {"key": "name", "header": "NAMA PENERIMA"},
        {"key": "pickup_code", "header": "kode_pengambilan"}, {"key": "amount", "header": "nominal"}],
        "file_format": "csv", "csv_delimiter": ",", "is_active": True}
    assert AuditEvent.objects.filter(action="cash.institution.create", actor=cast["admin"]).count() == 1


def test_an_officer_may_not_record_a_paying_institution(cast, api, unchanged):
    with unchanged():
        _refused(api("officer").post("/cash/institutions", {"name": "Bank Lain", "kind": "bank",
                                                             "columns": ["reference", "amount"]}))


def test_a_paying_institution_with_wrong_columns_is_refused_in_indonesian(cast, api, unchanged):
    from bansos.cash.files_out import MSG_COLUMNS_REQUIRED

    with unchanged():
        response = api("admin").post("/cash/institutions", {"name": "Bank Lain", "kind": "bank",
                                                            "columns": ["nik", "name"]})
    assert response.status_code == 422
    message = str(MSG_COLUMNS_REQUIRED) % {"columns": "reference, amount"}
    assert response.json() == {"code": "validation_failed", "message": message, "errors": {"columns": [message]}}
    response = api("admin").post("/cash/institutions", {"name": "Bank Lain", "kind": "atm", "columns": ["amount"]})
    assert response.status_code == 422
    assert response.json()["errors"]["kind"][0].startswith("Pilihan tidak valid.")


def test_the_admin_changes_a_paying_institution(cast, api, bank):
    response = api("admin").patch(f"/cash/institutions/{bank.pk}", {"is_active": False,
                                                                    "columns": ["reference", "nik", "amount"]})
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["is_active"], [c["key"] for c in body["columns"]]) == (
        "Bank DKI Cabang Kebon Jeruk", False, ["reference", "nik", "amount"])
    bank.refresh_from_db()
    assert (bank.is_active, bank.csv_delimiter) == (False, ";")
    assert AuditEvent.objects.filter(action="cash.institution.update").count() == 1


def test_an_officer_may_not_change_a_paying_institution(cast, api, bank, unchanged):
    with unchanged():
        _refused(api("officer").patch(f"/cash/institutions/{bank.pk}", {"is_active": False}))
        _refused(api("officer").patch("/cash/institutions/999999", {"is_active": False}))
        response = api("admin").patch("/cash/institutions/999999", {"is_active": False})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": str(MSG_NOT_FOUND), "errors": {}}


# --- Schemes ------------------------------------------------------------------------------------


def test_the_programs_officer_reads_its_scheme(cast, api, blt, bank):
    program, _ = blt
    body = api("officer").get(f"/cash/programs/{program.pk}/scheme").json()
    assert (body["program_id"], body["frequency"], body["amount_rule"], body["flat_amount"]) == (
        program.pk, "monthly", "flat", 300_000)
    assert (body["months_per_cycle"], body["household_cap"], body["institution"]) == (
        1, None, {"id": bank.pk, "name": "Bank DKI Cabang Kebon Jeruk", "kind": "bank"})
    assert api("admin").get(f"/cash/programs/{program.pk}/scheme").status_code == 200


def test_others_may_not_read_a_scheme(cast, api, blt, make_program):
    program, _ = blt
    _refused(api("officer_other").get(f"/cash/programs/{program.pk}/scheme"))
    _refused(api("surveyor").get(f"/cash/programs/{program.pk}/scheme"))
    _refused(api("evaluator").get("/cash/programs/999999/scheme"))
    bare = make_program(name="BLT Tanpa Skema")
    response = api("officer").get(f"/cash/programs/{bare.pk}/scheme")
    assert response.status_code == 404
    assert response.json()["message"] == str(cycle_services.MSG_NO_SCHEME)


def test_an_officer_sets_the_scheme_of_its_program(cast, api, make_program, office):
    program = make_program(name="Bantuan Lansia")
    response = api("officer").put(f"/cash/programs/{program.pk}/scheme", {
        "frequency": "quarterly", "amount_rule": "components", "per_elderly": 300_000, "per_disability": 200_000,
        "household_cap": 450_000, "institution": office.pk})
    assert response.status_code == 200
    body = response.json()
    assert (body["frequency"], body["months_per_cycle"], body["per_elderly"], body["household_cap"]) == (
        "quarterly", 3, 300_000, 450_000)
    assert body["institution"]["kind"] == "cash_office"
    assert CashScheme.objects.get(program=program).per_disability == 200_000


def test_a_scheme_is_refused_to_another_agency_and_for_bad_input(cast, api, make_program, bank, unchanged):
    program = make_program(name="Bantuan Lansia")
    data = {"frequency": "monthly", "amount_rule": "flat", "flat_amount": 300_000, "institution": bank.pk}
    with unchanged():
        _refused(api("officer_other").put(f"/cash/programs/{program.pk}/scheme", data), OTHER_AGENCY)
        _refused(api("surveyor").put(f"/cash/programs/{program.pk}/scheme", data))
        unknown = api("officer").put(f"/cash/programs/{program.pk}/scheme", {**data, "institution": 999999})
        no_amount = api("officer").put(f"/cash/programs/{program.pk}/scheme", {**data, "flat_amount": 0})
        negative = api("officer").put(f"/cash/programs/{program.pk}/scheme", {**data, "flat_amount": -5})
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == {"institution": ["Lembaga bayar tidak ditemukan."]}
    assert no_amount.status_code == 422
    assert no_amount.json()["errors"] == {"flat_amount": [str(MSG_FLAT_NEEDED)]}
    assert negative.json()["errors"] == {"flat_amount": ["Paling kecil 0."]}


# --- Cycles -------------------------------------------------------------------------------------


def test_an_officer_opens_a_cycle(cast, api, blt):
    program, _ = blt
    response = api("officer").post("/cash/cycles", {"program": program.pk, "period_start": "2026-03-01"})
    assert response.status_code == 201
    body = response.json()
    cycle = Cycle.objects.get()
    assert (body["id"], body["label"], body["state"], body["period_end"]) == (
        cycle.pk, "Maret 2026", "draft", "2026-03-31")
    assert body["program"] == {"id": program.pk, "name": program.name, "kind": "cash",
                               "agency": "Suku Dinas Sosial Jakarta Barat"}
    assert body["created_by"] == {"id": cast["officer"].pk, "name": "Officer"}
    assert (body["manageable"], body["approvable"], body["batch_count"]) == (True, False, 0)
    assert body["by_state"]["due"] == {"count": 0, "amount": 0}


def test_a_cycle_is_refused_to_others_and_for_bad_input(cast, api, blt, unchanged):
    program, _ = blt
    data = {"program": program.pk, "period_start": "2026-03-01"}
    with unchanged():
        _refused(api("officer_other").post("/cash/cycles", data), OTHER_AGENCY)
        _refused(api("surveyor").post("/cash/cycles", data))
        unknown = api("officer").post("/cash/cycles", {**data, "program": 999999})
        mid_month = api("officer").post("/cash/cycles", {**data, "period_start": "2026-03-15"})
        not_a_date = api("officer").post("/cash/cycles", {**data, "period_start": "15/03/2026"})
    assert unknown.json() == {"code": "validation_failed", "message": "Program tidak ditemukan.",
                              "errors": {"program": ["Program tidak ditemukan."]}}
    assert mid_month.status_code == 400
    assert mid_month.json() == {"code": "period_start", "message": str(cycle_services.MSG_PERIOD_START),
                                "errors": {"period_start": [str(cycle_services.MSG_PERIOD_START)]}}
    assert not_a_date.status_code == 422
    assert not_a_date.json()["errors"] == {"period_start": ["Tanggal tidak valid; gunakan format TTTT-BB-HH."]}


def test_cycles_are_listed_by_agency_and_filtered(cast, api, blt, cash_world, make_program):
    program, _ = blt
    march = _cycle(program, "generated", cast=cast)
    april = _cycle(program, "draft", dt.date(2026, 4, 1), cast=cast)
    officer = api("officer")
    assert [c["id"] for c in officer.get("/cash/cycles").json()["items"]] == [april.pk, march.pk]
    assert [c["id"] for c in officer.get("/cash/cycles", {"state": "generated"}).json()["items"]] == [march.pk]
    assert officer.get("/cash/cycles", {"program": 999999}).json()["total"] == 0
    page = officer.get("/cash/cycles", {"page_size": 1, "page": 2}).json()
    assert ([c["id"] for c in page["items"]], page["total"], page["pages"]) == ([march.pk], 2, 2)
    assert api("officer_other").get("/cash/cycles").json()["total"] == 0
    assert api("admin").get("/cash/cycles").json()["total"] == 2
    for name in ("surveyor", "evaluator", "resident"):
        _refused(api(name).get("/cash/cycles"))


def test_a_cycle_reads_with_its_totals_and_money_by_state(cast, api, blt):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    body = api("officer").get(f"/cash/cycles/{cycle.pk}").json()
    assert (body["state"], body["planned_count"], body["planned_amount"], body["open_amount"]) == (
        "paying", 3, 900_000, 900_000)
    assert body["generation_report"] == {"included": 3, "amount": 900_000, "excluded": {}}
    assert body["by_state"] == {"due": {"count": 0, "amount": 0}, "sent": {"count": 3, "amount": 900_000},
                                "paid": {"count": 0, "amount": 0}, "failed": {"count": 0, "amount": 0},
                                "cancelled": {"count": 0, "amount": 0}}
    assert (body["batch_count"], body["approved_by"]["id"], body["generated_by"]["id"]) == (
        1, cast["admin"].pk, cast["officer"].pk)
    _refused(api("officer_other").get(f"/cash/cycles/{cycle.pk}"))
    _refused(api("cadre").get(f"/cash/cycles/{cycle.pk}"))
    assert api("admin").get("/cash/cycles/999999").status_code == 404


def test_an_officer_generates_the_list(cast, api, blt, unchanged):
    program, _ = blt
    cycle = _cycle(program, "draft", cast=cast)
    with unchanged():
        _refused(api("officer_other").post(f"/cash/cycles/{cycle.pk}/generate"), OTHER_AGENCY)
        _refused(api("evaluator").post(f"/cash/cycles/{cycle.pk}/generate"))
    body = api("officer").post(f"/cash/cycles/{cycle.pk}/generate").json()
    assert (body["state"], body["planned_count"], body["planned_amount"]) == ("generated", 3, 900_000)
    assert body["by_state"]["due"] == {"count": 3, "amount": 900_000}
    assert api("admin").get(f"/cash/cycles/{cycle.pk}").json()["approvable"] is True


def test_the_admin_approves_what_the_officer_generated(cast, api, blt):
    program, _ = blt
    cycle = _cycle(program, "generated", cast=cast)
    response = api("admin").post(f"/cash/cycles/{cycle.pk}/approve")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["approved_by"]["id"]) == ("approved", cast["admin"].pk)
    events = AuditEvent.objects.filter(action="cash.cycle.approve").count()
    again = api("admin").post(f"/cash/cycles/{cycle.pk}/approve")
    assert (again.status_code, again.json()["state"]) == (200, "approved")
    assert AuditEvent.objects.filter(action="cash.cycle.approve").count() == events


def test_approval_is_refused_to_officers_and_to_the_maker(cast, api, blt, admin_maker_cycle, unchanged):
    program, _ = blt
    cycle = _cycle(program, "generated", cast=cast)
    with unchanged():
        _refused(api("officer").post(f"/cash/cycles/{cycle.pk}/approve"))
        _refused(api("officer").post("/cash/cycles/999999/approve"))
        own = api("admin").post(f"/cash/cycles/{admin_maker_cycle.pk}/approve")
    assert own.status_code == 400
    assert own.json() == {"code": "maker_checker", "message": str(cycle_services.MSG_MAKER_CHECKER), "errors": {}}


@pytest.fixture
def admin_maker_cycle(cast, cash_world):
    """A generated cycle whose list the admin made (so the admin may not approve it)."""
    program, _ = cash_world(1)
    cycle = cycle_services.cycle_create(actor=cast["admin"], program=program, period_start=MARCH)
    return cycle_services.cycle_generate(actor=cast["admin"], cycle=cycle)


def test_an_officer_cancels_a_cycle_with_a_reason(cast, api, blt, unchanged):
    program, _ = blt
    cycle = _cycle(program, "approved", cast=cast)
    with unchanged():
        _refused(api("officer_other").post(f"/cash/cycles/{cycle.pk}/cancel", {"reason": "Salah"}), OTHER_AGENCY)
        blank = api("officer").post(f"/cash/cycles/{cycle.pk}/cancel", {"reason": "  "})
        missing = api("officer").post(f"/cash/cycles/{cycle.pk}/cancel", {})
    assert blank.json() == {"code": "reason_required", "message": "Alasan wajib diisi.",
                            "errors": {"reason": ["Alasan wajib diisi."]}}
    assert missing.status_code == 422 and missing.json()["errors"] == {"reason": ["Wajib diisi."]}
    body = api("officer").post(f"/cash/cycles/{cycle.pk}/cancel", {"reason": "Periode digabung"}).json()
    assert (body["state"], body["cancel_reason"]) == ("cancelled", "Periode digabung")
    assert body["by_state"]["cancelled"] == {"count": 3, "amount": 900_000}


# --- Entitlements -------------------------------------------------------------------------------


def test_the_entitlements_of_a_cycle_with_masked_niks(cast, api, blt):
    program, enrollments = blt
    cycle = _cycle(program, "paying", cast=cast)
    body = api("officer").get(f"/cash/cycles/{cycle.pk}/entitlements").json()
    assert (body["total"], body["pages"], body["counts"]) == (3, 1, {"due": 0, "sent": 3, "paid": 0, "failed": 0,
                                                                    "cancelled": 0})
    own = Entitlement.objects.get(cycle=cycle, household=cast["households"]["rw1"])
    row = next(e for e in body["items"] if e["id"] == own.pk)
    assert (row["recipient_name"], row["recipient_nik"], row["kk_number"], row["rt_label"]) == (
        own.recipient_name, mask_nik(own.recipient_nik), own.kk_number, "001/001")
    assert (row["amount"], row["state"], row["attempts"], row["enrollment_id"]) == (
        300_000, "sent", 1, enrollments[2].pk)
    payment = Payment.objects.get(entitlement=own)
    assert row["last_payment"] == {"id": payment.pk, "batch_number": 1, "attempt": 1, "reference": payment.reference,
                                   "status": "sent", "pickup_code": "", "paid_on": None, "failure_reason": ""}
    admin_row = next(e for e in api("admin").get(f"/cash/cycles/{cycle.pk}/entitlements").json()["items"]
                     if e["id"] == own.pk)
    assert admin_row["recipient_nik"] == own.recipient_nik


def test_the_entitlements_filter_search_and_page(cast, api, blt):
    program, _ = blt
    cycle = _cycle(program, "generated", cast=cast)
    own = Entitlement.objects.get(cycle=cycle, household=cast["households"]["rw1"])
    client = api("officer")

    def ids(**params):
        return [e["id"] for e in client.get(f"/cash/cycles/{cycle.pk}/entitlements", params).json()["items"]]

    every = list(Entitlement.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True))
    assert ids() == every
    assert ids(q="budi") == [own.pk]
    assert ids(q=own.recipient_nik) == [own.pk]
    assert ids(q=own.kk_number) == [own.pk]
    assert ids(state="sent") == []
    assert ids(page_size=2, page=2) == every[2:]
    assert ids(page=9) == []
    _refused(api("officer_other").get(f"/cash/cycles/{cycle.pk}/entitlements"))
    bad = client.get(f"/cash/cycles/{cycle.pk}/entitlements", {"state": "lost"})
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["state"]


def test_lists_take_the_same_queries_for_one_row_or_many(cast, api, blt, cash_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program, _ = blt
    many = _cycle(program, "paying", cast=cast)
    _fail_one(cast, many)
    single_program, _ = cash_world(1)
    one = _cycle(single_program, "paying", cast=cast)
    client = api("officer")
    household = cast["households"]["rw1"]
    paths = {many: [f"/cash/cycles/{many.pk}/entitlements", f"/cash/cycles/{many.pk}/batches",
                    f"/cash/households/{household.pk}/entitlements"],
             one: [f"/cash/cycles/{one.pk}/entitlements", f"/cash/cycles/{one.pk}/batches",
                   f"/cash/households/{one.entitlements.get().household_id}/entitlements"]}
    counts = {}
    for cycle, urls in paths.items():
        for i, url in enumerate(urls):
            client.get(url)  # warm up (token look-up caches, content types)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[cycle, i] = len(queries)
    assert [counts[many, i] for i in range(3)] == [counts[one, i] for i in range(3)]


def _fail_one(cast, cycle):
    """Reconcile a result file where the first payment failed and the others were paid."""
    import io

    from bansos.cash.services.reconcile import result_upload

    first, *rest = _payments(cycle)
    lines = [(first.reference, "GAGAL", "Rekening tidak aktif", "", first.amount)]
    lines += [(p.reference, "BERHASIL", "", "05/03/2026", p.amount) for p in rest]
    result_upload(actor=cast["officer"], cycle=cycle, fileobj=io.BytesIO(result_csv(lines)), file_name="a.csv")
    return first.entitlement


def test_an_officer_retries_failed_entitlements(cast, api, blt, unchanged):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    failed = _fail_one(cast, cycle)
    with unchanged():
        _refused(api("officer_other").post(f"/cash/cycles/{cycle.pk}/entitlements/retry", {}), OTHER_AGENCY)
        _refused(api("admin").post("/cash/cycles/999999/entitlements/retry", {}), status=404,
                 body={"code": "not_found", "message": str(MSG_NOT_FOUND), "errors": {}})
        none = api("officer").post(f"/cash/cycles/{cycle.pk}/entitlements/retry", {"ids": [999999]})
    assert none.status_code == 400 and none.json()["code"] == "none_selected"
    response = api("officer").post(f"/cash/cycles/{cycle.pk}/entitlements/retry", {"ids": [failed.pk]})
    assert response.json() == {"done": 1}
    failed.refresh_from_db()
    assert failed.state == "due"


def test_an_officer_cancels_entitlements_with_a_reason(cast, api, blt, unchanged):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    failed = _fail_one(cast, cycle)
    data = {"ids": [failed.pk], "reason": "Penerima pindah"}
    with unchanged():
        _refused(api("officer_other").post(f"/cash/cycles/{cycle.pk}/entitlements/cancel", data), OTHER_AGENCY)
        empty = api("officer").post(f"/cash/cycles/{cycle.pk}/entitlements/cancel", {**data, "ids": []})
        blank = api("officer").post(f"/cash/cycles/{cycle.pk}/entitlements/cancel", {**data, "reason": ""})
    assert empty.status_code == 422 and list(empty.json()["errors"]) == ["ids"]
    assert blank.json()["code"] == "reason_required"
    assert api("officer").post(f"/cash/cycles/{cycle.pk}/entitlements/cancel", data).json() == {"done": 1}
    cycle.refresh_from_db()
    assert (cycle.state, cycle.cancelled_amount, cycle.paid_amount) == ("closed", 300_000, 600_000)


# --- Batches and the payment file ---------------------------------------------------------------


def test_an_officer_sends_a_batch(cast, api, blt, cash_world):
    program, _ = blt
    cycle = _cycle(program, "approved", cast=cast)
    response = api("officer").post(f"/cash/cycles/{cycle.pk}/batches")
    assert response.status_code == 201
    body = response.json()
    batch = Batch.objects.get(cycle=cycle)
    assert (body["id"], body["number"], body["line_count"], body["total_amount"], body["without_account"]) == (
        batch.pk, 1, 3, 900_000, 0)
    assert body["by_status"] == {"sent": 3, "paid": 0, "failed": 0, "void": 0}
    assert body["created_by"]["id"] == cast["officer"].pk
    listed = api("admin").get(f"/cash/cycles/{cycle.pk}/batches").json()
    assert [(b["id"], b["line_count"], b["downloads"]) for b in listed] == [(batch.pk, 3, 0)]


def test_a_batch_is_refused_to_others_and_before_approval(cast, api, blt, unchanged):
    program, _ = blt
    cycle = _cycle(program, "generated", cast=cast)
    with unchanged():
        not_approved = api("officer").post(f"/cash/cycles/{cycle.pk}/batches")
        _refused(api("officer_other").post(f"/cash/cycles/{cycle.pk}/batches"), OTHER_AGENCY)
        _refused(api("surveyor").post(f"/cash/cycles/{cycle.pk}/batches"))
        _refused(api("officer_other").get(f"/cash/cycles/{cycle.pk}/batches"))
    assert not_approved.status_code == 400
    assert not_approved.json() == {"code": "cycle_not_approved", "message": str(payment_services.MSG_NOT_APPROVED),
                                   "errors": {}}


def test_the_payment_file_downloads_as_csv_and_is_audited(cast, api, blt):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    batch = Batch.objects.get(cycle=cycle)
    response = api("officer").get(f"/cash/batches/{batch.pk}/file")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "no-store, private"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "NO_REF;NIK;NAMA;REKENING;NOMINAL"
    first = _payments(cycle)[0]
    assert lines[1] == f"{first.reference};{first.entitlement.recipient_nik};{first.entitlement.recipient_name};" \
                       f"{first.account_number};300000"
    assert len(lines) == 4
    batch.refresh_from_db()
    assert batch.downloads == 1
    event = AuditEvent.objects.get(action="cash.file.download")
    assert (event.actor, event.changes["format"], event.changes["lines"]) == (cast["officer"], "csv", 3)


def test_the_payment_file_is_refused_to_others(cast, api, blt, unchanged):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    batch = Batch.objects.get(cycle=cycle)
    with unchanged():
        _refused(api("officer_other").get(f"/cash/batches/{batch.pk}/file"), OTHER_AGENCY)
        _refused(api("surveyor").get(f"/cash/batches/{batch.pk}/file"))
        _refused(api("resident").get(f"/cash/batches/{batch.pk}/file"))
        assert api("officer").get("/cash/batches/999999/file").status_code == 404


# --- Result files -------------------------------------------------------------------------------


def test_an_officer_uploads_a_result_file(cast, api, blt):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    first, second, third = _payments(cycle)
    data = result_csv([(first.reference, "BERHASIL", "", "05/03/2026", 300000),
                       (second.reference, "GAGAL", "Rekening ditutup", "", 300000),
                       ("DK999", "BERHASIL", "", "", 300000),
                       (third.reference, "BERHASIL", "", "", 250000)])
    response = _upload(api("officer"), cycle, data)
    assert response.status_code == 201, response.content
    body = response.json()
    upload = ResultUpload.objects.get()
    assert (body["id"], body["file_name"], body["lines"], body["size"]) == (upload.pk, "hasil.csv", 4, len(data))
    assert (body["paid_count"], body["paid_amount"], body["failed_count"], body["unchanged_count"],
            body["problem_count"]) == (1, 300_000, 1, 0, 2)
    assert body["uploaded_by"] == {"id": cast["officer"].pk, "name": "Officer"}
    # The same file again changes nothing.
    before = _state()
    again = _upload(api("officer"), cycle, data)
    assert again.status_code == 400 and again.json()["code"] == "same_file"
    assert again.json()["errors"] == {"file": [again.json()["message"]]}
    assert _state() == before


def test_a_result_file_is_refused_to_others_and_when_unreadable(cast, api, blt, unchanged):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    data = result_csv([(_payments(cycle)[0].reference, "BERHASIL", "", "", 300000)])
    with unchanged():
        _refused(_upload(api("officer_other"), cycle, data), OTHER_AGENCY)
        _refused(_upload(api("surveyor"), cycle, data))
        missing = api("officer").client.post(f"/api/cash/cycles/{cycle.pk}/results", {},
                                             headers=api("officer").headers)
        garbage = _upload(api("officer"), cycle, b"\x00\x01\x02 not a result file")
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"file": ["Wajib diisi."]}
    assert garbage.status_code == 422
    assert garbage.json()["code"] == "result_file"
    assert list(garbage.json()["errors"]) == ["file"]


def test_an_upload_reads_with_its_problems_page_by_page(cast, api, blt):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    ok = _payments(cycle)[0]
    data = result_csv([(ok.reference, "BERHASIL", "", "", 300000), ("DK001", "BERHASIL", "", "", 300000),
                       ("DK002", "GAGAL", "", "", 300000), (ok.reference[:-1] + "X", "BERHASIL", "", "", 1)])
    upload_id = _upload(api("officer"), cycle, data).json()["id"]
    body = api("officer").get(f"/cash/results/{upload_id}", {"page_size": 2}).json()
    assert (body["problem_count"], body["problems"]["total"], body["problems"]["pages"]) == (3, 3, 2)
    assert [(p["line_no"], p["reference"], p["code"]) for p in body["problems"]["items"]] == [
        (3, "DK001", "unknown_reference"), (4, "DK002", "unknown_reference")]
    assert body["problems"]["items"][0]["label"] == "Referensi tidak dikenal"
    assert body["problems"]["items"][0]["raw"]["NO_REF"] == "DK001"
    last = api("admin").get(f"/cash/results/{upload_id}", {"page_size": 2, "page": 2}).json()
    assert [p["line_no"] for p in last["problems"]["items"]] == [5]
    assert [u["id"] for u in api("officer").get(f"/cash/cycles/{cycle.pk}/results").json()] == [upload_id]
    _refused(api("officer_other").get(f"/cash/results/{upload_id}"))
    _refused(api("officer_other").get(f"/cash/cycles/{cycle.pk}/results"))
    _refused(api("evaluator").get(f"/cash/results/{upload_id}"))
    assert api("admin").get("/cash/results/999999").status_code == 404


# --- Cash at the office -------------------------------------------------------------------------


@pytest.fixture
def handout(cast, cash_world, office):
    """A cash-office cycle being paid out: one sent payment waiting at the kelurahan office."""
    program, enrollments = cash_world(1, institution=office)
    cycle = _cycle(program, "paying", cast=cast)
    return cycle, _payments(cycle)[0]


def _receipt(payment, **extra):
    head = payment.entitlement
    return {"receiver_name": head.recipient_name, "receiver_nik": head.recipient_nik, "identity_document": "ktp",
            "identity_checked": True, **extra}


def test_an_officer_records_cash_handed_out(cast, api, handout):
    cycle, payment = handout
    response = api("officer").post(f"/cash/payments/{payment.pk}/receipt", _receipt(payment))
    assert response.status_code == 201
    body = response.json()
    receipt = CashReceipt.objects.get()
    assert (body["id"], body["payment_id"], body["reference"], body["amount"]) == (
        receipt.pk, payment.pk, payment.reference, 300_000)
    assert (body["receiver_name"], body["receiver_nik"], body["identity_document"]) == (
        payment.entitlement.recipient_name, mask_nik(payment.entitlement.recipient_nik), "ktp")
    assert body["handed_by"] == {"id": cast["officer"].pk, "name": "Officer"}
    payment.refresh_from_db()
    cycle.refresh_from_db()
    assert (payment.status, cycle.state, cycle.paid_amount) == ("paid", "closed", 300_000)
    again = api("officer").post(f"/cash/payments/{payment.pk}/receipt", _receipt(payment))
    assert again.status_code == 400 and again.json()["code"] == "already_received"
    assert CashReceipt.objects.count() == 1


def test_a_receipt_is_refused_to_others_and_without_an_identity_check(cast, api, handout, blt, unchanged):
    _cycle_, payment = handout
    program, _ = blt
    bank_payment = _payments(_cycle(program, "paying", cast=cast))[0]
    with unchanged():
        _refused(api("officer_other").post(f"/cash/payments/{payment.pk}/receipt", _receipt(payment)),
                 OTHER_AGENCY)
        _refused(api("surveyor").post(f"/cash/payments/{payment.pk}/receipt", _receipt(payment)))
        unchecked = api("officer").post(f"/cash/payments/{payment.pk}/receipt",
                                        _receipt(payment, identity_checked=False))
        short_nik = api("officer").post(f"/cash/payments/{payment.pk}/receipt", _receipt(payment, receiver_nik="123"))
        at_the_bank = api("officer").post(f"/cash/payments/{bank_payment.pk}/receipt", _receipt(bank_payment))
        unknown = api("officer").post("/cash/payments/999999/receipt", _receipt(payment))
    assert unchecked.json() == {"code": "identity_checked", "message": str(payment_services.MSG_IDENTITY),
                                "errors": {"identity_checked": [str(payment_services.MSG_IDENTITY)]}}
    assert short_nik.json()["errors"] == {"receiver_nik": [str(payment_services.MSG_NIK)]}
    assert at_the_bank.json()["code"] == "not_cash_office"
    assert unknown.status_code == 404


# --- A household's cash -------------------------------------------------------------------------


def test_staff_see_a_households_entitlements_and_payments(cast, api, blt):
    program, _ = blt
    cycle = _cycle(program, "paying", cast=cast)
    _fail_one(cast, cycle)
    household = cast["households"]["rw1"]
    own = Entitlement.objects.get(cycle=cycle, household=household)
    body = api("officer").get(f"/cash/households/{household.pk}/entitlements").json()
    assert body["household_id"] == household.pk
    [item] = body["items"]
    assert (item["id"], item["program"], item["program_id"], item["cycle_label"], item["cycle_state"]) == (
        own.pk, program.name, program.pk, "Maret 2026", "paying")
    assert (item["amount"], item["status"], item["paid_on"]) == (300_000, "paid", "2026-03-05")
    assert (item["recipient_name"], item["recipient_nik"]) == (own.recipient_name, mask_nik(own.recipient_nik))
    payment = Payment.objects.get(entitlement=own)
    assert item["payments"] == [{"attempt": 1, "reference": payment.reference, "status": "paid", "amount": 300_000,
                                 "paid_on": "2026-03-05", "failure_reason": "", "received_by": None}]
    admin_item = api("admin").get(f"/cash/households/{household.pk}/entitlements").json()["items"][0]
    assert admin_item["recipient_nik"] == own.recipient_nik


def test_staff_without_the_programs_cycles_see_no_entitlements(cast, api, blt):
    program, _ = blt
    _cycle(program, "approved", cast=cast)
    household = cast["households"]["rw1"]
    # The RT/RW officer sees the household but not the program's payments.
    assert api("surveyor").get(f"/cash/households/{household.pk}/entitlements").json()["items"] == []
    # Another agency's officer does not see the household at all; nor do staff outside its area.
    for name in ("officer_other", "surveyor_other", "cadre_other"):
        response = api(name).get(f"/cash/households/{household.pk}/entitlements")
        assert response.status_code == 404, name
    _refused(api("evaluator").get(f"/cash/households/{household.pk}/entitlements"))
    assert api(None).get(f"/cash/households/{household.pk}/entitlements").status_code == 401


def test_a_resident_sees_its_own_households_approved_cash_only(cast, api, blt):
    program, _ = blt
    march = _cycle(program, "paying", cast=cast)
    _fail_one(cast, march)
    _cycle(program, "generated", dt.date(2026, 4, 1), cast=cast)  # not approved yet: not shown
    household = cast["households"]["rw1"]
    body = api("resident").get(f"/cash/households/{household.pk}/entitlements").json()
    assert body == {"household_id": household.pk, "items": [{
        "program": program.name, "cycle_label": "Maret 2026", "period_start": "2026-03-01",
        "period_end": "2026-03-31", "amount": 300_000, "status": "paid", "paid_on": "2026-03-05",
        "id": None, "program_id": None, "cycle_id": None, "cycle_state": None, "recipient_name": None,
        "recipient_nik": None, "cancel_reason": None, "payments": None}]}
    other = api("resident_other").get(f"/cash/households/{household.pk}/entitlements")
    assert other.status_code == 404


# --- Errors and language ------------------------------------------------------------------------


def test_errors_stay_indonesian_for_an_english_browser(cast, api):
    client = api("surveyor")
    response = client.client.get("/api/cash/cycles", headers={**client.headers, "Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 403
    assert response["Content-Language"] == "id"
    assert response.json()["message"] == "Anda tidak berwenang melakukan tindakan ini."


def test_errors_follow_the_language_the_user_chose(cast, api, settings):
    from tests.api.conftest import ApiClient

    client = ApiClient(cast["surveyor"])
    client.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/cash/cycles")
    with translation.override("en"):
        expected = str(MSG_PERMISSION_DENIED)
    assert response["Content-Language"] == "en"
    assert response.json()["message"] == expected
