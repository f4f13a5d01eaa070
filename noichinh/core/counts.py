"""The catalogue of derived counts: figures computed from the registries, never typed.

Each registry app registers its own counts here (cases: "corruption cases detected by the
committee itself"; petitions: "petitions accepted"), so that periodic reports and emulation
campaigns read one number from one source without importing those apps. A count is a model, a
date field that places a record in a period, and a narrowing of the queryset; the catalogue adds
the unit subtree and the date window, and the gate when a user is given.

    register_count(DerivedCount(
        key="cases.self_detected",
        label=_("Corruption cases detected by the committee itself"),
        model=Case,
        date_field="detected_on",
        narrow=lambda qs: qs.filter(detection=Detection.SELF, conduct=Conduct.CORRUPTION),
        list_url_name="cases:case_list",
        list_params={"detection": "self", "conduct": "corruption"},
        date_params=("detected_after", "detected_before"),
    ))

    count_value("cases.self_detected", unit=nghe_an, start=date(2021, 6, 1), end=cutoff)

`records_url` gives the list page filtered to exactly the records behind a number (the list
pages accept `trong=<unit id>` for a subtree), so every figure can link to its records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse

from .scoping import sees_everything

Narrow = Callable[[models.QuerySet[Any]], models.QuerySet[Any]]


@dataclass(frozen=True)
class DerivedCount:
    key: str
    label: Any
    model: type[models.Model]
    date_field: str
    narrow: Narrow = field(default=lambda qs: qs)
    # The unit path the count is attributed to (the owner by default; a security issue counts
    # for the unit that advised on it).
    path_lookup: str = "unit__path"
    list_url_name: str = ""
    list_params: Mapping[str, str] = field(default_factory=dict)
    # Names of the list filters for the first and last day of the window.
    date_params: tuple[str, str] = ("", "")
    help_text: Any = ""


_catalogue: dict[str, DerivedCount] = {}


def register_count(count: DerivedCount) -> DerivedCount:
    if count.key in _catalogue and _catalogue[count.key] != count:
        raise ValueError(f"Derived count {count.key!r} is registered twice.")
    _catalogue[count.key] = count
    return count


def get_count(key: str) -> DerivedCount:
    try:
        return _catalogue[key]
    except KeyError:
        raise KeyError(f"No derived count {key!r}; known: {sorted(_catalogue)}") from None


def all_counts() -> list[DerivedCount]:
    return sorted(_catalogue.values(), key=lambda c: c.key)


def count_choices() -> list[tuple[str, Any]]:
    return [(c.key, c.label) for c in all_counts()]


Tree = dict[int | None, list[int]]


def tree_on(day: dt.date) -> Tree:
    """The unit tree of `day` as {parent id: [child ids]} (from the units' versions; two
    queries). Units already closed on `day` hang under their heir: the successor named by a
    merge, else the parent they last had."""
    version_model = apps.get_model("units", "UnitVersion")
    unit_model = apps.get_model("units", "Unit")
    children: Tree = {}
    rows = version_model.objects.filter(valid_from__lte=day).filter(
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
    )
    for unit_id, parent_id in rows.values_list("unit_id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    last_parent = {
        v["unit_id"]: v["parent_id"]
        for v in version_model.objects.filter(unit__valid_to__lt=day)
        .order_by("unit_id", "valid_from")
        .values("unit_id", "parent_id")
    }
    closed = unit_model.objects.filter(valid_to__lt=day).values_list("id", "successor_id")
    for unit_id, successor_id in closed:
        children.setdefault(successor_id or last_parent.get(unit_id), []).append(unit_id)
    return children


def subtree_ids_on(unit: Any, day: dt.date, tree: Tree | None = None) -> list[int]:
    """The units of `unit`'s subtree as the tree was on `day`: a committee merged into another
    later is still its own subtree on a day before the merge, and a 2025 final review of Quảng
    Trị counts Quảng Bình's records from before the merge (Quảng Bình's heir is Quảng Trị).
    Pass `tree` (from `tree_on(day)`) to reuse one reading of the tree for many units."""
    children = tree if tree is not None else tree_on(day)
    found = [unit.pk]
    queue = [unit.pk]
    seen = {unit.pk}
    while queue:
        for child in children.get(queue.pop(), []):
            if child not in seen:
                seen.add(child)
                found.append(child)
                queue.append(child)
    return found


def within_on(
    queryset: models.QuerySet[Any],
    unit: Any,
    day: dt.date | None,
    path_lookup: str | None = None,
    tree: Tree | None = None,
) -> models.QuerySet[Any]:
    """Narrow `queryset` to `unit`'s subtree as the tree was on `day` (today's tree when `day`
    is None). Every figure of a past period and the list behind it use this one rule: a record
    counts for the unit that held it then."""
    lookup = path_lookup or queryset.model.scope_path_lookup
    if day is None:
        return queryset.filter(**{f"{lookup}__startswith": unit.path})
    owner = lookup.removesuffix("__path")
    if owner == "unit":
        return queryset.filter(held_by_subtree_q(queryset.model, unit, day, tree))
    return queryset.filter(**{f"{owner}__in": subtree_ids_on(unit, day, tree)})


def held_by_subtree_q(
    model: type[models.Model], unit: Any, day: dt.date, tree: Tree | None = None
) -> models.Q:
    """Records of `model` held on `day` by `unit`'s subtree as it was that day: a record handed
    over after that day counts for the unit that held it then (core.handover)."""
    from .handover import held_on_q

    return held_on_q(model, subtree_ids_on(unit, day, tree), day)


def count_queryset(
    key: str,
    *,
    unit: Any,
    start: dt.date | None,
    end: dt.date | None,
    user: Any = None,
    as_of: dt.date | None = None,
    tree: Tree | None = None,
) -> models.QuerySet[Any]:
    """The records behind a count: in `unit`'s subtree, dated within [start, end] (either bound
    may be open), narrowed by the count, and restricted by the gate when a user is given (system
    computations such as a campaign's progress pass no user).

    With `as_of`, the subtree is the one of that day (`subtree_ids_on`) rather than today's: a
    2023 review of Quảng Trị does not count Quảng Bình, merged into it in 2025; and a record
    handed over since counts for the unit that held it on that day (core.handover)."""
    count = get_count(key)
    manager = count.model._default_manager
    queryset = manager.restrict(user, "view") if user is not None else manager.all()  # type: ignore[attr-defined]
    queryset = within_on(queryset, unit, as_of, count.path_lookup, tree)
    if start is not None:
        queryset = queryset.filter(**{f"{count.date_field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{count.date_field}__lte": end})
    return count.narrow(queryset)


def count_value(
    key: str,
    *,
    unit: Any,
    start: dt.date | None,
    end: dt.date | None,
    user: Any = None,
    as_of: dt.date | None = None,
    tree: Tree | None = None,
) -> int:
    return count_queryset(
        key, unit=unit, start=start, end=end, user=user, as_of=as_of, tree=tree
    ).count()


def count_hidden(
    key: str,
    *,
    user: Any,
    unit: Any,
    start: dt.date | None,
    end: dt.date | None,
    as_of: dt.date | None = None,
    tree: Tree | None = None,
    total: int | None = None,
) -> int:
    """How many of the records behind a system figure (computed with no user, such as a
    campaign's progress, the same for every reader) `user` may not open: a confidential case
    counts in a unit's official result, but its reader's list shows one row fewer. A page that
    shows such a figure links the records the reader may open (`total - hidden`) and says
    that `hidden` more are counted (issue 16: a count never exceeds its list silently). Pass
    `total` when the system figure is already known."""
    if user is None:
        return 0
    if sees_everything(user, get_count(key).model):
        return 0
    if total is None:
        total = count_value(key, unit=unit, start=start, end=end, as_of=as_of, tree=tree)
    if not total:
        return 0
    seen = count_value(key, unit=unit, start=start, end=end, user=user, as_of=as_of, tree=tree)
    return max(total - seen, 0)


def records_url(
    key: str,
    *,
    unit: Any,
    start: dt.date | None,
    end: dt.date | None,
    as_of: dt.date | None = None,
) -> str:
    """The list page showing the records behind the number ("" if the count has no list).
    Give the same `as_of` as the count: the list then narrows to the subtree of that day
    (`ngay=`), so the number on the page and the rows behind it are the same records."""
    count = get_count(key)
    if not count.list_url_name:
        return ""
    params: dict[str, str] = {"trong": str(unit.pk), **count.list_params}
    if as_of is not None:
        params["ngay"] = f"{as_of:%d/%m/%Y}"
    after, before = count.date_params
    if after and start is not None:
        params[after] = f"{start:%d/%m/%Y}"
    if before and end is not None:
        params[before] = f"{end:%d/%m/%Y}"
    return f"{reverse(count.list_url_name)}?{urlencode(params)}"


def count_by_branch(
    key: str,
    *,
    unit: Any,
    start: dt.date | None,
    end: dt.date | None,
    user: Any = None,
    as_of: dt.date | None = None,
    tree: Tree | None = None,
) -> dict[int, int]:
    """The count for each unit directly below `unit` (its branch, on the tree of `as_of`, else
    today's), in one query: {child id: n}, with `unit.pk` for the records the unit owns itself.
    The figures add up to `count_value` with the same arguments, record for record."""
    from django.utils import timezone

    day = as_of or timezone.localdate()
    tree = tree if tree is not None else tree_on(day)
    branch_of = branches_on(unit, day, tree)
    count = get_count(key)
    owner = count.path_lookup.removesuffix("__path")
    queryset = count_queryset(
        key, unit=unit, start=start, end=end, user=user, as_of=as_of, tree=tree
    ).order_by()
    queryset, holder = with_holder(queryset, as_of, owner)
    rows = queryset.values(holder).annotate(n=models.Count("pk"))
    found: dict[int, int] = {}
    for row in rows:
        branch = branch_of.get(row[holder], unit.pk)
        found[branch] = found.get(branch, 0) + row["n"]
    return found


def branches_on(unit: Any, day: dt.date, tree: Tree) -> dict[int, int]:
    """{unit id: the child of `unit` whose subtree holds it} on the tree of `day`."""
    branch_of: dict[int, int] = {}
    for child_id in tree.get(unit.pk, []):
        for member in subtree_ids_on(_Ref(child_id), day, tree):
            branch_of[member] = child_id
    return branch_of


def with_holder(
    queryset: models.QuerySet[Any], as_of: dt.date | None, owner: str = "unit"
) -> tuple[models.QuerySet[Any], str]:
    """`queryset` annotated with the unit that held each record on `as_of`, and the name of
    that value: the giver of its first hand-over after that day, else its owner. Group by it
    to put a past window's records under the branches of that day."""
    if as_of is None or owner != "unit":
        return queryset, f"{owner}_id"
    from .models import Handover

    first_giver = (
        Handover.objects.filter(
            object_type=queryset.model._meta.label_lower,
            object_id=models.OuterRef("pk"),
            on__gt=as_of,
        )
        .order_by("on", "pk")
        .values("from_unit_id")[:1]
    )
    holder = Coalesce(
        models.Subquery(first_giver), models.F("unit_id"), output_field=models.IntegerField()
    )
    return queryset.annotate(holder=holder), "holder"


@dataclass(frozen=True)
class _Ref:
    """A unit known only by its id (enough for `subtree_ids_on`)."""

    pk: int
