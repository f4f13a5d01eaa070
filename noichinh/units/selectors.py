"""Reads about the tree that pages and later areas ask for."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from noichinh.core import counts

from .models import Unit, UnitEvent, UnitEventLink, UnitVersion

# -- the tree of a day, read once ---------------------------------------------------------
#
# `core.counts.tree_on(day)` reads every unit version (92-220 ms for the national tree of
# 4,341 units); a summary or the home page asks for the same day several times. The trees are
# kept per process, keyed by the day and a fingerprint of the unit tables (one aggregate
# query, ~1 ms): every change of the tree - through the services (unit_create, _rename, _move,
# _close, _merge, _split, which also call `forget_trees`), a bulk generator, or a rolled-back
# test - adds a version, closes one (valid_to) or closes a unit (valid_to, successor), so the
# fingerprint changes and the stale tree is never read. Callers must not mutate the tree.

_TREES: OrderedDict[tuple[Any, dt.date], counts.Tree] = OrderedDict()
_TREES_LOCK = threading.Lock()
_TREES_KEPT = 32


def tree_fingerprint() -> tuple[Any, ...]:
    """What changes whenever the tree of some day changes (one query per table)."""
    versions = UnitVersion.objects.aggregate(
        n=Count("id"), last=Max("id"), closed=Count("valid_to"), latest=Max("valid_to")
    )
    units = Unit.objects.aggregate(
        n=Count("id"),
        last=Max("id"),
        closed=Count("valid_to"),
        heirs=Count("successor"),
        latest=Max("valid_to"),
        changed=Max("updated_at"),
    )
    return (*versions.values(), *units.values())


def tree_on(day: dt.date) -> counts.Tree:
    """`core.counts.tree_on(day)`, read once per state of the unit tables and day."""
    key = (tree_fingerprint(), day)
    with _TREES_LOCK:
        tree = _TREES.get(key)
        if tree is not None:
            _TREES.move_to_end(key)
            return tree
    tree = counts.tree_on(day)
    with _TREES_LOCK:
        _TREES[key] = tree
        while len(_TREES) > _TREES_KEPT:
            _TREES.popitem(last=False)
    return tree


def forget_trees() -> None:
    """Drop the kept trees (the unit services call it after a change of the tree)."""
    with _TREES_LOCK:
        _TREES.clear()


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
