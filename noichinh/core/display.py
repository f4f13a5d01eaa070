"""Turning a record's fields into what a page shows: choice labels, dates, Có/Không, links."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .resources import registry
from .scoping import can_on
from .text import fold, format_money, format_number


def field_label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        attr = getattr(model, name, None)
        label = str(getattr(attr, "short_description", name.replace("_", " ")))
        return label[:1].upper() + label[1:]
    return str(getattr(field, "verbose_name", name)).capitalize()


def detail_url(obj: Any, user: Any = None) -> str | None:
    """The record's page, or None when there is none or `user` may not see it (a link that
    answers 404 is worse than plain text)."""
    resource = registry.for_model(type(obj))
    if resource is None or "detail" not in resource.actions():
        return None
    if user is not None and not can_on(user, "view", obj):
        return None
    try:
        return reverse(resource.url_name("detail"), args=[obj.pk])
    except NoReverseMatch:
        return None


def display_value(obj: models.Model, name: str, user: Any = None) -> tuple[str, str | None]:
    """(text, link) of one field of a record; the link only if `user` may follow it."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        value = getattr(obj, name, None)
        value = value() if callable(value) else value
        return _format(value), None
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")()), None
    value = getattr(obj, name, None)
    if "year" in name and isinstance(value, int):
        return str(value), None  # 2023, not 2.023
    if is_money(name) and isinstance(value, int | Decimal):
        return format_money(value), None
    if isinstance(field, models.ForeignKey):
        return (str(value), detail_url(value, user)) if value is not None else ("", None)
    if isinstance(field, models.ManyToManyField):
        return ", ".join(str(v) for v in value.all()), None  # type: ignore[union-attr]
    return _format(value), None


def _format(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, Decimal | float):
        return format_number(value, 2)
    return str(value)


# --- The change history and the audit log in words -------------------------------------------
#
# An audit entry stores what the database stores: field attnames ("unit_id"), choice values
# ("corruption"), ids of related records, ISO dates, True/False. A page shows what a user reads:
# the field's verbose name, the choice label, the related record's name (all of one model fetched
# in one query for the whole page), dates d/m/yyyy, Có/Không, amounts in tỷ/triệu đồng.

_HIDDEN_KEYS = {"id", "depth", "numchild", "path"}  # ids and the tree's bookkeeping
_REDACTED_PREFIX = "["


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    entry: Any
    model_label: str
    user_name: str
    changes: list[Change] = dc_field(default_factory=list)


def model_for(object_type: str) -> type[models.Model] | None:
    """The model of an entry's type ("cases.case" -> Case); None for a type now gone."""
    app_label, _dot, model_name = (object_type or "").partition(".")
    if not model_name:
        return None
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def model_label(object_type: str) -> str:
    """The name of an entry's type ("units.unit" -> "Đơn vị"), never its database label."""
    model = model_for(object_type)
    if model is None:
        return _("Other record") if object_type else ""
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def audited_types() -> list[tuple[str, str]]:
    """(object_type, label) of every model of the project, for the audit log's filter."""
    pairs = {
        (m._meta.label_lower, model_label(m._meta.label_lower))
        for m in apps.get_models()
        if m.__module__.startswith("noichinh.")
    }
    return sorted(pairs, key=lambda pair: fold(pair[1]))


