"""Cash API: paying institutions, schemes, cycles, entitlements, batches, result files, receipts.

Operations look objects up, hand typed input to one service and render the result; permission
checks, maker-checker, the budget guarantee and audit events are the services' business, shared
with the pages. A caller whose role cannot do an operation at all is refused before any id it
sent is looked up; a cycle of another agency's program is refused by the same object rule the
pages use. Reads of a household's cash follow the household page: staff who may see the household
and the program's cycles see everything, the household's own resident sees what it gets and when.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router
from ninja.files import UploadedFile


from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_perm, has_role_perm, household_scope, require
from bansos.cash.access import can_approve_cash, can_manage_cash, can_view_cycle, require_cash, require_view_cycle
from bansos.cash.models import (
    Batch, CashScheme, Cycle, CycleState, Entitlement, EntitlementState, Payment, PaymentInstitution, PaymentStatus,
    ResultProblem, ResultUpload,
)
from bansos.cash.schemas import (
    BatchCreateOut, BatchOut, CountOut, CycleCreateIn, CycleDetailOut, CyclePage, EntitlementCancelIn,
    EntitlementPage, HouseholdCashOut, InstitutionIn, InstitutionOut, InstitutionUpdateIn, ReasonIn, ReceiptIn,
    ReceiptOut, ResultDetailOut, ResultUploadOut, RetryIn, SchemeIn, SchemeOut,
)
from bansos.cash import selectors_payments as payment_selectors
from bansos.cash.files import payment_csv
from bansos.cash.selectors import household_entitlements
from bansos.cash.services import cycles, payments, reconcile, setup
from bansos.cash.services import files as file_services
from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from bansos.core.formats import mask_nik
from bansos.programs.models import Program
from bansos.registry.models import Household
from bansos.registry.selectors import household_get

router = Router(tags=["cash"])

PAGE_SIZE_DEFAULT = 25
PAGE_SIZE_MAX = 100

MSG_PROGRAM_UNKNOWN = _("Program tidak ditemukan.")
MSG_INSTITUTION_UNKNOWN = _("Lembaga bayar tidak ditemukan.")

# What a resident sees of its own household: cycles a checker approved (a list still being prepared,
# or withdrawn before anything was sent, promised nothing).
RESIDENT_CYCLE_STATES = (CycleState.APPROVED, CycleState.PAYING, CycleState.CLOSED)


def _pages(total: int, page_size: int) -> int:
    return math.ceil(total / page_size)


def _slice(total: int, page: int, page_size: int) -> tuple[int, int] | None:
    start = (page - 1) * page_size
    return (start, start + page_size) if start < total else None


def _lookup(model_qs, pk: int | None, field: str, message):
    """An object named in the body, or a field error (a wrong id in a body is bad input, not a 404)."""
    found = model_qs.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationFailed({field: [str(message)]})
    return found


def _person(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.username}


def _require_cash_role(user) -> None:
    """Managers and checkers of cash transfers; everyone else is refused before any lookup."""
    if not (has_role_perm(user, P.CASH_MANAGE) or has_role_perm(user, P.CASH_APPROVE)):
        raise PermissionDeniedError()


def _require_manage_role(user) -> None:
    if not has_role_perm(user, P.CASH_MANAGE):
        raise PermissionDeniedError()


def _full_nik_households(user, household_ids) -> set[int]:
    """The households among ``household_ids`` whose members' whole NIKs the caller may see (one query)."""
    if not has_role_perm(user, P.NIK_FULL) or not household_ids:
        return set()
    return set(Household.objects.filter(household_scope(user), pk__in=list(household_ids))
               .values_list("pk", flat=True))


# --- Paying institutions ------------------------------------------------------------------------


def _institution_ref(institution: PaymentInstitution) -> dict[str, Any]:
    return {"id": institution.pk, "name": institution.name, "kind": institution.kind}


def _institution_out(institution: PaymentInstitution) -> dict[str, Any]:
    return {"id": institution.pk, "name": institution.name, "kind": institution.kind,
            "columns": list(institution.columns or []), "file_format": institution.file_format,
            "csv_delimiter": institution.csv_delimiter, "is_active": institution.is_active}


def _columns_in(columns) -> list:
    return [c if isinstance(c, str) else {"key": c.key, "header": c.header} for c in columns]


