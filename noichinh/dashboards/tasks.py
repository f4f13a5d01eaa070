"""Background work of the dashboards: the briefing report rendered (Word and PDF) off the request
path by the django-tasks database queue (`manage.py db_worker`). The status page polls the task's
result; the files are kept in the default storage under `briefings/<task id>/`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django_tasks import TaskContext, task

from noichinh.core import partydoc
from noichinh.core.periods import Period
from noichinh.units.models import Unit

from . import briefing as service


@task(takes_context=True)
def briefing_render_task(
    context: TaskContext,
    *,
    user_id: int,
    unit_id: int,
    period_code: str,
    today: str,
    fields: dict[str, Any],
) -> dict[str, str]:
    """Build the briefing for the user (through the gate, as the page does), render the Word
    and PDF files and keep them; return their storage paths and the document's title."""
    from .briefing_views import document_from

    user = get_user_model().objects.get(pk=user_id)
    unit = Unit.objects.restrict(user, "view").get(pk=unit_id)
    period = Period.parse(period_code)
    day = dt.date.fromisoformat(today)
    with translation.override("vi"):
        built = service.briefing_build(user=user, unit=unit, period=period, today=day)
        data = {**fields, "date": dt.date.fromisoformat(fields["date"])}
        doc = document_from(built, data, charts=True)
        folder = f"briefings/{context.task_result.id}"
        paths = {}
        for kind, content in (
            ("docx", partydoc.docx_bytes(doc)),
            ("pdf", partydoc.pdf_bytes(doc)),
        ):
            name = f"{folder}/{service.file_name(unit, period, kind)}"
            paths[kind] = default_storage.save(name, ContentFile(content))
    return {**paths, "title": service.document_title(doc)}
