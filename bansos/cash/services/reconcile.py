"""Reconciliation: apply a paying institution's result file to a cycle's payments.

The file is read whole before anything is written (a file that cannot be read changes nothing).
Then, under the program and cycle locks, each line is matched to a payment of the cycle by its
reference: "paid" marks it paid and moves its money to disbursed, "failed" marks it failed. Lines
with an unknown reference, another cycle's reference, a different amount, a reference that occurs
more than once in the file, or a status contradicting the recorded one are listed as problems and
not applied. A line already applied by an earlier file is counted as unchanged. The same file
(same bytes) on the same cycle is refused outright.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bansos.cash.access import require_cash
from bansos.cash.files import ResultFileError, read_result_file
from bansos.cash.models import (
    Cycle, CycleState, Payment, PaymentStatus, ProblemCode, ResultProblem, ResultUpload,
)
from bansos.cash.services.cycles import BATCH, close_if_done, lock_cycle
from bansos.cash.services.payments import Failed, Paid, apply_failed, apply_paid, reference_checks
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError
from bansos.core.formats import rupiah
from bansos.programs.models import Program
from bansos.registry.importing.bulk import Inserter

MAX_BYTES = 50 * 1024 * 1024
PROBLEM_COLUMNS = ("upload_id", "line_no", "reference", "code", "detail", "raw")
MAX_LINES = 200_000

MSG_TOO_BIG = _("Berkas terlalu besar (paling besar %(max)s MB).")
MSG_NOTHING_SENT = _("Belum ada pembayaran siklus ini yang dikirim; belum ada hasil yang dapat dicocokkan.")
MSG_SAME_FILE = _("Berkas yang sama persis sudah diunggah pada %(when)s (%(name)s); tidak ada yang berubah.")
MSG_NO_LINES = _("Berkas tidak berisi baris hasil pembayaran.")
MSG_BUDGET_INCONSISTENT = _(
    "Pembayaran dalam berkas melebihi dana yang dikomitmenkan untuk pesertanya; tidak ada yang diterapkan. "
    "Hubungi admin kelurahan."
)
DETAIL_EMPTY_REFERENCE = _("Referensi kosong.")
DETAIL_CHECK_DIGITS = _("Angka kontrol referensi tidak cocok: kemungkinan salah ketik.")
DETAIL_AMOUNT = _("Nilai di berkas %(file)s, tercatat %(platform)s.")
DETAIL_CONFLICT = _("Berkas menyatakan “%(file)s”, tetapi tercatat “%(platform)s”.")
DETAIL_FUTURE = _("Tanggal bayar %(date)s belum terjadi.")
STATUS_LABELS = {"paid": _("dibayar"), "failed": _("gagal")}


def _read(fileobj: IO[bytes]) -> bytes:
    data = fileobj.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ResultFileError(MSG_TOO_BIG, max=MAX_BYTES // (1024 * 1024))
    return data


def result_upload(*, actor, cycle: Cycle, fileobj: IO[bytes], file_name: str) -> ResultUpload:
    """Reconcile one result file against ``cycle``; returns the upload with its counts and problems."""
    program = Program.objects.get(pk=cycle.program_id)
    require_cash(actor, program)  # refuse early, before reading a large file; checked again under lock
    data = _read(fileobj)
    digest = hashlib.sha256(data).hexdigest()
    rows = list(read_result_file(io.BytesIO(data), max_lines=MAX_LINES))
    for row in rows:  # references are issued in capitals; some banks' systems send them in lower case
        row.reference = row.reference.upper()
    if not rows:
        raise ResultFileError(MSG_NO_LINES)
    try:
        return _apply(actor=actor, cycle=cycle, rows=rows, digest=digest, size=len(data),
                      file_name=(file_name or "hasil.csv")[:200])
    except IntegrityError as exc:
        if ResultUpload.objects.filter(cycle=cycle, sha256=digest).exists():
            raise _same_file(ResultUpload.objects.get(cycle=cycle, sha256=digest)) from exc
        raise DomainError("budget_inconsistent", MSG_BUDGET_INCONSISTENT) from exc


def _same_file(earlier: ResultUpload) -> DomainError:
    return DomainError("same_file", MSG_SAME_FILE, field="file", name=earlier.file_name,
                       when=formats.date_format(timezone.localtime(earlier.uploaded_at), "j F Y H:i"))


@transaction.atomic
def _apply(*, actor, cycle: Cycle, rows, digest: str, size: int, file_name: str) -> ResultUpload:
    program, cycle = lock_cycle(cycle)
    require_cash(actor, program)
    if cycle.state not in (CycleState.PAYING, CycleState.CLOSED):
        raise DomainError("nothing_sent", MSG_NOTHING_SENT)
    earlier = ResultUpload.objects.filter(cycle=cycle, sha256=digest).first()
    if earlier is not None:
        raise _same_file(earlier)
    upload = ResultUpload.objects.create(cycle=cycle, file_name=file_name, sha256=digest, size=size,
                                         uploaded_by=actor, lines=len(rows))
    payments = {
        ref: (pk, eid, enrollment_id, hid, amount, status)
        for pk, ref, eid, enrollment_id, hid, amount, status in Payment.objects.filter(
            batch__cycle=cycle).values_list("pk", "reference", "entitlement_id", "entitlement__enrollment_id",
                                            "entitlement__household_id", "amount", "status").iterator(chunk_size=5000)
    }
    counts = Counter(row.reference for row in rows if row.reference)
    unknown = {row.reference for row in rows if row.reference and row.reference not in payments}
    elsewhere = _references_elsewhere(unknown)
    today = timezone.localdate()
    problems: list[list] = []
    to_pay: list[Paid] = []
    to_fail: list[Failed] = []
    unchanged = 0

    def problem(row, code, detail=""):
        problems.append([upload.pk, row.line_no, row.reference[:100], code, str(detail)[:300], row.raw])

    for row in rows:
        if row.errors or row.status is None:
            problem(row, ProblemCode.UNREADABLE, " ".join(str(e) for e in row.errors))
        elif not row.reference:
            problem(row, ProblemCode.UNREADABLE, DETAIL_EMPTY_REFERENCE)
        elif counts[row.reference] > 1:
            problem(row, ProblemCode.DUPLICATE)
        elif row.reference not in payments:
            if row.reference in elsewhere:
                problem(row, ProblemCode.OTHER_CYCLE, elsewhere[row.reference])
            else:
                problem(row, ProblemCode.UNKNOWN_REFERENCE,
                        "" if reference_checks(row.reference) or not row.reference.upper().startswith("DK")
                        else DETAIL_CHECK_DIGITS)
        else:
            pk, eid, enrollment_id, hid, amount, status = payments[row.reference]
            # A failed line may leave the amount empty (the reader allows it; returned transfers often do).
            if row.amount != amount and not (row.status == "failed" and row.amount is None):
                problem(row, ProblemCode.AMOUNT_MISMATCH,
                        DETAIL_AMOUNT % {"file": rupiah(row.amount or 0), "platform": rupiah(amount)})
            elif row.status == "paid" and row.paid_on is not None and row.paid_on > today:
                problem(row, ProblemCode.UNREADABLE, DETAIL_FUTURE % {"date": row.paid_on.isoformat()})
            elif status == row.status:
                unchanged += 1
            elif status == PaymentStatus.SENT:
                if row.status == "paid":
                    to_pay.append(Paid(pk, eid, enrollment_id, hid, amount, row.paid_on or today))
                else:
                    to_fail.append(Failed(pk, eid, hid, row.reason))
            elif status == PaymentStatus.VOID:
                problem(row, ProblemCode.NOT_SENT)
            else:
                problem(row, ProblemCode.CONFLICT, DETAIL_CONFLICT % {
                    "file": STATUS_LABELS[row.status], "platform": Payment(status=status).get_status_display()})
    paid_amount = apply_paid(actor=actor, program=program, cycle=cycle, items=to_pay, upload=upload)
    apply_failed(actor=actor, cycle=cycle, items=to_fail, upload=upload)
    # Written as plain rows (COPY on PostgreSQL): a hostile file of 100,000 unknown lines must not hold
    # the cycle lock while the ORM builds and saves 100,000 model instances.
    inserter = Inserter(ResultProblem, PROBLEM_COLUMNS)
    for start in range(0, len(problems), BATCH):
        inserter.insert(problems[start:start + BATCH])
    upload.paid_count, upload.paid_amount, upload.failed_count = len(to_pay), paid_amount, len(to_fail)
    upload.unchanged_count, upload.problem_count = unchanged, len(problems)
    upload.save(update_fields=["paid_count", "paid_amount", "failed_count", "unchanged_count", "problem_count"])
    close_if_done(cycle)
    audit_log(actor=actor, action="cash.result.upload", obj=cycle,
              changes={"file": file_name, "lines": len(rows), "paid": len(to_pay), "paid_amount": paid_amount,
                       "failed": len(to_fail), "unchanged": unchanged, "problems": len(problems)})
    return upload


def _references_elsewhere(references: set[str]) -> dict[str, str]:
    """Unknown references that belong to another cycle: reference -> that cycle's name."""
    found: dict[str, str] = {}
    refs = sorted(references)
    for start in range(0, len(refs), BATCH):
        for ref, program, label in Payment.objects.filter(reference__in=refs[start:start + BATCH]).values_list(
            "reference", "batch__cycle__program__name", "batch__cycle__label"
        ):
            found[ref] = f"{program} \u2014 {label}"
    return found


__all__ = ["result_upload", "ResultFileError"]
