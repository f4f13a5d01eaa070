"""The case registry's resources: each model declared once (pages, filters, export, import,
API), and the derived counts it contributes to reports and campaigns."""

from __future__ import annotations

from typing import Any

import django_filters
from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area
from noichinh.core.permissions import Role
from noichinh.core.resources import ModelResource, follow_owner, register
from noichinh.core.scoping import can

from . import rules
from .choices import (
    CaseField,
    CaseKind,
    Conduct,
    Confidentiality,
    Detection,
    IssueKind,
    IssueStatus,
    MonitoringLevel,
    Stage,
    StalledState,
    SuspensionReason,
)
from .forms import CaseEventForm, CaseForm, CaseSuspensionForm, SecurityIssueForm, StallRuleForm
from .models import VIEW_CONFIDENTIAL, Case, CaseEvent, CaseSuspension, SecurityIssue, StallRule


def _units() -> Any:
    return apps.get_model("units", "Unit").objects.all()


class CaseFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Progress"), choices=StalledState.choices, empty_label=_("All"), method="by_state"
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CaseKind.choices, empty_label=_("All")
    )
    conduct = django_filters.ChoiceFilter(
        label=_("Conduct"), choices=Conduct.choices, empty_label=_("All")
    )
    field = django_filters.ChoiceFilter(
        label=_("Field"), choices=CaseField.choices, empty_label=_("All")
    )
    detection = django_filters.ChoiceFilter(
        label=_("How it was detected"), choices=Detection.choices, empty_label=_("All")
    )
    monitoring = django_filters.ChoiceFilter(
        label=_("Monitoring level"), choices=MonitoringLevel.choices[1:], empty_label=_("All")
    )
    public_concern = django_filters.BooleanFilter(label=_("Of public concern"))
    confidentiality = django_filters.ChoiceFilter(
        label=_("Confidentiality"), choices=Confidentiality.choices, empty_label=_("All")
    )
    detected_after = django_filters.DateFilter(
        label=_("Detected from"), field_name="detected_on", lookup_expr="gte"
    )
    detected_before = django_filters.DateFilter(
        label=_("Detected until"), field_name="detected_on", lookup_expr="lte"
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit following it"), queryset=lambda request: _units()
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department in charge"), queryset=lambda request: _units()
    )

    # Open in the filter bar; the rest behind "More filters" (core.listing.split_filters).
    common_filters = ("state", "stage", "unit", "department")

    class Meta:
        model = Case
        fields = [
            "state",
            "stage",
            "kind",
            "conduct",
            "field",
            "detection",
            "monitoring",
            "public_concern",
            "confidentiality",
            "detected_after",
            "detected_before",
            "unit",
            "department",
        ]

    def by_state(self, queryset: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == StalledState.STALLED:
            return queryset.filter(rules.stalled_q(today, rules.cached_rules()))
        if value == StalledState.SUSPENDED:
            return queryset.filter(suspended_since__isnull=False)
        if value == StalledState.CLOSED:
            return queryset.filter(stage=Stage.CLOSED)
        return queryset.exclude(stage=Stage.CLOSED)


@register
class CaseResource(ModelResource):
    model = Case
    form = CaseForm
    fields = tuple(CaseForm.Meta.fields)
    list_columns = ("title", "unit", "field", "detected_on", "stage", "stall_text")
    detail_fields = (
        "title",
        "kind",
        "conduct",
        "field",
        "unit",
        "department",
        "detected_on",
        "detection",
        "public_concern",
        "monitoring",
        "confidentiality",
        "origin",
        "stage",
        "last_event_on",
        "stall_text",
        "people_prosecuted",
        "damage_amount",
        "recovered_amount",
        "closed_on",
        "summary",
    )
    filterset = CaseFilterSet
    search_fields = ("title", "summary")
    sortable = ("title", "detected_on", "stage", "last_event_on")
    ordering = ("-detected_on", "-id")
    select_related = ("unit",)
    import_fields = (
        "unit",
        "department",
        "title",
        "kind",
        "conduct",
        "field",
        "detected_on",
        "detection",
        "public_concern",
        "monitoring",
        "confidentiality",
        "summary",
    )
    natural_keys = {"unit": "code", "department": "code"}
    permissions = {VIEW_CONFIDENTIAL: {Role.HEAD, Role.SYSTEM_ADMIN}}
    url_prefix = "ho-so/"
    area = "cases"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        from .services import case_refresh

        assert isinstance(instance, Case)
        if not Case.objects.filter(pk=instance.pk).exists():
            return  # deleted
        follow_owner(CaseEvent.objects.filter(case_id=instance.pk), instance)
        follow_owner(CaseSuspension.objects.filter(case_id=instance.pk), instance)
        case_refresh(instance)

    @classmethod
    def row_class(cls, obj: models.Model) -> str:
        assert isinstance(obj, Case)
        return "table-warning" if obj.stall().stalled else ""


class _CasePart(ModelResource):
    """Events and suspensions: owned by their case's unit; every write refreshes the case."""

    owner_via = "case"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        from .services import case_refresh

        case_ids = {getattr(instance, "case_id", None), (before or {}).get("case_id")}
        for case in Case.objects.filter(pk__in=[c for c in case_ids if c]):
            case_refresh(case)


class CaseEventFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=Stage.choices, empty_label=_("All")
    )
    after = django_filters.DateFilter(label=_("From"), field_name="occurred_on", lookup_expr="gte")
    before = django_filters.DateFilter(
        label=_("Until"), field_name="occurred_on", lookup_expr="lte"
    )

    class Meta:
        model = CaseEvent
        fields = ["case", "stage", "after", "before"]


