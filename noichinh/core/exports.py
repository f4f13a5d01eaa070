"""Excel export of exactly what a list shows, and all-or-nothing Excel import with row errors.

Input is checked before it is parsed (`check_xlsx`): an .xlsx is a zip, so its size, the sizes
its parts inflate to, their compression ratio and the rows of its sheets are bounded by settings
(a "zip bomb" is refused within a second). Output never holds a live formula (`safe_cell`).
The import validates in bulk (one query per key column for the whole file) and writes in bulk
(bulk_create, audit entries with `audit_bulk.audit_record_many`), all or nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record, diff, snapshot
from .audit_bulk import audit_record_many
from .display import display_value, field_label, is_money
from .listing import restrict_choices
from .models import AuditAction
from .resources import ModelResource
from .text import fold

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 1_000_000
MAX_IMPORT_ROWS = 100_000
Progress = Callable[[int, int], None]


def limit(name: str) -> int:
    """An input or background limit from settings (IO_LIMITS), with the defaults below."""
    defaults = {
        "upload_bytes": 20 * 1024 * 1024,  # the file as uploaded
        "uncompressed_bytes": 50 * 1024 * 1024,  # all parts of the zip, inflated
        "ratio": 100,  # inflated / compressed, for a part over 1 MB
        "rows": MAX_IMPORT_ROWS,  # rows of any sheet
        "parts": 2000,  # entries of the zip
        "import_background_rows": 2000,  # imports larger than this run in the background
        "export_background_rows": 5000,  # exports larger than this run in the background
        "export_rows": MAX_EXPORT_ROWS,
    }
    configured = getattr(settings, "IO_LIMITS", {})
    return int(configured.get(name, defaults[name]))


# -- formulas never leave as formulas -----------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def safe_cell(cell: Any) -> Any:
    """An openpyxl cell whose text would be read as a formula is kept as text (data type "s"):
    `=HYPERLINK(...)` in a petition's subject is shown, never evaluated."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
    return cell


