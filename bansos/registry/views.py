"""Registry pages: the household list, the household page and the forms that change them.

Thin on purpose: each view reads through ``registry.selectors``, writes through
``registry.services`` and turns domain errors into form errors, 404 or 403.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.core.errors import NotFoundError
from bansos.core.forms import domain_page, form_attempt
from bansos.core.formats import mask_nik, rupiah
from bansos.registry import selectors, services
from bansos.registry.history import MONEY_FIELD_NAMES, history_entries
from bansos.registry.panels import household_panels
from bansos.registry.forms import (
    ChangeHeadForm,
    HouseholdFilterForm,
    HouseholdForm,
    HouseholdStatusForm,
    MemberFormSet,
    MoveResidentForm,
    ResidentForm,
    ResidentStatusForm,
)
from bansos.registry.identifiers import clean_digits
from bansos.registry.models import (
    ASSET_FIELDS,
    GROUP_LABELS,
    Household,
    HouseholdStatus,
    Relation,
    Resident,
    ResidentStatus,
)
from bansos.registry.validation import HOUSEHOLD_FIELDS, RESIDENT_FIELDS

PAGE_SIZE = 25
MSG_KK_NOT_FOUND = _("Tidak ada keluarga aktif dengan nomor KK ini di wilayah Anda.")

# Shown in the facts block at the top; the rest of HOUSEHOLD_FIELDS are socio-economic attributes.
_IDENTITY_FIELDS = {"kk_number", "rt", "address", "phone", "legal_basis", "consent_date"}


registry_page = domain_page


def _require(user, perm: str, obj=None) -> None:
    if not has_perm(user, perm, obj):
        raise PermissionDenied


def _to_detail(household_id: int):
    return redirect("registry:household_detail", pk=household_id)


# --- List -------------------------------------------------------------------------------------


@registry_page
@require_http_methods(["GET"])
def household_list(request):
    user = request.user
    _require(user, P.HOUSEHOLD_VIEW)
    data = request.GET.copy()
    data.setdefault("status", HouseholdStatus.ACTIVE.value)
    form = HouseholdFilterForm(data, user=user)
    search = selectors.household_search_bounded(user=user, filters=form.filters())
    if search.ids is not None:
        page = Paginator(search.ids, PAGE_SIZE).get_page(request.GET.get("page"))
        page_ids = list(page.object_list)
    else:
        page = Paginator(search.households, PAGE_SIZE).get_page(request.GET.get("page"))
        page_ids = list(page.object_list.values_list("pk", flat=True))
    # Decorate only the 25 rows of this page (head, member count), by their ids: the aggregate
    # never runs over the whole kelurahan, which keeps the page fast with a million residents.
    rows = selectors.household_list_page(Household.objects.filter(pk__in=page_ids)).order_by("kk_number", "pk")
    filters = {k: v for k, v in data.items() if k != "page" and v}
    # One reverse() for the page instead of one per row.
    detail_prefix = reverse("registry:household_detail", args=[0])[:-2]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "lines": _result_lines(rows, detail_prefix),
        "query": urlencode(filters),
        "capped": search.capped,
        "cap": search.cap,
        "can_create": has_role_perm(user, P.HOUSEHOLD_CREATE),
        "can_export": has_role_perm(user, P.REGISTRY_EXPORT),
    }
    template = "registry/_household_results.html" if request.htmx else "registry/household_list.html"
    return render(request, template, context)


_STATUS_BADGE = {HouseholdStatus.MOVED: "badge warn", HouseholdStatus.DISSOLVED: "badge off"}


def _result_lines(rows, detail_prefix: str) -> list[dict[str, Any]]:
    """What each result row shows, as plain values: the template loop then only reads dict keys.

    A model attribute in a template costs a failed dict look-up (an exception) before the
    attribute, and get_status_display() a translation per row; with 25 rows that was a good
    part of a search's time.
    """
    labels = {value: str(label) for value, label in HouseholdStatus.choices}
    lines = []
    for h in rows:
        head = h.heads[0] if h.heads else None
        lines.append({
            "url": f"{detail_prefix}{h.pk}/",
            "kk": h.kk_number,
            "head": head.full_name if head else "",
            "female": head is not None and head.sex == "P",
            "rt": h.rt.label,
            "address": h.address,
            "members": h.member_count,
            "status": labels.get(h.status, h.status),
            "badge": _STATUS_BADGE.get(h.status, "badge"),
        })
    return lines


# --- Household page ---------------------------------------------------------------------------


def _attributes(household: Household) -> list[tuple[str, str]]:
    rows = []
    for name in HOUSEHOLD_FIELDS:
        if name in _IDENTITY_FIELDS or name.startswith("asset_"):
            continue
        field = household._meta.get_field(name)
        value = getattr(household, name)
        if value is None or value == "":
            shown = _t("belum didata")
        elif name in MONEY_FIELD_NAMES:
            shown = rupiah(value)
        elif field.choices:
            shown = getattr(household, f"get_{name}_display")()
        else:
            shown = str(value)
        rows.append((str(field.verbose_name), shown))
    return rows


_URL_PK = 987654321  # a stand-in id: reverse() once, then put each row's id in its place


def _url_pattern(name: str) -> tuple[str, str]:
    before, _pk, after = reverse(name, args=[_URL_PK]).partition(str(_URL_PK))
    return before, after


_BADGE = {"moved_out": "badge warn", "deceased": "badge off"}


def _members(household: Household, *, can_nik: bool) -> list[dict[str, Any]]:
    """What the members table shows per person, worked out here rather than per row in the template."""
    links = [(key, *_url_pattern(f"registry:resident_{key}")) for key in ("edit", "move", "status")]
    members = []
    for r in household.residents.all():
        active = r.status == ResidentStatus.ACTIVE
        members.append({
            "resident": r,
            "name": r.full_name,
            "sex": r.get_sex_display(),
            "relation": r.get_relation_display(),
            "status": r.get_status_display(),
            "nik": r.nik if can_nik else mask_nik(r.nik),
            "age": r.age(),
            "groups": [str(GROUP_LABELS[g]) for g in r.groups] if active else [],
            "active": active,
            "badge": _BADGE.get(r.status, "badge"),
            "urls": {key: f"{before}{r.pk}{after}" for key, before, after in links},
        })
    return members


@registry_page
@require_http_methods(["GET"])
def household_detail(request, pk):
    user = request.user
    household = selectors.household_get(user=user, pk=pk)
    can_nik = has_perm(user, P.NIK_FULL, household)
    context = {
        "household": household,
        "members": _members(household, can_nik=can_nik),
        "attributes": _attributes(household),
        "assets": [str(label) for name, label in ASSET_FIELDS if getattr(household, name)],
        "history": history_entries(
            selectors.household_history(household=household), user=user, can_nik=can_nik
        ),
        "panels": household_panels(user=user, household=household),
        "can_change": has_perm(user, P.HOUSEHOLD_CHANGE, household),
        "can_status": has_perm(user, P.HOUSEHOLD_STATUS, household),
        "can_residents": has_perm(user, P.RESIDENT_CHANGE, household)
        and household.status == HouseholdStatus.ACTIVE,
        "can_dsr": has_perm(user, P.DSR_MANAGE, household),
    }
    return render(request, "registry/household_detail.html", context)


# --- Household forms ----------------------------------------------------------------------------


def _member_formset(request):
    if request.method != "POST":
        return MemberFormSet(prefix="members", initial=[{"relation": Relation.HEAD}])
    data = request.POST
    if "add_member" in data:
        # Another empty row, keeping everything typed so far; nothing is saved.
        data = data.copy()
        data["members-TOTAL_FORMS"] = str(int(data.get("members-TOTAL_FORMS") or 0) + 1)
    return MemberFormSet(data, prefix="members")


@registry_page
@require_http_methods(["GET", "POST"])
def household_create(request):
    user = request.user
    _require(user, P.HOUSEHOLD_CREATE)
    form = HouseholdForm(request.POST or None, user=user)
    formset = _member_formset(request)
    if request.method == "POST" and "add_member" not in request.POST:
        if form.is_valid() and formset.is_valid():
            member_forms = [f for f in formset.forms if f.cleaned_data]
            ok, household = form_attempt(
                form,
                lambda: services.household_create(
                    actor=user,
                    data=form.household_data(),
                    members=[f.resident_data() for f in member_forms],
                    reason=_t("Pendaftaran keluarga baru"),
                ),
                member_forms=member_forms,
            )
            if ok:
                messages.success(request, _t("Keluarga KK %(kk)s terdaftar.") % {"kk": household.kk_number})
                return _to_detail(household.pk)
    return render(
        request, "registry/household_form.html", {"form": form, "formset": formset, "creating": True}
    )


def _household_for_change(request, pk, perm: str) -> Household:
    """The household if the user may see it (else 404) and may do ``perm`` to it (else 403)."""
    household = selectors.household_get(user=request.user, pk=pk)
    _require(request.user, perm, household)
    return household


@registry_page
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = _household_for_change(request, pk, P.HOUSEHOLD_CHANGE)
    initial = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    form = HouseholdForm(request.POST or None, user=request.user, with_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _saved = form_attempt(
            form,
            lambda: services.household_update(
                actor=request.user,
                household=household,
                data=form.household_data(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _t("Data keluarga disimpan."))
            return _to_detail(household.pk)
    return render(request, "registry/household_form.html", {"form": form, "household": household})


def _simple_form(request, *, form, household, title, submit, subject=None, intro=""):
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "household": household,
            "title": title,
            "submit": submit,
            "subject": subject,
            "intro": intro,
        },
    )


@registry_page
@require_http_methods(["GET", "POST"])
def household_status(request, pk):
    household = _household_for_change(request, pk, P.HOUSEHOLD_STATUS)
    form = HouseholdStatusForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        ok, _saved = form_attempt(
            form,
            lambda: services.household_set_status(
                actor=request.user,
                household=household,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _t("Status keluarga diubah."))
            return _to_detail(household.pk)
    return _simple_form(
        request,
        form=form,
        household=household,
        title=_t("Ubah status keluarga"),
        submit=_t("Simpan status"),
        intro=_t("Bila keluarga pindah, semua anggota aktif ikut tercatat pindah keluar."),
    )


@registry_page
@require_http_methods(["GET", "POST"])
def household_change_head(request, pk):
    household = _household_for_change(request, pk, P.RESIDENT_CHANGE)
    form = ChangeHeadForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        ok, _saved = form_attempt(
            form,
            lambda: services.household_change_head(
                actor=request.user,
                household=household,
                new_head=form.cleaned_data["new_head"],
                old_head_relation=form.cleaned_data["old_head_relation"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _t("Kepala keluarga diganti."))
            return _to_detail(household.pk)
    return _simple_form(
        request, form=form, household=household, title=_t("Ganti kepala keluarga"), submit=_t("Simpan")
    )


# --- Resident forms -----------------------------------------------------------------------------


@registry_page
@require_http_methods(["GET", "POST"])
def resident_add(request, pk):
    household = _household_for_change(request, pk, P.RESIDENT_CHANGE)
    form = ResidentForm(request.POST or None, with_reason=False)
    if request.method == "POST" and form.is_valid():
        ok, resident = form_attempt(
            form,
            lambda: services.resident_add(
                actor=request.user,
                household=household,
                data=form.resident_data(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _t("%(name)s ditambahkan ke keluarga.") % {"name": resident.full_name})
            return _to_detail(household.pk)
    return render(request, "registry/resident_form.html", {"form": form, "household": household})


def _resident_for_change(request, pk) -> Resident:
    resident = selectors.resident_get(user=request.user, pk=pk)
    _require(request.user, P.RESIDENT_CHANGE, resident.household)
    return resident


@registry_page
@require_http_methods(["GET", "POST"])
def resident_edit(request, pk):
    resident = _resident_for_change(request, pk)
    initial = {name: getattr(resident, name) for name in RESIDENT_FIELDS}
    form = ResidentForm(request.POST or None, with_reason=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _saved = form_attempt(
            form,
            lambda: services.resident_update(
                actor=request.user,
                resident=resident,
                data=form.resident_data(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _t("Data %(name)s disimpan.") % {"name": resident.full_name})
            return _to_detail(resident.household_id)
    return render(
        request,
        "registry/resident_form.html",
        {"form": form, "household": resident.household, "resident": resident},
    )


@registry_page
@require_http_methods(["GET", "POST"])
def resident_move(request, pk):
    resident = _resident_for_change(request, pk)
    form = MoveResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = selectors.household_get_by_kk(
                user=request.user, kk_number=clean_digits(form.cleaned_data["kk_number"])
            )
        except NotFoundError:
            form.add_error("kk_number", str(MSG_KK_NOT_FOUND))
        else:
            ok, _saved = form_attempt(
                form,
                lambda: services.resident_move(
                    actor=request.user,
                    resident=resident,
                    to_household=target,
                    relation=form.cleaned_data["relation"],
                    reason=form.cleaned_data["reason"],
                ),
                aliases={"to_household": "kk_number"},
            )
            if ok:
                messages.success(
                    request,
                    _t("%(name)s dipindahkan ke KK %(kk)s.")
                    % {"name": resident.full_name, "kk": target.kk_number},
                )
                return _to_detail(resident.household_id)
    return _simple_form(
        request,
        form=form,
        household=resident.household,
        subject=resident,
        title=_t("Pindahkan ke keluarga lain"),
        submit=_t("Pindahkan"),
    )


@registry_page
@require_http_methods(["GET", "POST"])
def resident_status(request, pk):
    resident = _resident_for_change(request, pk)
    form = ResidentStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _saved = form_attempt(
            form,
            lambda: services.resident_set_status(
                actor=request.user,
                resident=resident,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if ok:
            messages.success(request, _t("Status %(name)s diubah.") % {"name": resident.full_name})
            return _to_detail(resident.household_id)
    return _simple_form(
        request,
        form=form,
        household=resident.household,
        subject=resident,
        title=_t("Ubah status warga"),
        submit=_t("Simpan status"),
    )
