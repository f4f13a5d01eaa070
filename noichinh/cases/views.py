"""Case pages beyond the generic ones: the case page with its timeline, suspensions, phases and
documents and the verbs' forms; the verbs (POST; on an error the case page comes back with what
was typed); and the leaders' summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
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
from noichinh.units.models import Unit
from noichinh.units.selectors import drill_query, summary_crumbs, summary_unit

from . import rules, selectors, services
from .choices import IssueKind
from .forms import EventForm, ResumeForm, SplitForm, SuspendForm
from .models import Case, CaseEvent, CaseSuspension
from .resources import CaseResource

TABS = ("info", "events", "documents", "history")


class CaseDetailView(VerbDetailView):
    def detail_extra(self, obj: Case) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        suspensions = list(CaseSuspension.objects.restrict(user, "view").filter(case=obj))
        return {
            "events": CaseEvent.objects.restrict(user, "view")
            .filter(case=obj)
            .select_related("document")
            .order_by("-occurred_on", "-id"),
            "suspensions": suspensions,
            "suspended_total": rules.suspended_days(
                [(s.started_on, s.ended_on) for s in suspensions], today
            ),
            "open_suspension": next((s for s in suspensions if s.ended_on is None), None),
            "phases": Case.objects.restrict(user, "view")
            .filter(origin=obj.origin or obj)
            .exclude(pk=obj.pk)
            .order_by("phase"),
            "origin_case": Case.objects.restrict(user, "view")
            .filter(pk=obj.origin_id or 0)
            .first(),
            "documents": obj.documents.restrict(user, "view").order_by("-issue_date"),
            "verdict": obj.stall(today),
            "can_change": can_on(user, "change", obj),
        }

    def verb_actions(self, obj: Case, context: dict[str, Any]) -> list[RecordAction | None]:
        """The verbs of the case, each only when its service would accept it."""
        if not context["can_change"]:
            return []
        return [
            # a closed case takes only a correction of its closing event (the service's rule)
            RecordAction("event", _("Record an event")),
            RecordAction("suspend", _("Suspend the case"))
            if services.suspend_refusal(obj) is None
            else None,
            RecordAction("resume", _("Resume the case"))
            if services.resume_refusal(obj) is None
            else None,
            RecordAction("split", _("Split off a phase")) if not obj.closed else None,
        ]

    def verb_forms(self, obj: Case) -> dict[str, Any]:
        today = timezone.localdate()
        event_form = EventForm(initial={"occurred_on": today, "stage": obj.stage})
        suspend_form = SuspendForm(initial={"started_on": today})
        for form in (event_form, suspend_form):
            restrict_choices(form, self.request.user, "view")
        return {
            "event_form": event_form,
            "suspend_form": suspend_form,
            "resume_form": ResumeForm(initial={"ended_on": today}),
            "split_form": SplitForm(initial={"detected_on": today}),
        }


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(Case.objects.restrict(request.user, "view"), pk=pk)


def _case_verb(
    request: HttpRequest, pk: int, form_class: Any, form_key: str, service: Any, done: str
) -> tuple[HttpResponse, Any]:
    """The shape of every case verb: a valid form calls the service; a refusal comes back on
    the case's page with what was typed (status 400); success returns to the case."""
    case = _case(request, pk)
    form = form_class(request.POST)
    restrict_choices(form, request.user, "view")
    if form.is_valid():
        try:
            result = service(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)  # PermissionDenied: the 403 page
        else:
            messages.success(request, done)
            return redirect("cases:case_detail", pk=pk), result
    return render_verb_error(request, CaseDetailView, CaseResource, pk, **{form_key: form}), None


@login_required
@require_POST
def case_event(request: HttpRequest, pk: int) -> HttpResponse:
    response, _event = _case_verb(
        request, pk, EventForm, "event_form", services.case_record_event, _("Event recorded.")
    )
    return response


@login_required
@require_POST
def case_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    response, _suspension = _case_verb(
        request, pk, SuspendForm, "suspend_form", services.case_suspend, _("Suspension recorded.")
    )
    return response


@login_required
@require_POST
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    response, _suspension = _case_verb(
        request, pk, ResumeForm, "resume_form", services.case_resume, _("The case is resumed.")
    )
    return response


@login_required
@require_POST
def case_split(request: HttpRequest, pk: int) -> HttpResponse:
    response, part = _case_verb(
        request, pk, SplitForm, "split_form", services.case_split, _("The phase is split off.")
    )
    if part is not None:
        return redirect("cases:case_detail", pk=part.pk)
    return response


# -- the leaders' summary --------------------------------------------------------------------


class SummaryForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Detected from"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Detected until"), required=False, widget=DateInput())
    by = forms.ChoiceField(
        label=gettext_lazy("Totals by"),
        required=False,
        choices=[
            ("unit", gettext_lazy("Unit")),
            ("stage", gettext_lazy("Stage")),
            ("field", gettext_lazy("Field")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(gettext_lazy("The start of the period is after its end."))
        return data


def base_unit(request: HttpRequest, model: Any) -> Unit | None:
    """The unit a summary starts from (units.selectors.summary_unit)."""
    return summary_unit(request, model)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, "view", Case):
        raise PermissionDenied(_("You have no role that lets you see this list."))
    today = timezone.localdate()
    form = SummaryForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or dt.date(today.year - 5, 1, 1)
    end = data.get("end") or today
    by = data.get("by") or "unit"
    if not form.is_bound:  # show the window the figures are for
        form = SummaryForm(initial={"start": start, "end": end, "by": by})
    top = base_unit(request, Case)
    # A row's link drills down into its branch (`trong`), keeping the period.
    unit = subtree_unit(request) or top
    case_list = reverse("cases:case_list")
    # A past window is read on the tree of its last day (a record counts for the unit that
    # held it then), and the lists behind its numbers too.
    as_of = end if end < today else None
    tree_query = f"&ngay={as_of:%d/%m/%Y}" if as_of is not None else ""
    context: dict[str, Any] = {
        "form": form,
        "today": today,
        "start": start,
        "end": end,
        "by": by,
        "unit": unit,
        "case_list": case_list,
        "issue_list": reverse("cases:securityissue_list"),
        "period_query": f"detected_after={start:%d/%m/%Y}&detected_before={end:%d/%m/%Y}"
        + tree_query,
        "issue_period_query": f"advised_after={start:%d/%m/%Y}&advised_before={end:%d/%m/%Y}"
        + tree_query,
        "as_of": as_of,
        "crumbs": summary_crumbs(request, _("Summary of cases and matters"), unit, top),
        "drilled": unit is not None and top is not None and unit.pk != top.pk,
    }
    if unit is not None:
        rows, total = selectors.case_totals(
            user=user, unit=unit, start=start, end=end, by=by, as_of=as_of
        )
        issue_rows = selectors.issue_totals(user=user, unit=unit, start=start, end=end, as_of=as_of)
        kinds = dict(IssueKind.choices)
        for row in issue_rows:
            row["label"] = kinds.get(row["kind"], row["kind"])
        context.update(
            headline=selectors.case_headline(user=user, unit=unit, on=today),
            rows=rows,
            total=total,
            drill={
                r.key: f"?{drill_query(request.GET, r.branch.unit)}"
                for r in rows
                if r.branch is not None and not r.branch.own
            },
            issue_rows=issue_rows,
            stalled=selectors.case_list_stalled(user=user, on=today)
            .within(unit)
            .select_related("unit")
            .order_by("last_event_on")[:15],
        )
    return render(request, "cases/dashboard.html", context)