@register
class CaseEventResource(_CasePart):
    model = CaseEvent
    form = CaseEventForm
    fields = tuple(CaseEventForm.Meta.fields)
    list_columns = ("occurred_on", "case", "stage", "people_prosecuted", "damage_amount", "unit")
    detail_fields = (
        "case",
        "occurred_on",
        "stage",
        "description",
        "people_prosecuted",
        "damage_amount",
        "recovered_amount",
        "document",
        "unit",
    )
    filterset = CaseEventFilterSet
    search_fields = ("description", "case__title")
    sortable = ("occurred_on", "stage")
    ordering = ("-occurred_on", "-id")
    select_related = ("case__unit", "unit")
    url_prefix = "dien-bien/"
    area = "cases"


class CaseSuspensionFilterSet(django_filters.FilterSet):
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=SuspensionReason.choices, empty_label=_("All")
    )
    open = django_filters.BooleanFilter(
        label=_("Still suspended"), field_name="ended_on", lookup_expr="isnull"
    )

    class Meta:
        model = CaseSuspension
        fields = ["case", "reason", "open"]


@register
class CaseSuspensionResource(_CasePart):
    model = CaseSuspension
    form = CaseSuspensionForm
    fields = tuple(CaseSuspensionForm.Meta.fields)
    list_columns = ("case", "reason", "started_on", "ended_on", "days", "unit")
    detail_fields = ("case", "reason", "started_on", "ended_on", "days", "note", "document", "unit")
    filterset = CaseSuspensionFilterSet
    search_fields = ("note", "case__title")
    sortable = ("started_on", "ended_on")
    ordering = ("-started_on", "-id")
    select_related = ("case__unit", "unit")
    url_prefix = "tam-dinh-chi/"
    area = "cases"


@register
class StallRuleResource(ModelResource):
    model = StallRule
    form = StallRuleForm
    fields = tuple(StallRuleForm.Meta.fields)
    list_columns = ("stage", "no_event_days", "suspended_days", "unit")
    detail_fields = ("stage", "no_event_days", "suspended_days", "unit")
    ordering = ("unit__path", "stage")
    filter_fields = ("stage",)
    select_related = ("unit",)
    permissions = {
        "add": {Role.HEAD, Role.UNIT_ADMIN, Role.SYSTEM_ADMIN},
        "change": {Role.HEAD, Role.UNIT_ADMIN, Role.SYSTEM_ADMIN},
        "delete": {Role.HEAD, Role.UNIT_ADMIN, Role.SYSTEM_ADMIN},
    }
    url_prefix = "quy-tac-cham/"
    area = "cases"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        rules.forget_rules()


class SecurityIssueFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=IssueKind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=IssueStatus.choices, empty_label=_("All")
    )
    advised_after = django_filters.DateFilter(
        label=_("Advised from"), field_name="advised_on", lookup_expr="gte"
    )
    advised_before = django_filters.DateFilter(
        label=_("Advised until"), field_name="advised_on", lookup_expr="lte"
    )
    min_people = django_filters.NumberFilter(
        label=_("At least (people)"), field_name="people_count", lookup_expr="gte"
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department in charge"), queryset=lambda request: _units()
    )

    class Meta:
        model = SecurityIssue
        fields = ["kind", "status", "advised_after", "advised_before", "min_people", "department"]


@register
class SecurityIssueResource(ModelResource):
    model = SecurityIssue
    form = SecurityIssueForm
    fields = tuple(SecurityIssueForm.Meta.fields)
    list_columns = ("title", "kind", "people_count", "advised_on", "unit", "status")
    detail_fields = (
        "title",
        "kind",
        "location",
        "people_count",
        "unit",
        "department",
        "started_on",
        "advised_on",
        "status",
        "resolved_on",
        "resolution",
        "description",
        "documents",
    )
    filterset = SecurityIssueFilterSet
    search_fields = ("title", "location", "description", "resolution")
    sortable = ("title", "people_count", "started_on", "advised_on")
    ordering = ("-advised_on", "-id")
    select_related = ("unit",)
    import_fields = (
        "unit",
        "department",
        "title",
        "kind",
        "location",
        "people_count",
        "started_on",
        "advised_on",
        "status",
        "resolved_on",
        "resolution",
        "description",
    )
    natural_keys = {"unit": "code", "department": "code"}
    url_prefix = "an-ninh-trat-tu/"
    area = "security"

    @classmethod
    def row_class(cls, obj: models.Model) -> str:
        assert isinstance(obj, SecurityIssue)
        return "" if obj.status == IssueStatus.RESOLVED else "table-warning"


register_area(
    Area(
        "cases", _("Cases and matters"), "cases:dashboard", 20, lambda user: can(user, "view", Case)
    )
)
register_area(
    Area(
        "security",
        _("Security and order issues"),
        "cases:securityissue_list",
        25,
        lambda user: can(user, "view", SecurityIssue),
    )
)
