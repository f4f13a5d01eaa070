"""Reads about the tree that pages and later areas ask for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from .models import Unit, UnitEvent, UnitEventLink, UnitVersion


def unit_tree_on(*, user: Any, day: dt.date) -> QuerySet[UnitVersion]:
    """The tree as it was on `day`: each unit in scope with the name and parent it had then."""
    visible = Unit.objects.restrict(user, "view")
    return (
        UnitVersion.objects.filter(unit__in=visible, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit", "parent")
        .order_by("unit__path")
    )


def unit_events(*, unit: Unit) -> QuerySet[UnitEvent]:
    links = UnitEventLink.objects.select_related("unit").order_by("role", "unit__name")
    return (
        UnitEvent.objects.filter(links__unit=unit)
        .distinct()
        .prefetch_related(Prefetch("links", queryset=links))
        .order_by("-date", "-id")
    )


def unit_lineage(*, unit: Unit) -> dict[str, list[Unit]]:
    """What the unit came from (units merged into it) and what it became."""
    became = []
    current = unit.successor
    seen = {unit.pk}
    while current is not None and current.pk not in seen:
        became.append(current)
        seen.add(current.pk)
        current = current.successor
    return {"predecessors": list(unit.predecessors.order_by("name")), "became": became}
