"""What leaders ask of petitions; every read starts from the gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse

from noichinh.core.counts import subtree_ids_on
from noichinh.core.handover import held_on_q
from noichinh.core.text import fold
from noichinh.units.selectors import branch_map  # the generic helper of summaries by branch

from . import clock
from .choices import OPEN_STATUSES, PetitionStatus
from .models import Petition

STOP_WORDS = frozenset(
    [
        "va",
        "cua",
        "cac",
        "ve",
        "viec",
        "don",
        "de",
        "nghi",
        "cho",
        "tai",
        "trong",
        "voi",
        "la",
        "co",
        "khong",
        "bi",
        "duoc",
        "nguoi",
        "ong",
        "ba",
    ]
)


def visible(user: Any) -> Any:
    """Petitions the user may see (a scoped queryset: `within` narrows it)."""
    return Petition.objects.restrict(user, "view")


def overdue_q(on: dt.date) -> Q:
    """Open petitions past their deadline on `on` (a paused petition's clock is stopped): the
    stored `current_due_on` (to classify while received, to resolve while accepted and not
    paused; indexed with the unit)."""
    return Q(current_due_on__lt=on)


def due_soon_q(on: dt.date, days: int = clock.DUE_SOON_DAYS) -> Q:
    return Q(current_due_on__gte=on, current_due_on__lte=on + dt.timedelta(days=days))


def resolved_late_q() -> Q:
    return Q(status=PetitionStatus.RESOLVED, resolved_on__gt=F("resolve_due_on"))


def petition_list_overdue(user: Any, on: dt.date) -> Any:
    """Overdue petitions, the longest overdue first."""
    return (
        visible(user)
        .filter(overdue_q(on))
        .select_related("unit")
        .annotate(due=F("current_due_on"))
        .order_by("due", "id")
    )


def petition_list_due_soon(user: Any, on: dt.date) -> Any:
    return visible(user).filter(due_soon_q(on)).select_related("unit")


# -- the inspectorate's petition statistics ---------------------------------------------------
#
# The columns of the Government Inspectorate's standard petition-statistics forms (kết quả giải
# quyết khiếu nại, tố cáo). Only accepted (thụ lý) petitions are to be resolved by the unit: a
# petition forwarded, guided back, not accepted or marked as a duplicate never is, whatever its
# dates. A paused petition is still to be resolved (its clock stops, the duty does not). Every
# figure reads the stored dates only (accepted_on, resolved_on, resolve_due_on), so a past
# window gives the same numbers whenever it is asked:
#
#   carried over      accepted before the first day and not resolved before it
#   new               accepted within [start, end]
#   to resolve        carried over + new = accepted by the last day, not resolved before the first
#   resolved          resolved within [start, end]: on time (on or before the stored legal
#                     deadline, or no deadline) + late (after it)
#   carried forward   to resolve - resolved = the next window's carried over
#     of which overdue  its stored deadline passed before the last day, not paused that day
#   rate              resolved / to resolve (never above 100 %; None when nothing to resolve)
#
# One definition (`statistics_q`), read by one aggregate query per surface (`statistics`,
# `summary`, `breakdown`, the API); the derived counts "petitions.accepted", "petitions.resolved",
# "petitions.resolved_on_time" and "petitions.overdue_resolved" count the same records.

STATISTICS = (
    "received",
    "carried_over",
    "new",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "carried_forward_overdue",
)


def not_resolved_before_q(day: dt.date) -> Q:
    """Accepted (at any date) and not resolved before `day`."""
    return Q(accepted_on__isnull=False) & (Q(resolved_on__isnull=True) | Q(resolved_on__gte=day))


def pending_on_q(day: dt.date) -> Q:
    """Accepted before `day` and not resolved before it: still to be resolved on `day`."""
    return Q(accepted_on__lt=day) & not_resolved_before_q(day)


def paused_on_q(day: dt.date) -> Q:
    """The clock was stopped on `day` (a pause covering it)."""
    from .models import PetitionPause

    pauses = PetitionPause.objects.filter(petition=OuterRef("pk"), start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )
    return Q(Exists(pauses))


def overdue_on_q(day: dt.date) -> Q:
    """Accepted, not resolved by `day`, its stored legal deadline before `day` and its clock
    running that day."""
    return (
        Q(accepted_on__isnull=False, resolve_due_on__lt=day)
        & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=day))
        & ~paused_on_q(day)
    )


def resolved_on_time_q() -> Q:
    return Q(status=PetitionStatus.RESOLVED) & (
        Q(resolve_due_on__isnull=True) | Q(resolved_on__lte=F("resolve_due_on"))
    )


def statistics_q(start: dt.date, end: dt.date) -> dict[str, Q]:
    """The condition of each counted figure of the window [start, end] (see above)."""
    resolved = Q(status=PetitionStatus.RESOLVED, resolved_on__gte=start, resolved_on__lte=end)
    return {
        "received": Q(received_on__gte=start, received_on__lte=end),
        "carried_over": pending_on_q(start),
        "new": Q(accepted_on__gte=start, accepted_on__lte=end),
        "resolved": resolved,
        "resolved_on_time": resolved & resolved_on_time_q(),
        "resolved_late": resolved & resolved_late_q(),
        "carried_forward_overdue": pending_on_q(end + dt.timedelta(days=1)) & overdue_on_q(end),
    }


def statistics_aggregates(
    start: dt.date, end: dt.date, suffix: str = "", held: Q | None = None
) -> dict[str, Count]:
    """`Count(filter=...)` per figure, for `aggregate` or `values(...).annotate`; `held`
    narrows to the records a unit held on the window's last day (`held_q`)."""
    extra = held if held is not None else Q()
    return {
        f"{name}{suffix}": Count("id", filter=condition & extra)
        for name, condition in statistics_q(start, end).items()
    }


def rate_of(resolved: int, to_resolve: int) -> Decimal | None:
    if not to_resolve:
        return None
    return Decimal(resolved * 100) / Decimal(to_resolve)


@dataclass(frozen=True)
class Statistics:
    """The inspectorate's columns for one window (and `received`, the petitions received)."""

    start: dt.date
    end: dt.date
    received: int
    carried_over: int
    new: int
    resolved: int
    resolved_on_time: int
    resolved_late: int
    carried_forward_overdue: int

    @property
    def to_resolve(self) -> int:
        return self.carried_over + self.new

    @property
    def carried_forward(self) -> int:
        return self.to_resolve - self.resolved

    @property
    def rate(self) -> Decimal | None:
        """Resolved / to be resolved, in percent."""
        return rate_of(self.resolved, self.to_resolve)

    @classmethod
    def from_row(
        cls, row: dict[str, Any], start: dt.date, end: dt.date, suffix: str = ""
    ) -> Statistics:
        return cls(start, end, **{name: row[f"{name}{suffix}"] or 0 for name in STATISTICS})

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "received": self.received,
            "carried_over": self.carried_over,
            "new": self.new,
            "to_resolve": self.to_resolve,
            "resolved": self.resolved,
            "resolved_on_time": self.resolved_on_time,
            "resolved_late": self.resolved_late,
            "carried_forward": self.carried_forward,
            "carried_forward_overdue": self.carried_forward_overdue,
            "rate": None if rate is None else str(rate.quantize(Decimal("0.1"))),
        }


