"""Merging two records of one person, and undoing it.

``resident_merge`` moves everything that points at the duplicate (enrollments, entitlements,
payments, health, education, training, jobs, UMKM records, ...) to the survivor. It finds those
rows by walking every foreign key and one-to-one field to ``Resident``
(``Resident._meta.related_objects``), so an app added later is covered without a change here.
The duplicate stays as an alias (status "merged", ``merged_into``); the rows moved are recorded
on a ``ResidentMerge`` so that ``resident_unmerge`` restores exactly them.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, require
from bansos.core.audit import audit_log
from bansos.core.errors import DomainError, PermissionDeniedError
from bansos.registry.models import Resident, ResidentMerge, ResidentStatus

MSG_SAME = _("Tidak dapat menggabungkan warga dengan dirinya sendiri.")
MSG_SURVIVOR_INACTIVE = _("Data yang dipertahankan harus warga aktif.")
MSG_DUPLICATE_STATUS = _("Data ganda ini sudah digabung atau tidak dapat digabung (status: %(status)s).")
MSG_COLLISION = _("Penggabungan dibatalkan: %(what)s sudah ada untuk warga yang dipertahankan "
                  "(aturan keunikan %(model)s). Selesaikan data itu dulu; tidak ada yang diubah.")
MSG_REASON = _("Tuliskan alasannya.")
MSG_REASON_LONG = _("Paling banyak %(max)s karakter.")
MSG_UNDONE = _("Penggabungan ini sudah dibatalkan.")
MSG_ADMIN_ONLY = _("Hanya admin kelurahan yang dapat membatalkan penggabungan.")
MSG_UNDO_ORDER = _("Warga yang dipertahankan sudah digabung lagi ke data lain; batalkan penggabungan itu dulu.")

# Links to Resident that describe the merge itself, not the person's records.
_SKIP = {("registry", "resident", "merged_into"), ("registry", "residentmerge", "survivor"),
         ("registry", "residentmerge", "duplicate"), ("linkage", "candidatepair", "left"),
         ("linkage", "candidatepair", "right")}


def _reason(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("reason_required", MSG_REASON, field="reason")
    if len(text) > 200:
        raise DomainError("reason_too_long", MSG_REASON_LONG, field="reason", max=200)
    return text


def resident_links() -> list[tuple[type, str]]:
    """(model, field name) of every foreign key or one-to-one field that points at Resident."""
    found = []
    for rel in Resident._meta.related_objects:
        if rel.many_to_many or not rel.field.concrete:
            continue
        model = rel.related_model
        if (model._meta.app_label, model._meta.model_name, rel.field.name) in _SKIP:
            continue
        found.append((model, rel.field.name))
    return found


def _lock(*residents: Resident) -> list[Resident]:
    ids = sorted(r.pk for r in residents)  # one lock order, so two merges cannot deadlock
    rows = {r.pk: r for r in Resident.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [rows[r.pk] for r in residents]


@transaction.atomic
def resident_merge(*, actor, survivor: Resident, duplicate: Resident, reason: str) -> ResidentMerge:
    """Move every record of ``duplicate`` to ``survivor`` and keep the duplicate as a merged alias."""
    require(actor, P.LINKAGE_MANAGE)
    reason = _reason(reason)
    if survivor.pk == duplicate.pk:
        raise DomainError("merge_same", MSG_SAME, field="duplicate")
    survivor, duplicate = _lock(survivor, duplicate)
    if survivor.status != ResidentStatus.ACTIVE:
        raise DomainError("survivor_inactive", MSG_SURVIVOR_INACTIVE, field="survivor")
    if duplicate.status not in (ResidentStatus.ACTIVE, ResidentStatus.MOVED_OUT):
        raise DomainError("duplicate_status", MSG_DUPLICATE_STATUS, field="duplicate",
                          status=duplicate.get_status_display())
    moved: list[dict] = []
    for model, field in resident_links():
        pks = list(model._base_manager.filter(**{field: duplicate.pk}).values_list("pk", flat=True))
        if not pks:
            continue
        try:
            with transaction.atomic():  # a savepoint: a collision leaves nothing half-moved
                model._base_manager.filter(pk__in=pks).update(**{field: survivor.pk})
        except IntegrityError:
            raise DomainError("merge_collision", MSG_COLLISION, what=str(model._meta.verbose_name),
                              model=model._meta.label) from None
        moved.extend({"model": model._meta.label_lower, "field": field, "pk": pk} for pk in pks)
        audit_log(actor=actor, action="registry.resident.records_moved", obj=survivor,
                  household_id=survivor.household_id, reason=reason,
                  changes={"model": [None, model._meta.label_lower], "rows": [None, pks],
                           "from": [None, duplicate.pk]})
    merge = ResidentMerge.objects.create(survivor=survivor, duplicate=duplicate, duplicate_status=duplicate.status,
                                         reason=reason, moved=moved, merged_by=actor)
    before = duplicate.status
    duplicate.status = ResidentStatus.MERGED
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    audit_log(actor=actor, action="registry.resident.merge", obj=duplicate, household_id=duplicate.household_id,
              reason=reason, changes={"status": [before, ResidentStatus.MERGED], "merged_into": [None, survivor.pk],
                                      "rows_moved": [None, len(moved)]})
    if survivor.household_id != duplicate.household_id:
        audit_log(actor=actor, action="registry.resident.merge", obj=survivor, household_id=survivor.household_id,
                  reason=reason, changes={"absorbed": [None, duplicate.pk], "rows_moved": [None, len(moved)]})
    return merge


@transaction.atomic
def resident_unmerge(*, actor, merge: ResidentMerge, reason: str) -> ResidentMerge:
    """Undo a merge: the recorded rows go back to the duplicate, which gets its old status back."""
    require(actor, P.LINKAGE_MANAGE)
    if actor.role != Role.ADMIN:
        raise PermissionDeniedError(MSG_ADMIN_ONLY)
    reason = _reason(reason)
    merge = ResidentMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise DomainError("merge_undone", MSG_UNDONE)
    survivor, duplicate = _lock(merge.survivor, merge.duplicate)
    if survivor.status == ResidentStatus.MERGED:
        raise DomainError("merge_order", MSG_UNDO_ORDER)
    by_model: dict[tuple[str, str], list[int]] = {}
    for row in merge.moved:
        by_model.setdefault((row["model"], row["field"]), []).append(row["pk"])
    from django.apps import apps

    for (label, field), pks in by_model.items():
        model = apps.get_model(label)
        try:
            with transaction.atomic():
                model._base_manager.filter(pk__in=pks, **{field: survivor.pk}).update(**{field: duplicate.pk})
        except IntegrityError:
            raise DomainError("merge_collision", MSG_COLLISION, what=str(model._meta.verbose_name),
                              model=model._meta.label) from None
        audit_log(actor=actor, action="registry.resident.records_restored", obj=duplicate,
                  household_id=duplicate.household_id, reason=reason,
                  changes={"model": [None, label], "rows": [None, pks], "from": [None, survivor.pk]})
    duplicate.status = merge.duplicate_status
    duplicate.merged_into = None
    try:
        with transaction.atomic():
            duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    except IntegrityError:
        # Another active resident holds the NIK (or the head place) now.
        raise DomainError("merge_collision", MSG_COLLISION, what="NIK", model="registry.Resident") from None
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.undo_reason = reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    audit_log(actor=actor, action="registry.resident.unmerge", obj=duplicate, household_id=duplicate.household_id,
              reason=reason, changes={"status": [ResidentStatus.MERGED, duplicate.status],
                                      "merged_into": [survivor.pk, None]})
    return merge
