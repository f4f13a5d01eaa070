"""Reads of the reports area: the unit tree as it was at a period's end, the units expected to
report, and the roll-up of a form for a period over a unit's subtree.

Roll-up rules (see docs): only approved (or locked) reports are added up; completeness counts
expected, submitted (submitted, approved or locked), approved and on-time reports. The tree is
the tree on the period's last day (units in force that day, with the parent they had then), so
past periods keep their shape after a reorganisation. A unit's same period last year adds the
units merged into it between the two periods (their predecessors, followed through UnitEvent
merge links), so a merged province compares with the sum of the provinces it came from.

Queries: one for the tree on a day, one for the form's selected units (if any), one for the
submissions and one for their values; the same again for last year: about 8 for any subtree,
the whole country included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from noichinh.core.comparisons import Comparison, change_words
from noichinh.core.counts import records_url
from noichinh.core.periods import Period
from noichinh.units.choices import EventKind, LinkRole
from noichinh.units.models import Unit, UnitEventLink, UnitVersion, names_on

from .choices import FINAL, Aggregation, Reporting, Source, Status
from .models import FormItem, Indicator, ReportForm, Submission

ROMAN_SECTIONS = dict(enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"], 1))
SENT = (Status.SUBMITTED, Status.APPROVED, Status.LOCKED)
HUNDRED = Decimal(100)


# -- the tree on a day -------------------------------------------------------------------------


@dataclass
class TreeOn:
    day: dt.date
    parent: dict[int, int | None]
    units: dict[int, Unit]
    children: dict[int | None, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        children: dict[int | None, list[int]] = defaultdict(list)
        for unit_id, parent_id in self.parent.items():
            children[parent_id].append(unit_id)
        for ids in children.values():
            ids.sort(key=lambda i: self.units[i].code)
        self.children = dict(children)

    def has(self, unit_id: int) -> bool:
        return unit_id in self.parent

    def below(self, unit_id: int) -> set[int]:
        """Units under `unit_id` that day (not the unit itself)."""
        found: set[int] = set()
        stack = list(self.children.get(unit_id, ()))
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self.children.get(current, ()))
        return found

    def chain(self, unit_id: int) -> list[int]:
        """The unit and its ancestors that day, nearest first."""
        result = []
        current: int | None = unit_id
        while current is not None and current not in result:
            result.append(current)
            current = self.parent.get(current)
        return result


def tree_on(day: dt.date) -> TreeOn:
    """Every unit in force on `day` with the parent it had then (one query)."""
    versions = (
        UnitVersion.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .filter(unit__valid_from__lte=day)
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=day))
        .select_related("unit")
    )
    parent: dict[int, int | None] = {}
    units: dict[int, Unit] = {}
    for version in versions:
        parent[version.unit_id] = version.parent_id
        units[version.unit_id] = version.unit
    # A parent not in force that day (data error) makes its children roots of their own.
    for unit_id, parent_id in parent.items():
        if parent_id is not None and parent_id not in parent:
            parent[unit_id] = None
    return TreeOn(day=day, parent=parent, units=units)


def expected_units(form: ReportForm, tree: TreeOn) -> list[int]:
    """The units that must report on the form for a period ending on the tree's day.

    A form's selected units are today's list; a unit merged since into one of them (its
    successor, followed through a chain of merges) is still expected for the periods it was in
    force: a reorganisation's hand-over gives the obligation to the heir from then on, and
    takes nothing from the past (Quảng Bình still reports Q4/2024 after its merger into Quảng
    Trị)."""
    if form.reporting == Reporting.SELECTED:
        selected = set(form.reporting_units.values_list("pk", flat=True))
        ids = (i for i in tree.units if i in selected or _merged_into(tree, i, selected))
        return sorted(ids, key=lambda i: tree.units[i].code)
    return list(tree.children.get(form.unit_id, []))


def _merged_into(tree: TreeOn, unit_id: int, selected: set[int]) -> bool:
    unit = tree.units[unit_id]
    seen = {unit_id}
    while unit.valid_to is not None and unit.successor_id and unit.successor_id not in seen:
        if unit.successor_id in selected:
            return True
        seen.add(unit.successor_id)
        heir = tree.units.get(unit.successor_id)
        if heir is None:
            return False
        unit = heir
    return False


def predecessors(unit: Unit, after: dt.date, until: dt.date) -> list[Unit]:
    """Units merged into `unit` (directly or through a chain of merges) with effect after
    `after` and on or before `until`."""
    found: list[Unit] = []
    frontier = [unit.pk]
    seen = {unit.pk}
    while frontier:
        events = UnitEventLink.objects.filter(
            unit_id__in=frontier,
            role=LinkRole.TARGET,
            event__kind=EventKind.MERGED,
            event__date__gt=after,
            event__date__lte=until,
        ).values_list("event_id", flat=True)
        sources = (
            UnitEventLink.objects.filter(event_id__in=list(events), role=LinkRole.SOURCE)
            .exclude(unit_id__in=seen)
            .select_related("unit")
        )
        frontier = []
        for link in sources:
            if link.unit_id not in seen:
                seen.add(link.unit_id)
                found.append(link.unit)
                frontier.append(link.unit_id)
    return found


# -- aggregation ---------------------------------------------------------------------------------


def form_items(form: ReportForm) -> list[FormItem]:
    return list(
        form.items.select_related("indicator", "section").order_by("section__number", "order", "id")
    )


def aggregate(
    indicators: Iterable[Indicator], rows: Iterable[dict[int, Decimal | None]]
) -> dict[int, Decimal | None]:
    """Totals of several reports' values by each indicator's aggregation; percentages are
    recomputed from their aggregated numerator and denominator."""
    rows = list(rows)
    result: dict[int, Decimal | None] = {}
    ratios = []
    for indicator in indicators:
        if indicator.source == Source.RATIO:
            ratios.append(indicator)
            continue
        values: list[Decimal] = [v for r in rows if (v := r.get(indicator.pk)) is not None]
        if not values or indicator.aggregation == Aggregation.NONE:
            result[indicator.pk] = None
        elif indicator.aggregation == Aggregation.AVERAGE:
            result[indicator.pk] = sum(values, Decimal(0)) / len(values)
        elif indicator.aggregation == Aggregation.MAX:
            result[indicator.pk] = max(values)
        else:
            result[indicator.pk] = sum(values, Decimal(0))
    for indicator in ratios:
        result[indicator.pk] = ratio(
            result.get(indicator.numerator_id or 0), result.get(indicator.denominator_id or 0)
        )
    return result


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return numerator * HUNDRED / denominator


def change_text(change: Decimal | None, percent: Decimal | None, measure: str) -> str:
    """ "tăng 35 đơn so với cùng kỳ (tăng 4,12 %)", "giảm 9 vụ", "không đổi" (the words of
    core.comparisons, the one catalogue of comparisons)."""
    return change_words(change, percent, measure)


# -- the roll-up -------------------------------------------------------------------------------


@dataclass
class Line:
    """One row of a roll-up's table: a child unit (or the unit itself) and its figures."""

    unit: Unit
    values: dict[int, Decimal | None]
    expected: int
    sent: int
    approved: int
    on_time: int
    submission: Submission | None = None  # when the row is a reporting unit itself
    is_reporter: bool = False
    # Derived indicators: the registry's figure (sum of the reports' derived values) and the
    # indicators whose reported figure differs from it.
    registry: dict[int, Decimal | None] = field(default_factory=dict)
    differs: set[int] = field(default_factory=set)
    # The unit's name on the period's last day (Thừa Thiên Huế in 2024, Huế since 2025).
    name: str = ""

    def __str__(self) -> str:
        return self.name or str(self.unit)


