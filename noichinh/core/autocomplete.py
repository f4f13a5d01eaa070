"""Autocomplete: one search field for every choice too long for a drop-down.

A choice of units (3,571 nationally), petitions, documents or cases is not rendered as a
`<select>` of every record in scope: `restrict_choices` (core.listing) gives such a field the
`AutocompleteSelect` widget (core.forms), a text input that static/noichinh/autocomplete.js turns
into an ARIA combobox. The combobox asks `search_view` for at most `MAX_RESULTS` records that
match the typed words (folded, diacritics optional, through `search_text`), within the same
scoping gate as the form field: `restrict_choice(...)` for the field the widget serves, so the
list offers exactly what the form accepts, never more than the user may see.

Without JavaScript the field is a plain text input: an id, or words that match exactly one
record (`resolve_text`), and the selected record is named beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .ranking import ranked
from .scoping import ScopedQuerySet, owner_field, restrict_choice
from .text import fold

MAX_RESULTS = 20
ACTIONS = frozenset({"view", "add", "change"})
PATH_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark


@dataclass(frozen=True)
class Source:
    """How one model is searched and named in the autocomplete."""

    ordering: tuple[str, ...]
    labels: Callable[[list[Any]], dict[int, str]]


def _plain_labels(objects: list[Any]) -> dict[int, str]:
    return {obj.pk: str(obj) for obj in objects}


def _document_labels(objects: list[Any]) -> dict[int, str]:
    labels = {}
    for obj in objects:
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        labels[obj.pk] = f"{obj} — {title}"
    return labels


def unit_labels(units: list[Any]) -> dict[int, str]:
    """Each unit named by its path below the root (short names joined by PATH_SEPARATOR: "Nghệ
    An", then "Phòng Nội chính"), closed units marked with their last day; the ancestors of all
    the units are read in one query."""
    from noichinh.units.models import SEGMENT, Unit

    prefixes = {unit.path[: i * (SEGMENT + 1)] for unit in units for i in range(2, unit.depth + 1)}
    names = {
        row["path"]: row["short_name"] or row["name"]
        for row in Unit.objects.filter(path__in=prefixes).values("path", "name", "short_name")
    }
    labels = {}
    for unit in units:
        parts = [names[unit.path[: i * (SEGMENT + 1)]] for i in range(2, unit.depth + 1)]
        parts = [part for part in parts if part]
        label = PATH_SEPARATOR.join([*parts, unit.name])
        if unit.valid_to is not None:
            day = unit.valid_to
            label += " " + _("(closed %(day)s)") % {"day": f"{day.day}/{day.month}/{day.year}"}
        labels[unit.pk] = label
    return labels


SOURCES: dict[str, Source] = {
    # Open units first, then the tree's order (a province before its departments).
    "units.unit": Source(("valid_to", "depth", "path"), unit_labels),
    "petitions.petition": Source(("-received_on", "-pk"), _plain_labels),
    "documents.document": Source(("-issue_date", "-pk"), _document_labels),
    "cases.case": Source(("-detected_on", "-pk"), _plain_labels),
    "petitions.receptionsession": Source(("-held_on", "-pk"), _plain_labels),
}


def model_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def is_autocompleted(model: type[models.Model] | None) -> bool:
    return model is not None and model_label(model) in SOURCES


def search(queryset: models.QuerySet[Any], text: str) -> models.QuerySet[Any]:
    """Records whose folded search text holds every typed word (an id matches too)."""
    text = text.strip()[:200]
    condition = Q()
    for word in fold(text).split():
        condition &= Q(search_text__contains=word)
    if text.isdigit():
        condition |= Q(pk=int(text))
    return queryset.filter(condition)


def labels_for(objects: Iterable[Any]) -> dict[int, str]:
    """Display labels of records of one autocompleted model."""
    objects = list(objects)
    if not objects:
        return {}
    source = SOURCES.get(model_label(type(objects[0])))
    return (source.labels if source else _plain_labels)(objects)


def ordered(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    source = SOURCES.get(model_label(queryset.model))
    if source is None:
        return queryset.order_by("pk")
    if queryset.model._meta.label_lower == "units.unit":
        # NULLs (open units) first on SQLite and PostgreSQL alike.
        return queryset.order_by(models.F("valid_to").asc(nulls_first=True), "depth", "path")
    return queryset.order_by(*source.ordering)


def resolve_text(queryset: models.QuerySet[Any], text: str) -> Any:
    """The pk of the only record that the words match (or the only one named exactly so),
    else None: the no-script path."""
    found = list(search(queryset, text)[:MAX_RESULTS])
    if len(found) == 1:
        return found[0].pk
    # "Ban Nội chính Tỉnh ủy Nghệ An" also matches its "Văn phòng ...": a record named
    # exactly what was typed wins.
    typed = fold(text)
    exact = [obj for obj in found if fold(getattr(obj, "name", None) or str(obj)) == typed]
    return exact[0].pk if len(exact) == 1 else None


def choice_queryset(
    model: type[models.Model], user: Any, for_label: str, field: str, action: str
) -> models.QuerySet[Any]:
    """What the field that asks offers: `restrict_choice` with the field's own model and name
    (an owner unit offers where the user may act; any other choice, what they may see)."""
    base: Any = model._default_manager.all()
    if not isinstance(base, ScopedQuerySet):
        raise Http404
    for_model = None
    if for_label:
        try:
            for_model = apps.get_model(for_label)
        except (LookupError, ValueError):
            raise Http404 from None
    if action not in ACTIONS:
        action = "view"
    queryset = restrict_choice(base, user, action, for_model, field or None)
    if (
        action == "add"
        and for_model is not None
        and getattr(model, "scope_path_lookup", None) == "path"
        and field == owner_field(for_model)
    ):
        # As in the form (OpenUnitChoiceIterator): a new record is not offered a closed unit.
        today = timezone.localdate()
        queryset = queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return queryset


@require_GET
@login_required
def search_view(request: HttpRequest, label: str) -> JsonResponse:
    """`/goi-y/<app.model>/?q=...&for=<app.model>&field=<name>&action=view`: at most
    MAX_RESULTS records as JSON `{"results": [{"id": 1, "text": "..."}], "more": bool}`."""
    if label not in SOURCES:
        raise Http404
    try:
        model = apps.get_model(label)
    except LookupError:
        raise Http404 from None
    queryset = choice_queryset(
        model,
        request.user,
        request.GET.get("for", ""),
        request.GET.get("field", ""),
        request.GET.get("action", "view"),
    )
    text = request.GET.get("q", "")
    if text.strip():
        queryset = search(queryset, text)
    rows = list(ranked(ordered(queryset), text)[: MAX_RESULTS + 1])
    more = len(rows) > MAX_RESULTS
    rows = rows[:MAX_RESULTS]
    labels = labels_for(rows)
    results = [{"id": row.pk, "text": labels[row.pk]} for row in rows]
    return JsonResponse({"results": results, "more": more})