def _field_by_key(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        for candidate in model._meta.concrete_fields:
            if candidate.attname == key:
                return candidate
        return None
    return field if isinstance(field, models.Field) else None


# Keys that name no field: what a service records beside the fields.
_EXTRA_LABELS = {"paper_ballots": gettext_lazy("Paper ballots entered")}
# Keys that are codes of another model's records: a submission's values by indicator code.
_KEY_SOURCES = {"reports.submission": ("reports", "Indicator", "code", "name")}


def change_label(
    model: type[models.Model] | None, key: str, keys: dict[str, str] | None = None
) -> str:
    field = _field_by_key(model, key)
    if field is None:
        if keys and key in keys:
            return keys[key]
        if key in _EXTRA_LABELS:
            return str(_EXTRA_LABELS[key])
        reverse_relation = _reverse_relation(model, key)
        if reverse_relation is not None:  # a submission's "values": its data values
            label = str(reverse_relation.related_model._meta.verbose_name_plural)
            return label[:1].upper() + label[1:]
        return key
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


def _reverse_relation(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        relation = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return relation if isinstance(relation, models.ForeignObjectRel) else None


def _count_label(value: str) -> str | None:
    """A key of the derived-count catalogue ("cases.corruption", a criterion's measure) by its
    label."""
    from .counts import count_choices

    return {key: str(label) for key, label in count_choices()}.get(value)


def _key_names(entries: list[Any]) -> dict[str, str]:
    """Names of the codes used as keys (indicator codes of submissions), in one query."""
    codes: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for entry in entries:
        source = _KEY_SOURCES.get(entry.object_type)
        if source is None:
            continue
        for key, pair in (entry.changes or {}).items():
            codes[source].add(str(key))
            for value in pair if isinstance(pair, list) else ():
                if isinstance(value, dict):
                    codes[source].update(str(k) for k in value)
    names: dict[str, str] = {}
    for (app_label, model_name, code, name), wanted in codes.items():
        try:
            source_model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        rows = source_model._base_manager.filter(**{f"{code}__in": wanted})
        names.update({str(c): str(n) for c, n in rows.values_list(code, name)})
    return names


def _related_model(field: models.Field[Any, Any] | None) -> type[models.Model] | None:
    if field is None or not field.is_relation or field.related_model is None:
        return None
    related = field.related_model
    return related if isinstance(related, type) else None


def _ids(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def history_rows(entries: Any, with_changes: bool = True) -> list[HistoryRow]:
    """The entries in words, with one query per related model and one for the users."""
    entries = list(entries)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    user_ids = {e.user_id for e in entries if e.user_id}
    for entry in entries if with_changes else ():
        model = model_for(entry.object_type)
        for key, pair in (entry.changes or {}).items():
            related = _related_model(_field_by_key(model, key))
            if related is None or not isinstance(pair, list):
                continue
            for value in pair:
                wanted[related].update(v for v in _ids(value) if isinstance(v, int | str))
    names: dict[type[models.Model], dict[str, str]] = {}
    for related, ids in wanted.items():
        found = related._base_manager.filter(pk__in=ids).in_bulk()
        names[related] = {str(pk): str(obj) for pk, obj in found.items()}
    keys = _key_names(entries) if with_changes else {}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    users = {u.pk: _person(u) for u in user_model._base_manager.filter(pk__in=user_ids)}
    rows = []
    for entry in entries:
        model = model_for(entry.object_type)
        row = HistoryRow(
            entry=entry,
            model_label=model_label(entry.object_type),
            user_name=users.get(entry.user_id)
            or (_("System (automatic)") if entry.username == "system" else entry.username),
        )
        redacted = set(getattr(model, "audit_redact", ())) if model else set()
        for key, pair in (entry.changes or {}).items() if with_changes else ():
            if key in _HIDDEN_KEYS:
                continue
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            field = _field_by_key(model, key)
            if field is not None and field.name in redacted:
                row.changes.append(
                    Change(change_label(model, key, keys), "", _("changed (protected)"))
                )
                continue
            change = Change(
                change_label(model, key, keys),
                change_value(field, key, before, names, keys),
                change_value(field, key, after, names, keys),
            )
            if change.before or change.after:  # a new record's empty fields say nothing
                row.changes.append(change)
        rows.append(row)
    return rows


def _person(user: Any) -> str:
    name = getattr(user, "display_name", None)
    if callable(name):
        return str(name())
    return str(user.get_username())


def change_value(
    field: models.Field[Any, Any] | None,
    key: str,
    value: Any,
    names: dict[type[models.Model], dict[str, str]] | None = None,
    keys: dict[str, str] | None = None,
) -> str:
    """One stored value as a page shows it ("" for nothing); `keys` names the codes a dict
    value is keyed by (a submission's values by indicator)."""
    if value is None or value == "" or value == []:
        return ""
    related = _related_model(field)
    if related is not None:
        known = (names or {}).get(related, {})
        return ", ".join(known.get(str(v), _("deleted record")) for v in _ids(value))
    if field is not None and getattr(field, "choices", None):
        choices = {str(k): str(v) for k, v in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(choices.get(str(v), str(v)) for v in value)
        return choices.get(str(value), str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return "; ".join(
            f"{(keys or {}).get(str(k), k)}: {change_value(None, k, v)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(change_value(None, key, v) for v in value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return _format(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return _format(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        if "year" in key:
            return str(value)
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            return str(value)
        if is_money(key):
            return format_money(number)
        decimals = 0 if number == number.to_integral_value() else 2
        return format_number(number, decimals)
    if isinstance(value, str) and "." in value:
        label = _count_label(value)
        if label is not None:
            return label
    return str(value)


def is_money(name: str) -> bool:
    """Amounts in đồng are named *_amount (damage_amount, recovered_amount)."""
    return name.endswith("_amount")


# --- Lists: column kinds and the filters a printed list states ----------------------------------


_CODE_NAMES = ("code", "number", "reference", "symbol")


def column_class(model: type[models.Model], name: str) -> str:
    """The kind of a list column (docs/ui.md, "Tables"): dates, figures, codes and statuses stay
    on one line; related records and text wrap."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return "col-text"
    if isinstance(field, models.BooleanField):
        return "col-status"
    if getattr(field, "choices", None):
        return "col-choice"
    if isinstance(field, models.DateField | models.DateTimeField):
        return "col-date"
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        return "col-num text-end"
    if field.is_relation:
        return "col-ref"
    if any(part in name for part in _CODE_NAMES):
        return "col-code"
    return "col-text"


def column_classes(model: type[models.Model], names: list[str]) -> list[str]:
    """The classes of a list's columns; the first text column (the title, the summary) is the
    one that takes the free width ("col-title"), else the first column."""
    kinds = [column_class(model, name) for name in names]
    title = next((i for i, kind in enumerate(kinds) if kind == "col-text"), 0)
    return [f"{kind} col-title" if i == title else kind for i, kind in enumerate(kinds)]


def active_filters(form: Any, query: str = "") -> list[tuple[str, str]]:
    """(label, value) of each filter in use on a list, in words: what a printed list states."""
    result: list[tuple[str, str]] = []
    if query:
        result.append((_("Search"), query))
    if form is None:
        return result
    data = getattr(form, "cleaned_data", None)
    if data is None:
        return result
    for name, field in form.fields.items():
        value = data.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        result.append((str(field.label or name), _filter_text(field, value)))
    return result


def _filter_text(field: Any, value: Any) -> str:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(_filter_text(field, v) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, slice):  # django-filter ranges
        parts = [_filter_text(field, v) for v in (value.start, value.stop) if v is not None]
        return " - ".join(parts)
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(k): str(v) for k, v in choices if not isinstance(v, list | tuple)}
        return labels.get(str(value), str(value))
    return str(value)
