"""Unit pages: the tree, a unit's page with its history, and the reorganisation services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from noichinh.core.scoping import can, can_on
from noichinh.core.views import ObjectDetailView

from . import selectors, services
from .forms import (
    UnitCloseForm,
    UnitCreateForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
    UnitSplitForm,
)
from .models import Unit


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
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


@login_required
def unit_add(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "manage_units", Unit):
        raise PermissionDenied(_("Only a system administrator may reorganise units."))
    initial = {"parent": request.GET.get("parent")}
    form = UnitCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = _run(
            request,
            form,
            lambda: services.unit_create(
                user=request.user,
                parent=data["parent"],
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                valid_from=data["on"],
                document=data["document"],
                note=data["note"],
            ),
        )
        if unit is not None:
            messages.success(request, _("Established “%(name)s”.") % {"name": unit})
            return redirect("units:unit_detail", pk=unit.pk)
    return _service_page(request, None, form, _("Establish a unit"), _("Establish"))


@login_required
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitRenameForm(
        request.POST or None, initial={"name": unit.name, "short_name": unit.short_name}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            form,
            lambda: services.unit_rename(
                user=request.user,
                unit=unit,
                name=data["name"],
                short_name=data["short_name"],
                on=data["on"],
                document=data["document"],
                note=data["note"],
            ),
        )
        if done is not None:
            messages.success(request, _("Renamed to “%(name)s”.") % {"name": unit.name})
            return redirect("units:unit_detail", pk=unit.pk)
    return _service_page(request, unit, form, _("Rename"), _("Rename"))


@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitMoveForm(request.POST or None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            form,
            lambda: services.unit_move(
                user=request.user,
                unit=unit,
                new_parent=data["new_parent"],
                on=data["on"],
                document=data["document"],
                note=data["note"],
            ),
        )
        if done is not None:
            messages.success(request, _("Moved “%(name)s”.") % {"name": unit})
            return redirect("units:unit_detail", pk=unit.pk)
    return _service_page(request, unit, form, _("Move under another unit"), _("Move"))


@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitMergeForm(request.POST or None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            form,
            lambda: services.unit_merge(
                user=request.user,
                sources=list(data["sources"]),
                target=unit,
                on=data["on"],
                document=data["document"],
                note=data["note"],
                new_name=data["new_name"],
            ),
        )
        if done is not None:
            messages.success(request, _("Merged into “%(name)s”.") % {"name": unit})
            return redirect("units:unit_detail", pk=unit.pk)
    return _service_page(
        request, unit, form, _("Merge units into this one"), _("Merge"), danger=True
    )


@login_required
def unit_split(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitSplitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = _run(
            request,
            form,
            lambda: services.unit_split(
                user=request.user,
                source=unit,
                parts=data["parts"],
                on=data["on"],
                close_source=not data["keep_source"],
                document=data["document"],
                note=data["note"],
            ),
        )
        if created is not None:
            messages.success(
                request,
                ngettext("Split into %(n)d unit.", "Split into %(n)d units.", len(created))
                % {"n": len(created)},
            )
            return redirect("units:unit_detail", pk=unit.pk)
    return _service_page(request, unit, form, _("Split"), _("Split"), danger=True)


@login_required
def unit_close(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request, pk)
    form = UnitCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(
            request,
            form,
            lambda: services.unit_close(
                user=request.user,
                unit=unit,
                on=data["on"],
                document=data["document"],
                note=data["note"],
            ),
        )
        if done is not None:
            messages.success(request, _("Closed “%(name)s”.") % {"name": unit})
            return redirect("units:unit_detail", pk=unit.pk)
    return _service_page(request, unit, form, _("Close the unit"), _("Close"), danger=True)