@router.get("/cash/institutions", response={200: list[InstitutionOut], **ERROR_RESPONSES},
            operation_id="cash_institution_list", summary="Paying institutions and their payment-file columns")
def cash_institution_list(request, active: bool | None = Query(None, description="Only active (true) or inactive")):
    _require_cash_role(request.auth)
    qs = PaymentInstitution.objects.all()
    if active is not None:
        qs = qs.filter(is_active=active)
    return [_institution_out(i) for i in qs]


@router.post("/cash/institutions", response={201: InstitutionOut, **ERROR_RESPONSES},
             operation_id="cash_institution_create", summary="Record a paying institution (kelurahan admin)")
def cash_institution_create(request, payload: InstitutionIn):
    user = request.auth
    require(user, P.CASH_INSTITUTIONS)
    data = {**payload.dict(), "columns": _columns_in(payload.columns), "kind": payload.kind.value}
    return Status(201, _institution_out(setup.institution_create(actor=user, data=data)))


@router.patch("/cash/institutions/{int:institution_id}", response={200: InstitutionOut, **ERROR_RESPONSES},
              operation_id="cash_institution_update",
              summary="Change a paying institution's fields (those sent), e.g. its columns or deactivate it")
def cash_institution_update(request, institution_id: int, payload: InstitutionUpdateIn):
    user = request.auth
    require(user, P.CASH_INSTITUTIONS)
    institution = PaymentInstitution.objects.filter(pk=institution_id).first()
    if institution is None:
        raise NotFoundError()
    data = {name: getattr(institution, name) for name in setup.INSTITUTION_FIELDS}
    for name, value in payload.dict(exclude_unset=True).items():
        if value is None:
            continue  # null leaves the field as it is: none of them can be emptied
        if name == "columns":
            value = _columns_in(payload.columns)
        elif name == "kind":
            value = payload.kind.value
        data[name] = value
    return _institution_out(setup.institution_update(actor=user, institution=institution, data=data))


# --- A program's scheme -------------------------------------------------------------------------


def _program_get(pk: int) -> Program:
    program = Program.objects.select_related("agency").filter(pk=pk).first()
    if program is None:
        raise NotFoundError()
    return program


def _scheme_out(scheme: CashScheme) -> dict[str, Any]:
    return {
        "program_id": scheme.program_id, "frequency": scheme.frequency, "amount_rule": scheme.amount_rule,
        "months_per_cycle": scheme.months_per_cycle, "flat_amount": scheme.flat_amount,
        "per_child_sd": scheme.per_child_sd, "per_child_smp": scheme.per_child_smp,
        "per_child_sma": scheme.per_child_sma, "per_child_smk": scheme.per_child_smk,
        "per_child_pkbm": scheme.per_child_pkbm, "per_child_private": scheme.per_child_private,
        "per_pregnant": scheme.per_pregnant,
        "per_under_five": scheme.per_under_five, "per_elderly": scheme.per_elderly,
        "per_disability": scheme.per_disability, "household_cap": scheme.household_cap,
        "institution": _institution_ref(scheme.institution), "updated_at": scheme.updated_at,
    }


@router.get("/cash/programs/{int:program_id}/scheme", response={200: SchemeOut, **ERROR_RESPONSES},
            operation_id="cash_scheme_read", summary="How a cash program pays: how often, how much, through whom")
def cash_scheme_read(request, program_id: int):
    user = request.auth
    _require_cash_role(user)
    program = _program_get(program_id)
    require_view_cycle(user, program)
    scheme = CashScheme.objects.select_related("institution").filter(program=program).first()
    if scheme is None:
        raise NotFoundError(cycles.MSG_NO_SCHEME)
    return _scheme_out(scheme)


@router.put("/cash/programs/{int:program_id}/scheme", response={200: SchemeOut, **ERROR_RESPONSES},
            operation_id="cash_scheme_set",
            summary="Create or replace a cash program's scheme (cycles already generated keep their amounts)")
