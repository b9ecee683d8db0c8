"""API of the linkage app: deduplication runs, the review of pairs, merges, agency lists.

Operations look objects up, hand input to one service and render the result. Deduplication is
``linkage.manage`` (admin); an agency list is its agency's: another agency's officer gets 404.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema, UploadedFile

from bansos.core.api_errors import ERROR_RESPONSES, Status
from bansos.core.errors import NotFoundError
from bansos.linkage import selectors
from bansos.linkage.access import require_list, require_lists, require_manage_linkage
from bansos.linkage.models import AgencyList, AgencyListRow, CandidatePair, LinkageRun, PairStatus, RowStatus
from bansos.linkage.services import lists as list_services
from bansos.linkage.services.pairs import pair_confirm, pair_reject
from bansos.linkage.services.runs import linkage_run_start
from bansos.registry.models import ResidentMerge
from bansos.registry.services_merge import resident_unmerge

router = Router(tags=["linkage"])


class LinkageRunOut(Schema):
    id: int
    status: str
    percent: int
    stage: str
    records: int
    automatic: int
    review: int
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    timings: dict


class EvidenceOut(Schema):
    field: str
    level: str
    text: str


class SideOut(Schema):
    resident_id: int
    household_id: int
    full_name: str
    birth_date: dt.date | None
    sex: str
    status: str


class PairOut(Schema):
    id: int
    run_id: int
    probability: float
    band: str
    status: str
    left: SideOut
    right: SideOut
    evidence: list[EvidenceOut]
    merge_id: int | None


class ConfirmIn(Schema):
    keep_id: int = Field(..., description="The resident (one of the pair) whose record survives")
    reason: str = Field(..., max_length=200)


class LinkageReasonIn(Schema):
    reason: str = Field("", max_length=200)


class UnmergeIn(Schema):
    reason: str = Field(..., max_length=200)


class MergeOut(Schema):
    id: int
    survivor_id: int
    duplicate_id: int
    reason: str
    rows_moved: int
    merged_at: dt.datetime
    undone_at: dt.datetime | None
    undo_reason: str


class ListOut(Schema):
    id: int
    agency_id: int
    title: str
    original_name: str
    status: str
    percent: int
    headers: list[str]
    mapping: dict[str, int]
    rows_total: int
    linked: int
    possible: int
    new: int
    skipped: int
    error: str
    created_at: dt.datetime


class MappingIn(Schema):
    nik: int | None = None
    full_name: int | None = None
    birth_date: int | None = None
    sex: int | None = None
    kk: int | None = None
    rt: int | None = None
    rw: int | None = None
    address: int | None = None


class RowOut(Schema):
    id: int
    number: int
    full_name: str
    nik: str
    birth_date: dt.date | None
    status: str
    probability: float | None
    resident_id: int | None
    evidence: list[EvidenceOut]


class RowDecideIn(Schema):
    decision: str = Field(..., description='"same" or "different"')


class ReportLineOut(Schema):
    number: int
    full_name: str
    own_programs: list[str]
    other_kinds: list[str]


class ReportOut(Schema):
    linked: int
    receiving: int
    own: int
    by_kind: dict[str, int]
    lines: list[ReportLineOut]


def _run_out(run: LinkageRun) -> dict:
    return {"id": run.pk, "status": run.status, "percent": run.percent, "stage": run.stage, "records": run.records,
            "automatic": run.automatic, "review": run.review, "error": run.error, "created_at": run.created_at,
            "finished_at": run.finished_at, "timings": run.timings}


def _side(r) -> dict:
    return {"resident_id": r.pk, "household_id": r.household_id, "full_name": r.full_name,
            "birth_date": r.birth_date, "sex": r.sex, "status": r.status}


def _evidence(evidence: dict) -> list[dict]:
    return [{"field": x["field"], "level": x["level"], "text": str(x["text"])}
            for x in selectors.evidence_lines(evidence)]


def _pair_out(p: CandidatePair) -> dict:
    return {"id": p.pk, "run_id": p.run_id, "probability": p.probability, "band": selectors.band_of(p.probability),
            "status": p.status, "left": _side(p.left), "right": _side(p.right), "evidence": _evidence(p.evidence),
            "merge_id": p.merge_id}


def _merge_out(m: ResidentMerge) -> dict:
    return {"id": m.pk, "survivor_id": m.survivor_id, "duplicate_id": m.duplicate_id, "reason": m.reason,
            "rows_moved": len(m.moved), "merged_at": m.merged_at, "undone_at": m.undone_at,
            "undo_reason": m.undo_reason}


def _list_out(a: AgencyList) -> dict:
    return {"id": a.pk, "agency_id": a.agency_id, "title": a.title, "original_name": a.original_name,
            "status": a.status, "percent": a.percent, "headers": a.headers, "mapping": a.mapping,
            "rows_total": a.rows_total, "linked": a.linked, "possible": a.possible, "new": a.new,
            "skipped": a.skipped, "error": a.error, "created_at": a.created_at}


def _row_out(r: AgencyListRow) -> dict:
    return {"id": r.pk, "number": r.number, "full_name": r.full_name, "nik": r.nik, "birth_date": r.birth_date,
            "status": r.status, "probability": r.probability if r.status != RowStatus.NEW else None,
            "resident_id": r.resident_id if r.status != RowStatus.NEW else None,
            "evidence": _evidence(r.evidence) if r.status == RowStatus.POSSIBLE else []}


# --- runs and pairs ---------------------------------------------------------------------------------------

@router.get("/linkage/runs", response={200: list[LinkageRunOut], **ERROR_RESPONSES}, operation_id="linkage_run_list",
            summary="Deduplication runs of the registry, newest first")
def linkage_run_list(request):
    require_manage_linkage(request.auth)
    return [_run_out(r) for r in selectors.run_list()]


@router.post("/linkage/runs", response={201: LinkageRunOut, **ERROR_RESPONSES}, operation_id="linkage_run_start",
             summary="Queue a deduplication of the registry (one at a time: run_busy)")
def linkage_run_create(request):
    run = linkage_run_start(actor=request.auth)
    run.refresh_from_db()
    return Status(201, _run_out(run))


@router.get("/linkage/runs/{int:run_id}", response={200: LinkageRunOut, **ERROR_RESPONSES}, operation_id="linkage_run_read",
            summary="A run's status and progress")
def linkage_run_read(request, run_id: int):
    require_manage_linkage(request.auth)
    return _run_out(get_object_or_404(LinkageRun, pk=run_id))


class PairQuery(Schema):
    band: str = Field("", description='"", "auto" (>= 0.9) or "review"')
    status: str = Field("pending", description='pending, confirmed, rejected, stale, or "" for all')
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000_000)


@router.get("/linkage/pairs", response={200: list[PairOut], **ERROR_RESPONSES}, operation_id="linkage_pair_list",
            summary="Candidate duplicate pairs, most probable first, with evidence per field")
def linkage_pair_list(request, filters: Query[PairQuery]):
    require_manage_linkage(request.auth)
    status = filters.status if filters.status in PairStatus.values or filters.status == "" else PairStatus.PENDING
    band = filters.band if filters.band in ("auto", "review") else ""
    qs = selectors.pair_queue(selectors.PairFilters(band=band, status=status))
    return [_pair_out(p) for p in qs[filters.offset: filters.offset + filters.limit]]


def _pair(pair_id: int) -> CandidatePair:
    return get_object_or_404(CandidatePair.objects.select_related("left", "right"), pk=pair_id)


@router.post("/linkage/pairs/{int:pair_id}/confirm", response={200: PairOut, **ERROR_RESPONSES},
             operation_id="linkage_pair_confirm", summary="The two are one person: merge into keep_id")
def linkage_pair_confirm(request, pair_id: int, payload: ConfirmIn):
    """Refusals: ``pair_decided``, ``pair_keep``, ``pair_stale``, ``reason_required``, ``merge_collision``."""
    require_manage_linkage(request.auth)
    pair = pair_confirm(actor=request.auth, pair=_pair(pair_id), keep_id=payload.keep_id, reason=payload.reason)
    return _pair_out(_pair(pair.pk))


@router.post("/linkage/pairs/{int:pair_id}/reject", response={200: PairOut, **ERROR_RESPONSES},
             operation_id="linkage_pair_reject", summary="The two are different people")
def linkage_pair_reject(request, pair_id: int, payload: LinkageReasonIn):
    require_manage_linkage(request.auth)
    pair = pair_reject(actor=request.auth, pair=_pair(pair_id), reason=payload.reason)
    return _pair_out(_pair(pair.pk))


@router.get("/linkage/merges", response={200: list[MergeOut], **ERROR_RESPONSES}, operation_id="linkage_merge_list",
            summary="Merges of duplicate residents, newest first")
def linkage_merge_list(request):
    require_manage_linkage(request.auth)
    return [_merge_out(m) for m in selectors.recent_merges(200)]


@router.post("/linkage/merges/{int:merge_id}/unmerge", response={200: MergeOut, **ERROR_RESPONSES},
             operation_id="linkage_merge_unmerge", summary="Undo a merge (kelurahan admin only), with a reason")
def linkage_merge_unmerge(request, merge_id: int, payload: UnmergeIn):
    require_manage_linkage(request.auth)
    merge = resident_unmerge(actor=request.auth, merge=get_object_or_404(ResidentMerge, pk=merge_id),
                             reason=payload.reason)
    return _merge_out(merge)


# --- agency lists ---------------------------------------------------------------------------------------

def _list(user, list_id: int) -> AgencyList:
    require_lists(user)
    agency_list = AgencyList.objects.filter(pk=list_id).first()
    if agency_list is None:
        raise NotFoundError()
    require_list(user, agency_list)
    return agency_list


@router.get("/linkage/lists", response={200: list[ListOut], **ERROR_RESPONSES}, operation_id="linkage_list_list",
            summary="The agency lists the caller may see (an officer: its agency's)")
def linkage_list_list(request):
    require_lists(request.auth)
    return [_list_out(a) for a in selectors.agency_lists(request.auth)[:200]]


@router.post("/linkage/lists", response={201: ListOut, **ERROR_RESPONSES}, operation_id="linkage_list_upload",
             summary="Upload an agency list (multipart: file, title, agency_id for the admin)")
def linkage_list_upload(request, file: UploadedFile = File(...), title: str = "", agency_id: int | None = None):
    """Refusals: ``import_file`` (not CSV/XLSX, too big, no header, a zip bomb), ``agency_required``."""
    from bansos.accounts.models import Agency

    require_lists(request.auth)
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    agency_list = list_services.agency_list_upload(actor=request.auth, upload=file, title=title, agency=agency)
    return Status(201, _list_out(agency_list))


@router.get("/linkage/lists/{int:list_id}", response={200: ListOut, **ERROR_RESPONSES},
            operation_id="linkage_list_read", summary="A list's status, progress, columns and counts")
def linkage_list_read(request, list_id: int):
    return _list_out(_list(request.auth, list_id))


@router.post("/linkage/lists/{int:list_id}/mapping", response={200: ListOut, **ERROR_RESPONSES},
             operation_id="linkage_list_map", summary="Set which column is which (0-based) and start the linkage")
def linkage_list_map(request, list_id: int, payload: MappingIn):
    agency_list = list_services.agency_list_map(actor=request.auth, agency_list=_list(request.auth, list_id),
                                                mapping=payload.dict())
    agency_list.refresh_from_db()
    return _list_out(agency_list)


class RowQuery(Schema):
    status: str = Field("", description="linked, possible, new, skipped or empty")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=100_000_000)


@router.get("/linkage/lists/{int:list_id}/rows", response={200: list[RowOut], **ERROR_RESPONSES},
            operation_id="linkage_list_rows", summary="The rows of a list with their outcome")
def linkage_list_rows(request, list_id: int, filters: Query[RowQuery]):
    agency_list = _list(request.auth, list_id)
    status = filters.status if filters.status in RowStatus.values else ""
    rows = selectors.list_rows(agency_list, status=status)[filters.offset: filters.offset + filters.limit]
    return [_row_out(r) for r in rows]


@router.post("/linkage/lists/{int:list_id}/rows/{int:row_id}/decide", response={200: RowOut, **ERROR_RESPONSES},
             operation_id="linkage_list_row_decide", summary='Review a possible row: "same" or "different"')
def linkage_list_row_decide(request, list_id: int, row_id: int, payload: RowDecideIn):
    agency_list = _list(request.auth, list_id)
    row = AgencyListRow.objects.filter(agency_list=agency_list, pk=row_id).first()
    if row is None:
        raise NotFoundError()
    row = list_services.agency_list_row_decide(actor=request.auth, row=row, decision=payload.decision)
    return _row_out(row)


@router.get("/linkage/lists/{int:list_id}/report", response={200: ReportOut, **ERROR_RESPONSES},
            operation_id="linkage_list_report",
            summary="Who on the list already receives help: own programs by name, other agencies' by kind")
def linkage_list_report(request, list_id: int):
    agency_list = _list(request.auth, list_id)
    report = selectors.list_report(agency_list, viewer=request.auth)
    return {"linked": report["linked"], "receiving": report["receiving"], "own": report["own"],
            "by_kind": dict(report["by_kind"]),
            "lines": [{"number": x["row"].number, "full_name": x["row"].full_name, "own_programs": x["help"].own,
                       "other_kinds": x["help"].kinds} for x in report["lines"]]}


