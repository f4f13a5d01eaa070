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

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from noichinh.core.counts import Tree, count_hidden, count_value, records_url, tree_on
from noichinh.core.text import format_date
from noichinh.units.models import ClusterMembership, MergedOutsideRule, Unit, names_on

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
    # Of `actual` (the official figure, the same for every reader), the records the reader may
    # not open (a confidential case): the page links `shown` records and states the rest.
    hidden: int = 0

    @property
    def shown(self) -> int:
        """The records behind `url` that the reader may open (the linked list's length)."""
        return self.actual - self.hidden

    @property
    def state_label(self) -> str:
        return str(ProgressState(self.state).label)


# -- one unit at one review: the only place a unit's progress is computed --------------------


class ProgressContext:
    """What every unit's progress at one review shares, read once: the window, the unit tree
    of the cut-off, the campaign's criteria, the units merged away before the cut-off, and the
    registered targets (loaded in one query for many units)."""

    def __init__(self, campaign: Campaign, review: Review | None, on: dt.date | None = None):
        self.campaign = campaign
        self.review = review
        self.on = on or timezone.localdate()
        self.start, self.end = window(campaign, review, self.on)
        self.cutoff = review.cutoff_on if review is not None else campaign.end_on
        self.criteria = list(campaign.criteria.order_by("number"))
        self._trees: dict[dt.date, Tree] = {}
        self._targets: dict[int, dict[tuple[int, int | None], int]] = {}
        # successor id -> the units merged into it, closed before the end of the window
        self.merged: dict[int, list[Unit]] = {}
        for closed in Unit.objects.filter(successor__isnull=False, valid_to__lt=self.end).order_by(
            "code"
        ):
            if closed.successor_id is not None:
                self.merged.setdefault(closed.successor_id, []).append(closed)

    def tree(self, day: dt.date) -> Tree:
        if day not in self._trees:
            self._trees[day] = tree_on(day)
        return self._trees[day]

    def predecessors(self, unit: Any, before: dt.date) -> list[Unit]:
        """The units merged into `unit` (directly or through another) closed before `before`."""
        found: list[Unit] = []
        queue = [unit.pk]
        while queue:
            for closed in self.merged.get(queue.pop(0), []):
                if closed.valid_to is not None and closed.valid_to < before:
                    found.append(closed)
                    queue.append(closed.pk)
        return found

    def load_targets(self, unit_ids: list[int]) -> None:
        missing = [pk for pk in unit_ids if pk not in self._targets]
        if not missing:
            return
        for pk in missing:
            self._targets[pk] = {}
        rows = Target.objects.filter(
            registration__campaign=self.campaign, registration__unit_id__in=missing
        ).values_list("registration__unit_id", "criterion_id", "review_id", "value")
        for unit_id, criterion_id, review_id, value in rows:
            self._targets[unit_id][(criterion_id, review_id)] = value

    def targets(self, unit_id: int) -> dict[tuple[int, int | None], int]:
        self.load_targets([unit_id])
        return self._targets[unit_id]


@dataclass
class UnitProgress:
    """A unit's progress at a review: per criterion, the targets of its own registration plus
    those of the units merged into it before the cut-off, against the records of its subtree as
    the tree was on the cut-off (`count_value(as_of=cut-off)`). A unit closed before the
    cut-off has no figures of its own (`merged_into`): they count for its successor."""

    unit: Any
    review: Review | None
    start: dt.date
    end: dt.date
    rows: list[ProgressRow] = field(default_factory=list)
    merged_into: Any = None
    merged_into_name: str = ""
    predecessors: list[Any] = field(default_factory=list)
    counted_until: dt.date | None = None

    @property
    def has_figures(self) -> bool:
        return self.merged_into is None

    @property
    def met_every_target(self) -> bool:
        """Every criterion with a target reached or exceeded (and at least one target)."""
        with_target = [r for r in self.rows if r.target]
        return bool(with_target) and all(r.actual >= (r.target or 0) for r in with_target)

    @property
    def merged_note(self) -> str:
        if self.merged_into is None:
            return ""
        return _("Merged into %(unit)s; its figures count for that unit.") % {
            "unit": self.merged_into_name or self.merged_into
        }


