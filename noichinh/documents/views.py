"""Document pages beyond the generic ones: the detail with its links, the live reading of a
code while typing, and the file download (files are never served publicly)."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction
from noichinh.core.record_actions import RecordAction
from noichinh.core.resources import registry
from noichinh.core.views import ObjectDetailView

from . import services
from .codes import CodeError
from .models import Document


def cited_by(document: Document, user: Any) -> list[dict[str, Any]]:
    """Records of other areas that cite this document, found through the reverse relations
    (documents import no area that cites them), each list through the gate."""
    groups = []
    for relation in Document._meta.related_objects:
        model = relation.related_model
        resource = registry.for_model(model)  # type: ignore[arg-type]
        if model is Document or resource is None or not hasattr(model, "objects"):
            continue
        field = relation.field.name
        items = model.objects.restrict(user, "view").filter(**{field: document})  # type: ignore[union-attr]
        items = list(items[:50])
        if items:
            groups.append({"label": resource.verbose_name_plural(), "items": items})
    return groups


class DocumentDetailView(ObjectDetailView):
    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        document = extra.get("object")
        if document is not None:
            user = self.request.user
            visible = Document.objects.restrict(user, "view")
            try:
                warnings = list(services.code_parse(document.code).warnings)
            except CodeError as error:
                warnings = [str(error)]
            context.update(
                warnings=warnings,
                conflicts=services.document_conflicts(document, user),
                implemented_by=visible.filter(implements=document).select_related("unit"),
                references=visible.filter(pk__in=document.references.values("pk")),
                referenced_by=visible.filter(references=document),
                cited_by=cited_by(document, user),
                date_conflict=services.document_date_conflict(document, user),
            )
        return context

    def verb_actions(self, obj: Any, context: dict[str, Any]) -> list[RecordAction | None]:
        return [
            RecordAction(
                "file", _("Download the file"), reverse("documents:document_file", args=[obj.pk])
            )
            if obj.file
            else None
        ]


@login_required
def code_preview(request: HttpRequest) -> HttpResponse:
    """What the system reads from a number-and-symbol, as the user types it (htmx)."""
    text = request.GET.get("code", "")[:80]
    parsed, error = None, ""
    if text.strip():
        try:
            parsed = services.code_parse(text)
        except CodeError as exc:
            error = str(exc)
    return render(request, "documents/_code_preview.html", {"parsed": parsed, "error": error})


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document.objects.restrict(request.user, "view"), pk=pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        instance=document,
        message=f"file {os.path.basename(document.file.name)}",
    )
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(document.file.name))