def cash_scheme_set(request, program_id: int, payload: SchemeIn):
    user = request.auth
    _require_manage_role(user)
    program = _program_get(program_id)
    require_cash(user, program)
    data = payload.dict()
    data["frequency"], data["amount_rule"] = payload.frequency.value, payload.amount_rule.value
    data["institution"] = _lookup(PaymentInstitution.objects.all(), payload.institution, "institution",
                                  MSG_INSTITUTION_UNKNOWN)
    scheme = setup.scheme_set(actor=user, program=program, data=data)
    return _scheme_out(CashScheme.objects.select_related("institution").get(pk=scheme.pk))


# --- Cycles -------------------------------------------------------------------------------------


def _cycles():
    return Cycle.objects.select_related("program__agency", "institution", "created_by", "generated_by",
                                        "approved_by")


def _cycle_get(user, pk: int) -> Cycle:
    """A cycle the caller may see (its program's managers and the checkers), or 404/403."""
    _require_cash_role(user)
    cycle = _cycles().filter(pk=pk).first()
    if cycle is None:
        raise NotFoundError()
    require_view_cycle(user, cycle.program)
    return cycle


def _cycle_for_work(user, pk: int) -> Cycle:
    """A cycle to act on; the services check the agency again under their locks."""
    _require_manage_role(user)
    cycle = _cycles().filter(pk=pk).first()
    if cycle is None:
        raise NotFoundError()
    require_cash(user, cycle.program)
    return cycle


def cycle_out(cycle: Cycle) -> dict[str, Any]:
    program = cycle.program
    return {
        "id": cycle.pk, "label": cycle.label, "period_start": cycle.period_start, "period_end": cycle.period_end,
        "program": {"id": program.pk, "name": program.name, "kind": program.kind, "agency": program.agency.name},
        "state": cycle.state, "institution": _institution_ref(cycle.institution),
        "planned_count": cycle.planned_count, "planned_amount": cycle.planned_amount,
        "paid_count": cycle.paid_count, "paid_amount": cycle.paid_amount,
        "cancelled_count": cycle.cancelled_count, "cancelled_amount": cycle.cancelled_amount,
        "open_amount": cycle.open_amount, "topup_amount": cycle.topup_amount,
        "created_by": _person(cycle.created_by), "created_at": cycle.created_at,
        "generated_by": _person(cycle.generated_by), "generated_at": cycle.generated_at,
        "approved_by": _person(cycle.approved_by), "approved_at": cycle.approved_at,
        "closed_at": cycle.closed_at, "cancelled_at": cycle.cancelled_at, "cancel_reason": cycle.cancel_reason,
    }


def _cycle_detail(user, pk: int) -> dict[str, Any]:
    cycle = _cycles().get(pk=pk)
    sums = {state: {"count": n, "amount": amount or 0} for state, n, amount in Entitlement.objects.filter(
        cycle=cycle).order_by().values("state").annotate(n=Count("pk"), s=Sum("amount")).values_list(
        "state", "n", "s")}
    report = cycle.generation_report or {}
    return {
        **cycle_out(cycle),
        "generation_report": {"included": report.get("included", 0), "amount": report.get("amount", 0),
                              "excluded": report.get("excluded", {})},
        "by_state": {state: sums.get(state, {"count": 0, "amount": 0}) for state in EntitlementState.values},
        "batch_count": Batch.objects.filter(cycle=cycle).count(),
        "manageable": can_manage_cash(user, cycle.program),
        "approvable": can_approve_cash(user) and cycle.state == CycleState.GENERATED
        and cycle.generated_by_id != user.pk,
    }


@router.get("/cash/cycles", response={200: CyclePage, **ERROR_RESPONSES}, operation_id="cash_cycle_list",
            summary="Payment cycles the caller may see, newest period first")
def cash_cycle_list(
    request,
    program: int | None = Query(None, description="Program id"),
    state: CycleState | None = Query(None),
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX),
):
    """Officers: the cycles of their agency's programs; the kelurahan admin (the checker): every cycle."""
    user = request.auth
    _require_cash_role(user)
    qs = _cycles()
    if not (user.role == Role.ADMIN or can_approve_cash(user)):
        qs = qs.filter(program__agency_id=user.agency_id) if user.agency_id else qs.none()
    if program is not None:
        qs = qs.filter(program_id=program)
    if state is not None:
        qs = qs.filter(state=state.value)
    total = qs.count()
    window = _slice(total, page, page_size)
    rows = list(qs[window[0]:window[1]]) if window else []
    return {"items": [cycle_out(c) for c in rows], "total": total, "page": page, "page_size": page_size,
            "pages": _pages(total, page_size)}