def unit_progress(
    unit: Any,
    campaign: Campaign,
    review: Review | None,
    *,
    on: dt.date | None = None,
    context: ProgressContext | None = None,
    until: dt.date | None = None,
    criteria: list[Criterion] | None = None,
    viewer: Any = None,
) -> UnitProgress:
    """THE progress of `unit` at `review` (None: the whole period), used by the registration
    page and its export, /api/progress/, the cluster table and the nominations' figures.

    `until` counts a unit closed before the cut-off up to its closing instead of sending its
    figures to its successor (the cluster rule for a member merged outside the cluster).
    `criteria` fixes the rows (the cluster table's columns); by default, the criteria any of
    the counted registrations has a target for."""
    ctx = context or ProgressContext(campaign, review, on)
    end = ctx.end
    if until is None and unit.valid_to is not None and unit.valid_to < end:
        if unit.successor_id is not None:
            successor = unit.successor
            name = names_on([successor.pk], end).get(successor.pk)
            return UnitProgress(
                unit=unit,
                review=review,
                start=ctx.start,
                end=end,
                merged_into=successor,
                merged_into_name=name.label if name else str(successor),
            )
        until = unit.valid_to  # closed with no successor: nobody else counts its records
    if until is not None:
        end = min(end, until)
    predecessors = ctx.predecessors(unit, end)
    ids = [unit.pk, *[p.pk for p in predecessors]]
    ctx.load_targets(ids)
    dicts = [ctx.targets(pk) for pk in ids]
    if criteria is None:
        criteria = [c for c in ctx.criteria if any(key[0] == c.pk for d in dicts for key in d)]
    tree = ctx.tree(end)
    rows = []
    for criterion in criteria:
        known = [v for v in (target_for(d, criterion, review) for d in dicts) if v is not None]
        target = sum(known) if known else None
        actual = count_value(
            criterion.count_key, unit=unit, start=ctx.start, end=end, as_of=end, tree=tree
        )
        rows.append(
            ProgressRow(
                criterion=criterion,
                target=target,
                actual=actual,
                percent=percent(actual, target),
                state=state_of(actual, target, start=ctx.start, cutoff=ctx.cutoff, on=ctx.on),
                url=records_url(
                    criterion.count_key, unit=unit, start=ctx.start, end=end, as_of=end
                ),
                hidden=count_hidden(
                    criterion.count_key,
                    user=viewer,
                    unit=unit,
                    start=ctx.start,
                    end=end,
                    as_of=end,
                    tree=tree,
                    total=actual,
                ),
            )
        )
    return UnitProgress(
        unit=unit,
        review=review,
        start=ctx.start,
        end=end,
        rows=rows,
        predecessors=predecessors,
        counted_until=until,
    )


def registration_unit_progress(
    registration: TargetRegistration,
    review: Review | None,
    *,
    on: dt.date | None = None,
    children: list[TargetRegistration] | None = None,
    viewer: Any = None,
) -> UnitProgress:
    """`unit_progress` of the registration's unit; with `children` (the departments' own
    registrations), each row also sums the units below against the committee's target."""
    ctx = ProgressContext(registration.campaign, review, on)
    result = unit_progress(
        registration.unit, registration.campaign, review, context=ctx, viewer=viewer
    )
    if not children or not result.has_figures:
        return result
    tree = ctx.tree(ctx.end)
    for row in result.rows:
        # The units below register their own criteria; those that count towards this one
        # (or this one itself) are summed against the committee's target.
        related = [row.criterion] + [
            c for c in ctx.criteria if c.counts_towards_id == row.criterion.pk
        ]
        child_values: list[int] = []
        child_actual = 0
        for child in children:
            for criterion in related:
                value = target_for(ctx.targets(child.unit_id), criterion, review)
                if value is not None:
                    child_values.append(value)
                    child_actual += count_value(
                        criterion.count_key,
                        unit=child.unit,
                        start=ctx.start,
                        end=ctx.end,
                        as_of=ctx.end,
                        tree=tree,
                    )
        if child_values:
            row.children_target = sum(child_values)
            row.children_actual = child_actual
    return result


