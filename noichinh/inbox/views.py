"""The inbox page /thong-bao/: the user's notifications, filters, mark read, open, settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from noichinh.core.scoping import can

from .forms import InboxFilterForm, PreferenceForm
from .models import Notification, ReminderRule
from .services import mark_all_read, mark_read, preference_of, set_preference

PER_PAGE = 25


def _mine(request: HttpRequest) -> Any:
    """The user's own notifications, through the gate (it narrows to the user's rows)."""
    user: Any = request.user
    return Notification.objects.restrict(user, "view").filter(user_id=user.pk)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("inbox:list")


@login_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    rows = _mine(request)
    kind = state = ""
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        state = form.cleaned_data["state"]
    if kind:
        rows = rows.filter(kind=kind)
    if state == "unread":
        rows = rows.filter(read_at__isnull=True)
    elif state == "read":
        rows = rows.filter(read_at__isnull=False)
    rows = rows.order_by("-created_at", "-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    unread = _mine(request).filter(read_at__isnull=True).count()
    return render(
        request,
        "inbox/list.html",
        {
            "form": form,
            "page": page,
            "notifications": page.object_list,
            "unread": unread,
            "filtered": bool(kind or state),
            "preference_form": PreferenceForm(initial={"digest": preference_of(request.user)}),
            "can_rules": can(request.user, "view", ReminderRule)
            and can(request.user, "change", ReminderRule),
        },
    )


@login_required
@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(_mine(request), pk=pk)
    mark_read(user=request.user, notification=notification)
    return redirect(_back(request))


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(user=request.user, queryset=_mine(request))
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect(_back(request))


@login_required
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the record the notification is about; it is marked read."""
    notification = get_object_or_404(_mine(request), pk=pk)
    mark_read(user=request.user, notification=notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return HttpResponseRedirect(url)
    return redirect("inbox:list")


@login_required
@require_POST
def inbox_preference(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        set_preference(user=request.user, digest=form.cleaned_data["digest"])
        messages.success(request, _("Your e-mail setting is saved."))
    return redirect("inbox:list")
