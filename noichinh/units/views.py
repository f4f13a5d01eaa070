"""Unit pages: the tree, a unit's page with its history, and the reorganisation services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from noichinh.core.display import field_label
from noichinh.core.forms import add_service_errors
from noichinh.core.scoping import can, can_on
from noichinh.core.views import ObjectDetailView

from . import selectors, services
from .choices import UnitKind
from .forms import (
    UnitCloseForm,
    UnitCreateForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
    UnitSplitForm,
)
from .models import Cluster, Unit


class UnitDetailView(ObjectDetailView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = super().get(request, pk)
        return response

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        unit = extra.get("object")
        if unit is not None:
            visible = Unit.objects.restrict(self.request.user, "view")
            context.update(
                children=visible.filter(parent=unit).order_by("valid_to", "path"),
                ancestors=unit.ancestors(),
                versions=unit.versions.select_related("parent", "event"),
                events=selectors.unit_events(unit=unit),
                lineage=selectors.unit_lineage(unit=unit),
                can_manage=can_on(self.request.user, "manage_units", unit),
            )
        return context


class ClusterDetailView(ObjectDetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        cluster = extra.get("object")
        if cluster is not None:
            context["members"] = cluster.members.select_related("successor").order_by("path")
            context["members_label"] = field_label(Cluster, "members")
        return context


@login_required
def unit_tree_on(request: HttpRequest) -> HttpResponse:
    """The tree as it was on a day: names and parents then (63 committees on 30/6/2025,
    34 from 1/7/2025)."""
    import datetime as dt

    from noichinh.core.forms import DateInput

    if not can(request.user, "view", Unit):
        raise PermissionDenied(_("You have no role that lets you see this list."))
    field = forms.DateField(widget=DateInput(), required=False)
    raw = request.GET.get("ngay", "")
    error = ""
    try:
        day = field.clean(raw) or timezone.localdate()
    except forms.ValidationError:
        day, error = timezone.localdate(), _("Enter a valid date (dd/mm/yyyy).")
    # Today's paths put merged units under their successors; list by kind, then parent then.
    order = {value: i for i, (value, _label) in enumerate(UnitKind.choices)}
    versions = sorted(
        selectors.unit_tree_on(user=request.user, day=day),
        key=lambda v: (order.get(v.kind, 99), v.parent.name if v.parent else "", v.name),
    )
    counts: dict[str, int] = {}
    for version in versions:
        counts[version.kind] = counts.get(version.kind, 0) + 1
    kinds = [
        (label, counts.get(value, 0)) for value, label in UnitKind.choices if counts.get(value)
    ]
    return render(
        request,
        "units/unit_tree_on.html",
        {
            "day": day,
            "raw": raw if error else day.strftime("%d/%m/%Y"),
            "error": error,
            "versions": versions,
            "kinds": kinds,
            "min_day": dt.date(2013, 1, 1),
        },
        status=400 if error else 200,
    )


def _service_page(
    request: HttpRequest,
    unit: Unit | None,
    form: Any,
    title: str,
    submit: str,
    danger: bool = False,
) -> HttpResponse:
    return render(
        request,
        "units/unit_service.html",
        {"unit": unit, "form": form, "title": title, "submit": submit, "danger": danger},
        status=400 if form.is_bound else 200,
    )


def _managed_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.restrict(request.user, "view"), pk=pk)
    if not can_on(request.user, "manage_units", unit):
        raise PermissionDenied(_("Only a system administrator may reorganise units."))
    return unit


def _run(request: HttpRequest, form: Any, call: Any) -> Any:
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _perform(
    request: HttpRequest,
    unit: Unit | None,
    form: Any,
    perform: Any,
    done: Any,
    title: str,
    submit: str,
    danger: bool = False,
) -> HttpResponse:
    """The shape of every reorganisation page: a valid POST calls the service; its refusal
    becomes a form error (the input stays); success says so and shows the unit."""
    if request.method == "POST" and form.is_valid():
        result = _run(request, form, lambda: perform(form.cleaned_data))
        if result is not None:
            shown = result if isinstance(result, Unit) else unit
            messages.success(request, done(result))
            return redirect("units:unit_detail", pk=shown.pk)  # type: ignore[union-attr]
    return _service_page(request, unit, form, title, submit, danger)


def _plan_groups(plan: Any) -> list[dict[str, Any]]:
    """The preview by kind, each record with its link (when it has a page) and its line."""
    from django.urls import NoReverseMatch, reverse

    from noichinh.core.resources import registry

    groups = []
    for group in plan.groups:
        if not group.items:
            continue
        resource = registry.for_model(group.kind.model)
        rows = []
        for item in group.items:
            url = ""
            if resource is not None and "detail" in resource.actions():
                try:
                    url = reverse(resource.url_name("detail"), args=[item.record.pk])
                except NoReverseMatch:
                    url = ""
            rows.append(
                {"record": item.record, "url": url, "detail": item.detail, "kept": item.blocked}
            )
        groups.append(
            {
                "label": group.kind.label,
                "moving": len(group.moving),
                "staying": len(group.staying),
                "rows": rows,
            }
        )
    return groups


def _perform_handover(
    request: HttpRequest,
    unit: Unit,
    form: Any,
    preview: Any,
    perform: Any,
    done: Any,
    title: str,
    submit: str,
) -> HttpResponse:
    """A reorganisation that closes units: a valid POST first shows what will be handed over
    (by kind, with counts and links) and asks for the confirmation; the confirmed POST runs
    the service (one transaction) and shows what moved."""
    if request.method == "POST" and form.is_valid():
        plan = _run(request, form, lambda: preview(form.cleaned_data))
        if plan is not None and request.POST.get("confirm") == "1":
            result = _run(request, form, lambda: perform(form.cleaned_data))
            if result is not None:
                messages.success(request, done(result))
                return render(
                    request,
                    "units/unit_handover_done.html",
                    {"unit": unit, "title": title, "plan": plan, "groups": _plan_groups(plan)},
                )
        if plan is not None and not form.errors:
            return render(
                request,
                "units/unit_service.html",
                {
                    "unit": unit,
                    "form": form,
                    "title": title,
                    "submit": _("Confirm and hand over"),
                    "danger": True,
                    "plan": plan,
                    "groups": _plan_groups(plan),
                },
            )
    return _service_page(request, unit, form, title, submit, True)


@login_required
def unit_add(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "manage_units", Unit):
        raise PermissionDenied(_("Only a system administrator may reorganise units."))
    form = UnitCreateForm(
        request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")}
    )
    return _perform(
        request,
        None,
        form,
        lambda d: services.unit_create(
            user=request.user,
            parent=d["parent"],
            code=d["code"],
            name=d["name"],
            short_name=d["short_name"],
            kind=d["kind"],
            valid_from=d["on"],
            document=d["document"],
            note=d["note"],
        ),
        lambda unit: _("Established “%(name)s”.") % {"name": unit},
        _("Establish a unit"),
        _("Establish"),
    )


@login_required
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitRenameForm(
        request.POST or None, initial={"name": unit.name, "short_name": unit.short_name}
    )
    return _perform(
        request,
        unit,
        form,
        lambda d: services.unit_rename(
            user=request.user,
            unit=unit,
            name=d["name"],
            short_name=d["short_name"],
            on=d["on"],
            document=d["document"],
            note=d["note"],
        ),
        lambda renamed: _("Renamed to “%(name)s”.") % {"name": renamed.name},
        _("Rename"),
        _("Rename"),
    )


@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitMoveForm(request.POST or None, user=request.user, unit=unit)
    return _perform(
        request,
        unit,
        form,
        lambda d: services.unit_move(
            user=request.user,
            unit=unit,
            new_parent=d["new_parent"],
            on=d["on"],
            document=d["document"],
            note=d["note"],
        ),
        lambda moved: _("Moved “%(name)s”.") % {"name": moved},
        _("Move under another unit"),
        _("Move"),
    )


@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitMergeForm(request.POST or None, user=request.user, unit=unit)
    return _perform_handover(
        request,
        unit,
        form,
        lambda d: services.unit_merge_preview(sources=list(d["sources"]), target=unit, on=d["on"]),
        lambda d: services.unit_merge(
            user=request.user,
            sources=list(d["sources"]),
            target=unit,
            on=d["on"],
            document=d["document"],
            note=d["note"],
            new_name=d["new_name"],
            carry_roles=d["carry_roles"],
        ),
        lambda _event: _("Merged into “%(name)s”.") % {"name": unit},
        _("Merge units into this one"),
        _("Merge"),
    )


@login_required
def unit_split(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitSplitForm(request.POST or None)

    def perform(d: dict[str, Any]) -> Any:
        if d["receiver"] > len(d["parts"]):
            raise ValidationError({"receiver": _("Choose one of the new units.")})
        return services.unit_split(
            user=request.user,
            source=unit,
            parts=d["parts"],
            on=d["on"],
            close_source=not d["keep_source"],
            document=d["document"],
            note=d["note"],
            receiver=d["receiver"] - 1,
            carry_roles=d["carry_roles"],
        )

    if request.method == "POST" and form.is_valid() and form.cleaned_data["keep_source"]:
        # The unit stays: nothing is handed over.
        return _perform(
            request,
            unit,
            form,
            perform,
            lambda created: (
                ngettext("Split into %(n)d unit.", "Split into %(n)d units.", len(created))
                % {"n": len(created)}
            ),
            _("Split"),
            _("Split"),
            danger=True,
        )
    return _perform_handover(
        request,
        unit,
        form,
        lambda d: services.unit_split_preview(source=unit, on=d["on"]),
        perform,
        lambda created: (
            ngettext("Split into %(n)d unit.", "Split into %(n)d units.", len(created))
            % {"n": len(created)}
        ),
        _("Split"),
        _("Split"),
    )


@login_required
def unit_close(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitCloseForm(request.POST or None, user=request.user, unit=unit)
    return _perform_handover(
        request,
        unit,
        form,
        lambda d: services.unit_close_preview(unit=unit, on=d["on"], successor=d["successor"]),
        lambda d: services.unit_close(
            user=request.user,
            unit=unit,
            on=d["on"],
            document=d["document"],
            note=d["note"],
            successor=d["successor"],
            carry_roles=d["carry_roles"],
        ),
        lambda closed: _("Closed “%(name)s”.") % {"name": closed},
        _("Close the unit"),
        _("Close"),
    )
