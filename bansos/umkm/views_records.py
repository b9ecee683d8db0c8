"""Pages that record support on a business: capital, disbursement, repayments and their reversal,
equipment, mentoring and monthly revenue. Each is one form and one service call."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods

from bansos.accounts.permissions import P
from bansos.core.errors import NotFoundError
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.umkm import selectors
from bansos.umkm.forms import (
    CapitalForm, DisburseForm, EquipmentForm, MentoringForm, RepaymentForm, RevenueForm, ReverseForm,
)
from bansos.umkm.models import CapitalSupport, Repayment
from bansos.umkm.services import capital as capital_services
from bansos.umkm.services import records as record_services


def _capital_get(user, pk: int) -> CapitalSupport:
    capital = CapitalSupport.objects.filter(pk=pk).select_related("business").first()
    if capital is None:
        raise NotFoundError()
    selectors.business_get(user, capital.business_id)  # the same scope as the business's pages
    return capital


def _done(request, business, message: str, anchor: str):
    messages.success(request, message)
    return redirect(reverse("umkm:business_detail", args=[business.pk]) + anchor)


def _page(request, form, business, title: str, **extra):
    return render(request, "umkm/record_form.html", {"form": form, "business": business, "title": title, **extra},
                  status=400 if form.is_bound else 200)


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def capital_create(request, pk: int):
    business = selectors.business_get(request.user, pk)
    form = CapitalForm(request.POST or None, initial={"approved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        ok, _c = form_attempt(form, lambda: capital_services.capital_record(
            actor=request.user, business=business, data=form.service_data()),
            aliases={"interest_bp_year": "interest_pct"})
        if ok:
            return _done(request, business, _t("Bantuan modal dicatat; cairkan setelah dana diserahkan."), "#modal")
    enrollment = capital_services.capital_enrollment(business)
    left = capital_services.capital_available(enrollment) if enrollment else None
    return _page(request, form, business, _t("Catat bantuan modal"), left=left, capital_page=True,
                 hint=_t("Pinjaman: bunga flat dihitung dari pokok × bunga per tahun × lama bulan ÷ 12, dibulatkan "
                         "ke bawah; angsuran dibagi rata dan sisa pembagian ditambahkan Rp 1 per angsuran mulai dari "
                         "angsuran pertama."))


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def capital_disburse(request, pk: int):
    capital = _capital_get(request.user, pk)
    business = capital.business
    form = DisburseForm(request.POST or None, initial={"disbursed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _c = form_attempt(form, lambda: capital_services.capital_disburse(
            actor=request.user, capital=capital, disbursed_on=data["disbursed_on"], note=data["note"]))
        if ok:
            return _done(request, business, _t("Bantuan modal dicairkan dari anggaran program."), "#modal")
    return _page(request, form, business, _t("Cairkan bantuan modal"), capital=capital)


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def repayment_create(request, pk: int):
    loan = _capital_get(request.user, pk)
    business = loan.business
    form = RepaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _r = form_attempt(form, lambda: capital_services.repayment_record(
            actor=request.user, loan=loan, paid_on=data["paid_on"], amount=data["amount"], note=data["note"]))
        if ok:
            return _done(request, business, _t("Pembayaran angsuran dicatat."), f"#pinjaman-{loan.pk}")
    return _page(request, form, business, _t("Catat pembayaran angsuran"), capital=loan)


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def repayment_reverse(request, pk: int):
    repayment = Repayment.objects.filter(pk=pk).first()
    if repayment is None:
        raise NotFoundError()
    loan = _capital_get(request.user, repayment.loan_id)
    business = loan.business
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _r = form_attempt(form, lambda: capital_services.repayment_reverse(
            actor=request.user, repayment=repayment, reason=form.cleaned_data["reason"]))
        if ok:
            return _done(request, business, _t("Pembayaran dibatalkan; angsuran dihitung ulang."),
                         f"#pinjaman-{loan.pk}")
    return _page(request, form, business, _t("Batalkan pembayaran"), capital=loan, repayment=repayment,
                 danger=True)


def _simple(request, pk: int, form_class, call, title: str, message: str, anchor: str, initial=None):
    business = selectors.business_get(request.user, pk)
    form = form_class(request.POST or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        ok, _x = form_attempt(form, lambda: call(business, form))
        if ok:
            return _done(request, business, message, anchor)
    return _page(request, form, business, title)


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def equipment_create(request, pk: int):
    return _simple(request, pk, EquipmentForm, lambda b, f: record_services.equipment_record(
        actor=request.user, business=b, data=f.service_data()), _t("Catat bantuan peralatan"),
        _t("Bantuan peralatan dicatat."), "#peralatan", {"given_on": timezone.localdate()})


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def mentoring_create(request, pk: int):
    return _simple(request, pk, MentoringForm, lambda b, f: record_services.mentoring_record(
        actor=request.user, business=b, data=f.cleaned_data), _t("Catat pendampingan"),
        _t("Pendampingan dicatat."), "#pendampingan", {"date": timezone.localdate()})


@perm_required(P.UMKM_MANAGE)
@domain_page
@require_http_methods(["GET", "POST"])
def revenue_create(request, pk: int):
    def call(business, form):
        d = form.cleaned_data
        return record_services.revenue_log_set(actor=request.user, business=business, month=d["month"],
                                               revenue=d["revenue"], profit=d["profit"], note=d["note"])

    month = request.GET.get("bulan") or timezone.localdate().replace(day=1)
    return _simple(request, pk, RevenueForm, call, _t("Catat omzet bulanan"),
                   _t("Omzet bulanan disimpan."), "#omzet", {"month": month})