# Every figure with a list behind it (the rate has none).
FIGURES = (
    "received",
    "carried_over",
    "new",
    "to_resolve",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "carried_forward",
    "carried_forward_overdue",
)


def figure_params(key: str, start: dt.date, end: dt.date) -> dict[str, str]:
    """The list filters giving exactly the petitions behind figure `key` of [start, end]."""
    d = "%d/%m/%Y"
    day_before, day_after = start - dt.timedelta(days=1), end + dt.timedelta(days=1)
    if key == "received":
        return {"received_after": start.strftime(d), "received_before": end.strftime(d)}
    if key == "carried_over":
        return {"not_resolved_before": start.strftime(d), "accepted_before": day_before.strftime(d)}
    if key == "new":
        return {"accepted_after": start.strftime(d), "accepted_before": end.strftime(d)}
    if key == "to_resolve":
        return {"not_resolved_before": start.strftime(d), "accepted_before": end.strftime(d)}
    resolved = {
        "status": PetitionStatus.RESOLVED,
        "resolved_after": start.strftime(d),
        "resolved_before": end.strftime(d),
    }
    if key == "resolved":
        return resolved
    if key == "resolved_on_time":
        return {**resolved, "deadline": "resolved_on_time"}
    if key == "resolved_late":
        return {**resolved, "deadline": "resolved_late"}
    forward = {"not_resolved_before": day_after.strftime(d), "accepted_before": end.strftime(d)}
    if key == "carried_forward":
        return forward
    if key == "carried_forward_overdue":
        return {**forward, "overdue_on": end.strftime(d)}
    raise KeyError(key)


