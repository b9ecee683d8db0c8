"""Reads behind the payment pages: a cycle's batches, result uploads and failures, the lines of a
payment file, the problems of a result file, and the cash hand-out search.

Every entry point takes the user and checks ``require_cash`` on the cycle's program (an officer of
the program's agency, or the kelurahan admin); the views only turn refusals into 403/404.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.text import slugify

from bansos.cash.access import can_manage_cash, require_cash
from bansos.cash.models import (
    Batch, Cycle, CycleState, Entitlement, EntitlementState, InstitutionKind, PayeeAccount, Payment, PaymentStatus,
    ResultProblem, ResultUpload,
)
from bansos.core.errors import NotFoundError

FILE_CHUNK = 2000
HANDOUT_LIMIT = 20
_PICKUP = re.compile(r"^[A-Z0-9]{8}$")  # services.payments.PICKUP_ALPHABET, 8 characters


# --- Objects of one cycle, with the right checked ------------------------------------------------------


def cycle_for_payments(*, user, cycle_id: int) -> Cycle:
    """The cycle whose payments ``user`` manages; 404 when missing, 403 outside the user's agency."""
    cycle = Cycle.objects.select_related("program__agency", "institution").filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFoundError()
    require_cash(user, cycle.program)
    return cycle


def batch_for_download(*, user, batch_id: int) -> Batch:
    batch = Batch.objects.select_related("cycle__program", "institution").filter(pk=batch_id).first()
    if batch is None:
        raise NotFoundError()
    require_cash(user, batch.cycle.program)
    return batch


def upload_for_user(*, user, upload_id: int) -> ResultUpload:
    upload = ResultUpload.objects.select_related(
        "cycle__program__agency", "cycle__institution", "uploaded_by").filter(pk=upload_id).first()
    if upload is None:
        raise NotFoundError()
    require_cash(user, upload.cycle.program)
    return upload


def payment_for_handout(*, user, payment_id: int) -> Payment:
    payment = Payment.objects.select_related(
        "batch__cycle__program", "batch__institution", "entitlement__household", "receipt__handed_by",
    ).filter(pk=payment_id).first()
    if payment is None:
        raise NotFoundError()
    require_cash(user, payment.batch.cycle.program)
    return payment


# --- The payments section of a cycle -----------------------------------------------------------------


@dataclass
class PaymentsSection:
    cycle: Cycle
    batches: list[Batch]
    uploads: list[ResultUpload]
    counts: dict[str, int]  # entitlements per state of the cycle
    can_send: bool  # a batch can be made now (approved or paying, some entitlement due)
    is_cash_office: bool
    accepts_results: bool  # the cycle has sent payments a result file can be matched against


def payments_section(*, user, cycle: Cycle) -> PaymentsSection | None:
    """What the payments part of the cycle page shows; None for users who do not manage the cycle."""
    if not can_manage_cash(user, cycle.program):
        return None
    batches = list(Batch.objects.filter(cycle=cycle).select_related("created_by").order_by("number"))
    uploads = list(ResultUpload.objects.filter(cycle=cycle).select_related("uploaded_by")
                   .order_by("-uploaded_at", "-pk"))
    counts = dict.fromkeys(EntitlementState.values, 0)
    counts.update(Entitlement.objects.filter(cycle=cycle).order_by().values_list("state").annotate(n=Count("pk")))
    live = cycle.state in (CycleState.APPROVED, CycleState.PAYING)
    return PaymentsSection(
        cycle=cycle, batches=batches, uploads=uploads, counts=counts,
        can_send=live and counts[EntitlementState.DUE] > 0,
        is_cash_office=cycle.institution.kind == InstitutionKind.CASH_OFFICE,
        accepts_results=cycle.state in (CycleState.PAYING, CycleState.CLOSED),
    )


def without_account_count(cycle: Cycle) -> int:
    """Entitlements waiting to be sent whose household has no account at the cycle's bank."""
    accounts = PayeeAccount.objects.filter(household=OuterRef("household_id"), institution=cycle.institution_id)
    return Entitlement.objects.filter(cycle=cycle, state=EntitlementState.DUE).exclude(Exists(accounts)).count()


def failed_ids(cycle: Cycle, ids=None) -> list[int]:
    """Of ``ids`` (all when None), those that are failed entitlements of the cycle now."""
    qs = Entitlement.objects.filter(cycle=cycle, state=EntitlementState.FAILED)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return list(qs.order_by("pk").values_list("pk", flat=True))


def failed_entitlements(cycle: Cycle) -> QuerySet[Entitlement]:
    """Failed entitlements of the cycle with the reason of their last failed attempt."""
    last_failure = Payment.objects.filter(entitlement=OuterRef("pk"), status=PaymentStatus.FAILED).order_by(
        "-attempt").values("failure_reason")[:1]
    return (Entitlement.objects.filter(cycle=cycle, state=EntitlementState.FAILED)
            .annotate(failure_reason=Subquery(last_failure))
            .only("pk", "recipient_name", "kk_number", "rt_label", "amount", "attempts", "household_id")
            .order_by("pk"))


