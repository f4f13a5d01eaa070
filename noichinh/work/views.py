"""Work pages beyond the generic ones: detail pages carrying the verbs' small forms, the verbs
(POST only; on an error the detail page comes back with what was typed), and the dashboard."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from noichinh.core.forms import DateInput, add_service_errors
from noichinh.core.listing import restrict_choices, subtree_unit
from noichinh.core.record_actions import RecordAction
from noichinh.core.scoping import can, can_on
from noichinh.core.views import VerbDetailView, render_verb_error
from noichinh.documents.services import record_date_warnings
from noichinh.units.selectors import (
    Branch,
    branch_map,
    branches,
    drill_query,
    summary_crumbs,
    summary_unit,
)

from . import selectors, services
from .forms import CompleteForm, IssueForm, ProgressForm, ReopenForm, TaskFromConclusionForm
from .models import Conclusion, Meeting, Project, Task, WorkProgramme
from .resources import ConclusionResource, TaskResource, WorkProgrammeResource

# -- tasks ----------------------------------------------------------------------------------


class TaskDetailView(VerbDetailView):
    def detail_extra(self, obj: Task) -> dict[str, Any]:
        return {
            "reports": obj.reports.all(),
            "can_change": can_on(self.request.user, "change", obj),
            "citation_warnings": record_date_warnings([obj]),
        }

    def verb_actions(self, obj: Task, context: dict[str, Any]) -> list[RecordAction | None]:
        # The services' rule: a completed task takes no report and is not completed again;
        # only a completed task is reopened.
        if not context["can_change"]:
            return []
        if obj.done:
            return [RecordAction("reopen", _("Reopen the task"))]
        return [
            RecordAction("progress", _("Report progress")),
            RecordAction("complete", _("Complete the task")),
        ]

    def verb_forms(self, obj: Task) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "progress_form": ProgressForm(initial={"reported_on": today, "percent": obj.progress}),
            "complete_form": CompleteForm(initial={"completed_on": today}),
            "reopen_form": ReopenForm(),
        }


def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(Task.objects.restrict(request.user, "view"), pk=pk)


def _task_verb(
    request: HttpRequest, pk: int, form_class: Any, form_key: str, service: Any, done: str
) -> tuple[HttpResponse, Any]:
    """The shape of every task verb: a valid form calls the service; a refusal comes back on
    the task's page with what was typed (status 400); success returns to the task."""
    task = _task(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = service(user=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)  # PermissionDenied: the 403 page
        else:
            messages.success(request, done)
            return redirect("work:task_detail", pk=pk), result
    return render_verb_error(request, TaskDetailView, TaskResource, pk, **{form_key: form}), None


@login_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    response, _report = _task_verb(
        request,
        pk,
        ProgressForm,
        "progress_form",
        services.task_progress_report,
        _("Progress report saved."),
    )
    return response


@login_required
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    response, following = _task_verb(
        request,
        pk,
        CompleteForm,
        "complete_form",
        services.task_complete,
        _("The task is completed."),
    )
    if following is not None:
        day = following.due_on
        messages.info(
            request,
            _("Its next occurrence is due on %(day)s.")
            % {"day": f"{day.day}/{day.month}/{day.year}"},
        )
    return response


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    response, _task_done = _task_verb(
        request, pk, ReopenForm, "reopen_form", services.task_reopen, _("The task is reopened.")
    )
    return response


# -- meetings and conclusions ----------------------------------------------------------------


class MeetingDetailView(VerbDetailView):
    def detail_extra(self, obj: Meeting) -> dict[str, Any]:
        user = self.request.user
        conclusions = Conclusion.objects.restrict(user, "view").filter(meeting=obj)
        tasks = (
            Task.objects.restrict(user, "view")
            .filter(meeting=obj)
            .select_related("unit")
            .order_by("number", "id")
        )
        return {
            "conclusions": conclusions,
            "tasks": tasks,
            "attending": obj.attending_units.order_by("code"),
            "materials": obj.materials.restrict(user, "view"),
            # the meeting's own text, its conclusions and the tasks it gave, read together
            "citation_warnings": record_date_warnings([obj, *conclusions, *tasks]),
        }

    def verb_actions(self, obj: Meeting, context: dict[str, Any]) -> list[RecordAction | None]:
        return [
            RecordAction("add_conclusion", _("Add a conclusion"), reverse("work:conclusion_add"))
            if context["can_edit"]
            else None
        ]


class ConclusionDetailView(VerbDetailView):
    def detail_extra(self, obj: Conclusion) -> dict[str, Any]:
        user = self.request.user
        return {
            "tasks": Task.objects.restrict(user, "view")
            .filter(conclusion=obj)
            .select_related("unit"),
            "can_assign": can(user, "add", Task),
            "citation_warnings": record_date_warnings([obj]),
        }

    def verb_actions(self, obj: Conclusion, context: dict[str, Any]) -> list[RecordAction | None]:
        return [RecordAction("assign", _("Assign a key task")) if context["can_assign"] else None]

    def verb_forms(self, obj: Conclusion) -> dict[str, Any]:
        form = TaskFromConclusionForm()
        restrict_choices(form, self.request.user, "add", Task)
        return {"assign_form": form}


@login_required
@require_POST
def conclusion_assign(request: HttpRequest, pk: int) -> HttpResponse:
    conclusion = get_object_or_404(Conclusion.objects.restrict(request.user, "view"), pk=pk)
    form = TaskFromConclusionForm(request.POST)
    restrict_choices(form, request.user, "add", Task)
    if form.is_valid():
        try:
            task = services.task_from_conclusion(
                user=request.user, conclusion=conclusion, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)  # PermissionDenied: the 403 page
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": task})
            return redirect("work:task_detail", pk=task.pk)
    return render_verb_error(
        request, ConclusionDetailView, ConclusionResource, pk, assign_form=form
    )


# -- projects and programmes -----------------------------------------------------------------


class ProjectDetailView(VerbDetailView):
    def detail_extra(self, obj: Project) -> dict[str, Any]:
        user = self.request.user
        return {
            "milestones": obj.milestones.restrict(user, "view"),
            "tasks": Task.objects.restrict(user, "view").filter(project=obj).select_related("unit"),
            "today": timezone.localdate(),
            "citation_warnings": record_date_warnings([obj]),
        }


class ProgrammeDetailView(VerbDetailView):
    def detail_extra(self, obj: WorkProgramme) -> dict[str, Any]:
        return {
            "tasks": Task.objects.restrict(self.request.user, "view")
            .filter(programme=obj)
            .select_related("unit")
            .order_by("due_month", "number", "id"),
            "can_issue": can_on(self.request.user, "change", obj)
            and services.programme_issue_refusal(obj) is None,
        }

    def verb_actions(
        self, obj: WorkProgramme, context: dict[str, Any]
    ) -> list[RecordAction | None]:
        return [RecordAction("issue", _("Record the issue")) if context["can_issue"] else None]

    def verb_forms(self, obj: WorkProgramme) -> dict[str, Any]:
        form = IssueForm(initial={"issued_on": obj.issued_on, "document": obj.document_id})
        restrict_choices(form, self.request.user, "view", WorkProgramme)
        return {"issue_form": form}


@login_required
@require_POST
def programme_issue(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(WorkProgramme.objects.restrict(request.user, "view"), pk=pk)
    form = IssueForm(request.POST)
    restrict_choices(form, request.user, "view", WorkProgramme)
    if form.is_valid():
        try:
            services.programme_issue(user=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)  # PermissionDenied: the 403 page
        else:
            messages.success(request, _("The issue of the programme is recorded."))
            return redirect("work:workprogramme_detail", pk=pk)
    return render_verb_error(
        request, ProgrammeDetailView, WorkProgrammeResource, pk, issue_form=form
    )


# -- dashboard --------------------------------------------------------------------------------


class DashboardForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())
    year = forms.IntegerField(
        label=gettext_lazy("Programmes of the year"), required=False, min_value=2000, max_value=2100
    )


def _branch_row(request: HttpRequest, unit: Any, branch: Branch, **figures: Any) -> SimpleNamespace:
    """A row of the summary: the branch, the list filter of its records (the unit's own: exactly
    its tasks; a branch: its subtree) and the link down into its branch."""
    narrow = f"unit={branch.unit.pk}" if branch.own else f"trong={branch.unit.pk}"
    drill = "" if branch.own else f"?{drill_query(request.GET, branch.unit)}"
    return SimpleNamespace(branch=branch, unit=branch.unit, narrow=narrow, drill=drill, **figures)


def _task_branches(
    request: HttpRequest, unit: Any, branch_of: dict[int, int], tasks: Any
) -> list[SimpleNamespace]:
    """[{branch, count, ...}] of a task list, by the branches directly below `unit`."""
    if unit is None:
        return []
    counts: dict[int, int] = {}
    for owner, n in (
        tasks.order_by().values("unit").annotate(n=Count("id")).values_list("unit", "n")
    ):
        key = branch_of.get(owner, unit.pk)
        counts[key] = counts.get(key, 0) + n
    named = branches(unit, list(counts))
    rows = [_branch_row(request, unit, named[pk], count=n) for pk, n in counts.items()]
    return sorted(rows, key=lambda r: (not r.branch.own, r.unit.path))


def _completion_branches(
    request: HttpRequest, unit: Any, branch_of: dict[int, int], start: dt.date, end: dt.date
) -> list[SimpleNamespace]:
    """Completion (selectors.completion_by_unit: each task for the unit that held it on its
    deadline) summed by the branches directly below `unit`."""
    if unit is None:
        return []
    sums: dict[int, list[int]] = {}
    for c in selectors.completion_by_unit(request.user, start, end):
        key = branch_of.get(c.unit.pk)
        if key is None:  # held then by a unit outside this one
            continue
        into = sums.setdefault(key, [0, 0, 0, 0])
        for i, n in enumerate((c.due, c.on_time, c.late, c.open)):
            into[i] += n
    named = branches(unit, list(sums))
    rows: list[SimpleNamespace] = []
    for pk, figures in sums.items():
        # The branch's sums as one Completion: the rate has its one definition there.
        total = selectors.Completion(named[pk].unit, *figures)
        rows.append(
            _branch_row(
                request,
                unit,
                named[pk],
                due=total.due,
                on_time=total.on_time,
                late=total.late,
                open=total.open,
                rate=total.rate,
            )
        )
    return sorted(rows, key=lambda r: (not r.branch.own, r.unit.path))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Tổng hợp nhiệm vụ: overdue and due soon by unit, completion by unit for a period, and
    the timeliness of the annual programmes."""
    user = request.user
    if not can(user, "view", Task):
        raise PermissionDenied(_("You have no role that lets you see this list."))
    today = timezone.localdate()
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or dt.date(today.year, 1, 1)
    end = data.get("end") or dt.date(today.year, 12, 31)
    year = data.get("year") or today.year
    # The figures of the unit picked (a row's link drills down into its branch, `trong`),
    # by the branches directly below it, never the whole tree flattened.
    top = summary_unit(request, Task)
    unit = subtree_unit(request) or top
    overdue = selectors.task_list_overdue(user, today).within(unit)
    due_soon = selectors.task_list_due_soon(user, today).within(unit)
    task_list = reverse("work:task_list")
    branch_of = branch_map(unit, today) if unit is not None else {}
    context = {
        "form": form,
        "today": today,
        "start": start,
        "end": end,
        "year": year,
        "unit": unit,
        "drilled": unit is not None and top is not None and unit.pk != top.pk,
        "task_list": task_list,
        "overdue_count": overdue.count(),
        "due_soon_count": due_soon.count(),
        "overdue_by_unit": _task_branches(request, unit, branch_of, overdue),
        "due_soon_by_unit": _task_branches(request, unit, branch_of, due_soon),
        "overdue": overdue[:20],
        "due_soon": due_soon[:20],
        "completion": _completion_branches(request, unit, branch_of, start, end),
        "programmes": selectors.programme_timeliness(user, year, today),
        "crumbs": summary_crumbs(request, _("Summary of key tasks"), unit, top),
    }
    return render(request, "work/dashboard.html", context)