def statistics_links(
    unit: Any, start: dt.date, end: dt.date, as_of: dt.date | None = None
) -> dict[str, str]:
    """The list page behind each figure of `unit` in [start, end] (the subtree held on `as_of`,
    by default the window's last day), for the pages that show these figures elsewhere."""
    day = as_of or end
    base = {"trong": str(unit.pk), "ngay": f"{day:%d/%m/%Y}"}
    list_url = reverse("petitions:petition_list")
    return {
        key: f"{list_url}?{urlencode({**base, **figure_params(key, start, end)})}"
        for key in FIGURES
    }


def shift_year(day: dt.date, years: int = -1) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/2
        return day.replace(year=day.year + years, day=28)


def home_unit(user: Any) -> Any:
    """The one unit at the root of the user's scope (a province's users), or None (the whole
    tree, or several subtrees): the unit a past window's figures are attributed to."""
    from noichinh.core.scoping import user_scope

    paths = user_scope(user, "view", Petition).paths
    if len(paths) != 1 or not paths[0]:
        return None
    return apps.get_model("units", "Unit").objects.filter(path=paths[0]).first()


def held_q(unit: Any, day: dt.date, ids: list[int] | None = None) -> Q:
    """Petitions held on `day` by `unit`'s subtree as the tree was that day: a past window
    counts each record for the unit that held it then (the rule of the derived counts with
    `as_of`, core.counts; a petition handed over since counts for the unit that had it)."""
    if ids is None:
        ids = subtree_ids_on(unit, day, _tree(day))
    return held_on_q(Petition, ids, day)


def _tree(day: dt.date) -> Any:
    """The unit tree of `day`, read once (units.selectors.tree_on keeps it)."""
    from noichinh.units.selectors import tree_on

    return tree_on(day)


@dataclass(frozen=True)
class Attribution:
    """Which petitions count for a unit: those its subtree held on the window's last day
    (`held`), on the same day last year (`held_ly`), and today's subtree (`now`, for today's
    overdue). Computed once per page (it reads the unit tree of both days)."""

    held: Q
    held_ly: Q
    now: Q
    units: frozenset[int] = frozenset()
    units_ly: frozenset[int] = frozenset()
    # What the kept aggregate reads once for the page's several figures (aggregates.read).
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, unit: Any, end: dt.date) -> Attribution:
        ly_end = shift_year(end)
        ids = subtree_ids_on(unit, end, _tree(end))
        ids_ly = subtree_ids_on(unit, ly_end, _tree(ly_end))
        return cls(
            held_q(unit, end, ids),
            held_q(unit, ly_end, ids_ly),
            Q(unit__path__startswith=unit.path),
            frozenset(ids),
            frozenset(ids_ly),
        )

    @property
    def same_units(self) -> bool:
        """Both windows count the same units (no reorganisation between them)."""
        return self.units == self.units_ly

    def narrow(self, queryset: QuerySet[Petition]) -> QuerySet[Petition]:
        return queryset.filter(self.held | self.held_ly | self.now)


