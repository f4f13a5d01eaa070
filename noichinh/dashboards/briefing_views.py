"""The briefing report's page (Tổng quan, Báo cáo giao ban): the pre-filled, editable text of
each section, the figures table, and the exports (Word, PDF, Excel), storing the report as a
document of the unit (and a meeting's material), or generating it in the background."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noichinh.core import partydoc
from noichinh.core.audit import audit_record
from noichinh.core.exports import XLSX
from noichinh.core.forms import DateInput, add_service_errors
from noichinh.core.listing import scope_unit
from noichinh.core.models import AuditAction
from noichinh.core.office import DOCX
from noichinh.core.periods import Period, parse_period
from noichinh.units.models import Unit
from noichinh.work.models import Meeting

from . import briefing as service
from . import selectors

MEETINGS_OFFERED = 100
ACTIONS = ("docx", "pdf", "xlsx", "store", "background")
MIMES = {"docx": DOCX, "pdf": "application/pdf", "xlsx": XLSX}


class BriefingForm(forms.Form):
    superior = forms.CharField(
        label=gettext_lazy("Superior body"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Top left, above the issuing body, e.g. TỈNH ỦY NGHỆ AN."),
    )
    issuer = forms.CharField(
        label=gettext_lazy("Issuing body"),
        max_length=200,
        help_text=gettext_lazy("Printed in bold under the superior body, e.g. BAN NỘI CHÍNH."),
    )
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=6,
        required=False,
        help_text=gettext_lazy(
            "Leave empty to print “Số: ...” for the registry to fill; required to store the "
            "report as a document."
        ),
    )
    number_suffix = forms.CharField(
        label=gettext_lazy("Type and issuer symbol"),
        max_length=40,
        help_text=gettext_lazy("After the number: BC/BNCTU makes “Số: 12-BC/BNCTU”."),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100)
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=400,
        help_text=gettext_lazy("The line under “BÁO CÁO”."),
    )
    results = forms.CharField(
        label=gettext_lazy("I. Situation and results"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Pre-filled from the figures of the period against the same period last year. "
            "One paragraph per line."
        ),
    )
    limitations = forms.CharField(
        label=gettext_lazy("II. Limitations"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy(
            "Pre-filled from what is stalled or overdue today. One paragraph per line."
        ),
    )
    tasks = forms.CharField(
        label=gettext_lazy("III. Key tasks ahead"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy("Pre-filled from the tasks due in the coming weeks."),
    )
    recipients = forms.CharField(
        label=gettext_lazy("Recipients"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("One per line; “Lưu VP.” is added at the end."),
    )
    signer_role = forms.CharField(
        label=gettext_lazy("Signing on behalf of"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("e.g. T/M BAN THƯỜNG VỤ or K/T TRƯỞNG BAN; may be empty."),
    )
    signer_title = forms.CharField(label=gettext_lazy("Signer's title"), max_length=100)
    signer_name = forms.CharField(
        label=gettext_lazy("Signer's name"), max_length=100, required=False
    )
    include_charts = forms.BooleanField(
        label=gettext_lazy("Include the charts"),
        required=False,
        initial=True,
        help_text=gettext_lazy("The overview's charts under part I (Word and PDF)."),
    )
    meeting = forms.ModelChoiceField(
        label=gettext_lazy("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "When storing, the report is added to this meeting's materials (optional)."
        ),
    )

    def __init__(self, *args: Any, meetings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meetings is not None:
            field = self.fields["meeting"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = meetings

    def clean_number(self) -> str:
        value: str = self.cleaned_data["number"].strip()
        if value and not re.fullmatch(r"\d{1,6}[a-z]?", value):
            raise ValidationError(_("The number is digits only, e.g. 12."))
        return value

    def clean_results(self) -> str:
        value: str = self.cleaned_data["results"]
        if not partydoc.paragraphs_of(value):
            raise ValidationError(_("Write at least one paragraph."))
        return value


def _unit(request: HttpRequest) -> Unit:
    """`?don_vi=<id>` through the gate (out of scope: 404), else the top bar's scope, else the
    user's widest unit."""
    raw = request.GET.get("don_vi", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        picked = Unit.objects.restrict(request.user, "view").filter(pk=int(raw)).first()
        if picked is None:
            raise Http404
        return picked
    unit = selectors.home_unit(scope_unit(request), request.user)
    if unit is None:
        raise Http404
    return unit


def _meetings(user: Any, unit: Unit) -> Any:
    """The unit's meetings the user may change (to add a material), the latest first."""
    ids = list(
        Meeting.objects.restrict(user, "change")
        .within(unit)
        .order_by("-held_on", "-id")
        .values_list("pk", flat=True)[:MEETINGS_OFFERED]
    )
    return Meeting.objects.filter(pk__in=ids).order_by("-held_on", "-id")


def _initial(briefing: service.Briefing, user: Any, today: dt.date) -> dict[str, Any]:
    header = service.header_for(briefing.unit)
    return {
        "superior": header.superior,
        "issuer": header.issuer,
        "number_suffix": header.number_suffix,
        "place": header.place,
        "date": today,
        "subject": briefing.subject,
        "results": briefing.results,
        "limitations": briefing.limitations,
        "tasks": briefing.tasks,
        "recipients": "\n".join(header.recipients),
        "signer_title": "TRƯỞNG BAN",
        "include_charts": True,
        "signer_name": (
            getattr(user, "full_name", "") if selectors.is_leader(user, briefing.unit) else ""
        ),
    }


def document_from(
    briefing: service.Briefing, data: dict[str, Any], charts: bool = False
) -> partydoc.PartyDocument:
    """The Party document of the form's cleaned data (`charts`: with the overview's charts
    when the form asks for them)."""
    images = service.chart_images(briefing.data) if charts and data.get("include_charts") else []
    return service.briefing_document(
        briefing,
        superior=data["superior"],
        issuer=data["issuer"],
        number=data["number"],
        number_suffix=data["number_suffix"],
        place=data["place"],
        date=data["date"],
        subject=data["subject"],
        results=data["results"],
        limitations=data["limitations"],
        tasks=data["tasks"],
        recipients=data["recipients"],
        signer_role=data["signer_role"],
        signer_title=data["signer_title"],
        signer_name=data["signer_name"],
        images=images,
    )


def _render(doc: partydoc.PartyDocument, kind: str) -> bytes:
    if kind == "docx":
        return partydoc.docx_bytes(doc)
    if kind == "pdf":
        return partydoc.pdf_bytes(doc)
    return partydoc.xlsx_bytes(doc)


def download(
    request: HttpRequest, *, content: bytes, kind: str, name: str, unit: Unit, what: str
) -> HttpResponse:
    """A file download, audited as an export."""
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        object_type="dashboards.briefing",
        object_repr=f"{what} ({kind})",
        message=request.GET.urlencode(),
        unit=unit,
    )
    response = HttpResponse(content, content_type=MIMES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def briefing(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    today = timezone.localdate()
    choices = selectors.period_choices(today)
    period = parse_period(request.GET.get("ky", "")) or choices[0]
    unit = _unit(request)
    built = service.briefing_build(user=request.user, unit=unit, period=period, today=today)
    meetings = _meetings(request.user, unit)
    if request.method == "POST":
        form = BriefingForm(request.POST, meetings=meetings)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            form.add_error(None, _("Choose what to do with the report."))
        elif form.is_valid():
            response = _act(request, form, action, built, unit, period, today)
            if response is not None:
                return response
    else:
        form = BriefingForm(initial=_initial(built, request.user, today), meetings=meetings)
    context = {
        "form": form,
        "unit": unit,
        "period": period,
        "period_label": selectors.period_label(period, today),
        "period_choices": [(p.code, selectors.period_label(p, today)) for p in choices],
        "period_offered": period in choices,
        "table": built.table,
        "data": built.data,
        "crumbs": [
            # the include names the overview first; this crumb is the unit's own overview
            (str(unit), f"{reverse('dashboards:home')}?{_query(unit, period)}"),
            (_("Briefing report"), None),
        ],
        "query": _query(unit, period),
    }
    return render(request, "dashboards/briefing.html", context)


def _query(unit: Unit, period: Period) -> str:
    return f"don_vi={unit.pk}&ky={period.code}"


def _act(
    request: HttpRequest,
    form: BriefingForm,
    action: str,
    built: service.Briefing,
    unit: Unit,
    period: Period,
    today: dt.date,
) -> HttpResponse | None:
    """Carry out a valid form's action; None re-renders the form (with the errors added)."""
    data = form.cleaned_data
    doc = document_from(built, data, charts=action in ("docx", "pdf", "store"))
    if action in MIMES:
        return download(
            request,
            content=_render(doc, action),
            kind=action,
            name=service.file_name(unit, period, action),
            unit=unit,
            what=service.document_title(doc),
        )
    if action == "store":
        if not data["number"]:
            form.add_error("number", _("Give the report its number to store it."))
            return None
        try:
            stored = service.briefing_store(
                user=request.user,
                unit=unit,
                period=period,
                doc=doc,
                docx=partydoc.docx_bytes(doc),
                meeting=data["meeting"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return None
        except PermissionDenied:
            form.add_error(None, _("You may not register documents of this unit."))
            return None
        from django.contrib import messages

        messages.success(
            request, _("The report was stored as document %(code)s.") % {"code": stored.code}
        )
        return redirect(reverse("documents:document_detail", args=[stored.pk]))
    # background
    from .tasks import briefing_render_task

    result = briefing_render_task.enqueue(
        user_id=int(request.user.pk or 0),
        unit_id=unit.pk,
        period_code=period.code,
        today=today.isoformat(),
        fields=_serialisable(data),
    )
    return redirect(reverse("dashboards:briefing_status", args=[result.id]))


def _serialisable(data: dict[str, Any]) -> dict[str, Any]:
    found = {k: v for k, v in data.items() if k != "meeting"}
    found["date"] = data["date"].isoformat()
    return found


# -- background generation --------------------------------------------------------------------


def _own_result(request: HttpRequest, result_id: str) -> Any:
    """The task result if it is the user's own briefing, else 404."""
    from django_tasks.exceptions import TaskResultDoesNotExist

    from .tasks import briefing_render_task

    if not request.user.is_authenticated:
        raise Http404
    try:
        result = briefing_render_task.get_result(str(result_id))
    except (TaskResultDoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    if result.kwargs.get("user_id") != request.user.pk:
        raise Http404
    return result


def briefing_status(request: HttpRequest, result_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    result = _own_result(request, result_id)
    status = str(result.status)
    finished = status in ("SUCCESSFUL", "FAILED")
    context = {
        "result": result,
        "result_id": str(result_id),
        "state": {"READY": "queued", "RUNNING": "running", "SUCCESSFUL": "done"}.get(
            status, "failed"
        ),
        "finished": finished,
        "files": result.return_value if status == "SUCCESSFUL" else None,
        "crumbs": [(_("Briefing report"), None)],
    }
    name = "dashboards/briefing_status.html"
    if getattr(request, "htmx", False):
        name += "#status"
    return render(request, name, context)


def briefing_file(request: HttpRequest, result_id: str, kind: str) -> HttpResponse:
    result = _own_result(request, result_id)
    if str(result.status) != "SUCCESSFUL" or kind not in ("docx", "pdf"):
        raise Http404
    files = result.return_value or {}
    path = files.get(kind)
    if not path or not default_storage.exists(path):
        raise Http404
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    unit = Unit.objects.restrict(request.user, "view").filter(pk=result.kwargs["unit_id"]).first()
    if unit is None:
        raise Http404
    return download(
        request,
        content=content,
        kind=kind,
        name=path.rsplit("/", 1)[-1],
        unit=unit,
        what=files.get("title", ""),
    )
