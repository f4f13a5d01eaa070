"""Reads about the tree that pages and later areas ask for."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from noichinh.core import counts

from .models import Unit, UnitEvent, UnitEventLink, UnitVersion, names_on

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


# -- summaries by branch --------------------------------------------------------------------
#
# A summary "by unit" lists the branches directly below the unit it is about (the country: its
# provinces and central departments; a province: its departments and the units below it), never
# the whole tree flattened, each row a link down into that branch; the unit's own records are a
# row of their own ("Trực tiếp <unit>"). The petitions, cases and tasks summaries share these.


def branch_map(unit: Any, day: dt.date) -> dict[int, int]:
    """{unit id: its branch} on the tree of `day`: the child of `unit` whose subtree holds it,
    `unit` itself for itself (no unit: the roots of the tree, each its own branch)."""
    from types import SimpleNamespace

    tree = tree_on(day)
    if unit is None:
        found: dict[int, int] = {}
        for top in tree.get(None, []):
            for member in counts.subtree_ids_on(SimpleNamespace(pk=top), day, tree):
                found[member] = top
        return found
    found = {unit.pk: unit.pk}
    for child in tree.get(unit.pk, []):
        for member in counts.subtree_ids_on(SimpleNamespace(pk=child), day, tree):
            found[member] = child
    return found


@dataclass(frozen=True)
class Branch:
    """One row of a summary by branch: the branch's unit, whether it is the summary's unit
    itself (its own records), and the name the row shows."""

    unit: Unit
    own: bool
    label: str

    @property
    def merged_into(self) -> Unit | None:
        """The heir of a unit closed by a merger (the 2025 reorganisation), else None."""
        if self.unit.valid_to is None:
            return None
        return self.unit.successor


def branches(unit: Unit, ids: Any, day: dt.date | None = None) -> dict[int, Branch]:
    """The branches `ids` below `unit` (and `unit` itself for its own records), named as on
    `day` (today's names without it), with their heirs read in the same query."""
    from django.utils.translation import gettext as _

    ids = [i for i in ids if i is not None]
    units = Unit.objects.select_related("successor").in_bulk(ids)
    names = names_on(list(units), day) if day is not None else {}
    found: dict[int, Branch] = {}
    for pk, branch in units.items():
        name = names[pk].name if pk in names else branch.name
        if pk == unit.pk:
            found[pk] = Branch(branch, True, _("Directly %(unit)s") % {"unit": name})
        else:
            found[pk] = Branch(branch, False, name)
    return found


def drill_query(params: Any, unit: Unit | None) -> str:
    """The same query string with the unit changed (`trong`): a row's link down into its
    branch, or the crumb back up, keeping the period and the other choices."""
    query = params.copy()
    query.pop("page", None)
    if unit is None:
        query.pop("trong", None)
    else:
        query["trong"] = str(unit.pk)
    return query.urlencode()


def up_crumbs(unit: Unit, top: Unit | None) -> list[Unit]:
    """The units from `top` (the page's starting unit) down to `unit`'s parent: the crumbs
    back up a drill-down (none when `unit` is `top` or not inside it)."""
    if top is None or unit.pk == top.pk or not unit.path.startswith(top.path):
        return []
    return [u for u in unit.ancestors() if u.path.startswith(top.path)]


def summary_unit(request: Any, model: Any) -> Unit | None:
    """The unit a summary starts from: the one picked in the top bar, else the user's widest
    (the whole tree: its open root)."""
    from noichinh.core.listing import scope_unit
    from noichinh.core.scoping import user_scope

    picked = scope_unit(request)
    if picked is not None:
        return picked
    paths = user_scope(request.user, "view", model).paths
    if "" in paths:
        return Unit.objects.filter(depth=0, valid_to__isnull=True).order_by("path").first()
    return Unit.objects.filter(path__in=paths).order_by("path").first()


def summary_crumbs(
    request: Any, title: str, unit: Unit | None, top: Unit | None
) -> list[tuple[str, str | None]]:
    """A summary's crumbs: its title (back to the starting unit), then the units drilled
    through (each back up to that unit's summary, same period), then the unit shown."""
    if unit is None or top is None or unit.pk == top.pk:
        return [(title, None)]
    here = request.path
    crumbs: list[tuple[str, str | None]] = [(title, f"{here}?{drill_query(request.GET, None)}")]
    for above in up_crumbs(unit, top):
        if above.pk != top.pk:
            label = above.short_name or above.name
            crumbs.append((label, f"{here}?{drill_query(request.GET, above)}"))
    crumbs.append((unit.short_name or unit.name, None))
    return crumbs