def _attribution(unit: Any, end: dt.date, given: Attribution | None) -> Attribution | None:
    if given is not None:
        return given
    return Attribution.of(unit, end) if unit is not None else None


def _window(unit: Any, start: dt.date, end: dt.date, ids: Any = None, held: Any = None) -> Any:
    from .aggregates import Window

    if unit is None:
        return Window(start, end)
    return Window(start, end, frozenset(ids), held)


def statistics(
    queryset: QuerySet[Petition], start: dt.date, end: dt.date, unit: Any = None
) -> Statistics:
    """The window's figures (`unit`: its subtree as on `end`), from the kept aggregate
    (aggregates.py) when the queryset is only the gate's subtrees, a kind or a field; else
    from the petitions (`statistics_raw`). Both give the same numbers (test_aggregates.py)."""
    from . import aggregates

    ids = subtree_ids_on(unit, end, _tree(end)) if unit is not None else None
    held = held_q(unit, end, ids) if unit is not None else None
    kept = aggregates.read(queryset, [_window(unit, start, end, ids, held)])
    if kept is None:
        return statistics_raw(queryset, start, end, unit)
    return Statistics(start, end, **_zero(kept[0].get(None)))


def _zero(figures: dict[str, int] | None) -> dict[str, int]:
    return {name: (figures or {}).get(name, 0) for name in STATISTICS}


def statistics_raw(
    queryset: QuerySet[Petition], start: dt.date, end: dt.date, unit: Any = None
) -> Statistics:
    """The window's figures in one aggregate query over the petitions (the definition)."""
    held = held_q(unit, end) if unit is not None else None
    row = queryset.order_by().aggregate(**statistics_aggregates(start, end, held=held))
    return Statistics.from_row(row, start, end)


@dataclass(frozen=True)
class Summary:
    current: Statistics
    last_year: Statistics
    overdue: int
    due_soon: int


def _windows(start: dt.date, end: dt.date, held: Attribution | None) -> tuple[Any, Any]:
    from .aggregates import Window

    ly_start, ly_end = shift_year(start), shift_year(end)
    if held is None:
        return Window(start, end), Window(ly_start, ly_end)
    if not held.units or not held.units_ly:
        return None, None
    return (
        Window(start, end, held.units, held.held),
        Window(ly_start, ly_end, held.units_ly, held.held_ly),
    )


def summary(
    queryset: QuerySet[Petition],
    start: dt.date,
    end: dt.date,
    on: dt.date,
    unit: Any = None,
    attribution: Attribution | None = None,
    source: str = "kept",
) -> Summary:
    """The window's figures and the same period last year, and today's overdue / due soon.
    With `unit`, each window counts what its subtree held on the window's last day. The
    windows' figures come from the kept aggregate (aggregates.py) unless the queryset filters
    on something it does not key, or `source="raw"` (the definition, for tests and checks)."""
    from . import aggregates

    ly_start, ly_end = shift_year(start), shift_year(end)
    held = _attribution(unit, end, attribution)
    window, window_ly = _windows(start, end, held)
    kept = None
    if source == "kept" and window is not None:
        kept = aggregates.read(queryset, [window, window_ly], cache=held.cache if held else None)
    if kept is not None:
        current = Statistics(start, end, **_zero(kept[0].get(None)))
        last_year = Statistics(ly_start, ly_end, **_zero(kept[1].get(None)))
    else:
        base = held.narrow(queryset) if held is not None else queryset
        row = base.order_by().aggregate(
            **statistics_aggregates(start, end, held=held.held if held else None),
            **statistics_aggregates(ly_start, ly_end, "_ly", held=held.held_ly if held else None),
        )
        current = Statistics.from_row(row, start, end)
        last_year = Statistics.from_row(row, ly_start, ly_end, "_ly")
    # Only open petitions can be overdue or due soon (bench: 855 -> 172 ms nationally).
    open_ones = queryset.filter(status__in=OPEN_STATUSES)
    if held is not None:
        open_ones = open_ones.filter(held.now)
    state = open_ones.order_by().aggregate(
        overdue=Count("id", filter=overdue_q(on)), due_soon=Count("id", filter=due_soon_q(on))
    )
    return Summary(current, last_year, state["overdue"], state["due_soon"])


