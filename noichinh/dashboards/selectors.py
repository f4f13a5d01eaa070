"""The home page: where a unit stands for a period, against the same period last year.

Nothing is counted here. Every figure is read from the selector that owns it: the derived-count
catalogue (`core.counts`, the numbers reports and campaigns use), the case registry's headline
(`cases.selectors.case_headline`), the petitions' statistics (`petitions.selectors.statistics`)
and the task lists (`work.selectors`), each through the gate with the user. A past period is
read on the unit tree of its last day (a record counts for the unit that held it then), so the
home page says for 2023 what the campaign's midterm review says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from noichinh.cases.selectors import case_headline, case_totals
from noichinh.core import charts
from noichinh.core.charts import Chart
from noichinh.core.comparisons import Comparison, Polarity
from noichinh.core.counts import (
    Tree,
    count_by_branch,
    count_queryset,
    count_value,
    get_count,
    records_url,
    subtree_ids_on,
)
from noichinh.core.periods import Period
from noichinh.core.permissions import Role
from noichinh.core.scoping import roles_held_on
from noichinh.petitions import selectors as petition_selectors
from noichinh.petitions.models import Petition
from noichinh.units.models import Unit, names_on
from noichinh.units.selectors import tree_on  # the tree of a day, read once (kept per day)
from noichinh.work.selectors import task_list_due_soon, task_list_overdue


@dataclass
class Figure:
    key: str
    label: str
    value: int | Decimal | None
    url: str = ""
    comparison: Comparison | None = None
    percent: bool = False
    help: str = ""


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)


@dataclass
class BranchRow:
    unit_id: int
    name: str
    url: str
    cells: list[tuple[int, str]]
    code: str = ""


@dataclass
class Home:
    unit: Unit
    period: Period
    last_year: Period
    as_of: dt.date | None
    sections: list[Section]
    now: Section
    branch_columns: list[str]
    branches: list[BranchRow]
    queue: dict[str, Any] | None
    charts: list[Chart] = field(default_factory=list)


# The period figures: (catalogue key, label, polarity). Detection is neither good nor bad in
# itself, except what the committee detected on its own (what the campaigns reward).
PERIOD_COUNTS = [
    ("cases.all", "Cases and matters detected", Polarity.NEUTRAL),
    ("cases.corruption", "Corruption cases and matters detected", Polarity.NEUTRAL),
    ("cases.self_detected", "Detected by the committee itself", Polarity.HIGHER_BETTER),
    ("cases.central_monitored", "Monitored by the Central Steering Committee", Polarity.NEUTRAL),
    ("security.advised", "Complex security and order issues advised on", Polarity.NEUTRAL),
]
# The drill-down table's columns: (catalogue key, short column label).
BRANCH_COUNTS = [
    ("cases.all", "Cases and matters"),
    ("cases.corruption", "Corruption"),
    ("security.advised", "Security issues"),
    ("petitions.received", "Petitions received"),
]


def default_period(today: dt.date) -> Period:
    """From 1 January to today: the figures a leader quotes "since the start of the year",
    against the same days of last year."""
    return Period.custom(dt.date(today.year, 1, 1), today)


def period_choices(today: dt.date) -> list[Period]:
    """The periods offered in the picker: this year to date, then the quarters, halves, nine
    months and years that have begun, for this year and the two before."""
    found = [default_period(today)]
    for year in (today.year, today.year - 1, today.year - 2):
        for code in ("Y", "9M", "H1", "Q4C", "Q3C", "Q2C", "Q4", "Q3", "Q2", "Q1"):
            period = Period.parse(f"{year}-{code}")
            if period.start <= today and period not in found:
                found.append(period)
    return found


def period_label(period: Period, today: dt.date) -> str:
    if period == default_period(today):
        return _("From 1 January %(year)s to today") % {"year": today.year}
    return period.label


def tree_day(period: Period, today: dt.date) -> dt.date | None:
    """The tree a period is read on: that of its last day if it has ended, else today's."""
    return period.end if period.end < today else None


def _count(
    user: Any, key: str, unit: Unit, period: Period, today: dt.date, tree: Tree | None
) -> int:
    return count_value(
        key,
        unit=unit,
        start=period.start,
        end=period.end,
        user=user,
        as_of=tree_day(period, today),
        tree=tree,
    )


def _tree(period: Period, today: dt.date) -> Tree | None:
    """The tree a period's counts read, read once for all of them."""
    day = tree_day(period, today)
    return tree_on(day) if day is not None else None


def _petitions(user: Any, unit: Unit, period: Period, today: dt.date) -> Any:
    visible = Petition.objects.restrict(user, "view")
    return petition_selectors.statistics(visible, period.start, min(period.end, today), unit=unit)


