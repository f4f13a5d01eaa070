"""The questions leaders ask of the registry. Each starts from the gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from noichinh.core.counts import branches_on, with_holder, within_on
from noichinh.core.scoping import ScopedQuerySet
from noichinh.units.models import Unit
from noichinh.units.selectors import Branch, branches

from . import rules
from .choices import CaseField, Conduct, Detection, IssueStatus, MonitoringLevel, Stage
from .models import Case, SecurityIssue


def case_list_stalled(*, user: Any, on: dt.date) -> ScopedQuerySet[Case]:
    """Open cases with no event, or suspended, for longer than their stage allows."""
    return Case.objects.restrict(user, "view").filter(rules.stalled_q(on, rules.cached_rules()))


def case_list_suspended(*, user: Any) -> QuerySet[Case]:
    return Case.objects.restrict(user, "view").filter(suspended_since__isnull=False)


def case_list_centrally_monitored(*, user: Any) -> QuerySet[Case]:
    return Case.objects.restrict(user, "view").filter(monitoring=MonitoringLevel.CENTRAL_STEERING)


def case_list_self_detected(
    *, user: Any, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Case]:
    """Corruption cases and matters the committee detected itself, detected in the window."""
    queryset = Case.objects.restrict(user, "view").filter(
        detection=Detection.SELF, conduct=Conduct.CORRUPTION
    )
    if start:
        queryset = queryset.filter(detected_on__gte=start)
    if end:
        queryset = queryset.filter(detected_on__lte=end)
    return queryset


@dataclass
class TotalRow:
    key: str
    label: str
    cases: int = 0
    corruption: int = 0
    self_detected: int = 0
    central: int = 0
    people: int = 0
    damage: int = 0
    recovered: int = 0
    params: dict[str, str] = field(default_factory=dict)
    branch: Branch | None = None  # by unit: the branch below the summary's unit

    @property
    def query(self) -> str:
        """The list filters of this row, for the links behind its numbers."""
        return urlencode(self.params)


_AGGREGATES = {
    "cases": Count("id"),
    "corruption": Count("id", filter=Q(conduct=Conduct.CORRUPTION)),
    "self_detected": Count("id", filter=Q(conduct=Conduct.CORRUPTION, detection=Detection.SELF)),
    "central": Count("id", filter=Q(monitoring=MonitoringLevel.CENTRAL_STEERING)),
    "people": Sum("people_prosecuted"),
    "damage": Sum("damage_amount"),
    "recovered": Sum("recovered_amount"),
}


def _row(key: str, label: str, values: dict[str, Any], params: dict[str, str]) -> TotalRow:
    figures: dict[str, Any] = {name: int(values.get(name) or 0) for name in _AGGREGATES}
    return TotalRow(key=key, label=label, params=params, **figures)


def _branch_rows(
    base: QuerySet[Case],
    unit: Unit,
    tree: Any,
    as_of: dt.date | None,
    day: dict[str, str],
) -> list[TotalRow]:
    """The rows by branch: the units directly below `unit` (on the tree of `as_of`, else
    today's), each summing its subtree, and `unit`'s own records; a unit closed by a merger is
    a row only with records in the window (only grouped records make rows)."""
    sums: dict[int, dict[str, int]] = {}
    if tree is not None:
        # Each record goes to the child of `unit` whose subtree held it that day (one query).
        branch_of = branches_on(unit, as_of, tree)  # type: ignore[arg-type]
        grouped, holder = with_holder(base.order_by(), as_of)
        found = [
            (branch_of.get(r[holder], unit.pk), r)
            for r in grouped.values(holder).annotate(**_AGGREGATES).order_by()
        ]
    else:
        width = len(unit.path) + 8  # the child's path segment: 7 digits and a dot
        grouped = (
            base.annotate(branch=Substr("unit__path", 1, width))
            .values("branch")
            .annotate(**_AGGREGATES)
            .order_by("branch")
        )
        by_path = list(grouped)
        ids = dict(
            Unit.objects.filter(path__in=[r["branch"] for r in by_path]).values_list("path", "id")
        )
        found = [(ids.get(r["branch"], unit.pk), r) for r in by_path]
    for key, r in found:
        into = sums.setdefault(key, dict.fromkeys(_AGGREGATES, 0))
        for name in _AGGREGATES:
            into[name] += int(r[name] or 0)
    named = branches(unit, list(sums), as_of)
    rows = []
    for pk, values in sums.items():
        branch = named[pk]
        # The own records: exactly the unit's (`unit`); a branch: its whole subtree (`trong`).
        params = {"unit": str(pk)} if branch.own else {"trong": str(pk), **day}
        row = _row(str(pk), branch.label, values, params)
        row.branch = branch
        rows.append(row)
    # The unit's own records first, then the branches in the tree's order.
    rows.sort(key=lambda r: (not r.branch.own, r.branch.unit.path))  # type: ignore[union-attr]
    return rows


def case_totals(
    *,
    user: Any,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    by: str,
    as_of: dt.date | None = None,
) -> tuple[list[TotalRow], TotalRow]:
    """Cases detected in [start, end] in the unit's subtree, grouped by stage, field or the
    units directly below `unit` (each row with the list filters that show its records), and
    the total.

    With `as_of` (a past window's last day) the subtree and its branches are those of that day:
    Quảng Trị's 2023 figures do not include Quảng Bình, merged into it in 2025, exactly as the
    campaign's midterm review counts them (`core.counts.within_on`, the one rule)."""
    from noichinh.units.selectors import tree_on  # the tree of a day, read once

    tree = tree_on(as_of) if as_of is not None else None
    base = within_on(Case.objects.restrict(user, "view"), unit, as_of, tree=tree).filter(
        detected_on__gte=start, detected_on__lte=end
    )
    day = {"ngay": f"{as_of:%d/%m/%Y}"} if as_of is not None else {}
    rows: list[TotalRow] = []
    if by == "stage":
        found = {r["stage"]: r for r in base.values("stage").annotate(**_AGGREGATES)}
        for value, label in Stage.choices:
            if value in found:
                params = {"stage": value, "trong": str(unit.pk), **day}
                rows.append(_row(value, str(label), found[value], params))
    elif by == "field":
        found = {r["field"]: r for r in base.values("field").annotate(**_AGGREGATES)}
        for value, label in CaseField.choices:
            if value in found:
                params = {"field": value, "trong": str(unit.pk), **day}
                rows.append(_row(value, str(label), found[value], params))
    else:
        rows = _branch_rows(base, unit, tree, as_of, day)
    total_values = base.aggregate(**_AGGREGATES)
    total = _row("total", "", total_values, {})
    return rows, total


def case_headline(*, user: Any, unit: Unit | None, on: dt.date) -> dict[str, int]:
    """The figure cards of the dashboard."""
    base = Case.objects.restrict(user, "view").within(unit)
    open_cases = base.exclude(stage=Stage.CLOSED)
    counts = open_cases.aggregate(
        open=Count("id"),
        suspended=Count("id", filter=Q(suspended_since__isnull=False)),
        stalled=Count("id", filter=rules.stalled_q(on, rules.cached_rules())),
        central=Count("id", filter=Q(monitoring=MonitoringLevel.CENTRAL_STEERING)),
    )
    issues = SecurityIssue.objects.restrict(user, "view").within(unit)
    counts["issues_ongoing"] = issues.exclude(status=IssueStatus.RESOLVED).count()
    return {k: int(v or 0) for k, v in counts.items()}


def issue_totals(
    *, user: Any, unit: Unit, start: dt.date, end: dt.date, as_of: dt.date | None = None
) -> list[dict[str, Any]]:
    """Security issues advised on in [start, end], by kind and status (on the tree of `as_of`,
    as `case_totals`)."""
    return list(
        within_on(SecurityIssue.objects.restrict(user, "view"), unit, as_of)
        .filter(advised_on__gte=start, advised_on__lte=end)
        .values("kind")
        .annotate(
            total=Count("id"),
            resolved=Count("id", filter=Q(status=IssueStatus.RESOLVED)),
            people=Sum("people_count"),
        )
        .order_by("-total", "kind")
    )
