"""The home page (Tổng quan): a unit's figures for a period, drill-down to the units below."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from noichinh.core.handover import heir_of
from noichinh.core.listing import scope_unit
from noichinh.core.periods import parse_period
from noichinh.core.scoping import user_scope
from noichinh.units.models import Unit

from . import selectors


def _picked_unit(request: HttpRequest) -> Unit | None:
    """`?don_vi=<id>` (a drill-down link) if the gate lets the user see it, else the top bar's
    scope, else the user's widest unit."""
    raw = request.GET.get("don_vi", "")
    picked = None
    if raw.isdigit():
        picked = Unit.objects.restrict(request.user, "view").filter(pk=int(raw)).first()
    return selectors.home_unit(picked or scope_unit(request), request.user)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    from noichinh.core.navigation import areas_for

    today = timezone.localdate()
    choices = selectors.period_choices(today)
    period = parse_period(request.GET.get("ky", "")) or choices[0]
    unit = _picked_unit(request)
    context: dict[str, Any] = {
        "areas": areas_for(request.user),
        "period": period,
        "period_choices": [(p.code, selectors.period_label(p, today)) for p in choices],
        "period_label": selectors.period_label(period, today),
        "period_offered": period in choices,
        "today": today,
        "unit": unit,
    }
    if unit is not None:
        data = selectors.home(user=request.user, unit=unit, period=period, today=today)
        context["data"] = data
        scope = user_scope(request.user, "view", Unit)
        context["ancestors"] = [u for u in unit.ancestors() if scope.covers(u.path)]
        if unit.valid_to is not None:
            context["heir"] = heir_of(unit)
    context["crumbs"] = [(_("Overview"), None)]
    return render(request, "dashboards/home.html", context)
