"""Forum pages for residents and staff: the forum list, a forum, a thread with its replies, reporting abuse.

Residents and moderators use the same pages; residents see them in the portal's layout, staff in the
staff layout with the moderation actions. Reply and report work with plain forms; htmx, when present,
swaps the replies in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_http_methods, require_POST

from bansos.accounts.models import Role
from bansos.accounts.permissions import P, has_role_perm
from bansos.core.forms import domain_page, form_attempt
from bansos.forums import selectors
from bansos.forums.access import can_moderate, can_post
from bansos.forums.forms import ReasonForm, ReplyForm, ThreadForm
from bansos.forums.services import moderation, posts


def base_template(user) -> str:
    return "portal/base.html" if user.role == Role.RESIDENT else "base.html"


def _ctx(request, **extra) -> dict:
    return {"base_template": base_template(request.user), **extra}


def _forum_user(request) -> None:
    """Forums are for residents with a household and for moderating staff (not cadres or evaluators)."""
    user = request.user
    if user.role == Role.RESIDENT:
        if not user.household_id:
            raise PermissionDenied
    elif not has_role_perm(user, P.FORUM_MODERATE):
        raise PermissionDenied


@domain_page
def index(request):
    _forum_user(request)
    user = request.user
    if user.role == Role.RESIDENT:
        return render(request, "forums/index_resident.html", _ctx(
            request, forums=selectors.resident_forums(user), to_rate=len(selectors.sessions_to_rate(user))))
    forums = selectors.moderated_forums(user)
    return render(request, "forums/index_staff.html", _ctx(
        request, forums=forums, open_reports=sum(f.stats["reports"] for f in forums)))


@domain_page
@require_http_methods(["GET", "POST"])
def forum(request, pk: int):
    _forum_user(request)
    forum = selectors.forum_get(user=request.user, pk=pk)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, thread = form_attempt(form, lambda: posts.thread_create(
            actor=request.user, forum=forum, title=form.cleaned_data["title"], body=form.cleaned_data["body"]))
        if ok:
            messages.success(request, _t("Utas Anda sudah terbit."))
            return redirect("forums:thread", pk=thread.pk)
    threads = selectors.threads_of(user=request.user, forum=forum)
    for t in threads:
        t.author_label = selectors.author_label(t.author)
    return render(request, "forums/forum.html", _ctx(
        request, forum=forum, threads=threads, form=form, can_post=can_post(request.user, forum),
        moderator=can_moderate(request.user, forum)), status=400 if form.is_bound else 200)


def _thread_context(request, thread, reply_form=None) -> dict:
    moderator = can_moderate(request.user, thread.forum)
    replies = selectors.replies_of(user=request.user, thread=thread)
    for r in replies:
        r.author_label = selectors.author_label(r.author)
    thread.author_label = selectors.author_label(thread.author)
    writable = can_post(request.user, thread.forum) and not thread.locked and (moderator or not thread.hidden)
    return _ctx(request, thread=thread, forum=thread.forum, replies=replies, moderator=moderator,
                can_reply=writable, reply_form=reply_form or ReplyForm(moderator=moderator),
                me=request.user.pk)


@domain_page
def thread(request, pk: int):
    _forum_user(request)
    thread = selectors.thread_get(user=request.user, pk=pk)
    return render(request, "forums/thread.html", _thread_context(request, thread))


@domain_page
@require_POST
def reply(request, pk: int):
    """Post a reply; htmx gets the replies block back (with the new reply, or the form's errors)."""
    _forum_user(request)
    thread = selectors.thread_get(user=request.user, pk=pk)
    moderator = can_moderate(request.user, thread.forum)
    form = ReplyForm(request.POST, moderator=moderator)
    ok = False
    if form.is_valid():
        ok, new = form_attempt(form, lambda: posts.reply_create(
            actor=request.user, thread=thread, body=form.cleaned_data["body"],
            official=bool(form.cleaned_data.get("official"))))
    if ok and not request.htmx:
        messages.success(request, _t("Balasan Anda sudah terkirim."))
        return redirect(reverse("forums:thread", args=[thread.pk]) + f"#balasan-{new.pk}")
    thread = selectors.thread_get(user=request.user, pk=pk)  # counts and lock state as they are now
    context = _thread_context(request, thread, None if ok else form)
    if request.htmx:
        context["just_posted"] = ok
        # 200 also with errors: htmx swaps only successful answers, and the block carries the form's errors.
        return render(request, "forums/_replies.html", context)
    return render(request, "forums/thread.html", context, status=400)


def _report(request, thread, reply_obj=None):
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _r = form_attempt(form, lambda: moderation.report_create(
            actor=request.user, thread=thread, reply=reply_obj, reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _t("Terima kasih. Laporan Anda diteruskan ke moderator forum."))
            return redirect("forums:thread", pk=thread.pk)
    target = reply_obj or thread
    return render(request, "forums/report.html", _ctx(
        request, thread=thread, target=target, is_reply=reply_obj is not None, form=form),
        status=400 if form.is_bound else 200)


@domain_page
@require_http_methods(["GET", "POST"])
def thread_report(request, pk: int):
    _forum_user(request)
    return _report(request, selectors.thread_get(user=request.user, pk=pk))


@domain_page
@require_http_methods(["GET", "POST"])
def reply_report(request, pk: int):
    _forum_user(request)
    r = selectors.reply_get(user=request.user, pk=pk)
    return _report(request, r.thread, r)