def home_unit(request_unit: Unit | None, user: Any) -> Unit | None:
    if request_unit is not None:
        return request_unit
    from noichinh.core.scoping import user_scope

    paths = user_scope(user, "view", Unit).paths
    return Unit.objects.filter(path__in=paths).order_by("path").first()


def is_leader(user: Any, unit: Unit) -> bool:
    """Heads and system administrators see the figures first; the others their queue."""
    return bool(roles_held_on(user, unit.path) & {Role.HEAD, Role.SYSTEM_ADMIN})


def home(*, user: Any, unit: Unit, period: Period, today: dt.date) -> Home:
    last_year = period.same_period_last_year()
    as_of = tree_day(period, today)
    figures: list[Figure] = []
    tree, tree_last = _tree(period, today), _tree(last_year, today)
    for key, label, polarity in PERIOD_COUNTS:
        value = _count(user, key, unit, period, today, tree)
        before = _count(user, key, unit, last_year, today, tree_last)
        figures.append(
            Figure(
                key=key,
                label=_(label),
                value=value,
                url=records_url(key, unit=unit, start=period.start, end=period.end, as_of=as_of),
                comparison=Comparison(Decimal(value), Decimal(before), polarity),
            )
        )
    cases = Section("cases", _("Cases, matters and security issues"), figures)

    stats = _petitions(user, unit, period, today)
    stats_before = _petitions(user, unit, last_year, today)
    petitions = Section("petitions", _("Petitions"))
    end = min(period.end, today)
    petition_links = petition_selectors.statistics_links(unit, period.start, end)
    for key, label, polarity, percent in (
        ("to_resolve", _("Total to be resolved"), Polarity.NEUTRAL, False),
        ("resolved", _("Resolved"), Polarity.HIGHER_BETTER, False),
        ("resolved_late", _("Resolved late"), Polarity.HIGHER_WORSE, False),
        ("rate", _("Resolution rate"), Polarity.HIGHER_BETTER, True),
    ):
        value = getattr(stats, key)
        before = getattr(stats_before, key)
        petitions.figures.append(
            Figure(
                key=f"petitions.{key}",
                label=str(label),
                value=value,
                url=petition_links.get(key, ""),
                comparison=Comparison(value, before, polarity, rate=percent),
                percent=percent,
            )
        )

    headline = case_headline(user=user, unit=unit, on=today)
    overdue_petitions = petition_selectors.petition_list_overdue(user, today).within(unit).count()
    overdue_tasks = task_list_overdue(user, today).within(unit).count()
    trong = {"trong": str(unit.pk)}
    case_list = reverse("cases:case_list")
    now = Section(
        "now",
        _("Today"),
        [
            Figure(
                "cases.open",
                _("Open cases"),
                headline["open"],
                _url(case_list, trong, state="ongoing"),
            ),
            Figure(
                "cases.stalled",
                _("Stalled"),
                headline["stalled"],
                _url(case_list, trong, state="stalled"),
            ),
            Figure(
                "cases.suspended",
                _("Suspended"),
                headline["suspended"],
                _url(case_list, trong, state="suspended"),
            ),
            Figure(
                "security.open",
                _("Security issues not resolved"),
                headline["issues_ongoing"],
                _url(reverse("cases:securityissue_list"), trong),
            ),
            Figure(
                "petitions.overdue",
                _("Petitions overdue"),
                overdue_petitions,
                _url(reverse("petitions:petition_list"), trong, deadline="overdue"),
            ),
            Figure(
                "tasks.overdue",
                _("Tasks overdue"),
                overdue_tasks,
                _url(reverse("work:task_list"), trong, deadline="overdue"),
            ),
        ],
    )
    columns, branches = _branches(user, unit, period, today)
    trees = {as_of: tree, tree_day(last_year, today): tree_last}
    return Home(
        unit=unit,
        period=period,
        last_year=last_year,
        as_of=as_of,
        sections=[cases, petitions],
        now=now,
        branch_columns=columns,
        branches=branches,
        queue=None if is_leader(user, unit) else work_queue(user, unit, today),
        charts=home_charts(
            user=user, unit=unit, period=period, today=today, branches=branches, trees=trees
        ),
    )


def _url(path: str, params: dict[str, str], **more: str) -> str:
    return f"{path}?{urlencode({**params, **more})}"


