"""Turning a record's fields into what a page shows: choice labels, dates, Có/Không, links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .resources import registry
from .scoping import can_on
from .text import format_number


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