def is_rate(indicator: Indicator) -> bool:
    return indicator.source == Source.RATIO or indicator.measure == "%"


@dataclass
class Figure:
    item: FormItem
    value: Decimal | None
    last_year: Decimal | None
    change: Decimal | None
    change_percent: Decimal | None
    records: str = ""
    comparison: Comparison | None = None
    # For a derived indicator: the registry's figure behind the approved reports (the sum of
    # their derived values) and whether the reported total differs from it.
    registry: Decimal | None = None
    differs: bool = False

    @property
    def indicator(self) -> Indicator:
        return self.item.indicator

    @property
    def change_text(self) -> str:
        # A rate changes by percentage points; a percent of a percent would mislead.
        return self.comparison.text if self.comparison is not None else ""


@dataclass
class Rollup:
    form: ReportForm
    period: Period
    unit: Unit
    items: list[FormItem]
    figures: list[Figure]
    lines: list[Line]
    expected: int
    sent: int
    approved: int
    on_time: int
    last_year_period: Period
    last_year_units: list[Unit]
    own: Submission | None = None
    last_year_expected: int = 0
    last_year_approved: int = 0
    same_units: bool = False  # the same units' reports are added up on both sides
    parent: Unit | None = None  # the unit above, that day

    @property
    def totals(self) -> dict[str, Decimal | None]:
        return {f.indicator.code: f.value for f in self.figures}

    @property
    def last_year(self) -> dict[str, Decimal | None]:
        return {f.indicator.code: f.last_year for f in self.figures}

    @property
    def coverage(self) -> tuple[int, int]:
        """(reports added up, reports expected) of the period."""
        return (self.approved, self.expected)

    @property
    def last_year_coverage(self) -> tuple[int, int]:
        return (self.last_year_approved, self.last_year_expected)

    @property
    def differences(self) -> list[tuple[Line, Figure]]:
        """The (unit line, figure) pairs whose reported figure differs from the registry."""
        return [
            (line, f) for line in self.lines for f in self.figures if f.indicator.pk in line.differs
        ]

    def completeness_percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return Decimal(self.sent) * HUNDRED / self.expected