def registration_progress(
    registration: TargetRegistration,
    review: Review | None,
    *,
    on: dt.date | None = None,
    children: list[TargetRegistration] | None = None,
    viewer: Any = None,
) -> list[ProgressRow]:
    """The rows of `registration_unit_progress` (none for a unit merged away before the
    cut-off)."""
    return registration_unit_progress(
        registration, review, on=on, children=children, viewer=viewer
    ).rows


def children_progress(
    registration: TargetRegistration,
    review: Review | None,
    *,
    on: dt.date | None = None,
    viewer: Any = None,
) -> list[tuple[TargetRegistration, list[ProgressRow]]]:
    """The registrations of the units directly below (departments), each with its progress.
    A committee merged into this one hangs below it since the merger but is not a unit below:
    its targets count with this unit's own (`UnitProgress.predecessors`)."""
    children = (
        TargetRegistration.objects.filter(
            campaign=registration.campaign, unit__parent=registration.unit
        )
        .exclude(unit__successor=registration.unit)
        .select_related("unit", "campaign")
        .order_by("unit__code")
    )
    return [
        (child, registration_progress(child, review, on=on, viewer=viewer)) for child in children
    ]


# -- the cluster's table ----------------------------------------------------------------------


@dataclass
class ClusterRow:
    unit: Any
    registration: TargetRegistration | None
    name: str = ""  # the member's name on the cut-off date (its last, if closed before)
    cells: dict[int, ProgressRow] = field(default_factory=dict)
    score: Decimal | None = None
    rank: int | None = None
    merged_into: Any = None
    merged_into_name: str = ""
    outside: bool = False  # merged into a unit outside the cluster
    excluded: bool = False  # ... and left out by the cluster's rule
    counted_until: dt.date | None = None  # ... and counted up to its closing by the rule
    met_every_target: bool = False

    @property
    def has_figures(self) -> bool:
        return bool(self.cells)

    @property
    def note(self) -> str:
        if self.merged_into is None:
            return ""
        successor = self.merged_into_name or str(self.merged_into)
        if self.counted_until is not None:
            return _(
                "Merged into %(unit)s, outside the cluster: counted with its own target and "
                "its records up to its closing on %(day)s."
            ) % {"unit": successor, "day": f"{format_date(self.counted_until)}"}
        if self.excluded:
            return _("Merged into %(unit)s, outside the cluster: not counted.") % {
                "unit": successor
            }
        return _("Merged into %(unit)s; its figures count for that unit.") % {"unit": successor}


@dataclass
class ClusterTable:
    criteria: list[Criterion]
    rows: list[ClusterRow]
    totals: dict[int, tuple[int, int, Decimal | None]]  # criterion -> (actual, target, %)
    day: dt.date | None = None  # the cut-off: members and names of that day
    rule: str = MergedOutsideRule.COUNT_UNTIL_CLOSING
    rule_text: str = ""
    met_all: int = 0  # members that met or exceeded every target ...
    counted: int = 0  # ... of the members counted in the table

    @property
    def met_all_text(self) -> str:
        return _("%(met)d of %(total)d committees met or exceeded every target.") % {
            "met": self.met_all,
            "total": self.counted,
        }


def rule_sentence(cluster: Any) -> str:
    if cluster.merged_outside_rule == MergedOutsideRule.EXCLUDE:
        text = _(
            "A member merged into a unit outside the cluster is left out of the table: its "
            "target and its records are not counted (rule chosen by %(unit)s)."
        )
    else:
        text = _(
            "A member merged into a unit outside the cluster stays a row of the table with its "
            "own target and its records up to its closing date (rule chosen by %(unit)s)."
        )
    return text % {"unit": cluster.unit}