def _branches(
    user: Any, unit: Unit, period: Period, today: dt.date
) -> tuple[list[str], list[BranchRow]]:
    """The units directly below (on the tree the period is read on), side by side, each
    opening its own home for the same period."""
    as_of = tree_day(period, today)
    tree = tree_on(as_of or today)
    children = tree.get(unit.pk, [])
    if not children:
        return [], []
    by_key = {
        key: count_by_branch(
            key, unit=unit, start=period.start, end=period.end, user=user, as_of=as_of, tree=tree
        )
        for key, _label in BRANCH_COUNTS
    }
    columns = [_(label) for _key, label in BRANCH_COUNTS]
    names = names_on(children, as_of or today)
    known = {u.pk: u for u in Unit.objects.filter(pk__in=children).only("id", "name", "code")}
    rows = []
    home_url = reverse("dashboards:home")
    for child_id in children:
        if child_id not in known:
            continue
        name = names[child_id].label if child_id in names else known[child_id].name
        child = known[child_id]
        cells = [
            (
                by_key[key].get(child_id, 0),
                records_url(key, unit=child, start=period.start, end=period.end, as_of=as_of),
            )
            for key, _label in BRANCH_COUNTS
        ]
        url = f"{home_url}?{urlencode({'don_vi': child_id, 'ky': period.code})}"
        rows.append(BranchRow(child_id, name, url, cells, child.code))
    rows.sort(key=lambda r: (-r.cells[0][0], r.name))
    return columns, rows


def work_queue(user: Any, unit: Unit, today: dt.date) -> dict[str, Any]:
    """What is due, late or returned, for a specialist to act on first."""
    from noichinh.reports.choices import Status
    from noichinh.reports.models import Submission

    petitions_overdue = petition_selectors.petition_list_overdue(user, today).within(unit)
    petitions_soon = petition_selectors.petition_list_due_soon(user, today).within(unit)
    returned = (
        Submission.objects.restrict(user, "view")
        .within(unit)
        .filter(status__in=[Status.RETURNED, Status.DRAFT])
        .select_related("unit", "form")
        .order_by("period_end")
    )
    return {
        "petitions_overdue": list(petitions_overdue.select_related("unit")[:8]),
        "petitions_overdue_count": petitions_overdue.count(),
        "petitions_soon": list(petitions_soon.select_related("unit")[:8]),
        "petitions_soon_count": petitions_soon.count(),
        "tasks_overdue": list(task_list_overdue(user, today).within(unit)[:8]),
        "tasks_soon": list(task_list_due_soon(user, today).within(unit)[:8]),
        "submissions": list(returned[:8]),
        "submissions_count": returned.count(),
    }


# --- charts (core.charts): the same selectors as the figures, drawn ---------------------------

QUARTERS = ("I", "II", "III", "IV")
# The key of the cards whose figures the province tile map shows (the branch table's first
# column, already counted for the table: the map costs no query).
TILE_MAP_KEY = "cases.all"


def year_quarters(year: int) -> list[Period]:
    return [Period.parse(f"{year}-Q{n}") for n in range(1, 5)]


def _tree_for(day: dt.date | None, trees: dict[dt.date | None, Tree | None]) -> Tree | None:
    if day is None:
        return None
    if trees.get(day) is None:
        trees[day] = tree_on(day)
    return trees[day]


def count_by_quarter(
    key: str,
    *,
    user: Any,
    unit: Unit,
    year: int,
    today: dt.date,
    trees: dict[dt.date | None, Tree | None] | None = None,
) -> list[int | None]:
    """The catalogue count `key` for each quarter of `year` (None for a quarter not begun),
    every quarter read on the tree the year is read on: the quarters of a year add up to the
    year's figure on the home page. One query: `count_queryset` for the year (the records
    `count_value` counts), split by the count's own date field."""
    trees = {} if trees is None else trees
    year_period = Period.parse(f"{year}-Y")
    as_of = tree_day(year_period, today)
    quarters = year_quarters(year)
    date_field = get_count(key).date_field
    row = (
        count_queryset(
            key,
            unit=unit,
            start=year_period.start,
            end=year_period.end,
            user=user,
            as_of=as_of,
            tree=_tree_for(as_of, trees),
        )
        .order_by()
        .aggregate(
            **{
                f"q{n}": Count(
                    "pk", filter=Q(**{f"{date_field}__gte": q.start, f"{date_field}__lte": q.end})
                )
                for n, q in enumerate(quarters, 1)
            }
        )
    )
    return [row[f"q{n}"] if q.start <= today else None for n, q in enumerate(quarters, 1)]