@dataclass
class _Collected:
    reporters: list[int]  # expected reporters counted (top-most under the roots)
    submissions: dict[int, Submission]
    values: dict[int, dict[int, Decimal | None]]  # unit id -> indicator id -> value
    # unit id -> indicator id -> derived value (the registry's figure when last refreshed)
    derived: dict[int, dict[int, Decimal | None]] = field(default_factory=dict)


def _between(chain: list[int], root: int) -> list[int]:
    """The ancestors in a chain strictly between its first unit and `root`."""
    return chain[1 : chain.index(root)] if root in chain else chain[1:]


def _collect(form: ReportForm, period: Period, roots: list[int], tree: TreeOn) -> _Collected:
    """Expected reporters under the roots that day (a root that reports itself counts when no
    reporter is under it), their submissions and, for approved ones, their values."""
    expected = set(expected_units(form, tree))
    reporters: list[int] = []
    for root in roots:
        if not tree.has(root):
            continue
        below = [u for u in tree.below(root) if u in expected]
        # Top-most only: a reporter under another reporter is already in that one's report.
        top = [u for u in below if not any(a in expected for a in _between(tree.chain(u), root))]
        if not top and root in expected:
            top = [root]
        reporters.extend(top)
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(
            form=form, period=period.code, unit_id__in=reporters
        ).select_related("unit")
    }
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    derived: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    final_ids = {s.pk: s.unit_id for s in submissions.values() if s.status in FINAL}
    if final_ids:
        from .models import DataValue

        for submission_id, indicator_id, value, registry in DataValue.objects.filter(
            submission_id__in=list(final_ids)
        ).values_list("submission_id", "indicator_id", "value", "derived"):
            values[final_ids[submission_id]][indicator_id] = value
            if registry is not None:
                derived[final_ids[submission_id]][indicator_id] = registry
    return _Collected(
        reporters=reporters, submissions=submissions, values=dict(values), derived=dict(derived)
    )