# --- The payment file ----------------------------------------------------------------------------------


def payment_file_name(batch: Batch, extension: str) -> str:
    """``pembayaran-<program>-<period>-b<number>.<ext>``: ASCII only, safe in any header or file system."""
    cycle = batch.cycle
    program = slugify(cycle.program.name)
    if len(program) > 40:  # cut at a word, not inside one
        program = program[:41].rsplit("-", 1)[0]
    program = program.strip("-") or "program"
    start = cycle.period_start
    period = f"{start:%Y-%m}" if start.day == 1 else f"{start:%Y-%m-%d}"
    return f"pembayaran-{program}-{period}-b{batch.number}.{extension}"


def payment_file_lines(batch: Batch) -> Iterator[dict]:
    """Every line of the batch's payment file, in payment order, as the mappings the file writers read.

    Names, NIK and KK are the entitlement's frozen snapshot (the file pays what was approved);
    address and phone are read from the registry as they are now, to reach the household.
    """
    program = batch.cycle.program.name
    period = batch.cycle.label
    rows = (Payment.objects.filter(batch=batch).order_by("pk").values_list(
        "reference", "amount", "account_number", "account_name", "pickup_code",
        "entitlement__recipient_nik", "entitlement__recipient_name", "entitlement__kk_number",
        "entitlement__rt_label", "entitlement__household__address", "entitlement__household__phone",
    ).iterator(chunk_size=FILE_CHUNK))
    for ref, amount, account, account_name, pickup, nik, name, kk, rt, address, phone in rows:
        yield {"reference": ref, "amount": amount, "account_number": account, "account_name": account_name,
               "pickup_code": pickup, "nik": nik, "name": name, "kk_number": kk, "rt_rw": rt,
               "address": address, "phone": phone, "program": program, "period": period}


# --- Result files ---------------------------------------------------------------------------------------


def upload_problems(upload: ResultUpload) -> QuerySet[ResultProblem]:
    return ResultProblem.objects.filter(upload=upload).order_by("line_no", "pk")


def problem_report_lines(upload: ResultUpload) -> Iterator[dict]:
    """The upload's problems as the mappings ``files.problem_report_csv`` reads."""
    for problem in upload_problems(upload).iterator(chunk_size=FILE_CHUNK):
        text = [str(problem.get_code_display())]
        if problem.detail:
            text.append(problem.detail)
        yield {"line_no": problem.line_no, "reference": problem.reference, "problem": text, "raw": problem.raw}


# --- Cash hand-out at the kelurahan office ---------------------------------------------------------------


def handout_counts(cycle: Cycle) -> dict[str, int]:
    """Cash-office payments of the cycle: waiting to be collected, handed out, and their amounts."""
    agg = Payment.objects.filter(batch__cycle=cycle).aggregate(
        waiting=Count("pk", filter=Q(status=PaymentStatus.SENT)),
        waiting_amount=Sum("amount", filter=Q(status=PaymentStatus.SENT)),
        received=Count("pk", filter=Q(status=PaymentStatus.PAID)),
        received_amount=Sum("amount", filter=Q(status=PaymentStatus.PAID)),
    )
    return {key: value or 0 for key, value in agg.items()}


def handout_open_batches(cycle: Cycle) -> list[Batch]:
    """Batches of the cycle with payments still waiting to be collected, each with ``waiting``."""
    return list(Batch.objects.filter(cycle=cycle, payments__status=PaymentStatus.SENT)
                .annotate(waiting=Count("payments")).order_by("number"))


def handout_search(*, cycle: Cycle, text: str) -> tuple[list[Payment], bool]:
    """Sent (and already collected) payments of the cycle matching a pickup code, a NIK or a name.

    Returns (payments, more): at most ``HANDOUT_LIMIT``, waiting ones first, and whether more matched.
    A NIK matches exactly; eight letters and digits may be a pickup code or part of a name, so both
    are tried; anything else (three characters or more) matches anywhere in the recipient's name.
    Collected payments are returned too, so the desk sees "already received" rather than "not found".
    """
    text = " ".join(text.split())[:100]
    compact = re.sub(r"[\s.\-]", "", text).upper()
    if compact.isdigit() and len(compact) == 16:
        match = Q(entitlement__recipient_nik=compact)
    elif _PICKUP.match(compact):
        match = Q(pickup_code=compact) | Q(entitlement__recipient_name__icontains=text)
    elif len(text) >= 3:
        match = Q(entitlement__recipient_name__icontains=text)
    else:
        return [], False
    qs = (Payment.objects.filter(match, batch__cycle=cycle, status__in=(PaymentStatus.SENT, PaymentStatus.PAID))
          .select_related("entitlement__household", "receipt__handed_by"))
    rows = list(qs.order_by("entitlement__recipient_name", "pk")[:HANDOUT_LIMIT + 1])
    more = len(rows) > HANDOUT_LIMIT
    rows = rows[:HANDOUT_LIMIT]
    rows.sort(key=lambda p: p.status != PaymentStatus.SENT)  # stable: waiting first, then by name
    return rows, more
