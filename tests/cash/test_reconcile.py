"""Reconciliation through result_upload: matching, problems, idempotence, and hostile files.

A file refused as a whole changes nothing at all (cash_state); a file read whole applies its good
lines and lists every other line as a problem. The reader itself has its unit tests in test_files.py;
these go through the service and the database.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from bansos.cash.models import (
    CycleState, Entitlement, EntitlementState, Payment, PaymentStatus, ProblemCode, ResultProblem, ResultUpload,
)
from bansos.cash.services.payments import reference_checks, reference_for
from bansos.cash.services.reconcile import result_upload
from bansos.core.models import AuditEvent
from bansos.programs.models import BudgetMovement, Enrollment, MovementKind
from tests.cash.conftest import budget_consistent, cycle_consistent, refs, refused, result_csv, upload

pytestmark = pytest.mark.django_db

OUTSIDERS = ("officer_other", "surveyor", "cadre", "evaluator", "resident")
HEADER = ("NO_REF", "STATUS", "ALASAN", "TGL_BAYAR", "NOMINAL")


@pytest.fixture
def paying(cash_cycle):
    """A cycle of three households, Rp 300.000 each, sent to the bank in one batch."""
    return cash_cycle(3, state="paying")


def send(actor, cycle, data: bytes, name: str = "hasil.csv"):
    return result_upload(actor=actor, cycle=cycle, fileobj=io.BytesIO(data), file_name=name)




def problems(result) -> list[tuple[int, str, str]]:
    return list(ResultProblem.objects.filter(upload=result).order_by("line_no").values_list(
        "line_no", "reference", "code"))


def statuses(cycle) -> list[str]:
    return list(Payment.objects.filter(batch__cycle=cycle).order_by("pk").values_list("status", flat=True))


# --- Matching -------------------------------------------------------------------------------------


def test_it_pays_and_fails_lines_and_moves_paid_money_to_disbursed(cast, paying):
    program, enrollments, cycle = paying
    a, b, c = refs(cycle)
    lines = [(a, "BERHASIL", "", "05/03/2026", "300.000"), (b, "GAGAL", "Rekening tidak aktif", "", 300000),
             (c, "sukses", "", "", "Rp 300.000")]
    result = upload(cast["officer"], cycle, lines, name="hasil-bank-maret.csv")
    assert (result.lines, result.paid_count, result.paid_amount, result.failed_count, result.unchanged_count,
            result.problem_count) == (3, 2, 600_000, 1, 0, 0)
    assert (result.file_name, result.uploaded_by, result.size) == ("hasil-bank-maret.csv", cast["officer"],
                                                                 len(result_csv(lines)))
    paid_a = Payment.objects.get(reference=a)
    assert (paid_a.status, paid_a.paid_on, paid_a.result) == (PaymentStatus.PAID, dt.date(2026, 3, 5), result)
    assert Payment.objects.get(reference=c).paid_on == timezone.localdate()  # no date: the day it is recorded
    failed = Payment.objects.get(reference=b)
    assert (failed.status, failed.failure_reason, failed.paid_on) == (PaymentStatus.FAILED, "Rekening tidak aktif",
                                                                    None)
    assert Entitlement.objects.get(pk=failed.entitlement_id).state == EntitlementState.FAILED
    assert Entitlement.objects.get(pk=paid_a.entitlement_id).paid_on == dt.date(2026, 3, 5)
    assert sorted(Enrollment.objects.filter(program=program).values_list("disbursed_amount", flat=True)) == [
        0, 300_000, 300_000]
    program.refresh_from_db()
    assert program.budget_disbursed == 600_000
    assert list(BudgetMovement.objects.filter(program=program, kind=MovementKind.DISBURSE).values_list(
        "amount", "participants")) == [(600_000, 2)]
    assert AuditEvent.objects.filter(action="cash.paid").count() == 2
    assert AuditEvent.objects.filter(action="cash.failed").count() == 1
    assert AuditEvent.objects.get(action="cash.result.upload").changes == {
        "file": "hasil-bank-maret.csv", "lines": 3, "paid": 2, "paid_amount": 600_000, "failed": 1,
        "unchanged": 0, "problems": 0}
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PAYING
    budget_consistent(program)
    cycle_consistent(cycle)


def test_it_closes_the_cycle_when_the_last_payment_is_paid(cast, paying):
    program, _e, cycle = paying
    upload(cast["officer"], cycle, [(ref, "paid", "", "", 300_000) for ref in refs(cycle)])
    cycle.refresh_from_db()
    assert (cycle.state, cycle.paid_count, cycle.paid_amount) == (CycleState.CLOSED, 3, 900_000)
    budget_consistent(program)
    cycle_consistent(cycle)
    # A closed cycle still takes a (different) file: its lines are simply unchanged.
    again = upload(cast["officer"], cycle, [(ref, "BERHASIL", "", "", 300000) for ref in refs(cycle)], name="b.csv")
    assert (again.unchanged_count, again.paid_count, again.problem_count) == (3, 0, 0)


def test_it_lets_an_admin_upload_and_refuses_everyone_else(cast, paying):
    _p, _e, cycle = paying
    data = result_csv([(refs(cycle)[0], "paid", "", "", 300_000)])
    for who in (*OUTSIDERS, None):
        refused("permission_denied", send, cast[who] if who else None, cycle, data)
    assert send(cast["admin"], cycle, data).paid_count == 1


def test_it_refuses_a_result_before_any_payment_was_sent(cast, cash_cycle):
    _p, _e, cycle = cash_cycle(1, state="approved")
    refused("nothing_sent", send, cast["officer"], cycle, result_csv([("DK1", "paid", "", "", 300_000)]))


# --- Never twice ----------------------------------------------------------------------------------


def test_it_refuses_the_same_file_twice_and_changes_nothing(cast, paying):
    program, _e, cycle = paying
    data = result_csv([(ref, "paid", "", "", 300_000) for ref in refs(cycle)[:2]])
    first = send(cast["officer"], cycle, data, name="hasil.csv")
    error = refused("same_file", send, cast["admin"], cycle, data, "hasil (salinan).csv")
    assert error.field == "file" and error.params["name"] == "hasil.csv"
    assert ResultUpload.objects.get() == first
    budget_consistent(program)


def test_it_counts_lines_already_applied_by_another_file_as_unchanged(cast, paying):
    program, _e, cycle = paying
    a, b, c = refs(cycle)
    upload(cast["officer"], cycle, [(a, "paid", "", "", 300_000), (b, "failed", "Tutup", "", 300_000)])
    before = (list(Payment.objects.order_by("pk").values()), list(Entitlement.objects.order_by("pk").values()),
              list(Enrollment.objects.order_by("pk").values()), BudgetMovement.objects.count())
    # The same lines re-saved by the bank with another header and separator: other bytes, same facts.
    again = upload(cast["officer"], cycle, [(b, "gagal", "Tutup", "", 300_000), (a, "paid", "", "", 300_000)],
                   header=("referensi", "status", "alasan", "tanggal_bayar", "nominal"), name="ulang.csv")
    assert (again.paid_count, again.failed_count, again.unchanged_count, again.problem_count) == (0, 0, 2, 0)
    after = (list(Payment.objects.order_by("pk").values()), list(Entitlement.objects.order_by("pk").values()),
             list(Enrollment.objects.order_by("pk").values()), BudgetMovement.objects.count())
    assert after == before
    budget_consistent(program)
    cycle_consistent(cycle)


def test_it_reports_a_paid_line_for_a_failed_payment_as_a_conflict(cast, paying):
    program, _e, cycle = paying
    a, b, _c = refs(cycle)
    upload(cast["officer"], cycle, [(a, "failed", "Rekening ditutup", "", 300_000), (b, "paid", "", "", 300_000)])
    result = upload(cast["officer"], cycle, [(a, "paid", "", "", 300_000), (b, "failed", "Salah", "", 300_000)],
                    name="kedua.csv")
    assert (result.paid_count, result.failed_count, result.problem_count) == (0, 0, 2)
    rows = {p.reference: p for p in ResultProblem.objects.filter(upload=result)}
    assert {ref: p.code for ref, p in rows.items()} == {a: ProblemCode.CONFLICT, b: ProblemCode.CONFLICT}
    assert rows[a].detail == "Berkas menyatakan \u201cdibayar\u201d, tetapi tercatat \u201cGagal\u201d."
    assert rows[b].raw["ALASAN"] == "Salah"
    assert statuses(cycle)[:2] == [PaymentStatus.FAILED, PaymentStatus.PAID]
    budget_consistent(program)
    cycle_consistent(cycle)


def test_it_does_not_pay_a_retried_entitlement_twice_through_its_old_reference(cast, paying):
    from bansos.cash.services.payments import batch_create, entitlements_retry

    program, _e, cycle = paying
    old = refs(cycle)[0]
    upload(cast["officer"], cycle, [(old, "failed", "Nama tidak cocok", "", 300_000)])
    entitlements_retry(actor=cast["officer"], cycle=cycle)
    batch_create(actor=cast["officer"], cycle=cycle)
    new = refs(cycle)[-1]
    result = upload(cast["officer"], cycle, [(new, "paid", "", "", 300_000), (old, "paid", "", "", 300_000)],
                    name="kedua.csv")
    assert (result.paid_count, problems(result)) == (1, [(3, old, ProblemCode.CONFLICT)])
    assert Payment.objects.filter(batch__cycle=cycle, status=PaymentStatus.PAID).count() == 1
    budget_consistent(program)
    cycle_consistent(cycle)


def test_it_applies_no_line_of_a_reference_written_twice(cast, paying):
    program, _e, cycle = paying
    a, b, c = refs(cycle)
    result = upload(cast["officer"], cycle, [(a, "paid", "", "", 300_000), (b, "paid", "", "", 300_000),
                                             (a, "paid", "", "", 300_000), (c, "failed", "x", "", 300_000),
                                             (c, "paid", "", "", 300_000)])
    assert (result.paid_count, result.failed_count) == (1, 0)
    assert problems(result) == [(2, a, "duplicate"), (4, a, "duplicate"), (5, c, "duplicate"),
                                (6, c, "duplicate")]
    assert statuses(cycle) == [PaymentStatus.SENT, PaymentStatus.PAID, PaymentStatus.SENT]
    budget_consistent(program)


def test_it_refuses_an_amount_different_from_the_payment(cast, paying):
    _p, _e, cycle = paying
    a, b, _c = refs(cycle)
    result = upload(cast["officer"], cycle, [(a, "paid", "", "", 250_000), (b, "paid", "", "", "300.001")])
    assert result.paid_count == 0
    assert [(p.code, p.detail) for p in ResultProblem.objects.filter(upload=result).order_by("line_no")] == [
        (ProblemCode.AMOUNT_MISMATCH, "Nilai di berkas Rp 250.000, tercatat Rp 300.000."),
        (ProblemCode.AMOUNT_MISMATCH, "Nilai di berkas Rp 300.001, tercatat Rp 300.000."),
    ]
    assert statuses(cycle) == [PaymentStatus.SENT] * 3


def test_it_accepts_a_failed_line_without_an_amount(cast, paying):
    """Banks often leave the amount empty on a returned transfer; the reader allows it on failed lines."""
    _p, _e, cycle = paying
    a, _b, _c = refs(cycle)
    result = upload(cast["officer"], cycle, [(a, "gagal", "Rekening ditutup", "", "")])
    assert (result.failed_count, result.problem_count) == (1, 0)
    assert Payment.objects.get(reference=a).status == PaymentStatus.FAILED


def test_it_names_the_cycle_a_reference_belongs_to(cast, paying, cash_cycle):
    program, enrollments, cycle = paying
    _p, _e, april = cash_cycle(program=program, enrollments=enrollments, period=dt.date(2026, 4, 1),
                               state="paying")
    april_ref = refs(april)[0]
    result = upload(cast["officer"], cycle, [(april_ref, "paid", "", "", 300_000)])
    problem = ResultProblem.objects.get(upload=result)
    assert (problem.code, problem.detail) == (ProblemCode.OTHER_CYCLE, f"{program.name} \u2014 April 2026")
    assert Payment.objects.get(reference=april_ref).status == PaymentStatus.SENT


def test_it_tells_a_mistyped_reference_from_an_unknown_one(cast, paying):
    _p, _e, cycle = paying
    a = refs(cycle)[0]
    typo = a[:-4] + str((int(a[-4]) + 1) % 10) + a[-3:]
    unknown = reference_for(cycle.pk, 99_999_999, 1)  # well formed, but no such payment
    result = upload(cast["officer"], cycle, [(typo, "paid", "", "", 300_000), (unknown, "paid", "", "", 300_000),
                                             ("TRX-0001", "paid", "", "", 300_000)])
    details = [(p.code, p.detail) for p in ResultProblem.objects.filter(upload=result).order_by("line_no")]
    assert details == [
        (ProblemCode.UNKNOWN_REFERENCE, "Angka kontrol referensi tidak cocok: kemungkinan salah ketik."),
        (ProblemCode.UNKNOWN_REFERENCE, ""),
        (ProblemCode.UNKNOWN_REFERENCE, ""),
    ]
    assert result.paid_count == 0


def test_it_reports_unreadable_lines_and_applies_the_readable_ones(cast, paying):
    program, _e, cycle = paying
    a, b, c = refs(cycle)
    result = upload(cast["officer"], cycle, [
        (a, "mungkin", "", "", 300_000),  # unknown status
        (b, "paid", "", "", "tiga ratus ribu"),  # unreadable amount
        ("", "paid", "", "", 300_000),  # no reference
        (c, "paid", "", "31/02/2026", 300_000),  # no such date
    ])
    assert result.paid_count == 0 and result.problem_count == 4
    assert [code for _l, _r, code in problems(result)] == [ProblemCode.UNREADABLE] * 4
    assert statuses(cycle) == [PaymentStatus.SENT] * 3
    fixed = upload(cast["officer"], cycle, [(a, "paid", "", "", 300_000), (b, "paid", "", "", "300.000"),
                                            (c, "paid", "", "28/02/2026", 300_000)], name="perbaikan.csv")
    assert fixed.paid_count == 3
    budget_consistent(program)


def test_it_refuses_a_paid_date_in_the_future(cast, paying):
    _p, _e, cycle = paying
    a, b, _c = refs(cycle)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    result = upload(cast["officer"], cycle, [(a, "paid", "", tomorrow.strftime("%d/%m/%Y"), 300_000),
                                             (b, "paid", "", timezone.localdate().isoformat(), 300_000)])
    problem = ResultProblem.objects.get(upload=result)
    assert (problem.code, problem.detail) == (ProblemCode.UNREADABLE,
                                              f"Tanggal bayar {tomorrow.isoformat()} belum terjadi.")
    assert statuses(cycle)[:2] == [PaymentStatus.SENT, PaymentStatus.PAID]


def test_it_reports_a_line_for_a_withdrawn_payment(cast, paying):
    _p, _e, cycle = paying
    a = refs(cycle)[0]
    Payment.objects.filter(reference=a).update(status=PaymentStatus.VOID, live=False)  # no service voids yet
    result = upload(cast["officer"], cycle, [(a, "paid", "", "", 300_000)])
    assert problems(result) == [(2, a, ProblemCode.NOT_SENT)]


# --- Hostile files --------------------------------------------------------------------------------


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(cycle, lines=None) -> str:
    lines = lines or [(ref, "paid", "", "", 300000) for ref in refs(cycle)]
    return "\r\n".join([";".join(HEADER), *(";".join(str(v) for v in line) for line in lines)]) + "\r\n"


def test_it_reads_an_xlsx_result_file(cast, paying):
    program, _e, cycle = paying
    a, b, c = refs(cycle)
    data = _xlsx([HEADER, (a, "BERHASIL", None, dt.datetime(2026, 3, 5), 300000),
                  (b, "GAGAL", "Rekening dibekukan", None, 300000.0), (c, "paid", None, None, "300.000")])
    result = send(cast["officer"], cycle, data, "hasil.xlsx")
    assert (result.paid_count, result.failed_count, result.problem_count) == (2, 1, 0)
    assert Payment.objects.get(reference=a).paid_on == dt.date(2026, 3, 5)
    budget_consistent(program)
    cycle_consistent(cycle)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_it_reads_a_utf16_file_with_its_byte_order_mark(cast, paying, encoding):
    _p, _e, cycle = paying
    a, b, _c = refs(cycle)
    text = _text(cycle, [(a, "paid", "", "", 300000), (b, "gagal", "Nama pemilik berbeda \u2014 cek KTP", "", "")])
    data = text.encode(encoding) if encoding == "utf-16" else codecs.BOM_UTF16_BE + text.encode(encoding)
    result = send(cast["officer"], cycle, data)
    assert (result.paid_count, result.failed_count, result.problem_count) == (1, 1, 0)
    assert Payment.objects.get(reference=b).failure_reason == "Nama pemilik berbeda \u2014 cek KTP"


def test_it_reads_a_windows_1252_file(cast, paying):
    _p, _e, cycle = paying
    a = refs(cycle)[0]
    data = _text(cycle, [(a, "gagal", "Rekening ditutup \u2013 ahli waris", "", 300000)]).encode("cp1252")
    result = send(cast["officer"], cycle, data)
    assert result.failed_count == 1
    assert Payment.objects.get(reference=a).failure_reason == "Rekening ditutup \u2013 ahli waris"


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b" " * (8 * 1024 * 1024) + b"</sheetData>")
    return out.getvalue()


HOSTILE = {
    "empty": lambda cycle: b"",
    "blank lines": lambda cycle: b"\r\n \r\n\t\r\n",
    "header only": lambda cycle: ";".join(HEADER).encode() + b"\r\n",
    "wrong columns": lambda cycle: b"nama;alamat;jumlah_anak\r\nBudi;Jl. Duri;2\r\n",
    "no amount column": lambda cycle: "NO_REF;STATUS\r\n{};paid\r\n".format(refs(cycle)[0]).encode(),
    "utf-16 without a byte-order mark": lambda cycle: _text(cycle).encode("utf-16-le"),
    "binary": lambda cycle: bytes(range(256)) * 64,
    "a picture": lambda cycle: b"\x89PNG\r\n\x1a\n" + b"\x00" * 512,
    "an old xls": lambda cycle: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "a broken xlsx": lambda cycle: b"PK\x03\x04" + b"\x00" * 200,
    "a zip bomb": lambda cycle: _zip_bomb(),
    "a workbook without the result columns": lambda cycle: _xlsx([("NAMA", "ALAMAT"), ("Budi", "Duri")]),
}


def test_it_refuses_hostile_files_whole_and_changes_nothing(cast, paying):
    _p, _e, cycle = paying
    for name, make in HOSTILE.items():
        error = refused("result_file", send, cast["officer"], cycle, make(cycle), f"{name}.csv")
        assert error.field == "file", name
        assert error.text, name
    assert ResultUpload.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(cast, paying, monkeypatch):
    from bansos.cash.services import reconcile

    _p, _e, cycle = paying
    monkeypatch.setattr(reconcile, "MAX_BYTES", 4096)
    error = refused("result_file", send, cast["officer"], cycle, _text(cycle).encode() + b" " * 5000)
    assert "terlalu besar" in error.text


def test_it_treats_formulas_in_cells_as_text_never_as_values(cast, paying):
    program, _e, cycle = paying
    a, b, c = refs(cycle)
    lines = [(f'=HYPERLINK("http://jahat.example","{a}")', "paid", "", "", 300000),
             (b, "=1+1", "", "", 300000),
             (c, "gagal", "=cmd|' /C calc'!A0", "", 300000)]
    result = upload(cast["officer"], cycle, lines)
    assert [code for _l, _r, code in problems(result)] == [ProblemCode.UNKNOWN_REFERENCE, ProblemCode.UNREADABLE]
    assert Payment.objects.get(reference=c).failure_reason == "=cmd|' /C calc'!A0"
    assert statuses(cycle) == [PaymentStatus.SENT, PaymentStatus.SENT, PaymentStatus.FAILED]
    # In a workbook a formula has no value the platform would compute: the reference is simply missing.
    data = _xlsx([HEADER, (f'=CONCATENATE("{a[:5]}","{a[5:]}")', "paid", None, None, 300000),
                  (b, "paid", None, None, "=300000")])
    result = send(cast["officer"], cycle, data, "rumus.xlsx")
    assert (result.paid_count, [code for _l, _r, code in problems(result)]) == (
        0, [ProblemCode.UNREADABLE, ProblemCode.UNREADABLE])
    budget_consistent(program)


# --- 100,000 lines --------------------------------------------------------------------------------


@pytest.fixture
def crowd(cast, areas, make_program, bank):
    """``crowd(n)``: a cycle of ``n`` households (bulk-made registry rows) sent to the bank in one batch."""
    from bansos.cash.models import PayeeAccount
    from bansos.cash.services.payments import batch_create
    from bansos.cash.services.setup import scheme_set
    from bansos.programs.models import Enrollment
    from bansos.programs.services.bulk import enrollment_bulk_approve
    from bansos.registry.models import Household, Resident
    from bansos.registry.names import name_key
    from tests.cash.conftest import MARCH
    from tests.factories import kk_number, nik_for

    def make(n: int):
        from bansos.cash.services.cycles import cycle_approve, cycle_create, cycle_generate

        admin, officer = cast["admin"], cast["officer"]
        program = make_program("dinsos", budget=300_000 * n, benefit_amount=300_000, benefit_periods=1)
        scheme_set(actor=officer, program=program, data={"frequency": "monthly", "amount_rule": "flat",
                                                         "flat_amount": 300_000, "institution": bank})
        homes = Household.objects.bulk_create([
            Household(kk_number=kk_number(), rt=areas["rt2"], address=f"Gg. Uji {i}", legal_basis="public_task")
            for i in range(n)])
        born = dt.date(1971, 7, 7)
        Resident.objects.bulk_create([
            Resident(household=h, nik=nik_for(born, "L"), full_name=f"WARGA UJI {i}", name_key=name_key(
                f"WARGA UJI {i}"), sex="L", birth_date=born, relation="head") for i, h in enumerate(homes)])
        PayeeAccount.objects.bulk_create([
            PayeeAccount(household=h, institution=bank, account_number=f"77{i:08d}", account_name=f"WARGA UJI {i}")
            for i, h in enumerate(homes)])
        Enrollment.objects.bulk_create([Enrollment(program=program, household=h, state="verified") for h in homes])
        assert enrollment_bulk_approve(actor=admin, program=program).done == n
        cycle = cycle_generate(actor=officer, cycle=cycle_create(actor=officer, program=program, period_start=MARCH))
        cycle = cycle_approve(actor=admin, cycle=cycle)
        batch_create(actor=officer, cycle=cycle)
        cycle.refresh_from_db()
        return program, cycle

    return make


def test_it_reconciles_100000_lines_applying_the_known_and_listing_the_rest(cast, crowd):
    program, cycle = crowd(200)
    known = refs(cycle)
    assert len(known) == 200
    out = io.StringIO()
    out.write("NO_REF;STATUS;ALASAN;TGL_BAYAR;NOMINAL\n")
    for i, ref in enumerate(known):
        out.write(f"{ref};BERHASIL;;0{i % 9 + 1}/03/2026;300000\n" if i % 10 else f"{ref};GAGAL;Rekening tutup;;300000\n")
    typos = 0
    for i in range(100_000 - len(known)):
        # Other banks' references, well-formed ones of no payment, and ones whose check digits fail.
        ref = (f"TRX{i:09d}", reference_for(cycle.pk, 50_000_000 + i, 1), f"DK{i:015d}42")[i % 3]
        typos += not reference_checks(ref) and ref.startswith("DK")
        out.write(f"{ref};BERHASIL;;05/03/2026;300000\n")
    result = send(cast["officer"], cycle, out.getvalue().encode("utf-8"), "besar.csv")
    assert (result.lines, result.paid_count, result.failed_count, result.problem_count) == (100_000, 180, 20, 99_800)
    assert result.paid_amount == 180 * 300_000
    assert ResultProblem.objects.filter(upload=result, code=ProblemCode.UNKNOWN_REFERENCE).count() == 99_800
    assert ResultProblem.objects.filter(upload=result, detail__startswith="Angka kontrol").count() == typos > 30_000
    cycle.refresh_from_db()
    assert (cycle.paid_count, cycle.paid_amount, cycle.state) == (180, 54_000_000, CycleState.PAYING)
    budget_consistent(program)
    cycle_consistent(cycle)