@router.post("/cash/cycles", response={201: CycleDetailOut, **ERROR_RESPONSES}, operation_id="cash_cycle_create",
             summary="Open a draft cycle of a cash program for one period")
def cash_cycle_create(request, payload: CycleCreateIn):
    user = request.auth
    _require_manage_role(user)
    program = _lookup(Program.objects.all(), payload.program, "program", MSG_PROGRAM_UNKNOWN)
    cycle = cycles.cycle_create(actor=user, program=program, period_start=payload.period_start)
    return Status(201, _cycle_detail(user, cycle.pk))


@router.get("/cash/cycles/{int:cycle_id}", response={200: CycleDetailOut, **ERROR_RESPONSES},
            operation_id="cash_cycle_read",
            summary="One cycle: totals, what generation found, money per entitlement state")
def cash_cycle_read(request, cycle_id: int):
    user = request.auth
    _cycle_get(user, cycle_id)
    return _cycle_detail(user, cycle_id)


@router.post("/cash/cycles/{int:cycle_id}/generate", response={200: CycleDetailOut, **ERROR_RESPONSES},
             operation_id="cash_cycle_generate",
             summary="Freeze who is paid and how much (again, until the cycle is approved)")
def cash_cycle_generate(request, cycle_id: int):
    user = request.auth
    cycles.cycle_generate(actor=user, cycle=_cycle_for_work(user, cycle_id))
    return _cycle_detail(user, cycle_id)


@router.post("/cash/cycles/{int:cycle_id}/approve", response={200: CycleDetailOut, **ERROR_RESPONSES},
             operation_id="cash_cycle_approve",
             summary="The checker approves a generated cycle within the program's budget (idempotent)")
def cash_cycle_approve(request, cycle_id: int):
    """Refusals answer with the service's code: ``maker_checker``, ``cycle_state``, ``empty_cycle``,
    ``cycle_stale``, ``budget_exhausted``."""
    user = request.auth
    if not can_approve_cash(user):
        raise PermissionDeniedError()
    cycle = _cycle_get(user, cycle_id)
    cycles.cycle_approve(actor=user, cycle=cycle)
    return _cycle_detail(user, cycle_id)


@router.post("/cash/cycles/{int:cycle_id}/cancel", response={200: CycleDetailOut, **ERROR_RESPONSES},
             operation_id="cash_cycle_cancel",
             summary="Withdraw a cycle before any payment is sent (reason required)")
def cash_cycle_cancel(request, cycle_id: int, payload: ReasonIn):
    user = request.auth
    cycles.cycle_cancel(actor=user, cycle=_cycle_for_work(user, cycle_id), reason=payload.reason)
    return _cycle_detail(user, cycle_id)


# --- Entitlements -------------------------------------------------------------------------------


def _payment_ref(payment: Payment | None) -> dict[str, Any] | None:
    if payment is None:
        return None
    return {"id": payment.pk, "batch_number": payment.batch.number, "attempt": payment.attempt,
            "reference": payment.reference, "status": payment.status, "pickup_code": payment.pickup_code,
            "paid_on": payment.paid_on, "failure_reason": payment.failure_reason}


def _entitlement_out(item: Entitlement, full_nik: bool) -> dict[str, Any]:
    attempts = getattr(item, "latest", [])
    return {
        "id": item.pk, "enrollment_id": item.enrollment_id, "household_id": item.household_id,
        "participant_id": item.participant_id, "kk_number": item.kk_number, "recipient_name": item.recipient_name,
        "recipient_nik": item.recipient_nik if full_nik else mask_nik(item.recipient_nik),
        "rt_label": item.rt_label, "amount": item.amount, "breakdown": list(item.breakdown or []),
        "state": item.state, "attempts": item.attempts, "paid_on": item.paid_on,
        "cancel_reason": item.cancel_reason, "last_payment": _payment_ref(attempts[0] if attempts else None),
    }


@router.get("/cash/cycles/{int:cycle_id}/entitlements", response={200: EntitlementPage, **ERROR_RESPONSES},
            operation_id="cash_entitlement_list",
            summary="Who is paid in the cycle, how much, and how far each payment got")
