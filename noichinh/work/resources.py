from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noichinh.core.navigation import Area, register_area
from noichinh.core.resources import ModelResource, YearFilter, follow_owner, register
from noichinh.core.scoping import can
from noichinh.documents.services import citations_sync

from . import deadlines
from .choices import DeadlineState, MeetingKind, MeetingPeriod, Recurrence, TaskStatus
from .forms import (
    ConclusionForm,
    MeetingForm,
    MilestoneForm,
    ProjectForm,
    TaskForm,
    WorkProgrammeForm,
)
from .models import Conclusion, Meeting, Milestone, Project, Task, TaskProgress, WorkProgramme


def _units() -> Any:
    return apps.get_model("units", "Unit").objects.all()


class MeetingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MeetingKind.choices, empty_label=_("All")
    )
    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=MeetingPeriod.choices, empty_label=_("All")
    )
    year = YearFilter(label=_("Year"), field_name="held_on__year")
    online = django_filters.BooleanFilter(label=_("Online"))

    class Meta:
        model = Meeting
        fields = ["kind", "period", "year", "online"]


@register
class MeetingResource(ModelResource):
    model = Meeting
    form = MeetingForm
    fields = tuple(MeetingForm.Meta.fields)
    list_columns = ("held_on", "title", "kind", "place", "unit")
    detail_fields = (
        "kind",
        "period",
        "session_number",
        "held_on",
        "place",
        "online",
        "connected_locations",
        "chair",
        "attendance",
        "agenda",
        "results",
        "limitations",
        "unit",
    )
    filterset = MeetingFilterSet
    search_fields = ("title", "place", "chair", "agenda", "results", "limitations")
    sortable = ("held_on", "title")
    ordering = ("-held_on", "-id")
    select_related = ("unit",)
    url_prefix = "hoi-nghi/"
    area = "work"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        assert isinstance(instance, Meeting)
        follow_owner(Conclusion.objects.filter(meeting_id=instance.pk), instance)
        citations_sync(
            instance, [instance.title, instance.agenda, instance.results, instance.limitations]
        )


@register
class ConclusionResource(ModelResource):
    model = Conclusion
    form = ConclusionForm
    fields = ("meeting", "number", "text")
    list_columns = ("meeting", "number", "text", "unit")
    detail_fields = ("meeting", "number", "text", "unit")
    filter_fields = ("meeting",)
    search_fields = ("text", "meeting__title")
    sortable = ("number",)
    ordering = ("-meeting__held_on", "meeting_id", "number")
    select_related = ("meeting__unit", "unit")
    url_prefix = "ket-luan/"
    area = "work"

    owner_via = "meeting"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        assert isinstance(instance, Conclusion)
        citations_sync(instance, [instance.text])


class TaskFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TaskStatus.choices, empty_label=_("All")
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=DeadlineState.choices,
        empty_label=_("All"),
        method="filter_deadline",
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Owner unit"), queryset=lambda request: _units()
    )
    due_after = django_filters.DateFilter(
        label=_("Due from"), field_name="due_on", lookup_expr="gte"
    )
    due_before = django_filters.DateFilter(
        label=_("Due until"), field_name="due_on", lookup_expr="lte"
    )
    recurrence = django_filters.ChoiceFilter(
        label=_("Recurrence"), choices=Recurrence.choices[1:], empty_label=_("All")
    )

    class Meta:
        model = Task
        fields = ["status", "deadline", "unit", "due_after", "due_before", "recurrence"]

    def filter_deadline(self, queryset: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        open_tasks = queryset.filter(status=TaskStatus.OPEN)
        if value == DeadlineState.OVERDUE:
            return open_tasks.filter(due_on__lt=today)
        soon = today + dt.timedelta(days=deadlines.DUE_SOON_DAYS)
        return open_tasks.filter(due_on__gte=today, due_on__lte=soon)


@register
class TaskResource(ModelResource):
    model = Task
    form = TaskForm
    fields = tuple(TaskForm.Meta.fields)
    list_columns = (
        "number",
        "title",
        "unit",
        "due_on",
        "deadline_state",
        "recurrence",
        "progress",
        "status",
    )
    detail_fields = (
        "number",
        "title",
        "description",
        "unit",
        "co_units",
        "meeting",
        "conclusion",
        "project",
        "programme",
        "due_month",
        "due_on",
        "recurrence",
        "previous",
        "documents",
        "status",
        "progress",
        "completed_on",
    )
    filterset = TaskFilterSet
    search_fields = ("title", "description")
    sortable = ("number", "title", "due_on", "progress")
    ordering = ("due_on", "number", "id")
    select_related = ("unit",)
    url_prefix = "nhiem-vu/"
    area = "work"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        assert isinstance(instance, Task)
        follow_owner(TaskProgress.objects.filter(task_id=instance.pk), instance)
        citations_sync(instance, [instance.title, instance.description])

    @classmethod
    def row_class(cls, obj: models.Model) -> str:
        assert isinstance(obj, Task)
        if deadlines.is_overdue(obj.due_on, timezone.localdate(), obj.done):
            return "table-danger"
        return ""


@register
class ProjectResource(ModelResource):
    model = Project
    form = ProjectForm
    fields = tuple(ProjectForm.Meta.fields)
    list_columns = ("title", "year_text", "due_on", "unit")
    detail_fields = ("title", "year_text", "description", "due_on", "documents", "unit")
    filter_fields = ("year",)
    search_fields = ("title", "description")
    sortable = ("title", "due_on")
    ordering = ("-year", "title")
    select_related = ("unit",)
    url_prefix = "de-an/"
    area = "work"

    @classmethod
    def after_write(cls, instance: models.Model, before: dict[str, Any] | None) -> None:
        assert isinstance(instance, Project)
        follow_owner(Milestone.objects.filter(project_id=instance.pk), instance)
        citations_sync(instance, [instance.title, instance.description])


@register
class MilestoneResource(ModelResource):
    model = Milestone
    form = MilestoneForm
    fields = ("project", "title", "due_on", "done_on", "note")
    list_columns = ("project", "title", "due_on", "done_on", "unit")
    detail_fields = ("project", "title", "due_on", "done_on", "note", "unit")
    filter_fields = ("project",)
    search_fields = ("title", "note", "project__title")
    sortable = ("title", "due_on", "done_on")
    ordering = ("due_on", "id")
    select_related = ("project__unit", "unit")
    url_prefix = "moc/"
    area = "work"

    owner_via = "project"


class WorkProgrammeFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("Year"))
    issued = django_filters.BooleanFilter(
        label=_("Issued"), field_name="issued_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = WorkProgramme
        fields = ["year", "issued"]


@register
class WorkProgrammeResource(ModelResource):
    model = WorkProgramme
    form = WorkProgrammeForm
    fields = ("unit", "year", "title", "due_on")
    list_columns = ("unit", "year_text", "title", "due_on", "issued_on", "timeliness_today")
    detail_fields = (
        "unit",
        "year_text",
        "title",
        "due_on",
        "issued_on",
        "document",
        "timeliness_today",
    )
    filterset = WorkProgrammeFilterSet
    search_fields = ("title", "unit__name", "unit__code")
    sortable = ("due_on", "issued_on")
    ordering = ("-year", "unit__code")
    select_related = ("unit", "document")
    url_prefix = "chuong-trinh/"
    area = "work"


register_area(
    Area(
        "work",
        _("Meetings and tasks"),
        "work:dashboard",
        90,
        lambda user: can(user, "view", Task),
    )
)
