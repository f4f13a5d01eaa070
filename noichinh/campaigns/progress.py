"""Progress: actual against registered target, computed from the registries at a review's
cut-off (a record dated after it does not count), on the unit tree as it was that day.

- At a past cut-off: ahead (above the target), on track (exactly it), behind (below).
- Before the cut-off (the review is still to come): ahead once the target is reached, on track
  if the actual is at least the target pro rata of the time elapsed, else behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from noichinh.core.counts import count_value, records_url, tree_on

from .choices import ProgressState
from .models import Campaign, Criterion, Review, Target, TargetRegistration


def state_of(
    actual: int, target: int | None, *, start: dt.date, cutoff: dt.date, on: dt.date
) -> str:
    if not target:
        return ProgressState.NO_TARGET
    if on >= cutoff:
        if actual > target:
            return ProgressState.AHEAD
        return ProgressState.ON_TRACK if actual == target else ProgressState.BEHIND
    if actual >= target:
        return ProgressState.AHEAD
    span = max((cutoff - start).days, 1)
    elapsed = max((on - start).days, 0)
    expected = target * elapsed / span
    return ProgressState.ON_TRACK if actual >= expected else ProgressState.BEHIND


def percent(actual: int, target: int | None) -> Decimal | None:
    if not target:
        return None
    return Decimal(actual * 100) / Decimal(target)


def window(campaign: Campaign, review: Review | None, on: dt.date) -> tuple[dt.date, dt.date]:
    """From the campaign's start to the review's cut-off (or the campaign's end), never past
    `on`."""
    end = review.cutoff_on if review is not None else campaign.end_on
    return campaign.start_on, min(end, on)


def target_for(
    targets: dict[tuple[int, int | None], int], criterion: Criterion, review: Review | None
) -> int | None:
    """The review's own target; for a final review without one, the whole-period target."""
    key = (criterion.pk, review.pk if review is not None else None)
    if key in targets:
        return targets[key]
    if review is not None and review.kind == "final":
        return targets.get((criterion.pk, None))
    return None


def targets_of(registration: TargetRegistration) -> dict[tuple[int, int | None], int]:
    return {
        (t.criterion_id, t.review_id): t.value
        for t in Target.objects.filter(registration=registration)
    }


@dataclass
class ProgressRow:
    criterion: Criterion
    target: int | None
    actual: int
    percent: Decimal | None
    state: str
    url: str = ""
    children_target: int | None = None
    children_actual: int | None = None

    @property
    def state_label(self) -> str:
        return str(ProgressState(self.state).label)


def registration_progress(
    registration: TargetRegistration,
    review: Review | None,
    *,
    on: dt.date | None = None,
    children: list[TargetRegistration] | None = None,
) -> list[ProgressRow]:
    """One row per criterion the registration has a target for (or its level's criteria)."""
    on = on or timezone.localdate()
    campaign = registration.campaign
    start, end = window(campaign, review, on)
    targets = targets_of(registration)
    all_criteria = list(campaign.criteria.order_by("number"))
    criteria = [c for c in all_criteria if any(key[0] == c.pk for key in targets)]
    child_targets = {child.pk: targets_of(child) for child in children or []}
    tree = tree_on(end)
    rows = []
    for criterion in criteria:
        target = target_for(targets, criterion, review)
        actual = count_value(
            criterion.count_key,
            unit=registration.unit,
            start=start,
            end=end,
            as_of=end,
            tree=tree,
        )
        row = ProgressRow(
            criterion=criterion,
            target=target,
            actual=actual,
            percent=percent(actual, target),
            state=state_of(
                actual,
                target,
                start=start,
                cutoff=review.cutoff_on if review else campaign.end_on,
                on=on,
            ),
            url=records_url(criterion.count_key, unit=registration.unit, start=start, end=end),
        )
        if children:
            # The units below register their own criteria; those that count towards this
            # one (or this one itself) are summed against the committee's target.
            related = [criterion.pk] + [
                c.pk for c in all_criteria if c.counts_towards_id == criterion.pk
            ]
            child_values: list[int] = []
            child_actual = 0
            for child in children:
                for pk in related:
                    related_criterion = next(c for c in all_criteria if c.pk == pk)
                    value = target_for(child_targets[child.pk], related_criterion, review)
                    if value is not None:
                        child_values.append(value)
                        child_actual += count_value(
                            related_criterion.count_key,
                            unit=child.unit,
                            start=start,
                            end=end,
                            as_of=end,
                            tree=tree,
                        )
            if child_values:
                row.children_target = sum(child_values)
                row.children_actual = child_actual
        rows.append(row)
    return rows


def children_progress(
    registration: TargetRegistration, review: Review | None, *, on: dt.date | None = None
) -> list[tuple[TargetRegistration, list[ProgressRow]]]:
    """The registrations of the units directly below (departments), each with its progress."""
    children = (
        TargetRegistration.objects.filter(
            campaign=registration.campaign, unit__parent=registration.unit
        )
        .select_related("unit", "campaign")
        .order_by("unit__code")
    )
    return [(child, registration_progress(child, review, on=on)) for child in children]


@dataclass
class ClusterRow:
    unit: Any
    registration: TargetRegistration | None
    cells: dict[int, ProgressRow] = field(default_factory=dict)
    score: Decimal | None = None
    rank: int | None = None
    merged_into: Any = None


@dataclass
class ClusterTable:
    criteria: list[Criterion]
    rows: list[ClusterRow]
    totals: dict[int, tuple[int, int, Decimal | None]]  # criterion -> (actual, target, %)


def cluster_table(
    cluster: Any, campaign: Campaign, review: Review, *, on: dt.date | None = None
) -> ClusterTable:
    """The member committees side by side for a review: actual, target and % per committee-level
    criterion, a weighted score (the weights of the criteria, over their percentages) and the
    rank; and the cluster's totals as % of the sum of registered targets.

    A member closed before the cut-off (merged) shows no figures of its own: its records and
    its targets count with the member it was merged into."""
    on = on or timezone.localdate()
    start, end = window(campaign, review, on)
    criteria = list(
        campaign.criteria.filter(level="committee", parent__isnull=True).order_by("number")
    ) + list(campaign.criteria.filter(level="committee", parent__isnull=False).order_by("number"))
    criteria.sort(key=lambda c: c.number)
    members = list(cluster.members.order_by("code"))
    registrations = {
        r.unit_id: r for r in TargetRegistration.objects.filter(campaign=campaign, unit__in=members)
    }
    closed = {m.pk: m for m in members if m.valid_to is not None and m.valid_to < end}
    heirs: dict[int, list[Any]] = {}
    for member in closed.values():
        heirs.setdefault(member.successor_id, []).append(member)
    rows: list[ClusterRow] = []
    totals: dict[int, list[int]] = {c.pk: [0, 0] for c in criteria}
    tree = tree_on(end)
    for member in members:
        registration = registrations.get(member.pk)
        row = ClusterRow(unit=member, registration=registration)
        if member.pk in closed:
            row.merged_into = member.successor
            rows.append(row)
            continue
        predecessors = [registrations.get(p.pk) for p in heirs.get(member.pk, [])]
        own_targets = [targets_of(r) for r in [registration, *predecessors] if r is not None]
        weighted = Decimal(0)
        weights = Decimal(0)
        for criterion in criteria:
            values = [target_for(t, criterion, review) for t in own_targets]
            known = [v for v in values if v is not None]
            target = sum(known) if known else None
            actual = count_value(
                criterion.count_key, unit=member, start=start, end=end, as_of=end, tree=tree
            )
            pct = percent(actual, target)
            row.cells[criterion.pk] = ProgressRow(
                criterion=criterion,
                target=target,
                actual=actual,
                percent=pct,
                state=state_of(actual, target, start=start, cutoff=review.cutoff_on, on=on),
                url=records_url(criterion.count_key, unit=member, start=start, end=end),
            )
            totals[criterion.pk][0] += actual
            totals[criterion.pk][1] += target or 0
            if pct is not None:
                weighted += criterion.weight * pct
                weights += criterion.weight
        row.score = (weighted / weights) if weights else None
        rows.append(row)
    ranked = sorted(
        (r for r in rows if r.score is not None), key=lambda r: (-(r.score or 0), r.unit.code)
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.code))
    return ClusterTable(
        criteria=criteria,
        rows=rows,
        totals={pk: (a, t, percent(a, t)) for pk, (a, t) in totals.items()},
    )