def petitions_resolved_by_quarter(
    *,
    user: Any,
    unit: Unit,
    years: list[int],
    today: dt.date,
    trees: dict[dt.date | None, Tree | None] | None = None,
) -> dict[int, list[int | None]]:
    """Petitions resolved in each quarter of each year (None for a quarter not begun), by the
    statistics' own condition (`petitions.selectors.statistics_q["resolved"]`): one query a
    year, counting the petitions the unit's subtree held on the year's tree day (its end, or
    today), as the year's card does; the quarters add up to the year's "Resolved"."""
    trees = {} if trees is None else trees
    visible = Petition.objects.restrict(user, "view")
    found: dict[int, list[int | None]] = {}
    for year in years:
        year_period = Period.parse(f"{year}-Y")
        as_of = tree_day(year_period, today)
        day = as_of or today
        held = petition_selectors.held_q(
            unit, day, subtree_ids_on(unit, day, _tree_for(as_of, trees))
        )
        quarters = [q for q in year_quarters(year) if q.start <= today]
        row = (
            visible.filter(held)
            .order_by()
            .aggregate(
                **{
                    f"q{n}": Count(
                        "id",
                        filter=petition_selectors.statistics_q(q.start, min(q.end, today))[
                            "resolved"
                        ],
                    )
                    for n, q in enumerate(quarters, 1)
                }
            )
            if quarters
            else {}
        )
        found[year] = [row.get(f"q{n}") for n in range(1, 5)]
    return found


def home_charts(
    *,
    user: Any,
    unit: Unit,
    period: Period,
    today: dt.date,
    branches: list[BranchRow],
    trees: dict[dt.date | None, Tree | None] | None = None,
) -> list[Chart]:
    """The home page's charts: cases detected and petitions resolved by quarter of the
    period's year against last year, the period's cases by stage and by field, and, for the
    whole country on the 34-province tree, the provinces' cases on a tile map."""
    trees = {} if trees is None else trees
    year = period.end.year
    labels = [_("Quarter %(n)s") % {"n": n} for n in QUARTERS]
    this, last = str(year), str(year - 1)
    cases = {
        y: count_by_quarter("cases.all", user=user, unit=unit, year=y, today=today, trees=trees)
        for y in (year, year - 1)
    }
    resolved = petitions_resolved_by_quarter(
        user=user, unit=unit, years=[year, year - 1], today=today, trees=trees
    )
    found = [
        charts.trend(
            _("Cases and matters detected by quarter"),
            labels,
            {this: cases[year], last: cases[year - 1]},
            description=_(
                "Cases and matters detected in each quarter of %(year)s, %(unit)s, against the "
                "same quarter of %(last)s."
            )
            % {"year": year, "unit": unit, "last": year - 1},
            period_title=_("Quarter"),
            key="trend-cases",
        ),
        charts.trend(
            _("Petitions resolved by quarter"),
            labels,
            {this: resolved[year], last: resolved[year - 1]},
            description=_(
                "Petitions resolved in each quarter of %(year)s, %(unit)s, against the same "
                "quarter of %(last)s."
            )
            % {"year": year, "unit": unit, "last": year - 1},
            period_title=_("Quarter"),
            key="trend-petitions",
        ),
    ]
    as_of = tree_day(period, today)
    # By stage only: each `case_totals` call reads the tree of its day (3 queries) and two
    # aggregates; the breakdown by field is on the cases summary page (/vu-an/).
    for by, title, heading in (("stage", _("Cases and matters detected, by stage"), _("Stage")),):
        rows, _total = case_totals(
            user=user, unit=unit, start=period.start, end=period.end, by=by, as_of=as_of
        )
        if not rows:
            continue
        found.append(
            charts.bars(
                title,
                [r.label for r in rows],
                [r.cases for r in rows],
                description=_("%(title)s: %(unit)s, %(period)s.")
                % {"title": title, "unit": unit, "period": period_label(period, today)},
                category_title=str(heading),
                value_title=_("Cases and matters"),
                key=f"cases-{by}",
            )
        )
    tile = province_tile_map(unit=unit, period=period, today=today, branches=branches)
    if tile is not None:
        found.append(tile)
    return found


def province_tile_map(
    *, unit: Unit, period: Period, today: dt.date, branches: list[BranchRow]
) -> Chart | None:
    """For the whole country (a unit without a parent) read on the tree of 34 provinces
    (from 1/7/2025): the branch table's cases per provincial committee as a tile map."""
    if unit.parent_id is not None or (tree_day(period, today) or today) < charts.TILE_MAP_SINCE:
        return None
    column = [key for key, _label in BRANCH_COUNTS].index(TILE_MAP_KEY)
    values = {row.code: row.cells[column][0] for row in branches if row.code}
    if not any(charts.province_code(code) in charts.PROVINCE_CODES for code in values):
        return None
    title = _("Cases and matters detected by province")
    return charts.tile_map(
        title,
        values,
        description=_("%(title)s, %(period)s: one tile per province, darker for more.")
        % {"title": title, "period": period_label(period, today)},
        labels=(_("Province"), _("Cases and matters")),
        key="provinces",
    )
