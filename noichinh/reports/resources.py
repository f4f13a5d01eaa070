"""Declared resources of the reports app."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area
from noichinh.core.permissions import Role
from noichinh.core.resources import ModelResource, register
from noichinh.core.scoping import can

from .choices import Status
from .forms import (
    FormItemForm,
    FormSectionForm,
    IndicatorForm,
    ReportFormForm,
    ValidationRuleForm,
)
from .models import FormItem, FormSection, Indicator, ReportForm, Submission, ValidationRule


class _FormPart(ModelResource):
    """Sections, items and rules belong to their form's unit."""

    owner_via = "form"


@register
class IndicatorResource(ModelResource):
    model = Indicator
    form = IndicatorForm
    fields = tuple(IndicatorForm.Meta.fields)
    list_columns = ("code", "name", "measure", "aggregation", "source", "polarity", "unit")
    filter_fields = ("source", "aggregation")
    search_fields = ("code", "name")
    sortable = ("code", "name")
    ordering = ("code",)
    select_related = ("unit",)
    url_prefix = "chi-tieu/"
    area = "reports"


@register
class ReportFormResource(ModelResource):
    model = ReportForm
    form = ReportFormForm
    fields = tuple(ReportFormForm.Meta.fields)
    list_columns = ("code", "name", "period_type", "due_days", "reporting", "unit")
    filter_fields = ("period_type", "active")
    search_fields = ("code", "name")
    sortable = ("code", "name")
    ordering = ("code",)
    select_related = ("unit",)
    url_prefix = "bieu-mau/"
    area = "reports"


@register
class FormSectionResource(_FormPart):
    model = FormSection
    form = FormSectionForm
    fields = ("form", "number", "title")
    list_columns = ("form", "number", "title", "unit")
    filter_fields = ("form",)
    search_fields = ("title", "form__code")
    sortable = ("number",)
    ordering = ("form__code", "number")
    select_related = ("form__unit", "unit")
    url_prefix = "phan/"
    area = "reports"


@register
class FormItemResource(_FormPart):
    model = FormItem
    form = FormItemForm
    fields = ("form", "section", "order", "indicator")
    list_columns = ("form", "section", "order", "indicator", "unit")
    filter_fields = ("form",)
    search_fields = ("form__code", "indicator__name", "indicator__code")
    sortable = ("order",)
    ordering = ("form__code", "section__number", "order")
    select_related = ("form__unit", "section__form", "indicator__unit", "unit")
    url_prefix = "dong/"
    area = "reports"


@register
class ValidationRuleResource(_FormPart):
    model = ValidationRule
    form = ValidationRuleForm
    fields = tuple(ValidationRuleForm.Meta.fields)
    list_columns = ("form", "left", "operator", "right", "severity", "unit")
    filter_fields = ("form", "severity")
    search_fields = ("message", "form__code")
    sortable = ("severity",)
    ordering = ("form__code", "id")
    select_related = ("form__unit", "left__unit", "right__unit", "unit")
    url_prefix = "kiem-tra/"
    area = "reports"


class SubmissionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    period = django_filters.CharFilter(label=_("Period"))

    class Meta:
        model = Submission
        fields = ["form", "status", "period"]


@register
class SubmissionResource(ModelResource):
    """Reports change only through their verbs (open, save, submit, approve, return, unlock)."""

    model = Submission
    fields = ("form", "period", "unit", "status")
    list_columns = ("form", "period_label", "unit", "status", "due_on", "submitted_at", "on_time")
    detail_fields = (
        "form",
        "period_label",
        "unit",
        "status",
        "due_on",
        "submitted_at",
        "submitted_by",
        "on_time",
        "approved_at",
        "approved_by",
        "return_reason",
    )
    filterset = SubmissionFilterSet
    search_fields = ("form__code", "form__name", "unit__name", "period")
    sortable = ("due_on", "submitted_at")
    ordering = ("-period_end", "form__code", "unit__code")
    select_related = ("form__unit", "unit")
    url_prefix = "bao-cao-don-vi/"
    generic_write = False
    area = "reports"
    permissions = {"approve": (Role.HEAD, Role.SYSTEM_ADMIN)}

    @classmethod
    def row_class(cls, obj: models.Model) -> str:
        assert isinstance(obj, Submission)
        return "table-warning" if obj.status == Status.RETURNED else ""

    @classmethod
    def list_actions(cls, user: Any) -> list[tuple[str, str, bool]]:
        from django.urls import reverse

        return [(str(_("Periodic reports")), reverse("reports:dashboard"), False)]


register_area(
    Area(
        "reports",
        _("Periodic reports"),
        "reports:dashboard",
        40,
        lambda user: can(user, "view", Submission),
    )
)