def _registry(
    indicators: list[Indicator], members: list[int], collected: _Collected
) -> tuple[dict[int, Decimal | None], set[int]]:
    """For the derived indicators: the registry's figure of the members' approved reports
    and the indicators whose reported figure differs from it in any of them."""
    registry: dict[int, Decimal | None] = {}
    differs: set[int] = set()
    for indicator in indicators:
        if indicator.source != Source.DERIVED:
            continue
        found = [
            (collected.values.get(u, {}).get(indicator.pk), collected.derived[u][indicator.pk])
            for u in members
            if indicator.pk in collected.derived.get(u, {})
        ]
        if not found:
            continue
        registry[indicator.pk] = sum((d for _v, d in found if d is not None), Decimal(0))
        if any(v != d for v, d in found):
            differs.add(indicator.pk)
    return registry, differs


def _counts(unit_ids: Iterable[int], submissions: dict[int, Submission]) -> tuple[int, ...]:
    ids = list(unit_ids)
    found = [submissions[i] for i in ids if i in submissions]
    return (
        len(ids),
        sum(1 for s in found if s.status in SENT),
        sum(1 for s in found if s.status in FINAL),
        sum(1 for s in found if s.status in SENT and s.on_time),
    )


def rollup(form: ReportForm, period: Period, unit: Unit) -> Rollup:
    """The form's figures for `unit`'s subtree as it was at the period's end (approved reports
    only), per child, with completeness and the same period last year."""
    items = form_items(form)
    indicators = [i.indicator for i in items]
    tree = tree_on(period.end)
    collected = _collect(form, period, [unit.pk], tree)
    reporters = collected.reporters
    totals = aggregate(indicators, (collected.values.get(u, {}) for u in reporters))

    # One line per child of the unit that day holding reporters (or the reporter itself).
    lines: list[Line] = []
    groups: dict[int, list[int]] = defaultdict(list)
    for reporter in reporters:
        chain = tree.chain(reporter)
        child = chain[chain.index(unit.pk) - 1] if unit.pk in chain[1:] else reporter
        groups[child].append(reporter)
    names = names_on(groups, period.end)
    for child in sorted(groups, key=lambda i: tree.units[i].code):
        members = groups[child]
        expected, sent, approved, on_time = _counts(members, collected.submissions)
        is_reporter = members == [child]
        registry, differs = _registry(indicators, members, collected)
        lines.append(
            Line(
                unit=tree.units[child],
                values=aggregate(indicators, (collected.values.get(u, {}) for u in members)),
                expected=expected,
                sent=sent,
                approved=approved,
                on_time=on_time,
                submission=collected.submissions.get(child) if is_reporter else None,
                is_reporter=is_reporter,
                registry=registry,
                differs=differs,
                name=names[child].name if child in names else str(tree.units[child]),
            )
        )

    last_period = period.same_period_last_year()
    last_units = [unit, *predecessors(unit, last_period.end, period.end)]
    last_tree = tree_on(last_period.end)
    last = _collect(form, last_period, [u.pk for u in last_units], last_tree)
    last_totals = aggregate(indicators, (last.values.get(u, {}) for u in last.reporters))

    expected, sent, approved, on_time = _counts(reporters, collected.submissions)
    last_expected, _sent, last_approved, _on_time = _counts(last.reporters, last.submissions)
    counted, last_counted = _final_units(collected), _final_units(last)
    same_units = bool(counted) and counted == last_counted
    registry, differs = _registry(indicators, reporters, collected)

    figures = []
    for item in items:
        indicator = item.indicator
        value = totals.get(indicator.pk)
        before = last_totals.get(indicator.pk)
        comparison = Comparison(
            value,
            before,
            indicator.polarity,
            current_coverage=(approved, expected),
            previous_coverage=(last_approved, last_expected),
            measure=indicator.measure,
            rate=is_rate(indicator),
            same_units=same_units,
        )
        change = comparison.change
        percent = change * HUNDRED / before if change is not None and before else None
        link = ""
        if indicator.source == Source.DERIVED and indicator.count_key:
            try:
                # The records held by the subtree at the period's end, like the figure.
                link = records_url(
                    indicator.count_key,
                    unit=unit,
                    start=period.start,
                    end=period.end,
                    as_of=period.end,
                )
            except KeyError:
                link = ""
        figures.append(
            Figure(
                item,
                value,
                before,
                change,
                percent,
                link,
                comparison=comparison,
                registry=registry.get(indicator.pk),
                differs=indicator.pk in differs,
            )
        )

    own = None
    if unit.pk not in reporters:
        own = Submission.objects.filter(form=form, period=period.code, unit=unit).first()
    return Rollup(
        form=form,
        period=period,
        unit=unit,
        items=items,
        figures=figures,
        lines=lines,
        expected=expected,
        sent=sent,
        approved=approved,
        on_time=on_time,
        last_year_period=last_period,
        last_year_units=last_units,
        own=own,
        parent=tree.units.get(tree.parent.get(unit.pk) or 0),
        last_year_expected=last_expected,
        last_year_approved=last_approved,
        same_units=same_units,
    )


