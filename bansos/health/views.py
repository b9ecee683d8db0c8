"""Posyandu pages, phone-first: the posyandu, this month's session, the roster, the visit form and its result,
a child's growth chart. Thin: check access, call one service or selector, render.

Health data is specific personal data: a child outside the user's posyandu area is refused (403), not hidden.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.models import Role
from bansos.accounts.permissions import P
from bansos.core.forms import domain_page, form_attempt, perm_required
from bansos.health import charts, growth, selectors, services
from bansos.health.access import can_child, can_posyandu, require_child, require_posyandu
from bansos.health.forms import ResolveForm, SessionOpenForm, VisitForm
from bansos.health.models import ChildVisit, GrowthAlert


def _child(pk: int):
    from bansos.registry.models import Resident

    return get_object_or_404(Resident.objects.select_related("household__rt__rw"), pk=pk)


def indicators(visit: ChildVisit) -> list[dict]:
    """The four indicators of a visit as the pages show them: name, z, words, tone."""
    rows = []
    for code, z, cls in ((growth.WFA, visit.waz, visit.waz_class), (growth.HFA, visit.haz, visit.haz_class),
                         (growth.WFH, visit.whz, visit.whz_class), (growth.BFA, visit.baz, visit.baz_class)):
        rows.append({"code": code, "label": growth.INDICATOR_LABELS[code], "z": z,
                     "words": growth.class_label(cls), "tone": growth.class_tone(cls) or "off"})
    return rows


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def index(request):
    user = request.user
    if user.role == Role.CADRE and user.posyandu_id:
        return redirect("health:posyandu_detail", pk=user.posyandu_id)
    return render(request, "health/index.html", {
        "posyandus": selectors.posyandu_list(user), "alerts": selectors.open_alerts(user=user, limit=30)})


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def posyandu_detail(request, pk: int):
    from bansos.core.models import Posyandu

    posyandu = get_object_or_404(Posyandu.objects.select_related("rw"), pk=pk)
    require_posyandu(request.user, P.HEALTH_VIEW, posyandu)
    today = timezone.localdate()
    sessions = selectors.sessions_of(posyandu)
    current = next((s for s in sessions if (s.month.year, s.month.month) == (today.year, today.month)), None)
    return render(request, "health/posyandu.html", {
        "posyandu": posyandu, "sessions": sessions, "current": current, "today": today,
        "can_record": can_posyandu(request.user, P.HEALTH_RECORD, posyandu),
        "open_form": SessionOpenForm(initial={"date": today}),
        "alerts": selectors.open_alerts(posyandu),
        "rts": ", ".join(rt.label for rt in posyandu.rts.select_related("rw")),
    })


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_POST
def session_open(request, pk: int):
    from bansos.core.models import Posyandu

    posyandu = get_object_or_404(Posyandu, pk=pk)
    form = SessionOpenForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        ok, session = form_attempt(form, lambda: services.session_open(
            actor=request.user, posyandu=posyandu, date=d["date"], place=d["place"], notes=d["notes"]))
        if ok:
            messages.success(request, _t("Sesi posyandu dibuka."))
            return redirect("health:session_detail", pk=session.pk)
    require_posyandu(request.user, P.HEALTH_RECORD, posyandu)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("health:posyandu_detail", pk=pk)


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def session_detail(request, pk: int):
    session = selectors.session_get(pk)
    require_posyandu(request.user, P.HEALTH_VIEW, session.posyandu)
    rows = selectors.session_roster(session)
    measured = sum(1 for r in rows if r.visit)
    return render(request, "health/session.html", {
        "session": session, "rows": rows, "measured": measured, "summary": selectors.session_summary(session),
        "can_record": can_posyandu(request.user, P.HEALTH_RECORD, session.posyandu),
        "can_export": can_posyandu(request.user, P.HEALTH_EXPORT, session.posyandu),
    })


@perm_required(P.HEALTH_EXPORT)
@domain_page
@require_http_methods(["GET"])
def session_export(request, pk: int):
    session = selectors.session_get(pk)
    body = services.session_export(actor=request.user, session=session)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="posyandu-{session.posyandu_id}-{session.month:%Y-%m}.csv"'
    return response


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_http_methods(["GET", "POST"])
def visit_form(request, pk: int, child_pk: int):
    session = selectors.session_get(pk)
    require_posyandu(request.user, P.HEALTH_RECORD, session.posyandu)
    child = _child(child_pk)
    require_child(request.user, P.HEALTH_RECORD, child)
    visit = ChildVisit.objects.filter(session=session, child=child).first()
    if visit is None:
        initial = {"visit_date": min(session.date, timezone.localdate())}
    else:
        initial = {name: getattr(visit, name) for name in services.MEASURED_FIELDS}
        for name in ("weight_kg", "length_cm", "head_cm", "muac_cm"):
            initial[name] = "" if initial[name] is None else str(initial[name]).replace(".", ",")
    form = VisitForm(request.POST or None, initial=initial, correcting=visit is not None)
    if request.method == "POST" and form.is_valid():
        if visit is None:
            ok, saved = form_attempt(form, lambda: services.visit_record(
                actor=request.user, session=session, child=child, data=form.service_data()))
        else:
            ok, saved = form_attempt(form, lambda: services.visit_correct(
                actor=request.user, visit=visit, data=form.service_data(), reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Pengukuran disimpan."))
            return redirect("health:visit_detail", pk=saved.pk)
    previous = ChildVisit.objects.filter(child=child).exclude(session=session).order_by("-visit_date").first()
    return render(request, "health/visit_form.html", {
        "session": session, "child": child, "visit": visit, "form": form, "previous": previous,
        "age_days": (session.date - child.birth_date).days,
    }, status=400 if form.is_bound else 200)


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def visit_detail(request, pk: int):
    visit = get_object_or_404(ChildVisit.objects.select_related("session__posyandu", "child__household__rt__rw"),
                              pk=pk)
    require_child(request.user, P.HEALTH_VIEW, visit.child)
    return render(request, "health/visit_detail.html", {
        "visit": visit, "child": visit.child, "rows": indicators(visit), "alerts": list(visit.alerts.all()),
        "can_record": can_child(request.user, P.HEALTH_RECORD, visit.child)
        and can_posyandu(request.user, P.HEALTH_RECORD, visit.session.posyandu),
    })


@perm_required(P.HEALTH_VIEW)
@domain_page
@require_http_methods(["GET"])
def child_detail(request, pk: int):
    child = _child(pk)
    require_child(request.user, P.HEALTH_VIEW, child)
    visits = selectors.child_visits(child)
    latest = visits[-1] if visits else None
    return render(request, "health/child.html", {
        "child": child, "visits": list(reversed(visits)), "latest": latest,
        "rows": indicators(latest) if latest else [],
        "charts": [charts.growth_chart(growth.WFA, child.sex, visits), charts.growth_chart(growth.HFA, child.sex, visits)],
        "alerts": selectors.child_alerts(child), "resolve_form": ResolveForm(),
        "can_record": can_child(request.user, P.HEALTH_RECORD, child),
    })


@perm_required(P.HEALTH_RECORD)
@domain_page
@require_POST
def alert_resolve(request, pk: int):
    alert = get_object_or_404(GrowthAlert.objects.select_related("child__household"), pk=pk)
    require_child(request.user, P.HEALTH_RECORD, alert.child)
    form = ResolveForm(request.POST)
    if form.is_valid():
        ok, _alert = form_attempt(form, lambda: services.alert_resolve(
            actor=request.user, alert=alert, resolution=form.cleaned_data["resolution"]))
        if ok:
            messages.success(request, _t("Tindak lanjut dicatat."))
            return redirect("health:child_detail", pk=alert.child_id)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("health:child_detail", pk=alert.child_id)