def cluster_members_at(cluster: Any, start: dt.date, end: dt.date) -> list[Any]:
    """The units of the cluster's table for the window [start, end]: the members of the end
    date, and the members closed before it while in the cluster (merged away during the
    campaign). One query."""
    memberships = (
        ClusterMembership.objects.filter(cluster=cluster)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .select_related("unit__successor")
        .order_by("unit__code")
    )
    units: dict[int, Any] = {}
    for membership in memberships:
        unit = membership.unit
        covers_end = membership.valid_to is None or membership.valid_to >= end
        closed_as_member = (
            unit.valid_to is not None
            and start <= unit.valid_to < end
            and (membership.valid_to is None or membership.valid_to >= unit.valid_to)
        )
        if (covers_end and (unit.valid_to is None or unit.valid_to >= start)) or closed_as_member:
            units[unit.pk] = unit
    return list(units.values())


def cluster_table(
    cluster: Any,
    campaign: Campaign,
    review: Review,
    *,
    on: dt.date | None = None,
    viewer: Any = None,
) -> ClusterTable:
    """The member committees side by side for a review: actual, target and % per committee-level
    criterion (each from `unit_progress`), a weighted score (the weights of the criteria, over
    their percentages) and the rank; the cluster's totals as % of the sum of registered targets;
    how many members met or exceeded every target.

    The members are those of the cut-off date, named as they were that day. A member closed
    before the cut-off and merged into another member shows no figures of its own (they count
    for its successor). One merged into a unit outside the cluster follows the cluster's
    `merged_outside_rule`: counted until its closing, or left out."""
    ctx = ProgressContext(campaign, review, on)
    start, end = ctx.start, ctx.end
    criteria = [c for c in ctx.criteria if c.level == "committee"]
    members = cluster_members_at(cluster, start, end)
    active = {m.pk for m in members if m.valid_to is None or m.valid_to >= end}
    registrations = {
        r.unit_id: r for r in TargetRegistration.objects.filter(campaign=campaign, unit__in=members)
    }
    heirs = {}
    for member in members:
        if member.pk in active:
            continue
        heir, seen = member.successor, {member.pk}
        while heir is not None and heir.pk not in active and heir.pk not in seen:
            seen.add(heir.pk)
            heir = heir.successor
        heirs[member.pk] = heir if heir is not None and heir.pk in active else None
    names = names_on(
        [m.pk for m in members] + [m.successor_id for m in members if m.successor_id], end
    )
    ctx.load_targets([m.pk for m in members])
    rule = cluster.merged_outside_rule
    rows: list[ClusterRow] = []
    totals: dict[int, list[int]] = {c.pk: [0, 0] for c in criteria}
    for member in members:
        name = names.get(member.pk)
        row = ClusterRow(
            unit=member,
            registration=registrations.get(member.pk),
            name=name.label if name else str(member.short_name or member),
        )
        rows.append(row)
        until = None
        if member.pk not in active:
            successor = names.get(member.successor_id) if member.successor_id else None
            row.merged_into = member.successor
            row.merged_into_name = successor.label if successor else ""
            if heirs[member.pk] is not None:
                continue  # its figures count for the member it was merged into
            row.outside = True
            if rule == MergedOutsideRule.EXCLUDE:
                row.excluded = True
                continue
            until = member.valid_to
            row.counted_until = until
        result = unit_progress(
            member, campaign, review, context=ctx, until=until, criteria=criteria, viewer=viewer
        )
        weighted = Decimal(0)
        weights = Decimal(0)
        for cell in result.rows:
            row.cells[cell.criterion.pk] = cell
            totals[cell.criterion.pk][0] += cell.actual
            totals[cell.criterion.pk][1] += cell.target or 0
            if cell.percent is not None:
                weighted += cell.criterion.weight * cell.percent
                weights += cell.criterion.weight
        row.score = (weighted / weights) if weights else None
        row.met_every_target = result.met_every_target
    ranked = sorted(
        (r for r in rows if r.score is not None), key=lambda r: (-(r.score or 0), r.unit.code)
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.code))
    counted = [r for r in rows if r.has_figures]
    return ClusterTable(
        criteria=criteria,
        rows=rows,
        totals={pk: (a, t, percent(a, t)) for pk, (a, t) in totals.items()},
        day=end,
        rule=rule,
        rule_text=rule_sentence(cluster),
        met_all=sum(1 for r in counted if r.met_every_target),
        counted=len(counted),
    )