def _final_units(collected: _Collected) -> set[int]:
    return {
        u
        for u in collected.reporters
        if u in collected.submissions and collected.submissions[u].status in FINAL
    }


# -- one report against its same period last year ---------------------------------------------


@dataclass
class SamePeriod:
    """A unit report's same period last year: the reports found (the unit's and those of the
    units merged into it since), by indicator the figure and its comparison."""

    period: Period
    units: list[Unit]
    found: int
    values: dict[int, Decimal | None]
    comparisons: dict[int, Comparison]


def same_period_last_year(
    submission: Submission,
    items: list[FormItem],
    current: dict[int, Decimal | None] | None = None,
) -> SamePeriod:
    """The approved figures of the same form a year earlier for the report's unit (with the
    units merged into it between the two periods), compared with this report's figures. Only
    approved reports count; a missing one makes the comparison not like for like."""
    from .models import DataValue

    period = submission.period_value
    last = period.same_period_last_year()
    units = [submission.unit, *predecessors(submission.unit, last.end, period.end)]
    found = list(
        Submission.objects.filter(
            form_id=submission.form_id,
            period=last.code,
            unit_id__in=[u.pk for u in units],
            status__in=FINAL,
        ).values_list("pk", flat=True)
    )
    rows: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for submission_id, indicator_id, value in DataValue.objects.filter(
        submission_id__in=found
    ).values_list("submission_id", "indicator_id", "value"):
        rows[submission_id][indicator_id] = value
    indicators = [item.indicator for item in items]
    before = aggregate(indicators, rows.values()) if found else {}
    now = (
        current
        if current is not None
        else {v.indicator_id: v.value for v in submission.values.all()}
    )
    comparisons = {
        i.pk: Comparison(
            now.get(i.pk),
            before.get(i.pk),
            i.polarity,
            current_coverage=(1, 1),
            previous_coverage=(len(found), len(units)),
            measure=i.measure,
            rate=is_rate(i),
        )
        for i in indicators
    }
    return SamePeriod(last, units, len(found), before, comparisons)


# -- lists -------------------------------------------------------------------------------------


def submission_list_open(user: Any) -> QuerySet[Submission]:
    """Reports the user may still edit (draft or returned)."""
    return (
        Submission.objects.restrict(user, "change")
        .filter(status__in=(Status.DRAFT, Status.RETURNED))
        .select_related("form", "unit")
        .order_by("due_on", "id")
    )


def submission_list_to_approve(user: Any) -> QuerySet[Submission]:
    return (
        Submission.objects.restrict(user, "approve")
        .filter(status=Status.SUBMITTED)
        .select_related("form", "unit")
        .order_by("due_on", "id")
    )


def submission_list_overdue(user: Any, today: dt.date | None = None) -> QuerySet[Submission]:
    today = today or timezone.localdate()
    return submission_list_open(user).filter(due_on__lt=today)