def cash_entitlement_list(
    request, cycle_id: int,
    state: EntitlementState | None = Query(None),
    q: str = Query("", max_length=100, description="Words of the recipient's name, or a whole NIK or KK number"),
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX),
):
    """NIKs are masked unless the caller may see them whole."""
    user = request.auth
    cycle = _cycle_get(user, cycle_id)
    base = Entitlement.objects.filter(cycle=cycle)
    counts = dict(base.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n"))
    qs = base
    if state is not None:
        qs = qs.filter(state=state.value)
    text = q.strip()
    if text.isdigit():
        qs = qs.filter(Q(recipient_nik=text) | Q(kk_number=text))
    else:
        for word in text.split():
            qs = qs.filter(recipient_name__icontains=word)
    total = qs.count()
    window = _slice(total, page, page_size)
    ids = list(qs.order_by("pk").values_list("pk", flat=True)[window[0]:window[1]]) if window else []
    latest = Payment.objects.select_related("batch").order_by("-attempt")
    rows = list(Entitlement.objects.filter(pk__in=ids).order_by("pk").prefetch_related(
        Prefetch("payments", queryset=latest, to_attr="latest")))
    full = _full_nik_households(user, {e.household_id for e in rows})
    return {"items": [_entitlement_out(e, e.household_id in full) for e in rows],
            "counts": {s: counts.get(s, 0) for s in EntitlementState.values},
            "total": total, "page": page, "page_size": page_size, "pages": _pages(total, page_size)}


@router.post("/cash/cycles/{int:cycle_id}/entitlements/retry", response={200: CountOut, **ERROR_RESPONSES},
             operation_id="cash_entitlement_retry",
             summary="Put failed entitlements (those named, or every failed one) in the next batch")
def cash_entitlement_retry(request, cycle_id: int, payload: RetryIn):
    user = request.auth
    cycle = _cycle_for_work(user, cycle_id)
    return {"done": payments.entitlements_retry(actor=user, cycle=cycle, ids=payload.ids)}


@router.post("/cash/cycles/{int:cycle_id}/entitlements/cancel", response={200: CountOut, **ERROR_RESPONSES},
             operation_id="cash_entitlement_cancel",
             summary="Give up paying failed or not yet sent entitlements; their money returns to the budget")
def cash_entitlement_cancel(request, cycle_id: int, payload: EntitlementCancelIn):
    user = request.auth
    cycle = _cycle_for_work(user, cycle_id)
    return {"done": payments.entitlements_cancel(actor=user, cycle=cycle, reason=payload.reason, ids=payload.ids)}


# --- Batches ------------------------------------------------------------------------------------


def _batch_out(batch: Batch, by_status: dict[str, int]) -> dict[str, Any]:
    return {"id": batch.pk, "cycle_id": batch.cycle_id, "number": batch.number,
            "institution": _institution_ref(batch.institution), "line_count": batch.line_count,
            "total_amount": batch.total_amount, "created_by": _person(batch.created_by),
            "created_at": batch.created_at, "downloads": batch.downloads,
            "by_status": {s: by_status.get(s, 0) for s in PaymentStatus.values}}


def _batches(cycle_id: int, pk: int | None = None) -> list[dict[str, Any]]:
    qs = Batch.objects.filter(cycle_id=cycle_id).select_related("institution", "created_by")
    if pk is not None:
        qs = qs.filter(pk=pk)
    rows = list(qs.order_by("number"))
    status: dict[int, dict[str, int]] = {}
    for batch_id, state, n in Payment.objects.filter(batch__in=[b.pk for b in rows]).order_by().values(
            "batch_id", "status").annotate(n=Count("pk")).values_list("batch_id", "status", "n"):
        status.setdefault(batch_id, {})[state] = n
    return [_batch_out(b, status.get(b.pk, {})) for b in rows]


@router.post("/cash/cycles/{int:cycle_id}/batches", response={201: BatchCreateOut, **ERROR_RESPONSES},
             operation_id="cash_batch_create",
             summary="Send every entitlement waiting to be paid (first time or retry) in a new batch")
def cash_batch_create(request, cycle_id: int):
    """Bank batches leave out households without an account there (``without_account`` says how many)."""
    user = request.auth
    result = payments.batch_create(actor=user, cycle=_cycle_for_work(user, cycle_id))
    return Status(201, {**_batches(cycle_id, result.batch.pk)[0], "without_account": result.without_account})


@router.get("/cash/cycles/{int:cycle_id}/batches", response={200: list[BatchOut], **ERROR_RESPONSES},
            operation_id="cash_batch_list", summary="The cycle's payment batches with their payments per status")
def cash_batch_list(request, cycle_id: int):
    cycle = _cycle_get(request.auth, cycle_id)
    return _batches(cycle.pk)


CSV_RESPONSE = {"responses": {"200": {
    "description": "The payment file in the institution's columns (UTF-8 with BOM, its delimiter)",
    "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
}}}


@router.get("/cash/batches/{int:batch_id}/file", response=ERROR_RESPONSES, operation_id="cash_batch_file",
            summary="Download a batch's payment file as CSV (an audited export of personal data)",
            openapi_extra=CSV_RESPONSE)
def cash_batch_file(request, batch_id: int):
    """Every download is counted on the batch and written to the cycle's history, as on the pages."""
    user = request.auth
    _require_manage_role(user)
    batch = payment_selectors.batch_for_download(user=user, batch_id=batch_id)
    institution = batch.institution
    body = payment_csv(payment_selectors.payment_file_lines(batch), institution.columns,
                       delimiter=institution.csv_delimiter)
    file_services.batch_download_record(actor=user, batch=batch, file_format="csv")
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, payment_selectors.payment_file_name(batch, "csv"))
    response["Cache-Control"] = "no-store, private"  # personal data: never kept by a shared cache
    return response