def safe_sheet(worksheet: Any) -> None:
    """Every formula-like text of a (normal mode) openpyxl worksheet becomes plain text."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


# -- checking a file before parsing it -----------------------------------------------------------

_ROW = re.compile(rb"<(?:[A-Za-z]\w*:)?row[\s>/]")
_DIMENSION = re.compile(rb'<(?:[A-Za-z]\w*:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
_CHUNK = 1024 * 1024


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="refused")


def check_xlsx(content: bytes, *, max_rows: int | None = None) -> int:
    """Refuse, before any parser sees it, a file that is empty, not an .xlsx, too large, that
    inflates too much (a compressed-file bomb) or whose sheets hold more rows than allowed. Reads
    the worksheet parts as a stream with a hard cap, so the check itself is bounded. Returns the
    row count of the largest sheet (header included)."""
    max_rows = max_rows if max_rows is not None else limit("rows")
    max_inflated = limit("uncompressed_bytes")
    if not content:
        raise _refuse(_("The file is empty (0 bytes)."))
    if len(content) > limit("upload_bytes"):
        raise _refuse(
            _("The file is larger than %(mb)d MB.") % {"mb": limit("upload_bytes") // 2**20}
        )
    not_xlsx = _("The file is not an Excel workbook (.xlsx).")
    if not content.startswith(b"PK\x03\x04"):
        raise _refuse(not_xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _refuse(not_xlsx) from error
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse(not_xlsx)
    too_big = _(
        "The file inflates to more than %(mb)d MB when opened; it is refused "
        "(split it into smaller files)."
    ) % {"mb": max_inflated // 2**20}
    if len(infos) > limit("parts"):
        raise _refuse(not_xlsx)
    if sum(info.file_size for info in infos) > max_inflated:
        raise _refuse(too_big)
    for info in infos:
        if info.file_size > _CHUNK and info.file_size > limit("ratio") * max(info.compress_size, 1):
            raise _refuse(too_big)
    too_many = _("The file has more than %(n)s rows; at most %(n)s rows per file.") % {
        "n": f"{max_rows:,}".replace(",", ".")
    }
    inflated = 0
    largest = 0
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        rows = 0
        tail = b""
        try:
            with archive.open(info) as stream:
                first = True
                while chunk := stream.read(_CHUNK):
                    inflated += len(chunk)
                    if inflated > max_inflated:
                        raise _refuse(too_big)
                    if first:
                        declared = _DIMENSION.search(chunk)
                        if declared and declared.group(1) and int(declared.group(1)) > max_rows + 1:
                            raise _refuse(too_many)
                        first = False
                    window = tail + chunk
                    rows += len(_ROW.findall(window)) - len(_ROW.findall(tail))
                    tail = window[-32:]
                    if rows > max_rows + 1:
                        raise _refuse(too_many)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
            raise _refuse(not_xlsx) from error
        largest = max(largest, rows)
    return largest


def read_bytes(upload: Any) -> bytes:
    """The uploaded file's content, refusing one larger than the limit without reading it all."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit("upload_bytes"):
        raise _refuse(
            _("The file is larger than %(mb)d MB.") % {"mb": limit("upload_bytes") // 2**20}
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit("upload_bytes") + 1)
    return bytes(data)


def read_sheet(content: bytes) -> list[tuple[Any, ...]]:
    """The first sheet's rows as tuples of values, after `check_xlsx`. python-calamine (Rust)
    reads several times faster than openpyxl; openpyxl is the fallback."""
    check_xlsx(content)
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - the dependency is pinned
        return _read_openpyxl(content)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
        return [tuple(row) for row in sheet.to_python(skip_empty_area=False)]
    except Exception as error:  # calamine raises its own error types for malformed parts
        raise ValidationError(_("The file is not a readable Excel workbook.")) from error


def _read_openpyxl(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationError(_("The file is not a readable Excel workbook.")) from error
    sheet = workbook.worksheets[0]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


# -- export -------------------------------------------------------------------------------------


def _filename(resource: type[ModelResource], suffix: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{resource.model_name()}-{suffix}-{stamp}.xlsx"


def export_columns(resource: type[ModelResource]) -> list[str]:
    return ["id", *[c for c in resource.get_detail_fields() if c != "id"]]


def column_text(model: type[models.Model], name: str) -> Callable[[Any], str]:
    """`display_value(obj, name)[0]`, with the per-column work done once: a choice field's
    labels are translated once, a date is formatted once per distinct day, a related record
    needs no link. Anything else goes through `display_value` itself."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return lambda obj: display_value(obj, name)[0]
    choices = getattr(model_field, "choices", None)
    attname = getattr(model_field, "attname", name)
    if choices:
        labels = {value: str(label) for value, label in model_field.flatchoices}  # type: ignore[union-attr]

        def choice(obj: Any) -> str:
            value = getattr(obj, attname)
            return str(labels.get(value, value))

        return choice
    if isinstance(model_field, models.ForeignKey):

        def related(obj: Any) -> str:
            value = getattr(obj, name)
            return str(value) if value is not None else ""

        return related
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        days: dict[Any, str] = {}

        def day(obj: Any) -> str:
            value = getattr(obj, attname)
            if value is None:
                return ""
            text = days.get(value)
            if text is None:
                text = days[value] = display_value(obj, name)[0]
            return text

        return day
    if isinstance(model_field, models.CharField | models.TextField) and not (
        "year" in name or is_money(name)
    ):

        def plain(obj: Any) -> str:
            value = getattr(obj, attname)
            return "" if value is None else str(value)

        return plain
    return lambda obj: display_value(obj, name)[0]


def _is_foreign_key(model: type[models.Model], name: str) -> bool:
    try:
        return isinstance(model._meta.get_field(name), models.ForeignKey)
    except FieldDoesNotExist:
        return False


def write_export(
    resource: type[ModelResource],
    queryset: models.QuerySet[Any],
    target: Any,
    *,
    progress: Progress | None = None,
    total: int = 0,
) -> int:
    """Write the list as .xlsx into `target` (a path or a binary file) with xlsxwriter in
    constant memory; every value is written as a string or a number, never as a formula.
    Returns the number of rows."""
    import xlsxwriter

    columns = export_columns(resource)
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": False,
        },
    )
    sheet = workbook.add_worksheet(resource.verbose_name_plural()[:31])
    sheet.write_row(0, 0, [field_label(resource.model, c) if c != "id" else "ID" for c in columns])
    count = 0
    write_row = sheet.write_row
    converters = [column_text(resource.model, c) for c in columns[1:]]
    related = [c for c in columns[1:] if _is_foreign_key(resource.model, c)]
    if related and not queryset.query.is_sliced:
        queryset = queryset.select_related(*related)  # one query, not one per row and column
    for obj in queryset[: limit("export_rows")].iterator(chunk_size=5000):
        count += 1
        write_row(count, 0, [obj.pk, *[convert(obj) for convert in converters]])
        if progress is not None and count % 5000 == 0:
            progress(count, total)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return count


def export_response(
    request: HttpRequest, resource: type[ModelResource], queryset: models.QuerySet[Any]
) -> HttpResponse:
    buffer = io.BytesIO()
    count = write_export(resource, queryset, buffer)
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
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = resource.verbose_name_plural()[:31]
    sheet.append([field_label(resource.model, f) for f in resource.get_import_fields()])
    sheet.append([_key_hint(resource, f) for f in resource.get_import_fields()])
    safe_sheet(sheet)
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


# -- import -------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


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


class _KeyField(forms.Field):
    """A related record named by its key, resolved from a map built with one query for the
    whole file (instead of one query per row)."""

    def __init__(self, original: forms.ModelChoiceField, mapping: dict[str, Any]) -> None:
        super().__init__(required=original.required, label=original.label)
        self.error_messages = original.error_messages
        self.mapping = mapping

    def __deepcopy__(self, memo: dict[int, Any]) -> _KeyField:
        return self  # stateless: every row's form shares it

    def clean(self, value: Any) -> Any:
        if value in self.empty_values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        found = self.mapping.get(str(value))
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


def _key_maps(
    form_class: Any,
    resource: type[ModelResource],
    user: Any,
    header: list[str | None],
    rows: list[tuple[int, tuple[Any, ...]]],
) -> dict[str, _KeyField]:
    """For every related-record column: one query for all its values, within the choices the
    user may use (`restrict_choices`, the same gate as the form)."""
    prototype = form_class()
    restrict_choices(prototype, user, "add")
    found: dict[str, _KeyField] = {}
    for position, name in enumerate(header):
        if name is None:
            continue
        original = prototype.fields.get(name)
        if not isinstance(original, forms.ModelChoiceField) or isinstance(
            original, forms.ModelMultipleChoiceField
        ):
            continue
        key = resource.natural_keys.get(name) or original.to_field_name or "pk"
        values = {_cell_text(r[position]) for _n, r in rows if position < len(r)} - {""}
        if key == "pk":
            values = {v for v in values if v.isdigit()}
        mapping: dict[str, Any] = {}
        listed = sorted(values)
        queryset: Any = original.queryset
        for start in range(0, len(listed), 5000):
            chunk = listed[start : start + 5000]
            for obj in queryset.filter(**{f"{key}__in": chunk}):
                mapping[str(getattr(obj, key))] = obj
        found[name] = _KeyField(original, mapping)
    return found


def _header(resource: type[ModelResource], first: tuple[Any, ...]) -> list[str | None]:
    fields = list(resource.get_import_fields())
    labels = {field_label(resource.model, f).casefold(): f for f in fields}
    labels.update({f.casefold(): f for f in fields})
    return [labels.get(_cell_text(h).casefold()) for h in first]


def data_rows(resource: type[ModelResource], rows: list[tuple[Any, ...]]) -> int:
    """The number of rows an import of these rows would create (for the background threshold)."""
    return len(_data_rows(rows))


def _data_rows(rows: list[tuple[Any, ...]]) -> list[tuple[int, tuple[Any, ...]]]:
    found = [(i, r) for i, r in enumerate(rows[1:], start=2) if any(_cell_text(c) for c in r)]
    return [(i, r) for i, r in found if not _cell_text(r[0]).startswith("(")]


def import_rows(
    *,
    user: Any,
    resource: type[ModelResource],
    upload: Any = None,
    content: bytes | None = None,
    name: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row first; save all in one transaction only when none has an error."""
    result = ImportResult()
    fields = list(resource.get_import_fields())
    try:
        if content is None:
            content = read_bytes(upload)
            name = name or getattr(upload, "name", "")
        rows = read_sheet(content)
    except ValidationError as error:
        result.errors.append(RowError(0, "", " ".join(error.messages)))
        return result
    if not rows:
        result.errors.append(RowError(0, "", _("The file is empty.")))
        return result
    header = _header(resource, rows[0])
    missing = [field_label(resource.model, f) for f in fields if f not in header]
    if missing:
        result.errors.append(
            RowError(1, ", ".join(missing), _("These columns are missing from the first row."))
        )
        return result
    found = _data_rows(rows)
    del rows
    if not found:
        result.errors.append(
            RowError(0, "", _("The file has a header but no rows to import: nothing was saved."))
        )
        return result
    if len(found) > limit("rows"):
        result.errors.append(
            RowError(0, "", _("At most %(n)d rows per file.") % {"n": limit("rows")})
        )
        return result
    result.rows = len(found)
    keys = [name for name in header if name]
    valid = _validate(user, resource, header, found, result, progress)
    instances = _prepare(user, resource, valid, result, _related(resource, keys))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    try:
        _write(user, resource, instances, name)
    except IntegrityError as error:
        result.errors.append(
            RowError(
                0,
                "",
                _("The rows conflict with each other or with stored records: %(e)s")
                % {"e": str(error)[:300]},
            )
        )
        return result
    result.created = len(instances)
    if progress is not None:
        progress(result.rows, result.rows)
    return result


class _SharedFields(dict[str, Any]):
    """The form's fields, shared by every row's form instead of deep-copied per row: the
    import only cleans (no rendering), and cleaning does not change a field."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedFields:
        return _SharedFields(self)


def _import_form(base: Any, keys: dict[str, _KeyField]) -> Any:
    """The resource's add form for one file: key columns from the maps, shared fields, and the
    model validation left to `_prepare` (run once per row, after the derived fields are set)."""
    from django.forms.models import construct_instance

    def _post_clean(self: Any) -> None:
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
        if self._errors:
            # A row already refused is also checked as a whole now (the model's cross-field
            # rules, as Django's own form would), so that its errors are all named at once.
            try:
                self.instance.full_clean(
                    exclude=self._get_validation_exclusions(), validate_unique=False
                )
            except ValidationError as error:
                self._update_errors(error)

    def _clean_fields(self: Any) -> None:
        """BaseForm._clean_fields without a BoundField per field and row (the same steps:
        the widget's value, the field's clean, then the form's clean_<name>)."""
        if any(f.disabled for f in self.fields.values()):
            base._clean_fields(self)
            return
        for name, form_field in self.fields.items():
            widget = form_field.widget
            value = widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                if isinstance(form_field, forms.FileField):
                    initial = self.get_initial_for_field(form_field, name)
                    value = form_field.clean(value, initial)
                else:
                    value = form_field.clean(value)
                self.cleaned_data[name] = value
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

    form_class: Any = type(
        base.__name__, (base,), {"_post_clean": _post_clean, "_clean_fields": _clean_fields}
    )
    form_class.base_fields = _SharedFields({**base.base_fields, **keys})
    return form_class


def _related(resource: type[ModelResource], names: list[str]) -> list[str]:
    """The import columns that are single related records (resolved by `_key_maps`)."""
    found = []
    for name in names:
        try:
            model_field = resource.model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only column
            continue
        if model_field.many_to_one or model_field.one_to_one:
            found.append(name)
    return found


def _validate(
    user: Any,
    resource: type[ModelResource],
    header: list[str | None],
    found: list[tuple[int, tuple[Any, ...]]],
    result: ImportResult,
    progress: Progress | None,
) -> list[tuple[int, Any]]:
    """Every row through the resource's form (its field rules and clean methods), with the
    related-record columns resolved from maps built once."""
    base = resource.get_form_class("add")
    keys = _key_maps(base, resource, user, header, found)
    form_class = _import_form(base, keys)
    choice_maps = _choice_maps(base)
    valid: list[tuple[int, Any]] = []
    total = len(found)
    columns = [(pos, name) for pos, name in enumerate(header) if name]
    for done, (number, row) in enumerate(found, start=1):
        width = len(row)
        data = {name: _cell_text(row[pos]) for pos, name in columns if pos < width}
        for name, mapping in choice_maps.items():
            if name in data:
                data[name] = mapping.get(fold(data[name]), data[name])
        form = form_class(data=data)
        if form.is_valid():
            valid.append((number, form.instance))
        else:
            _add_errors(result, resource, number, form.errors)
        if progress is not None and done % 2000 == 0:
            progress(done // 2, total)
    return valid


def _add_errors(
    result: ImportResult, resource: type[ModelResource], number: int, errors: Any
) -> None:
    for name, messages in errors.items():
        column = field_label(resource.model, name) if name not in ("", "__all__") else ""
        for message in messages:
            result.errors.append(RowError(number, column, str(message)))


def _prepare(
    user: Any,
    resource: type[ModelResource],
    valid: list[tuple[int, Any]],
    result: ImportResult,
    keys: Iterable[str] = (),
) -> list[Any]:
    """What `services.object_create` does before saving, for every row: derived fields
    (`prepare_write`, or the preparer `bulk_prepare()` returns, which reads its look-ups once
    per file), the model's validation (related records found by `_key_maps` are not looked up
    again; the closed-unit guard still runs), the scope and the resource's write rules; then
    the search column."""
    from .handover import check_unit_open
    from .services import _check_scope

    bulk_prepare = getattr(resource, "bulk_prepare", None)
    prepare = bulk_prepare() if bulk_prepare is not None else resource.prepare_write
    exclude = [k for k in keys if k != "unit"]
    check_unit = hasattr(resource.model, "unit") and "unit" in keys
    skip = [*exclude, "unit"] if check_unit else exclude
    instances = []
    for number, instance in valid:
        try:
            prepare(instance)
            instance.full_clean(exclude=skip)
            if check_unit:
                check_unit_open(instance)
            _check_scope(user, "add", instance)
        except ValidationError as error:
            _add_errors(
                result,
                resource,
                number,
                error.message_dict if hasattr(error, "error_dict") else {"": error.messages},
            )
            continue
        except PermissionDenied as error:
            result.errors.append(RowError(number, "", str(error)))
            continue
        instance.refresh_search_text()
        instances.append(instance)
    return instances


def _write(user: Any, resource: type[ModelResource], instances: list[Any], name: str) -> None:
    """bulk_create in one transaction, the model's save signals sent as a save would (or the
    resource's `created_many` for the whole batch), then one audit entry per record and one for
    the import, chained in one pass."""
    model = resource.model
    using = router.db_for_write(model)
    created_many = getattr(resource, "created_many", None)
    with transaction.atomic(using=using):
        if created_many is None and pre_save.has_listeners(model):
            for instance in instances:
                pre_save.send(model, instance=instance, raw=False, using=using, update_fields=None)
        model._default_manager.bulk_create(instances, batch_size=2000)
        if created_many is not None:
            created_many(instances)
        elif post_save.has_listeners(model):
            for instance in instances:
                post_save.send(
                    model,
                    instance=instance,
                    created=True,
                    raw=False,
                    using=using,
                    update_fields=None,
                )
        for instance in instances:
            resource.after_write(instance, None)
        label = model._meta.label_lower

        def entries() -> Iterable[dict[str, Any]]:
            for instance in instances:
                yield {
                    "action": AuditAction.CREATE,
                    "instance": instance,
                    "changes": diff({}, snapshot(instance)),
                    "message": _("Imported from %(file)s") % {"file": name} if name else "",
                }
            yield {
                "action": AuditAction.IMPORT,
                "object_type": label,
                "object_repr": f"{resource.verbose_name_plural()} ({len(instances)})",
                "message": name,
            }

        audit_record_many(user=user, entries=entries())
