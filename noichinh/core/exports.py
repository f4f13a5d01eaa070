"""Excel export of exactly what a list shows, and all-or-nothing Excel import with row errors."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .audit import audit_record
from .display import display_value, field_label
from .listing import restrict_choices
from .models import AuditAction
from .resources import ModelResource
from .services import object_create
from .text import fold

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 200_000
MAX_IMPORT_ROWS = 5_000


def _filename(resource: type[ModelResource], suffix: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{resource.model_name()}-{suffix}-{stamp}.xlsx"


def export_response(
    request: HttpRequest, resource: type[ModelResource], queryset: models.QuerySet[Any]
) -> HttpResponse:
    columns = ["id", *[c for c in resource.get_detail_fields() if c != "id"]]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(resource.verbose_name_plural()[:31])
    sheet.append([field_label(resource.model, c) if c != "id" else "ID" for c in columns])
    count = 0
    for obj in queryset[:MAX_EXPORT_ROWS].iterator(chunk_size=2000):
        sheet.append([obj.pk, *[display_value(obj, c)[0] for c in columns[1:]]])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(
        action=AuditAction.EXPORT,
        user=request.user,
        object_type=resource.model._meta.label_lower,
        object_repr=f"{resource.verbose_name_plural()} ({count})",
        message=request.GET.urlencode(),
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(resource, "export")}"'
    return response


def import_template_response(resource: type[ModelResource]) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = resource.verbose_name_plural()[:31]
    sheet.append([field_label(resource.model, f) for f in resource.get_import_fields()])
    sheet.append([_key_hint(resource, f) for f in resource.get_import_fields()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(resource, "template")}"'
    return response


def _key_hint(resource: type[ModelResource], name: str) -> str:
    field = resource.get_form_class("add").base_fields.get(name)
    choices = getattr(field, "choices", None)
    if choices and not isinstance(field, forms.ModelChoiceField):
        labels = " / ".join(str(label) for value, label in choices if value not in ("", None))
        return _("(one of: %(labels)s; delete this row)") % {"labels": labels}
    if name in resource.natural_keys:
        return _("(%(key)s, delete this row)") % {"key": resource.natural_keys[name]}
    return _("(delete this row)")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


def _read_rows(upload: Any) -> list[tuple[Any, ...]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationError(_("The file is not a readable Excel workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice_maps(form_class: Any) -> dict[str, dict[str, str]]:
    """For fixed-choice fields: folded label or code -> code, so a cell may say "Chỉ xem"."""
    maps: dict[str, dict[str, str]] = {}
    for name, form_field in form_class.base_fields.items():
        if isinstance(form_field, forms.ModelChoiceField) or not getattr(
            form_field, "choices", None
        ):
            continue
        mapping = {}
        for value, label in form_field.choices:
            if value not in ("", None):
                mapping[fold(str(label))] = str(value)
                mapping[fold(str(value))] = str(value)
        maps[name] = mapping
    return maps


def import_rows(*, user: Any, resource: type[ModelResource], upload: Any) -> ImportResult:
    """Validate every row first; save all in one transaction only when none has an error."""
    result = ImportResult()
    fields = list(resource.get_import_fields())
    try:
        rows = _read_rows(upload)
    except ValidationError as error:
        result.errors.append(RowError(0, "", " ".join(error.messages)))
        return result
    if not rows:
        result.errors.append(RowError(0, "", _("The file is empty.")))
        return result
    labels = {field_label(resource.model, f).casefold(): f for f in fields}
    labels.update({f.casefold(): f for f in fields})
    header = [labels.get(_cell_text(h).casefold()) for h in rows[0]]
    missing = [field_label(resource.model, f) for f in fields if f not in header]
    if missing:
        result.errors.append(
            RowError(1, ", ".join(missing), _("These columns are missing from the first row."))
        )
        return result
    data_rows = [(i, r) for i, r in enumerate(rows[1:], start=2) if any(_cell_text(c) for c in r)]
    data_rows = [(i, r) for i, r in data_rows if not _cell_text(r[0]).startswith("(")]
    if len(data_rows) > MAX_IMPORT_ROWS:
        result.errors.append(
            RowError(0, "", _("At most %(n)d rows per file.") % {"n": MAX_IMPORT_ROWS})
        )
        return result
    form_class = resource.get_form_class("add")
    choice_maps = _choice_maps(form_class)
    valid: list[tuple[int, Any]] = []
    for number, row in data_rows:
        data = {
            name: _cell_text(row[pos]) for pos, name in enumerate(header) if name and pos < len(row)
        }
        for name, mapping in choice_maps.items():
            if name in data:
                data[name] = mapping.get(fold(data[name]), data[name])
        form = form_class(data=data)
        restrict_choices(form, user, "add")
        for name, key in resource.natural_keys.items():
            if name in form.fields:
                form.fields[name].to_field_name = key  # type: ignore[attr-defined]
        if form.is_valid():
            valid.append((number, form))
        else:
            for name, messages in form.errors.items():
                column = field_label(resource.model, name) if name != "__all__" else ""
                for message in messages:
                    result.errors.append(RowError(number, column, str(message)))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for number, form in valid:
                try:
                    object_create(user=user, instance=form.save(commit=False))
                except ValidationError as error:
                    for message in error.messages:
                        result.errors.append(RowError(number, "", message))
                except PermissionDenied as error:
                    result.errors.append(RowError(number, "", str(error)))
            if result.errors:
                raise _Rollback
            audit_record(
                action=AuditAction.IMPORT,
                user=user,
                object_type=resource.model._meta.label_lower,
                object_repr=f"{resource.verbose_name_plural()} ({len(valid)})",
                message=getattr(upload, "name", ""),
            )
    except _Rollback:
        return result
    result.created = len(valid)
    return result


class _Rollback(Exception):
    pass