# --- Result files -------------------------------------------------------------------------------


def _upload_out(upload: ResultUpload) -> dict[str, Any]:
    return {"id": upload.pk, "cycle_id": upload.cycle_id, "file_name": upload.file_name, "size": upload.size,
            "uploaded_by": _person(upload.uploaded_by), "uploaded_at": upload.uploaded_at, "lines": upload.lines,
            "paid_count": upload.paid_count, "paid_amount": upload.paid_amount,
            "failed_count": upload.failed_count, "unchanged_count": upload.unchanged_count,
            "problem_count": upload.problem_count}


@router.post("/cash/cycles/{int:cycle_id}/results", response={201: ResultUploadOut, **ERROR_RESPONSES},
             operation_id="cash_result_upload",
             summary="Reconcile the paying institution's result file (multipart field \"file\")")
def cash_result_upload(request, cycle_id: int, file: UploadedFile = File(...)):
    """The same file twice is refused (``same_file``); an unreadable file changes nothing (``result_file``).
    Lines that cannot be applied are listed by ``cash_result_read``."""
    user = request.auth
    cycle = _cycle_for_work(user, cycle_id)
    upload = reconcile.result_upload(actor=user, cycle=cycle, fileobj=file, file_name=file.name or "")
    return Status(201, _upload_out(ResultUpload.objects.select_related("uploaded_by").get(pk=upload.pk)))


@router.get("/cash/cycles/{int:cycle_id}/results", response={200: list[ResultUploadOut], **ERROR_RESPONSES},
            operation_id="cash_result_list", summary="The result files uploaded for the cycle, newest first")
def cash_result_list(request, cycle_id: int):
    cycle = _cycle_get(request.auth, cycle_id)
    return [_upload_out(u) for u in ResultUpload.objects.filter(cycle=cycle).select_related("uploaded_by")]


@router.get("/cash/results/{int:upload_id}", response={200: ResultDetailOut, **ERROR_RESPONSES},
            operation_id="cash_result_read", summary="One result upload with the lines it did not apply")
def cash_result_read(
    request, upload_id: int,
    page: int = Query(1, ge=1),
    page_size: int = Query(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX),
):
    user = request.auth
    _require_cash_role(user)
    upload = ResultUpload.objects.select_related("uploaded_by", "cycle__program").filter(pk=upload_id).first()
    if upload is None:
        raise NotFoundError()
    require_view_cycle(user, upload.cycle.program)
    problems = ResultProblem.objects.filter(upload=upload).order_by("line_no", "pk")
    total = problems.count()
    window = _slice(total, page, page_size)
    rows = list(problems[window[0]:window[1]]) if window else []
    items = [{"line_no": p.line_no, "reference": p.reference, "code": p.code, "label": p.get_code_display(),
              "detail": p.detail, "raw": p.raw or {}} for p in rows]
    return {**_upload_out(upload), "problems": {"items": items, "total": total, "page": page,
                                                "page_size": page_size, "pages": _pages(total, page_size)}}


