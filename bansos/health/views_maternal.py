"""Maternal-care pages, phone-first: a posyandu's pregnant women with risk flags and the next expected visit,
a pregnancy (visits, flags, delivery, postnatal) and its forms, a death record for monitoring, the CSV export.
Thin: check access, call one service or selector, render.

Health data is specific personal data: a woman outside the user's posyandu area is refused (403), not hidden.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods

from bansos.accounts.permissions import P
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.health import maternal
from bansos.health import selectors_maternal as sel
from bansos.health import services_maternal as services
from bansos.health.access import can_household, can_posyandu, require_household, require_posyandu
from bansos.health.forms_maternal import AntenatalForm, DeathForm, DeliveryForm, EddForm, EndForm, PostnatalForm, PregnancyOpenForm
from bansos.health.models_maternal import DeathKind, PregnancyStatus


def _posyandu(pk: int):
    from bansos.core.models import Posyandu

    return get_object_or_404(Posyandu.objects.select_related("rw"), pk=pk)


def _pregnancy(request, pk: int, perm: str):
    pregnancy = sel.pregnancy_get(pk)
    if pregnancy is None:
        raise Http404
    require_household(request.user, perm, pregnancy.mother.household)
    return pregnancy


def _form_page(request, *, form, call, done: str, to, template: str, context: dict):
    """The common POST flow: valid form → service → message and redirect; else the form again (400)."""
    if request.method == "POST" and form.is_valid():
        ok, _result = form_attempt(form, lambda: call(form.cleaned_data))
        if ok:
            messages.success(request, done)
            return redirect(*to) if isinstance(to, tuple) else redirect(to)
    return render(request, template, {**context, "form": form}, status=400 if form.is_bound else 200)


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def mothers(request, pk: int):
    posyandu = _posyandu(pk)
    require_posyandu(request.user, P.HEALTH_VIEW, posyandu)
    can_record = can_posyandu(request.user, P.HEALTH_RECORD, posyandu)
    q = request.GET.get("q", "").strip()[:60]
    today = timezone.localdate()
    return render(request, "health/mothers.html", {
        "posyandu": posyandu, "rows": sel.pregnancy_rows(posyandu), "today": today, "q": q,
        "women": sel.women_of_area(posyandu, q) if can_record and q else [],
        "delivered": sel.pregnancy_rows(posyandu, status=PregnancyStatus.DELIVERED)[-10:],
        "deaths": sel.death_counts(posyandu, year=today.year), "death_labels": dict(DeathKind.choices),
        "can_record": can_record, "can_export": can_posyandu(request.user, P.HEALTH_EXPORT, posyandu),
        "min_visits": maternal.MIN_VISITS_TOTAL,
    })


@perm_required(P.HEALTH_EXPORT)
@domain_page
@require_http_methods(["GET"])
def mothers_export(request, pk: int):
    posyandu = _posyandu(pk)
    body = services.pregnancies_export(actor=request.user, posyandu=posyandu)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ibu-hamil-posyandu-{posyandu.pk}.csv"'
    return response


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def pregnancy_new(request, resident_pk: int):
    from bansos.registry.models import Resident

    mother = get_object_or_404(Resident.objects.select_related("household__rt__rw"), pk=resident_pk)
    require_household(request.user, P.HEALTH_RECORD, mother.household)
    form = PregnancyOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, pregnancy = form_attempt(form, lambda: services.pregnancy_open(
            actor=request.user, mother=mother, data=form.cleaned_data))
        if ok:
            messages.success(request, _t("Kehamilan dicatat."))
            return redirect("health:pregnancy_detail", pk=pregnancy.pk)
    return render(request, "health/maternal_form.html", {
        "form": form, "title": _t("Catat kehamilan"), "mother": mother, "back": None,
    }, status=400 if form.is_bound else 200)


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def pregnancy_detail(request, pk: int):
    pregnancy = _pregnancy(request, pk, P.HEALTH_VIEW)
    row = sel.pregnancy_row(pregnancy, list(pregnancy.visits.all()))
    delivery = getattr(pregnancy, "delivery", None) if pregnancy.status == PregnancyStatus.DELIVERED else None
    return render(request, "health/pregnancy.html", {
        "p": pregnancy, "row": row, "mother": pregnancy.mother, "delivery": delivery,
        "postnatal": list(pregnancy.postnatal_visits.order_by("visit_date")),
        "referrals": list(pregnancy.referrals.order_by("-date")),
        "ongoing": pregnancy.status == PregnancyStatus.ONGOING, "today": timezone.localdate(),
        "can_record": can_household(request.user, P.HEALTH_RECORD, pregnancy.mother.household),
        "schedule": maternal.SCHEDULE, "per_trimester": maternal.visits_per_trimester(
            pregnancy.lmp, [v.visit_date for v in row.visits]),
    })


def _pregnancy_form(request, pk: int, form_class, title: str, done: str, call, form_kwargs=None):
    pregnancy = _pregnancy(request, pk, P.HEALTH_RECORD)
    form = form_class(request.POST or None, **(form_kwargs(pregnancy) if form_kwargs else {}))
    return _form_page(request, form=form, call=lambda data: call(pregnancy, data), done=done,
                      to=("health:pregnancy_detail", pregnancy.pk), template="health/maternal_form.html",
                      context={"title": title, "mother": pregnancy.mother, "p": pregnancy,
                               "week": maternal.gestational_label(
                                   maternal.gestational_days(pregnancy.lmp, timezone.localdate()))})


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def antenatal_new(request, pk: int):
    return _pregnancy_form(request, pk, AntenatalForm, _t("Pemeriksaan kehamilan"), _t("Pemeriksaan disimpan."),
                           lambda p, d: services.antenatal_record(actor=request.user, pregnancy=p, data=d))


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def edd_edit(request, pk: int):
    return _pregnancy_form(request, pk, EddForm, _t("Ubah HPL"), _t("HPL diubah."),
                           lambda p, d: services.pregnancy_set_edd(actor=request.user, pregnancy=p, edd=d["edd"],
                                                                   reason=d["reason"]))


def _babies(pregnancy):
    from bansos.registry.models import Resident

    since = timezone.localdate() - dt.timedelta(days=60)
    return {"babies": list(Resident.objects.filter(household=pregnancy.mother.household, birth_date__gte=since,
                                                   status="active").order_by("-birth_date"))}


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def delivery_new(request, pk: int):
    return _pregnancy_form(request, pk, DeliveryForm, _t("Catat persalinan"), _t("Persalinan dicatat."),
                           lambda p, d: services.delivery_record(actor=request.user, pregnancy=p, data=d),
                           form_kwargs=_babies)


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def postnatal_new(request, pk: int):
    return _pregnancy_form(request, pk, PostnatalForm, _t("Kunjungan nifas"), _t("Kunjungan nifas disimpan."),
                           lambda p, d: services.postnatal_record(actor=request.user, pregnancy=p, data=d))


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def pregnancy_end(request, pk: int):
    return _pregnancy_form(request, pk, EndForm, _t("Kehamilan berakhir"), _t("Kehamilan ditutup."),
                           lambda p, d: services.pregnancy_end(actor=request.user, pregnancy=p, status=d["status"],
                                                               date=d["date"], reason=d["reason"]))


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def death_new(request, household_pk: int):
    from bansos.registry.models import Household

    household = get_object_or_404(Household.objects.select_related("rt__rw"), pk=household_pk)
    require_household(request.user, P.HEALTH_RECORD, household)
    form = DeathForm(request.POST or None, people=household.residents.order_by("-birth_date"))
    return _form_page(request, form=form, done=_t("Kematian dicatat untuk pemantauan."),
                      call=lambda d: services.death_record(actor=request.user, household=household, data=d),
                      to=("registry:household_detail", household.pk), template="health/maternal_form.html",
                      context={"title": _t("Catat kematian ibu/anak"), "household": household})