def breakdown(
    queryset: QuerySet[Petition],
    by: str,
    start: dt.date,
    end: dt.date,
    on: dt.date,
    unit: Any = None,
    attribution: Attribution | None = None,
    source: str = "kept",
) -> list[dict[str, Any]]:
    """The figures per value of `by` ("unit", "kind" or "field"), with the same period last
    year (`stats`, `stats_ly`: `Statistics`) and today's overdue: the windows from the kept
    aggregate like `summary` (or `source="raw"`: one grouped query over the petitions).

    `by="branch"`: per branch directly below `unit` on the tree of `end` (the country: its
    provinces and central departments; a province: its departments and communes), `unit`
    itself for the petitions it holds; a unit closed before the window with no figure in it
    is no row. The rows add up to `summary`. Rows carry `unit` and `own` (the unit itself)."""
    from . import aggregates

    branch_of: dict[int, int] | None = None
    if by == "branch":
        branch_of = branch_map(unit, end)
        by = "unit"
    ly_start, ly_end = shift_year(start), shift_year(end)
    held = _attribution(unit, end, attribution)
    window, window_ly = _windows(start, end, held)
    kept = None
    if source == "kept" and window is not None:
        kept = aggregates.read(
            queryset,
            [window, window_ly],
            by=by,
            cache=held.cache if held else None,
            branch_of=branch_of,
        )
    branch = None
    if branch_of is not None:
        tree = (held.cache.get("tree") if held else None) or aggregates.Tree.read()
        branch = aggregates.branch_resolver(tree, branch_of)
    if kept is not None:
        overdue_ones = queryset.filter(overdue_q(on))
        if held is not None:
            overdue_ones = overdue_ones.filter(held.now)
        overdue: dict[Any, int] = {}
        for key, n in (
            overdue_ones.order_by().values(by).annotate(n=Count("id")).values_list(by, "n")
        ):
            key = branch(key) if branch is not None else key
            overdue[key] = overdue.get(key, 0) + n
        rows = []
        for key in set(kept[0]) | set(kept[1]) | set(overdue):
            rows.append(
                {
                    by: key,
                    **_zero(kept[0].get(key)),
                    **{f"{k}_ly": v for k, v in _zero(kept[1].get(key)).items()},
                    "overdue": overdue.get(key, 0),
                }
            )
    else:
        base = held.narrow(queryset) if held is not None else queryset
        rows = list(
            base.order_by()
            .values(by)
            .annotate(
                **statistics_aggregates(start, end, held=held.held if held else None),
                **statistics_aggregates(
                    ly_start, ly_end, "_ly", held=held.held_ly if held else None
                ),
                overdue=Count("id", filter=overdue_q(on) & (held.now if held else Q())),
            )
        )
        if branch is not None:
            summed: dict[Any, dict[str, Any]] = {}
            for r in rows:
                key = branch(r["unit"])
                target = summed.setdefault(key, {"unit": key})
                for name, value in r.items():
                    if name != "unit":
                        target[name] = (target.get(name) or 0) + (value or 0)
            rows = list(summed.values())
    result: list[dict[str, Any]] = []
    for r in rows:
        if branch is not None and r["unit"] is None:
            continue
        stats = Statistics.from_row(r, start, end)
        stats_ly = Statistics.from_row(r, ly_start, ly_end, "_ly")
        if not (stats.received or stats.to_resolve or r["overdue"] or stats_ly.received):
            continue
        result.append(
            {
                by: r[by],
                "stats": stats,
                "stats_ly": stats_ly,
                "received": stats.received,
                "received_ly": stats_ly.received,
                "overdue": r["overdue"],
                "rate": stats.rate,
            }
        )
    if by == "unit":
        unit_model = apps.get_model("units", "Unit")
        found = unit_model.objects.in_bulk([r["unit"] for r in result])
        for r in result:
            r["unit"] = found[r["unit"]]
            r["own"] = unit is not None and r["unit"].pk == unit.pk
        if branch is not None:
            # A unit closed before the window (a district group, a province merged in 2025)
            # shows only with figures of the window itself.
            result = [
                r
                for r in result
                if r["unit"].valid_to is None
                or r["unit"].valid_to >= start
                or r["stats"].received
                or r["stats"].to_resolve
                or r["overdue"]
            ]
        result.sort(key=lambda r: (not r["own"], r["unit"].path))
    else:
        choices = dict(getattr(Petition._meta.get_field(by), "choices", None) or [])
        for r in result:
            r["value"] = r[by]
            r["label"] = choices.get(r[by], r[by])
        result.sort(key=lambda r: (-r["received"], str(r[by])))
    return result


