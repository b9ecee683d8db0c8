"""Rule pages: list, builder (create / new version), detail with runs, run results, explanation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from bansos.accounts.models import Agency, Role
from bansos.accounts.permissions import P, has_perm, has_role_perm
from bansos.core.errors import DomainError, NotFoundError, ValidationFailed
from bansos.core.origin import client_ip, origin
from bansos.eligibility import builder, engine, selectors, services
from bansos.eligibility.models import RuleStatus

PAGE_SIZE = 50
MSG_SAVED = _("Aturan disimpan sebagai versi %(n)s.")
MSG_UNCHANGED = _("Rumusan tidak berubah; versi %(n)s tetap dipakai.")
MSG_RUN_QUEUED = _("Penilaian dimulai.")


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Nama aturan"), max_length=150)
    description = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    agency = forms.ModelChoiceField(label=_("Lembaga pemilik"), queryset=Agency.objects.filter(is_active=True),
                                    required=False, empty_label=_("Kelurahan (semua lembaga)"))

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role != Role.ADMIN or editing:
            del self.fields["agency"]


def _require_manager(request) -> None:
    if not has_role_perm(request.user, P.RULES_MANAGE):
        raise PermissionDenied


def _web_origin(request):
    return origin(channel="web", ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])


def _rule(request, pk: int):
    try:
        return selectors.rule_get(user=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


@login_required
def rule_list(request):
    _require_manager(request)
    return render(request, "eligibility/rule_list.html", {"rows": selectors.rule_list(user=request.user)})


def _builder_context(tree: dict, errors: dict[str, list[str]] | None = None) -> dict:
    clean, _problems = builder.validate_tree(tree)
    return {"tree": builder.view_tree(tree, errors), "preview": engine.describe(clean) if clean else ""}


def _builder_page(request, *, rule=None):
    """Shared by create and edit: redraw the builder on each change, save on the save button."""
    editing = rule is not None
    if request.method == "POST":
        form = RuleForm(request.POST, user=request.user, editing=editing)
        tree = builder.tree_from_post(request.POST)
        action = request.POST.get("action", "")
        if action != "save":
            # Add, remove, another predicate: draw the builder again, store nothing.
            tree = builder.apply_action(tree, action)
            redraw = RuleForm(initial=request.POST.dict(), user=request.user, editing=editing)
            context = {"form": redraw, "rule": rule, **_builder_context(tree)}
            template = "eligibility/_builder.html" if request.htmx else "eligibility/rule_form.html"
            return render(request, template, context)
        clean, node_errors = builder.validate_tree(tree)
        if form.is_valid() and not node_errors:
            try:
                with _web_origin(request):
                    if editing:
                        services.rule_update(actor=request.user, rule=rule, name=form.cleaned_data["name"],
                                             description=form.cleaned_data["description"])
                        before = selectors.rule_latest_version(rule)
                        version = services.rule_version_save(actor=request.user, rule=rule, expression=clean)
                        unchanged = before is not None and before.pk == version.pk
                        messages.success(request, (MSG_UNCHANGED if unchanged else MSG_SAVED) % {"n": version.number})
                    else:
                        rule = services.rule_create(
                            actor=request.user, name=form.cleaned_data["name"],
                            description=form.cleaned_data["description"], agency=form.cleaned_data.get("agency"),
                            expression=clean)
                        messages.success(request, MSG_SAVED % {"n": 1})
            except ValidationFailed as exc:
                for field, problems in exc.errors.items():
                    if field in form.fields:
                        for problem in problems:
                            form.add_error(field, problem)
                    else:
                        node_errors.setdefault(field.removeprefix("expression."), []).extend(problems)
            except DomainError as exc:
                form.add_error(None, exc.text)
            else:
                return redirect("eligibility:rule_detail", pk=rule.pk)
        context = {"form": form, "rule": rule, **_builder_context(tree, node_errors)}
        return render(request, "eligibility/rule_form.html", context, status=422)
    if editing:
        version = selectors.rule_latest_version(rule)
        tree = builder.from_expression(version.expression) if version else builder.initial_tree()
        form = RuleForm(initial={"name": rule.name, "description": rule.description}, user=request.user,
                        editing=True)
    else:
        tree = builder.initial_tree()
        form = RuleForm(user=request.user)
    return render(request, "eligibility/rule_form.html", {"form": form, "rule": rule, **_builder_context(tree)})


@login_required
def rule_create(request):
    _require_manager(request)
    return _builder_page(request)


@login_required
def rule_edit(request, pk: int):
    rule = _rule(request, pk)
    if not selectors.rule_can_manage(request.user, rule):
        raise PermissionDenied
    return _builder_page(request, rule=rule)


@login_required
def rule_detail(request, pk: int):
    rule = _rule(request, pk)
    versions = list(rule.versions.select_related("created_by").order_by("-number")[:20])
    return render(request, "eligibility/rule_detail.html", {
        "rule": rule, "versions": versions, "version": versions[0] if versions else None,
        "text": engine.describe(versions[0].expression) if versions else "",
        "runs": selectors.rule_runs(rule), "can_manage": selectors.rule_can_manage(request.user, rule),
        "statuses": RuleStatus.choices,
    })


@login_required
@require_POST
def rule_status(request, pk: int):
    rule = _rule(request, pk)
    try:
        with _web_origin(request):
            services.rule_status_set(actor=request.user, rule=rule, status=request.POST.get("status", ""))
    except DomainError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied from None
        messages.error(request, exc.text)
    return redirect("eligibility:rule_detail", pk=rule.pk)


@login_required
@require_POST
def rule_run(request, pk: int):
    rule = _rule(request, pk)
    try:
        with _web_origin(request):
            run = services.rule_run_start(actor=request.user, rule=rule)
    except DomainError as exc:
        if exc.code == "permission_denied":
            raise PermissionDenied from None
        messages.error(request, exc.text)
        return redirect("eligibility:rule_detail", pk=rule.pk)
    messages.success(request, MSG_RUN_QUEUED)
    return redirect("eligibility:run_detail", pk=run.pk)


def _run(request, pk: int):
    try:
        return selectors.run_get(user=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


@login_required
def run_detail(request, pk: int):
    _require_manager(request)
    run = _run(request, pk)
    context = {"run": run, "rule": run.rule, "text": engine.describe(run.version.expression)}
    if run.status == "done":
        households = selectors.run_households(user=request.user, run=run)
        page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update({
            "per_rw": selectors.run_counts_per_rw(run), "comparison": selectors.run_compare(run), "page": page,
            "all_results": has_perm(request.user, P.RULES_RESULTS),
        })
    return render(request, "eligibility/run_detail.html", context)


@login_required
def run_progress(request, pk: int):
    _require_manager(request)
    run = _run(request, pk)
    if run.finished and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "eligibility/_run_progress.html", {"run": run})


@login_required
def explanation(request, pk: int, household_id: int):
    try:
        household = selectors.household_for_explanation(user=request.user, pk=household_id)
        rule = selectors.rule_for_explanation(user=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None
    result = selectors.rule_explanation(rule=rule, household=household)
    if result is None:
        raise Http404
    return render(request, "eligibility/explanation.html", {
        "household": household, "rule": rule, "result": result,
        "can_view_household": has_perm(request.user, P.HOUSEHOLD_VIEW, household),
    })
