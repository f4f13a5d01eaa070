"""The pages of a background job (core.jobs): its status, polled with htmx, and its file."""

from __future__ import annotations

from django.apps import apps
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .audit import audit_record
from .exports import XLSX
from .jobs import user_jobs
from .models import AuditAction, JobKind, JobState
from .scoping import can
from .text import format_number


def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    job = get_object_or_404(user_jobs(request.user), pk=pk)
    context = {
        "job": job,
        "done_text": format_number(job.done),
        "total_text": format_number(job.total),
        "errors": (job.result or {}).get("errors", []),
        "crumbs": [(_("Background jobs"), None), (str(job), None)],
    }
    name = "core/job_status.html"
    if getattr(request, "htmx", False):
        name += "#status"
    return render(request, name, context)


def job_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The export's file, for its owner only, while the owner may still see that list; audited."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    job = get_object_or_404(
        user_jobs(request.user), pk=pk, kind=JobKind.EXPORT, state=JobState.DONE
    )
    model = apps.get_model(job.resource)
    if not job.file or not can(request.user, "view", model):
        raise Http404
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        object_type=model._meta.label_lower,
        object_id=str(job.pk),
        object_repr=f"{job} ({_('download')})",
        message=f"job {job.pk}",
        unit=job.unit,
    )
    name = job.file.name.rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type=XLSX)