def _words(text: str) -> set[str]:
    return {w for w in fold(text).replace(",", " ").split() if len(w) > 2 and w not in STOP_WORDS}


def similar_subject(a: str, b: str, threshold: float = 0.4) -> bool:
    """Subjects sharing enough significant words (folded, without diacritics)."""
    left, right = _words(a), _words(b)
    if not left or not right:
        return False
    return len(left & right) / len(left | right) >= threshold


def identity_visible_q(user: Any) -> Q:
    """Petitions whose petitioner the user may see: any but a denunciation, and a denunciation
    only where the user holds `see_identity` (the gate's scope for it)."""
    from noichinh.core.scoping import user_scope

    from .choices import PetitionKind

    scope = user_scope(user, "see_identity", Petition)
    return ~Q(kind=PetitionKind.DENUNCIATION) | scope.q("unit__path")


def petition_duplicates(user: Any, petition: Petition, limit: int = 10) -> list[Petition]:
    """Likely duplicates among the earlier petitions the user may see in the subtree of the
    receiving unit's parent: the same petitioner (folded name) and a similar subject.

    The name is compared only where the user may see both identities (this petition's and the
    candidate's). A record whose identity is protected from the user is matched on its subject
    alone, so the list never depends on a name the user may not see: guessing a denouncer's
    name (or renaming a probe petition) cannot confirm it (Law on Denunciations 2018, Art. 47)."""
    unit = petition.unit
    segments = [p for p in unit.path.split(".") if p]
    parent_path = ".".join(segments[:-1]) + "." if len(segments) > 1 else unit.path
    earlier = (
        visible(user)
        .filter(unit__path__startswith=parent_path, received_on__lte=petition.received_on)
        .exclude(pk=petition.pk)
        .select_related("unit")
        .order_by("-received_on", "-pk")
    )
    shown = identity_visible_q(user)
    probe_shown = Petition.objects.filter(pk=petition.pk).filter(shown).exists()
    found: list[Petition] = []
    if probe_shown and petition.petitioner_key:
        by_name = earlier.filter(shown).filter(petitioner_key=petition.petitioner_key)[:200]
        found += [c for c in by_name if similar_subject(c.subject, petition.subject)]
    # Never the name: records with a protected identity (all of them when this petition's own
    # identity is protected from the user), on the subject only.
    blind = earlier.exclude(shown) if probe_shown else earlier
    by_subject = [c for c in blind[:200] if similar_subject(c.subject, petition.subject)]
    found += by_subject[:limit]
    found.sort(key=lambda c: (c.received_on, c.pk), reverse=True)
    return found[:limit]