# --- Cash at the office -------------------------------------------------------------------------


@router.post("/cash/payments/{int:payment_id}/receipt", response={201: ReceiptOut, **ERROR_RESPONSES},
             operation_id="cash_receipt_record",
             summary="Record cash handed out at the kelurahan office; the payment becomes paid, once")
def cash_receipt_record(request, payment_id: int, payload: ReceiptIn):
    """Refusals: ``not_cash_office``, ``already_received``, ``not_sent``, ``identity_checked``,
    ``receiver_nik``, ``receiver_name``."""
    user = request.auth
    _require_manage_role(user)
    payment = Payment.objects.select_related("batch__cycle__program", "entitlement").filter(pk=payment_id).first()
    if payment is None:
        raise NotFoundError()
    require_cash(user, payment.batch.cycle.program)
    receipt = payments.receipt_record(
        actor=user, payment=payment, receiver_name=payload.receiver_name, receiver_nik=payload.receiver_nik,
        identity_document=payload.identity_document.value, identity_checked=payload.identity_checked,
        receiver_note=payload.receiver_note)
    full = _full_nik_households(user, [payment.entitlement.household_id])
    nik = receipt.receiver_nik if full else mask_nik(receipt.receiver_nik)
    return Status(201, {
        "id": receipt.pk, "payment_id": payment.pk, "reference": payment.reference, "amount": payment.amount,
        "receiver_name": receipt.receiver_name, "receiver_nik": nik, "receiver_note": receipt.receiver_note,
        "identity_document": receipt.identity_document, "handed_by": _person(user),
        "received_at": receipt.received_at,
    })


# --- A household's cash -------------------------------------------------------------------------


def _household_payment(payment: Payment) -> dict[str, Any]:
    receipt = getattr(payment, "receipt", None)
    return {"attempt": payment.attempt, "reference": payment.reference, "status": payment.status,
            "amount": payment.amount, "paid_on": payment.paid_on, "failure_reason": payment.failure_reason,
            "received_by": receipt.receiver_name if receipt is not None else None}


@router.get("/cash/households/{int:household_id}/entitlements", response={200: HouseholdCashOut, **ERROR_RESPONSES},
            operation_id="cash_household_entitlements",
            summary="A household's cash: every entitlement and payment the caller may see")
def cash_household_entitlements(request, household_id: int):
    """Staff who may see the household see the entitlements of programs whose cycles they may see (with
    recipient and payments); the household's resident sees, for approved cycles, the program, the cycle,
    the amount, its status and the day it was paid. Outside the caller's scope: 404."""
    user = request.auth
    if not has_role_perm(user, P.HOUSEHOLD_VIEW):
        raise PermissionDeniedError()
    household = household_get(user=user, pk=household_id)
    resident = user.role == Role.RESIDENT
    items = []
    if resident:
        for e in household_entitlements(household):
            if e.cycle.state in RESIDENT_CYCLE_STATES:
                items.append({"program": e.cycle.program.name, "cycle_label": e.cycle.label,
                              "period_start": e.cycle.period_start, "period_end": e.cycle.period_end,
                              "amount": e.amount, "status": e.state, "paid_on": e.paid_on})
    else:
        full = has_perm(user, P.NIK_FULL, household)
        for e in household_entitlements(household):
            cycle = e.cycle
            if not can_view_cycle(user, cycle.program):
                continue
            items.append({
                "program": cycle.program.name, "cycle_label": cycle.label, "period_start": cycle.period_start,
                "period_end": cycle.period_end, "amount": e.amount, "status": e.state, "paid_on": e.paid_on,
                "id": e.pk, "program_id": cycle.program_id, "cycle_id": cycle.pk, "cycle_state": cycle.state,
                "recipient_name": e.recipient_name,
                "recipient_nik": e.recipient_nik if full else mask_nik(e.recipient_nik),
                "cancel_reason": e.cancel_reason, "payments": [_household_payment(p) for p in e.payments.all()],
            })
    return {"household_id": household.pk, "items": items}
