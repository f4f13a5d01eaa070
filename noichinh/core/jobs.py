"""Long imports and exports in the background (django-tasks, `manage.py db_worker`).

A list export over `IO_LIMITS["export_background_rows"]` rows, or an import over
`IO_LIMITS["import_background_rows"]`, becomes a `Job`: the request stores what to do and
returns the status page at once; the worker runs `run_job`, which updates the job's progress
(done/total) as it goes, keeps the file in the default storage and tells the user in the inbox.
The status page polls the job with htmx; only the job's owner sees it or downloads its file,
and every download is audited.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any

from django.apps import apps
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import HttpRequest, QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import exports
from .audit import audit_record
from .models import AuditAction, Job, JobKind, JobState
from .resources import ModelResource, registry

log = logging.getLogger(__name__)


def _resource(label: str) -> type[ModelResource]:
    resource = registry.for_model(apps.get_model(label))
    if resource is None:
        raise LookupError(label)
    return resource


def _owner_unit(user: Any) -> Any:
    unit = getattr(user, "home_unit", None)
    if unit is None:
        raise ValueError("a background job needs a user with a home unit")
    return unit


def start_export(request: HttpRequest, resource: type[ModelResource], total: int) -> Job:
    """The list as the user sees it now (filters, search, sort, the top-bar scope), as a job."""
    from .listing import scope_unit

    scope = scope_unit(request)
    job = Job.objects.create(
        user=request.user,  # type: ignore[misc]
        unit=_owner_unit(request.user),
        kind=JobKind.EXPORT,
        resource=resource.model._meta.label,
        title=_("Export: %(name)s") % {"name": resource.verbose_name_plural()},
        params={"query": request.GET.urlencode(), "scope_unit_id": scope.pk if scope else None},
        total=total,
    )
    _enqueue(job)
    return job


def start_import(
    request: HttpRequest, resource: type[ModelResource], content: bytes, name: str, rows: int
) -> Job:
    job = Job(
        user=request.user,  # type: ignore[misc]
        unit=_owner_unit(request.user),
        kind=JobKind.IMPORT,
        resource=resource.model._meta.label,
        title=_("Import: %(name)s") % {"name": resource.verbose_name_plural()},
        params={"name": name[:200]},
        total=rows,
    )
    job.source.save(os.path.basename(name) or "import.xlsx", ContentFile(content), save=False)
    job.save()
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from django.db import transaction

    transaction.on_commit(lambda: run_job.enqueue(job_id=job.pk))


def _progress(job: Job) -> exports.Progress:
    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=done, total=total or job.total)

    return report


@task()
def run_job(job_id: int) -> dict[str, Any]:
    """Run one job to its end; a failure is recorded on the job (and raised for the queue)."""
    job = Job.objects.select_related("user", "unit").get(pk=job_id)
    if job.state != JobState.QUEUED:
        return {"state": job.state}
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    try:
        with translation.override("vi"):
            if job.kind == JobKind.EXPORT:
                _run_export(job)
            else:
                _run_import(job)
    except Exception as error:
        log.exception("background job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    _tell(job)
    return {"state": job.state, "done": job.done}


def _request_for(job: Job) -> HttpRequest:
    """The list request as the user made it, for `build_listing` (the same gate, filters)."""
    request = RequestFactory().get("/")
    request.GET = QueryDict(job.params.get("query", ""))
    request.user = job.user
    request.session = {"scope_unit_id": job.params.get("scope_unit_id")}  # type: ignore[assignment]
    return request


def _run_export(job: Job) -> None:
    from .listing import build_listing

    resource = _resource(job.resource)
    listing = build_listing(_request_for(job), resource)
    total = listing.queryset.count()
    Job.objects.filter(pk=job.pk).update(total=total)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    try:
        count = exports.write_export(
            resource, listing.queryset, handle.name, progress=_progress(job), total=total
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        with open(handle.name, "rb") as content:
            job.file.save(f"{resource.model_name()}-export-{stamp}.xlsx", File(content), save=False)
    finally:
        os.unlink(handle.name)
    audit_record(
        action=AuditAction.EXPORT,
        user=job.user,
        object_type=resource.model._meta.label_lower,
        object_repr=f"{resource.verbose_name_plural()} ({count})",
        message=job.params.get("query", ""),
    )
    job.done = job.total = count
    job.state = JobState.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "done", "total", "state", "finished_at", "updated_at"])


def _run_import(job: Job) -> None:
    resource = _resource(job.resource)
    with job.source.open("rb") as handle:
        content = handle.read()
    # The uploaded file holds personal data (petitioners' names): kept only until it is read.
    job.source.delete(save=False)
    Job.objects.filter(pk=job.pk).update(source="")
    result = exports.import_rows(
        user=job.user,
        resource=resource,
        content=content,
        name=job.params.get("name", ""),
        progress=_progress(job),
    )
    job.result = {
        "created": result.created,
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:1000]
        ],
        "error_count": len(result.errors),
    }
    job.done = result.rows if not result.errors else 0
    job.total = result.rows or job.total
    job.state = JobState.DONE if not result.errors else JobState.FAILED
    if result.errors:
        job.error = _("Nothing was saved: %(n)d errors.") % {"n": len(result.errors)}
    job.finished_at = timezone.now()
    job.save(
        update_fields=["result", "done", "total", "state", "error", "finished_at", "updated_at"]
    )


def _tell(job: Job) -> None:
    """The inbox message (noichinh.inbox.services.notify, written by the inbox work)."""
    try:
        from noichinh.inbox.services import notify  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return
    if job.kind == JobKind.EXPORT:
        kind, title = "export_ready", _("Your Excel export is ready: %(t)s") % {"t": job.title}
    elif job.state == JobState.DONE:
        kind = "import_done"
        title = _("Import finished: %(n)d rows saved") % {"n": job.result.get("created", 0)}
    else:
        kind, title = "import_done", _("Import refused: %(e)s") % {"e": job.error}
    notify(
        user=job.user,
        kind=kind,
        title=title,
        url=reverse("core:job_status", args=[job.pk]),
        key=f"job-{job.pk}",
    )


def user_jobs(user: Any) -> Any:
    """The user's own jobs: the only jobs anyone sees."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(user=user)
