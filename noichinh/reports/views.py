"""Report pages beyond the generic ones: the dashboard, opening a report, the entry grid (save
as draft, submit), the verbs of the approver, the roll-up, and Excel export and import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from noichinh.accounts.reauth import require_recent_password
from noichinh.core.audit import audit_record
from noichinh.core.exports import XLSX
from noichinh.core.models import AuditAction
from noichinh.core.periods import Period, parse_period
from noichinh.core.record_actions import RecordAction
from noichinh.core.scoping import can, can_on, user_scope
from noichinh.core.views import ObjectDetailView
from noichinh.units.models import Unit

from . import excel, selectors, services
from .choices import FINAL, Source, Status
from .excel import _parse
from .forms import ReasonForm, ReportImportForm
from .models import ReportForm, Submission
from .resources import SubmissionResource


def _form(request: HttpRequest, pk: int) -> ReportForm:
    return get_object_or_404(ReportForm.objects.restrict(request.user, "view"), pk=pk)


def _submission(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.restrict(request.user, "view").select_related("form", "unit"), pk=pk
    )


def _sections(items: list[Any]) -> list[dict[str, Any]]:
    """Items grouped under their sections, numbered within each (STT)."""
    groups: list[dict[str, Any]] = []
    for item in items:
        if not groups or groups[-1]["section"] != item.section:
            number = item.section.number if item.section else 0
            groups.append(
                {
                    "section": item.section,
                    "roman": selectors.ROMAN_SECTIONS.get(number, ""),
                    "rows": [],
                }
            )
        groups[-1]["rows"].append(item)
    return groups


def _crumbs(*extra: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(_("Periodic reports"), reverse("reports:dashboard")), *extra]


# -- dashboard ---------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, "view", Submission):
        raise PermissionDenied(_("You have no role that lets you see this list."))
    today = timezone.localdate()
    forms = list(
        ReportForm.objects.restrict(user, "view").filter(active=True).select_related("unit")
    )
    latest = dict(
        Submission.objects.restrict(user, "view")
        .filter(form__in=forms)
        .values_list("form_id")
        .annotate(end=Max("period_end"))
        .values_list("form_id", "end")
    )
    codes = {
        (s.form_id, s.period_end): s.period
        for s in Submission.objects.filter(
            form__in=forms, period_end__in=set(latest.values())
        ).only("form_id", "period_end", "period")
    }
    rows = []
    for form in forms[:20]:
        period = Period.last_ended(form.period_type, today, form.cumulative)
        mine = _reporting_choices(user, form, period)
        opened = set(
            Submission.objects.filter(form=form, period=period.code, unit__in=mine).values_list(
                "unit_id", flat=True
            )
        )
        rows.append(
            {
                "form": form,
                "period": period,
                "due_on": form.due_on(period),
                "missing": [u for u in mine if u.pk not in opened],
                "reported": parse_period(codes[(form.pk, latest[form.pk])])
                if form.pk in latest
                else None,
            }
        )
    context = {
        "forms": rows,
        "open": selectors.submission_list_open(user)[:50],
        "to_approve": selectors.submission_list_to_approve(user)[:50],
        "overdue": selectors.submission_list_overdue(user, today)[:50],
        "today": today,
        "crumbs": [(_("Periodic reports"), None)],
    }
    return render(request, "reports/dashboard.html", context)


# -- forms: detail, open a report --------------------------------------------------------------


def _reporting_choices(user: Any, form: ReportForm, period: Period) -> list[Unit]:
    """Units the user may report for on this form and period."""
    tree = selectors.tree_on(period.end)
    scope = user_scope(user, "add", Submission)
    return [
        tree.units[u]
        for u in selectors.expected_units(form, tree)
        if scope.covers(tree.units[u].path)
    ]


class ReportFormDetailView(ObjectDetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        form = extra.get("object")
        if form is not None:
            today = timezone.localdate()
            period = parse_period(self.request.GET.get("period", "")) or Period.last_ended(
                form.period_type, today, form.cumulative
            )
            items = selectors.form_items(form)
            context.update(
                {
                    "groups": _sections(items),
                    "rules": form.rules.select_related("left", "right", "denominator"),
                    "period": period,
                    "periods": [
                        p
                        for year in (today.year - 1, today.year)
                        for p in Period.of_type(form.period_type, year, form.cumulative)
                        if p.end < today
                    ][::-1],
                    "reporting_units": _reporting_choices(self.request.user, form, period),
                    "submissions": Submission.objects.restrict(self.request.user, "view")
                    .filter(form=form)
                    .select_related("unit")
                    .order_by("-period_end", "unit__code")[:50],
                }
            )
        return context


@login_required
@require_POST
def form_open(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form(request, pk)
    unit = get_object_or_404(Unit.objects.all(), pk=request.POST.get("unit") or 0)
    try:
        submission = services.submission_open(
            user=request.user, form=form, period=request.POST.get("period", ""), unit=unit
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("reports:reportform_detail", pk=pk)
    return redirect("reports:submission_entry", pk=submission.pk)


# -- entry ---------------------------------------------------------------------------------------


def _with_values(submission: Submission, items: list[Any]) -> selectors.SamePeriod:
    """Each item gets its value row and its comparison with the same period last year."""
    values = {v.indicator_id: v for v in submission.values.all()}
    same = selectors.same_period_last_year(
        submission, items, {i: v.value for i, v in values.items()}
    )
    for item in items:
        item.value = values.get(item.indicator_id)
        item.last_year = same.values.get(item.indicator_id)
        item.comparison = same.comparisons.get(item.indicator_id)
    return same


def _entry_context(request: HttpRequest, submission: Submission, **extra: Any) -> dict[str, Any]:
    items = selectors.form_items(submission.form)
    same = _with_values(submission, items)
    errors, warnings = services.submission_check(submission)
    return {
        "object": submission,
        "groups": _sections(items),
        "same": same,
        "errors": errors if submission.editable else [],
        "warnings": warnings,
        "can_change": submission.editable and can_on(request.user, "change", submission),
        "crumbs": _crumbs(
            (submission.form, reverse("reports:reportform_detail", args=[submission.form_id])),
            (str(submission), reverse("reports:submission_detail", args=[submission.pk])),
            (_("Enter figures"), None),
        ),
        **extra,
    }


def _typed(request: HttpRequest, values: dict[int, Any]) -> dict[int, str]:
    """What the user typed, shown again after a refusal (nothing typed is lost)."""
    typed = {i: str(request.POST.get(f"v{i}", "")) for i in values}
    for key in request.POST:
        if key[:1] == "v" and key[1:].isdigit():
            typed[int(key[1:])] = str(request.POST.get(key, ""))
    return typed


@login_required
def submission_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid of the form's figures: derived values marked, differences flagged; POST saves
    (and submits when asked)."""
    submission = _submission(request, pk)
    template = "reports/submission_entry.html"
    if request.method != "POST":
        return render(request, template, _entry_context(request, submission))
    values: dict[int, Decimal | None] = {}
    comments: dict[int, str] = {}
    bad: dict[int, str] = {}
    for row in submission.values.select_related("indicator"):
        comment = request.POST.get(f"c{row.indicator_id}")
        if comment is not None:
            comments[row.indicator_id] = comment
        raw = request.POST.get(f"v{row.indicator_id}")
        if raw is None:
            continue
        try:
            values[row.indicator_id] = _parse(raw)
        except ValueError:
            bad[row.indicator_id] = raw
    if bad:
        context = _entry_context(request, submission, bad=bad, typed=_typed(request, values))
        context["errors"] = [_("Some figures are not numbers.")]
        return render(request, template, context, status=400)
    try:
        services.submission_save_values(
            user=request.user, submission=submission, values=values, comments=comments
        )
        if "submit" in request.POST:
            warnings = services.submission_submit(user=request.user, submission=submission)
            messages.success(request, _("The report is submitted."))
            for text in warnings:
                messages.warning(request, text)
            return redirect("reports:submission_detail", pk=pk)
    except ValidationError as error:
        submission.refresh_from_db()
        context = _entry_context(request, submission, typed=_typed(request, values))
        context["errors"] = error.messages
        return render(request, template, context, status=400)
    messages.success(request, _("The draft is saved."))
    return redirect("reports:submission_entry", pk=pk)


