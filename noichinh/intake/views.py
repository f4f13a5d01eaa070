"""The intake page (/tiep-nhan/): paste or upload, then read the facts highlighted in the text."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from noichinh.core.listing import scope_unit
from noichinh.core.periods import Period, parse_period
from noichinh.core.text import format_date, format_money, format_number, format_percent
from noichinh.reports.models import ReportForm

from . import mapping
from .extract import Extraction, Item, extract
from .forms import ConfirmForm, IntakeForm
from .services import intake_confirm

# The kinds marked in the text: label, and a short tag shown in the mark (not colour alone).
KINDS: dict[str, tuple[Any, str]] = {
    "periods": (_("Period"), "K"),
    "dates": (_("Date"), "N"),
    "figures": (_("Figure"), "S"),
    "ratios": (_("Ratio"), "TL"),
    "changes": (_("Increase or decrease"), "±"),
    "documents": (_("Document"), "VB"),
    "organisations": (_("Organisation"), "CQ"),
    "people": (_("Person"), "NG"),
}


def segments(found: Extraction) -> list[dict[str, Any]]:
    """The text cut into plain runs and marked items; where items overlap, the one that starts
    first (the longer, at the same start) is marked and the others are listed in the tables."""
    text = found.text
    pieces: list[dict[str, Any]] = []
    position = 0
    for kind, item in found.items():
        if kind not in KINDS or item.start < position or item.end <= item.start:
            continue
        if item.start > position:
            pieces.append({"text": text[position : item.start]})
        label, tag = KINDS[kind]
        pieces.append({"text": item.text, "kind": kind, "label": label, "tag": tag})
        position = item.end
    if position < len(text):
        pieces.append({"text": text[position:]})
    return pieces


def _iso(value: str | None) -> str:
    import datetime as dt

    return format_date(dt.date.fromisoformat(value)) if value else ""


def _shown(value: float | int, unit: str) -> str:
    if unit == "%":
        return format_percent(value, 2 if value != int(value) else 0)
    if unit == "đồng":
        return format_money(value)
    return format_number(value, 0 if value == int(value) else 2)


def _rows(found: Extraction) -> dict[str, list[Item | dict[str, Any]]]:
    return {
        "figures": [
            {"item": f, "shown": _shown(f.value, f.unit), "counts": f.counts} for f in found.figures
        ],
        "ratios": [
            {
                "item": r,
                "computed": format_percent(r.computed_percent, 2)
                if r.computed_percent is not None
                else "",
                "stated": format_percent(r.stated_percent, 2)
                if r.stated_percent is not None
                else "",
            }
            for r in found.ratios
        ],
        "changes": [{"item": c, "shown": _shown(c.value, c.unit)} for c in found.changes],
        "dates": [{"item": d, "shown": _iso(d.value)} for d in found.dates],
        "documents": [
            {"item": d, "shown": _iso(d.date), "registry": _iso(d.registry_date)}
            for d in found.documents
        ],
    }


def _pick_form(forms: list[ReportForm], raw: Any) -> ReportForm | None:
    return next((f for f in forms if str(f.pk) == str(raw)), None)


def _confirm_form(
    request: HttpRequest, found: Extraction, *, data: QueryDict | None = None, keep: Any = None
) -> ConfirmForm:
    """The mapping form for an extraction. Fresh (after reading): the form whose indicators the
    figures name best, the period it suggests, the user's unit. `keep` (the "suggest again"
    button): the posted unit, form and ticks, with new suggestions for the form. `data` (the
    confirm button): bound to what was posted, so an error loses none of the choices."""
    user = request.user
    rows = mapping.rows_of(found)
    forms = list(ReportForm.objects.restrict(user, "view").filter(active=True))
    source = data if data is not None else keep
    if source is not None:
        report_form = _pick_form(forms, source.get("report_form"))
    else:
        report_form = mapping.suggest_form(forms, rows)
    indicators = mapping.form_indicators(report_form) if report_form else []
    mapping.suggest(rows, indicators)
    periods: list[Period] = []
    period = None
    if report_form is not None:
        period = mapping.period_for(report_form, found.period)
        periods = mapping.period_choices(report_form, period)
        posted = parse_period((source or {}).get("period", "") or "")
        if posted is not None and posted.code in {p.code for p in periods}:
            period = posted
    args: dict[str, Any] = dict(
        user=user, found=found, rows=rows, indicators=indicators, periods=periods
    )
    if data is not None:
        form = ConfirmForm(data, **args)
        for row in rows:
            raw = data.get(f"map_{row.key}") or ""
            row.chosen = int(raw) if raw.isdigit() else None
    else:
        units = ConfirmForm(**args).units()
        unit = None
        if keep is not None and str(keep.get("unit", "")).isdigit():
            unit = units.filter(pk=int(keep["unit"])).first()
        if unit is None:
            chosen_scope = scope_unit(request)
            unit = (
                units.filter(pk=chosen_scope.pk).first() if chosen_scope else None
            ) or units.order_by("depth", "path").first()
        initial: dict[str, Any] = {
            "text": found.text,
            "unit": unit.pk if unit else None,
            "report_form": report_form.pk if report_form else None,
            "period": period.code if period else "",
        }
        initial.update({f"map_{row.key}": row.suggested for row in rows})
        if keep is not None:
            initial.update({k: True for k in keep if k.startswith(("doc_", "task_"))})
        form = ConfirmForm(initial=initial, **args)
        form.initial_unit = unit
    unit = form.initial_unit if data is None else _posted_unit(form, data)
    if period is not None and unit is not None:
        mapping.approved_warnings(
            user=user, unit=unit, period=period, rows=rows, indicators=indicators
        )
        mapping.registry_warnings(
            user=user, unit=unit, period=period, rows=rows, indicators=indicators
        )
    return form


def _posted_unit(form: ConfirmForm, data: QueryDict) -> Any:
    raw = str(data.get("unit", ""))
    return form.units().filter(pk=int(raw)).first() if raw.isdigit() else None


def _page(
    request: HttpRequest,
    form: IntakeForm,
    found: Extraction | None,
    confirm: ConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "found": found,
        "crumbs": [(_("Intake of reports"), None)],
        "legend": [{"kind": k, "label": v[0], "tag": v[1]} for k, v in KINDS.items()],
    }
    if found is not None:
        context["segments"] = segments(found)
        context["rows"] = _rows(found)
        context["counts"] = {k: len(getattr(found, k)) for k in Extraction.KINDS}
        context["confirm"] = confirm or _confirm_form(request, found)
        context["max_rows"] = mapping.MAX_ROWS
    return render(request, "intake/intake.html", context, status=status)


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    found = None
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            found = extract(form.cleaned_data["read"], user=request.user)
    else:
        form = IntakeForm()
    return _page(request, form, found)


def _done_message(result: Any) -> str:
    parts = []
    if result.submission is not None:
        parts.append(
            gettext("The figures are saved in the draft report %(report)s.")
            % {"report": result.submission}
        )
    if result.documents:
        n = len(result.documents)
        parts.append(
            ngettext("%(n)d document registered.", "%(n)d documents registered.", n) % {"n": n}
        )
    if result.tasks:
        n = len(result.tasks)
        parts.append(ngettext("%(n)d task created.", "%(n)d tasks created.", n) % {"n": n})
    return " ".join(parts)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """The mapping's buttons: "suggest again" (nothing saved) and "create the draft"."""
    text = request.POST.get("text", "")
    read = IntakeForm({"text": text})
    if not read.is_valid():
        return _page(request, read, None, status=400)
    found = extract(read.cleaned_data["read"], user=request.user)
    if request.POST.get("step") != "confirm":
        return _page(request, read, found, _confirm_form(request, found, keep=request.POST))
    form = _confirm_form(request, found, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = intake_confirm(
                user=request.user,
                found=found,
                unit=data["unit"],
                form=data.get("report_form"),
                period=data.get("period") or "",
                chosen=form.chosen(),
                documents=form.ticked("doc_"),
                tasks=form.ticked("task_"),
            )
        except (ValidationError, PermissionDenied) as error:
            for text_ in getattr(error, "messages", None) or [str(error)]:
                form.add_error(None, text_)
        else:
            messages.success(request, _done_message(result))
            if result.submission is not None:
                return redirect("reports:submission_detail", pk=result.submission.pk)
            if result.tasks:
                return redirect("work:task_list")
            return redirect("documents:document_list")
    return _page(request, read, found, form, status=400)