# -- detail and verbs ----------------------------------------------------------------------------


class SubmissionDetailView(ObjectDetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        submission = extra.get("object")
        if submission is not None:
            user = self.request.user
            items = selectors.form_items(submission.form)
            same = _with_values(submission, items)
            approver = can_on(user, "approve", submission)
            context.update(
                {
                    "groups": _sections(items),
                    "same": same,
                    "can_change": submission.editable and can_on(user, "change", submission),
                    "can_approve": approver and submission.status == Status.SUBMITTED,
                    "can_unlock": approver and submission.status in FINAL,
                    "reason_form": getattr(self, "reason_form", None) or ReasonForm(),
                    "import_form": ReportImportForm(),
                    "import_errors": getattr(self, "import_errors", []),
                }
            )
        return context

    def requested_action(self) -> str | None:
        # A refused reason or import comes back with its form open (approve/return need a
        # submitted report, unlock a final one: only one of them is offered at a time).
        if getattr(self, "import_errors", None):
            return "import"
        if getattr(self, "reason_form", None) is not None:
            return "unlock" if self.get_object().status in FINAL else "return"
        return super().requested_action()

    def verb_actions(self, obj: Any, context: dict[str, Any]) -> list[RecordAction | None]:
        change = context["can_change"]
        return [
            RecordAction(
                "entry",
                _("Enter figures"),
                reverse("reports:submission_entry", args=[obj.pk]),
                primary=True,
            )
            if change
            else None,
            RecordAction("approve", _("Approve")) if context["can_approve"] else None,
            RecordAction("return", _("Return")) if context["can_approve"] else None,
            RecordAction("unlock", _("Unlock the report")) if context["can_unlock"] else None,
            RecordAction("import", _("Import a filled-in Excel form")) if change else None,
            RecordAction(
                "excel", _("Export to Excel"), reverse("reports:submission_excel", args=[obj.pk])
            ),
            RecordAction(
                "rollup",
                _("Roll-up"),
                reverse("reports:rollup", args=[obj.form_id])
                + f"?period={obj.period}&unit={obj.unit_id}",
            ),
        ]


def _detail_again(request: HttpRequest, pk: int, status: int = 400, **attrs: Any) -> HttpResponse:
    view = SubmissionDetailView(resource=SubmissionResource)
    view.setup(request, pk=pk)
    for key, value in attrs.items():
        setattr(view, key, value)
    response = view.get(request, pk)
    response.status_code = status
    return response


def _verb(request: HttpRequest, pk: int, service: Any, done: str, reason: bool) -> HttpResponse:
    submission = _submission(request, pk)
    kwargs: dict[str, Any] = {}
    form = ReasonForm(request.POST)
    if reason:
        if not form.is_valid():
            return _detail_again(request, pk, reason_form=form)
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        service(user=request.user, submission=submission, **kwargs)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _detail_again(request, pk)
    messages.success(request, done)
    return redirect("reports:submission_detail", pk=pk)


@login_required
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _verb(request, pk, services.submission_approve, _("The report is approved."), False)


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _verb(request, pk, services.submission_return, _("The report is returned."), True)


@login_required
@require_recent_password()
@require_POST
def submission_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _verb(request, pk, services.submission_unlock, _("The report is unlocked."), True)


# -- Excel ---------------------------------------------------------------------------------------


def _xlsx(request: HttpRequest, content: bytes, name: str, what: str, unit: Unit) -> HttpResponse:
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        object_type="reports.submission",
        object_repr=what[:300],
        unit=unit,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def submission_excel(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    items = selectors.form_items(submission.form)
    same = selectors.same_period_last_year(submission, items)
    content = excel.submission_workbook(submission, items, same)
    name = f"{submission.form.code}-{submission.period}-{submission.unit.code}"
    return _xlsx(request, content, name, str(submission), submission.unit)


@login_required
@require_POST
def submission_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Read a filled-in form back: all figures or none, errors named by cell."""
    submission = _submission(request, pk)
    form = ReportImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_again(
            request, pk, import_errors=[m for e in form.errors.values() for m in e]
        )
    try:
        values, comments = excel.read_submission_workbook(
            submission, selectors.form_items(submission.form), form.cleaned_data["file"].read()
        )
        services.submission_save_values(
            user=request.user,
            submission=submission,
            values=values,
            comments=comments,
            message=_("Imported from Excel"),
        )
    except ValidationError as error:
        return _detail_again(request, pk, import_errors=error.messages)
    messages.success(request, _("The figures are imported from Excel."))
    return redirect("reports:submission_entry", pk=pk)


# -- roll-up -------------------------------------------------------------------------------------


def _rollup_input(request: HttpRequest, form: ReportForm) -> tuple[Period, Unit]:
    """Period and unit of a roll-up request: defaults to the last period and the form's unit
    (or the user's own unit inside it); the unit must be visible to the user."""
    today = timezone.localdate()
    code = request.GET.get("period", "")
    period = (
        form.period(code) if code else Period.last_ended(form.period_type, today, form.cumulative)
    )
    unit_id = request.GET.get("unit", "")
    visible = Unit.objects.restrict(request.user, "view")
    if unit_id:
        if not unit_id.isdigit():
            raise ValidationError(_("Choose a unit."))
        unit = get_object_or_404(visible, pk=int(unit_id))
    else:
        found = visible.filter(pk=form.unit_id).first() or getattr(request.user, "home_unit", None)
        if found is None:
            raise PermissionDenied(_("This unit is outside your scope."))
        unit = found
    return period, unit


@login_required
def rollup(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form(request, pk)
    try:
        period, unit = _rollup_input(request, form)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:rollup", pk=pk)
    result = selectors.rollup(form, period, unit)
    today = timezone.localdate()
    periods = [
        p
        for year in (today.year - 2, today.year - 1, today.year)
        for p in Period.of_type(form.period_type, year, form.cumulative)
        if p.start <= today
    ][::-1]
    context = {
        "form": form,
        "result": result,
        "period": period,
        "unit": unit,
        "periods": periods,
        "roman": selectors.ROMAN_SECTIONS,
        "derived": {f.indicator.pk for f in result.figures if f.indicator.source == Source.DERIVED},
        "parent": result.parent
        if result.parent
        and Unit.objects.restrict(request.user, "view").filter(pk=result.parent.pk).exists()
        else None,
        "crumbs": _crumbs(
            (form, reverse("reports:reportform_detail", args=[form.pk])), (_("Roll-up"), None)
        ),
    }
    return render(request, "reports/rollup.html", context)


@login_required
def rollup_excel(request: HttpRequest, pk: int) -> HttpResponse:
    form = _form(request, pk)
    try:
        period, unit = _rollup_input(request, form)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    result = selectors.rollup(form, period, unit)
    content = excel.rollup_workbook(result)
    name = f"{form.code}-{period.code}-{unit.code}-tong-hop"
    return _xlsx(request, content, name, f"{form.code} · {period.label} · {unit}", unit)
