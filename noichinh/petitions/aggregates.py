"""The kept aggregate of petitions: the inspectorate's figures read from a small table.

The figures (selectors.statistics_q) count petitions by their dates. Each one is a sum of
events over a range of days, so a table of event counts per unit, day and measure gives them
without reading the petitions:

    measure  one per petition, on the day                      read as
    rcv      received_on                                       received   = rcv[start..end]
    acc      accepted_on                                       new        = acc[start..end]
    accres   max(accepted_on, resolved_on), both set           carried over = acc[..start-1]
                                                                 - accres[..start-1]
    res      resolved_on, status resolved                      resolved   = res[start..end]
    ontime   the same, on or before the deadline (or none)     on time    = ontime[start..end]
    late     the same, after the deadline                      late       = late[start..end]
    cfoin    a = max(accepted_on, resolve_due_on + 1)          carried forward overdue
    cfoout   max(a, resolved_on), resolved_on set                = cfoin[..end] - cfoout[..end]
                                                                 - the paused ones (raw rows)

Rows (`PetitionCount`) are kept per kind and field, at three grains (day, month, year: a range
reads whole years, then months, then days, a few hundred rows for the country), and rolled up:
each petition counts for its unit and every ancestor in the aggregate's own recorded tree
(`PetitionCountNode`, a closure table). A window of a unit reads the rows of the smallest set
of recorded subtrees covering the units its subtree held on the window's last day
(`core.counts.subtree_ids_on`), then corrects from raw rows for the few petitions handed over
after that day (core.Handover) and for the petitions paused on the last day.

Writes: `Petition` signals (pre_save / post_save / pre_delete / post_delete) subtract the
petition's old contribution and add its new one in the transaction of the write, with one
upsert (`INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`, SQLite and PostgreSQL). Bulk
paths that bypass `save` (bulk_create, update, raw deletes) call `rebuild()` at the end, and
the hand-over (handover.py) moves each record's contribution explicitly. `verify()` compares
the table with a fresh count of the petitions (`manage.py rebuild_petition_counts --verify`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Greatest
from django.db.models.lookups import Exact, StartsWith
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .choices import PetitionStatus
from .models import Petition, PetitionCount, PetitionCountNode

MEASURES = ("rcv", "acc", "accres", "res", "ontime", "late", "cfoin", "cfoout")
GRAINS = ("d", "m", "y")
FIELDS = ("unit_id", "kind", "field", "status", "received_on", "accepted_on", "resolved_on")
FIELDS_ALL = (*FIELDS, "resolve_due_on")
ONE_DAY = dt.timedelta(days=1)
FIRST_DAY = dt.date(1, 1, 1)


# -- what one petition contributes ------------------------------------------------------------


def events(p: Mapping[str, Any]) -> list[tuple[str, dt.date]]:
    """The (measure, day) events of one petition (a mapping of FIELDS_ALL)."""
    found: list[tuple[str, dt.date]] = []
    acc, res, due = p["accepted_on"], p["resolved_on"], p["resolve_due_on"]
    if p["received_on"] is not None:
        found.append(("rcv", p["received_on"]))
    if acc is not None:
        found.append(("acc", acc))
        if res is not None:
            found.append(("accres", max(acc, res)))
    if p["status"] == PetitionStatus.RESOLVED and res is not None:
        found.append(("res", res))
        found.append(("ontime" if due is None or res <= due else "late", res))
    if acc is not None and due is not None:
        start = max(acc, due + ONE_DAY)
        found.append(("cfoin", start))
        if res is not None:
            found.append(("cfoout", max(start, res)))
    return found


def period_start(grain: str, day: dt.date) -> dt.date:
    if grain == "m":
        return day.replace(day=1)
    if grain == "y":
        return day.replace(month=1, day=1)
    return day


Key = tuple[int, str, str, str, str, dt.date]  # unit (ancestor), kind, field, measure, grain, day


def contribution(p: Mapping[str, Any], chain: Sequence[int], sign: int = 1) -> Counter[Key]:
    """The rows one petition adds (sign 1) or removes (-1), for each unit of `chain`."""
    found: Counter[Key] = Counter()
    for measure, day in events(p):
        for grain in GRAINS:
            start = period_start(grain, day)
            for unit_id in chain:
                found[(unit_id, p["kind"], p["field"], measure, grain, start)] += sign
    return found


def _unit_model() -> Any:
    from django.apps import apps

    return apps.get_model("units", "Unit")


def _row(petition_id: int) -> dict[str, Any] | None:
    return Petition.objects.filter(pk=petition_id).values(*FIELDS_ALL).first()


# -- the recorded tree ------------------------------------------------------------------------


def _segments(path: str) -> list[int]:
    return [int(s) for s in path.split(".") if s]


def chain_of(unit_id: int) -> list[int]:
    """The unit and its ancestors in the recorded tree, recording the unit (from its current
    path, under its parent's recorded place) the first time one of its petitions is counted."""
    known = list(
        PetitionCountNode.objects.filter(unit_id=unit_id)
        .order_by("distance")
        .values_list("ancestor_id", flat=True)
    )
    if known:
        return known
    unit_model = _unit_model()
    path = unit_model._default_manager.filter(pk=unit_id).values_list("path", flat=True).first()
    segments = _segments(path or "")
    parents = segments[:-1] if segments and segments[-1] == unit_id else []
    chain = [unit_id, *(chain_of(parents[-1]) if parents else [])]
    PetitionCountNode.objects.bulk_create(
        [PetitionCountNode(unit_id=unit_id, ancestor_id=a, distance=i) for i, a in enumerate(chain)]
    )
    return chain


# -- applying a change ------------------------------------------------------------------------


def apply(delta: Counter[Key]) -> None:
    """Add `delta` to the table in one statement per 500 keys (an upsert that adds)."""
    items = [(k, v) for k, v in delta.items() if v]
    if not items:
        return
    table = PetitionCount._meta.db_table
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params: list[Any] = []
        for (unit_id, kind, field, measure, grain, day), n in chunk:
            params += [unit_id, kind, field, measure, grain, day, n]
        # The table is the model's; the values are parameters.
        sql = (
            f"INSERT INTO {table} (unit_id, kind, field, measure, grain, day, n) "  # noqa: S608
            f"VALUES {values} ON CONFLICT (unit_id, grain, day, measure, kind, field) "
            f"DO UPDATE SET n = {table}.n + excluded.n"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def change(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> None:
    """Replace a petition's contribution `old` (None: it did not exist) by `new`."""
    delta: Counter[Key] = Counter()
    if old is not None:
        delta.update(contribution(old, chain_of(old["unit_id"]), -1))
    if new is not None:
        delta.update(contribution(new, chain_of(new["unit_id"]), 1))
    apply(delta)


# -- the stored current deadline (Petition.current_due_on) -------------------------------------


def current_due(p: Any) -> dt.date | None:
    """The deadline running now: to classify while received, to resolve while accepted and
    not paused; None otherwise (the definition of selectors.overdue_q)."""
    if p.status == PetitionStatus.RECEIVED:
        return p.classify_due_on
    if p.status == PetitionStatus.ACCEPTED and p.paused_since is None:
        return p.resolve_due_on
    return None


def current_due_expression() -> models.Case:
    """`current_due` in SQL, for the set-based refresh."""
    return models.Case(
        models.When(status=PetitionStatus.RECEIVED, then=F("classify_due_on")),
        models.When(
            status=PetitionStatus.ACCEPTED, paused_since__isnull=True, then=F("resolve_due_on")
        ),
        default=None,
        output_field=models.DateField(),
    )


def refresh_current_due(petition_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored current deadline of the given petitions (None: all), for the
    paths that bypass `save` (bulk_create, update); returns the rows changed."""
    queryset = Petition.objects.order_by()
    if petition_ids is not None:
        ids = list(petition_ids)
        changed = 0
        for start in range(0, len(ids), 2000):
            changed += queryset.filter(pk__in=ids[start : start + 2000]).update(
                current_due_on=current_due_expression()
            )
        return changed
    return queryset.update(current_due_on=current_due_expression())


@receiver(pre_save, sender=Petition, dispatch_uid="petition_counts_pre_save")
def _remember(sender: Any, instance: Petition, raw: bool = False, **kwargs: Any) -> None:
    instance.current_due_on = current_due(instance)
    instance._counted = _row(instance.pk) if instance.pk is not None and not raw else None  # type: ignore[attr-defined]


@receiver(post_save, sender=Petition, dispatch_uid="petition_counts_post_save")
def _count(sender: Any, instance: Petition, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    fields = kwargs.get("update_fields")
    if fields is not None and "current_due_on" not in fields:
        Petition.objects.filter(pk=instance.pk).update(current_due_on=instance.current_due_on)
    change(getattr(instance, "_counted", None), _row(instance.pk))
    instance._counted = None  # type: ignore[attr-defined]


@receiver(pre_delete, sender=Petition, dispatch_uid="petition_counts_pre_delete")
def _remember_deleted(sender: Any, instance: Petition, **kwargs: Any) -> None:
    instance._counted = _row(instance.pk)  # type: ignore[attr-defined]


@receiver(post_delete, sender=Petition, dispatch_uid="petition_counts_post_delete")
def _uncount(sender: Any, instance: Petition, **kwargs: Any) -> None:
    change(getattr(instance, "_counted", None), None)


def count_created(petition_ids: Iterable[int]) -> None:
    """Count petitions inserted without `save` (a bulk import), in the caller's transaction:
    cheaper than `rebuild()` for a few thousand rows."""
    delta: Counter[Key] = Counter()
    chains: dict[int, list[int]] = {}
    ids = list(petition_ids)
    refresh_current_due(ids)
    for start in range(0, len(ids), 2000):
        for row in Petition.objects.filter(pk__in=ids[start : start + 2000]).values(*FIELDS_ALL):
            if row["unit_id"] not in chains:
                chains[row["unit_id"]] = chain_of(row["unit_id"])
            delta.update(contribution(row, chains[row["unit_id"]]))
    apply(delta)


def moved(petition_id: int, old_unit_id: int) -> None:
    """A petition's unit was changed by `update` (the hand-over): move its contribution."""
    row = _row(petition_id)
    if row is None or row["unit_id"] == old_unit_id:
        return
    change({**row, "unit_id": old_unit_id}, row)


# -- rebuilding (set-based) -------------------------------------------------------------------


class NextDay(models.Func):
    """The day after a date (PostgreSQL: date + 1; SQLite: date(d, '+1 day'))."""

    template = "(%(expressions)s + 1)"
    output_field = models.DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '+1 day')")


class PeriodStart(models.Func):
    """The first day of the month or year of a date, as a date, on both databases."""

    output_field = models.DateField()

    def __init__(self, expression: Any, grain: str) -> None:
        super().__init__(expression)
        self.grain = grain

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        unit = "month" if self.grain == "m" else "year"
        return super().as_sql(
            compiler, connection, template=f"CAST(date_trunc('{unit}', %(expressions)s) AS date)"
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        pattern = "%%Y-%%m-01" if self.grain == "m" else "%%Y-01-01"
        return super().as_sql(
            compiler, connection, template=f"strftime('{pattern}', %(expressions)s)"
        )


def _day_expressions() -> dict[str, tuple[Q, Any]]:
    """Each measure's condition and day, as SQL (the same as `events`)."""
    resolved = Q(status=PetitionStatus.RESOLVED, resolved_on__isnull=False)
    due_after = NextDay("resolve_due_on")
    cfo_start = Greatest("accepted_on", due_after, output_field=models.DateField())
    return {
        "rcv": (Q(received_on__isnull=False), F("received_on")),
        "acc": (Q(accepted_on__isnull=False), F("accepted_on")),
        "accres": (
            Q(accepted_on__isnull=False, resolved_on__isnull=False),
            Greatest("accepted_on", "resolved_on", output_field=models.DateField()),
        ),
        "res": (resolved, F("resolved_on")),
        "ontime": (
            resolved & (Q(resolve_due_on__isnull=True) | Q(resolved_on__lte=F("resolve_due_on"))),
            F("resolved_on"),
        ),
        "late": (resolved & Q(resolved_on__gt=F("resolve_due_on")), F("resolved_on")),
        "cfoin": (Q(accepted_on__isnull=False, resolve_due_on__isnull=False), cfo_start),
        "cfoout": (
            Q(accepted_on__isnull=False, resolve_due_on__isnull=False, resolved_on__isnull=False),
            Greatest(cfo_start, "resolved_on", output_field=models.DateField()),
        ),
    }


def _record_tree() -> None:
    """Record every unit's current place (the closure table from the materialized paths)."""
    PetitionCountNode.objects.all().delete()
    unit_model = _unit_model()
    nodes: list[PetitionCountNode] = []
    for unit_id, path in unit_model._default_manager.values_list("pk", "path"):
        segments = _segments(path or "")
        if not segments or segments[-1] != unit_id:
            segments = [unit_id]
        for distance, ancestor in enumerate(reversed(segments)):
            nodes.append(
                PetitionCountNode(unit_id=unit_id, ancestor_id=ancestor, distance=distance)
            )
    PetitionCountNode.objects.bulk_create(nodes, batch_size=5000)


@transaction.atomic
def rebuild() -> int:
    """Recount the whole table from the petitions: the tree from today's paths, then one
    INSERT ... SELECT ... GROUP BY per measure and grain. Returns the number of rows."""
    refresh_current_due()
    PetitionCount.objects.all().delete()
    _record_tree()
    table = PetitionCount._meta.db_table
    for measure, (condition, day) in _day_expressions().items():
        for grain in GRAINS:
            queryset = (
                Petition.objects.order_by()
                .filter(condition)
                .annotate(
                    a_unit=F("unit__petition_count_nodes__ancestor_id"),
                    a_kind=F("kind"),
                    a_field=F("field"),
                    a_day=day if grain == "d" else PeriodStart(day, grain),
                )
                .values("a_unit", "a_kind", "a_field", "a_day")
                .annotate(a_n=Count("id"))
                .values_list("a_unit", "a_kind", "a_field", "a_day", "a_n")
            )
            sql, params = queryset.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (unit_id, kind, field, day, n, measure, grain) "  # noqa: S608
                    f"SELECT q.*, %s, %s FROM ({sql}) q",
                    [measure, grain, *params],
                )
    return PetitionCount.objects.count()


def fresh_counts() -> Counter[Key]:
    """What the table should hold, counted from the petitions now (for `verify` and tests):
    the same GROUP BY as `rebuild`, read into memory, over today's recorded tree."""
    found: Counter[Key] = Counter()
    chains: dict[int, list[int]] = defaultdict(list)
    for unit_id, ancestor_id in PetitionCountNode.objects.order_by(
        "unit_id", "distance"
    ).values_list("unit_id", "ancestor_id"):
        chains[unit_id].append(ancestor_id)
    for row in Petition.objects.order_by().values(*FIELDS_ALL).iterator(chunk_size=5000):
        chain = chains.get(row["unit_id"]) or chain_of(row["unit_id"])
        found.update(contribution(row, chain))
    return found


def kept_counts() -> Counter[Key]:
    found: Counter[Key] = Counter()
    for row in PetitionCount.objects.exclude(n=0).values_list(
        "unit_id", "kind", "field", "measure", "grain", "day", "n"
    ):
        found[row[:6]] += row[6]
    return found


def verify() -> list[str]:
    """The differences between the kept table and a fresh count ([] when they agree)."""
    kept, fresh = kept_counts(), fresh_counts()
    problems = []
    for key in sorted(set(kept) | set(fresh), key=str):
        if kept.get(key, 0) != fresh.get(key, 0):
            problems.append(f"{key}: kept {kept.get(key, 0)}, counted {fresh.get(key, 0)}")
    return problems


# -- reading ----------------------------------------------------------------------------------


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def decompose(lo: dt.date | None, hi: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """[lo, hi] (lo None: from the beginning) as whole years, months and days: (grain, first
    period start, last period start), a few parts."""
    parts: list[tuple[str, dt.date, dt.date]] = []
    cur = lo or FIRST_DAY
    while cur <= hi:
        if cur.month == 1 and cur.day == 1 and dt.date(cur.year, 12, 31) <= hi:
            last = hi.year if hi == dt.date(hi.year, 12, 31) else hi.year - 1
            parts.append(("y", cur, dt.date(last, 1, 1)))
            cur = dt.date(last + 1, 1, 1) if last < dt.MAXYEAR else hi + ONE_DAY
        elif cur.day == 1 and month_end(cur) <= hi:
            last_month = hi.replace(day=1) if month_end(hi) == hi else _previous_month(hi)
            if last_month.year > cur.year:
                last_month = dt.date(cur.year, 12, 1)
            parts.append(("m", cur, last_month))
            cur = month_end(last_month) + ONE_DAY
        else:
            last_day = min(hi, month_end(cur))
            parts.append(("d", cur, last_day))
            cur = last_day + ONE_DAY
    return parts


def _previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - ONE_DAY).replace(day=1)


def range_q(lo: dt.date | None, hi: dt.date) -> Q:
    condition = Q(pk__in=[])
    for grain, first, last in decompose(lo, hi):
        condition |= Q(grain=grain, day__gte=first, day__lte=last)
    return condition


@dataclass(frozen=True)
class QueryScope:
    """What a petitions queryset selects, when it is only unit subtrees (the gate's `restrict`
    and `within`) and a kind or a field: the kept table can answer for it."""

    groups: tuple[tuple[str, ...], ...]  # every group: one of its path prefixes
    kind: str | None
    field: str | None


def _lookup(node: Any, unit_path: Any, kind: Any, field: Any) -> tuple[str, str] | None:
    if isinstance(node, StartsWith) and getattr(node.lhs, "target", None) is unit_path:
        return ("path", node.rhs) if isinstance(node.rhs, str) else None
    if isinstance(node, Exact) and isinstance(node.rhs, str):
        target = getattr(node.lhs, "target", None)
        if target is kind:
            return ("kind", node.rhs)
        if target is field:
            return ("field", node.rhs)
    return None


def query_scope(queryset: Any) -> QueryScope | None:
    """The QueryScope of `queryset`, or None when it filters on anything else."""
    from django.db.models.sql.where import AND, OR, WhereNode

    query = queryset.query
    if (
        queryset.model is not Petition
        or query.distinct
        or query.combinator
        or query.extra
        or query.annotations
        or query.low_mark
        or query.high_mark is not None
    ):
        return None
    unit_path = _unit_model()._meta.get_field("path")
    kind, field = Petition._meta.get_field("kind"), Petition._meta.get_field("field")
    for alias, join in query.alias_map.items():
        join_field = getattr(join, "join_field", None)
        if alias == query.base_table or join_field is None:
            continue
        if join_field.name != "unit" or join.parent_alias != query.base_table:
            return None
    groups: list[tuple[str, ...]] = []
    equal: dict[str, set[str]] = {"kind": set(), "field": set()}

    def walk(node: Any) -> bool:
        if isinstance(node, WhereNode):
            if node.negated:
                return False
            if node.connector == AND:
                return all(walk(child) for child in node.children)
            if node.connector == OR:
                prefixes = [_lookup(child, unit_path, kind, field) for child in node.children]
                if not prefixes or any(p is None or p[0] != "path" for p in prefixes):
                    return False
                groups.append(tuple(p[1] for p in prefixes if p is not None))
                return True
            return False
        found = _lookup(node, unit_path, kind, field)
        if found is None:
            return False
        if found[0] == "path":
            groups.append((found[1],))
        else:
            equal[found[0]].add(found[1])
        return True

    if not walk(query.where) or len(equal["kind"]) > 1 or len(equal["field"]) > 1:
        return None
    return QueryScope(
        tuple(groups),
        next(iter(equal["kind"]), None),
        next(iter(equal["field"]), None),
    )


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    ids: frozenset[int] | None = None  # the units held on `end` (None: every unit)
    held: Q | None = None  # held_q of those units on `end`


@dataclass
class Tree:
    """The recorded tree: {unit: parent} and {unit: [children]}."""

    parent: dict[int, int | None]
    children: dict[int, list[int]]
    path: dict[int, str]  # each recorded unit's path today (for the gate's prefixes)

    @classmethod
    def read(cls) -> Tree:
        parent: dict[int, int | None] = {}
        children: dict[int, list[int]] = defaultdict(list)
        path: dict[int, str] = {}
        rows = PetitionCountNode.objects.filter(distance__lte=1).values_list(
            "unit_id", "ancestor_id", "distance", "unit__path"
        )
        for unit_id, ancestor_id, distance, unit_path in rows:
            path[unit_id] = unit_path or ""
            if distance == 0:
                parent.setdefault(unit_id, None)
            else:
                parent[unit_id] = ancestor_id
                children[ancestor_id].append(unit_id)
        return cls(parent, children, path)

    def matching(self, groups: Sequence[Sequence[str]]) -> set[int] | None:
        """The recorded units whose path passes every group of prefixes (None: all)."""
        groups = [g for g in groups if "" not in g]
        if not groups:
            return None
        return {
            u
            for u, p in self.path.items()
            if all(any(p.startswith(prefix) for prefix in g) for g in groups)
        }

    def by_depth(self) -> list[int]:
        """The recorded units, the deepest first (computed once per tree)."""
        if not hasattr(self, "_by_depth"):
            self._by_depth = sorted(self.parent, key=self.depth, reverse=True)
        return self._by_depth

    def branch_weights(
        self, units: set[int], branch: Any
    ) -> dict[int, list[tuple[int | None, int]]]:
        """Like `weights`, grouped by `branch(unit)` (the branch below the page's unit): the
        outermost recorded subtrees inside the set that lie in one branch, and the own
        petitions of a unit whose recorded subtree is only partly inside or spans branches.
        A table by branch reads a few rows per branch, not one per unit of the country."""
        found: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
        full: dict[int, bool] = {}
        for x in self.by_depth():
            full[x] = x in units and all(
                full.get(c, False) and branch(c) == branch(x) for c in self.children.get(x, [])
            )
        for x in units:
            if x not in self.parent:
                continue
            g, p = branch(x), self.parent.get(x)
            if full[x]:
                if p is None or not full.get(p, False) or branch(p) != g:
                    found[x].append((g, 1))
            else:
                found[x].append((g, 1))
                for c in self.children.get(x, []):
                    found[c].append((g, -1))
        return found

    def depth(self, unit_id: int) -> int:
        n, cur = 0, self.parent.get(unit_id)
        while cur is not None:
            n, cur = n + 1, self.parent.get(cur)
        return n

    def weights(self, units: set[int], by_unit: bool) -> dict[int, list[tuple[int | None, int]]]:
        """{row unit: [(group, weight)]} whose weighted rows sum to the petitions owned by
        `units`: the outermost recorded subtrees inside the set, and the own petitions of a
        unit whose recorded subtree is only partly inside (its row minus its children's).
        `by_unit`: every unit's own petitions, grouped by unit."""
        found: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
        present = [u for u in units if u in self.parent]
        if by_unit:
            for x in present:
                found[x].append((x, 1))
                for c in self.children.get(x, []):
                    found[c].append((x, -1))
            return found
        full: dict[int, bool] = {}
        for x in sorted(self.parent, key=self.depth, reverse=True):
            full[x] = x in units and all(full.get(c, False) for c in self.children.get(x, []))
        for x in present:
            p = self.parent.get(x)
            if full[x]:
                if p is None or not full.get(p, False):
                    found[x].append((None, 1))
            else:
                found[x].append((None, 1))
                for c in self.children.get(x, []):
                    found[c].append((None, -1))
        return found


def branch_resolver(tree: Tree, branch_of: Mapping[int, int]) -> Any:
    """unit id -> its branch in `branch_of`, else the branch of its nearest recorded ancestor
    that has one (a unit created after the window's last day), else None."""
    branches: dict[int | None, int | None] = {None: None}
    for unit_id, top in branch_of.items():
        branches[unit_id] = top

    def branch(unit_id: int | None) -> int | None:
        if unit_id not in branches:
            branches[unit_id] = branch(tree.parent.get(unit_id))  # type: ignore[arg-type]
        return branches[unit_id]

    return branch


SUMS = ("rcv", "acc", "res", "ontime", "late")


def _figures(row: Mapping[str, Any], i: int) -> dict[str, int]:
    def v(name: str) -> int:
        return int(row.get(f"w{i}_{name}") or 0)

    return {
        "received": v("rcv"),
        "carried_over": v("accb") - v("accresb"),
        "new": v("acc"),
        "resolved": v("res"),
        "resolved_on_time": v("ontime"),
        "resolved_late": v("late"),
        "carried_forward_overdue": v("cfoin") - v("cfoout"),
    }


Figures = dict[str, int]


def read(
    queryset: Any,
    windows: Sequence[Window],
    by: str | None = None,
    cache: dict[Any, Any] | None = None,
    branch_of: Mapping[int, int] | None = None,
) -> list[dict[Any, Figures]] | None:
    """The figures of each window (per value of `by`: "unit", "kind", "field"; else under
    None) for the petitions of `queryset` held by `window.ids` on the window's last day, from
    the kept table; None when `queryset` filters on something the table does not key.
    With `by="unit"` and `branch_of` ({unit: its branch}), per branch instead of per unit: a
    unit missing from it counts for the branch of its nearest recorded ancestor in it."""
    from .selectors import statistics_aggregates

    scope = query_scope(queryset)
    if scope is None or by not in (None, "unit", "kind", "field"):
        return None
    # `cache`: what one page reads once for its several figures (the tree, the facts of a day).
    cache = cache if cache is not None else {}
    if "tree" not in cache:
        cache["tree"] = Tree.read()
    tree: Tree = cache["tree"]
    allowed = tree.matching(scope.groups)
    rows = PetitionCount.objects.order_by()
    if scope.kind is not None:
        rows = rows.filter(kind=scope.kind)
    if scope.field is not None:
        rows = rows.filter(field=scope.field)
    branch = branch_resolver(tree, branch_of or {})

    weights: list[dict[int, list[tuple[int | None, int]]]] = []
    for w in windows:
        units = set(tree.parent) if w.ids is None else set(w.ids)
        if allowed is not None:
            units &= allowed
        if branch_of is not None and by == "unit":
            weights.append(tree.branch_weights(units, branch))
        else:
            weights.append(tree.weights(units, by == "unit"))
    row_units = sorted({u for ws in weights for u in ws})
    group_field = by if by in ("kind", "field") else None
    # Which (measure, period) rows feed which sum of which window.
    feeds: list[list[tuple[frozenset[str], list[tuple[str, dt.date, dt.date]], str]]] = []
    needed: set[tuple[str, dt.date, dt.date]] = set()
    for w in windows:
        ranges = [
            (frozenset(SUMS), decompose(w.start, w.end), ""),
            (frozenset({"acc", "accres"}), decompose(None, w.start - ONE_DAY), "b"),
            (frozenset({"cfoin", "cfoout"}), decompose(None, w.end), ""),
        ]
        feeds.append(ranges)
        for _measures, parts, _suffix in ranges:
            needed.update(parts)
    # Only the rows of the periods read (the day rows of a few partial months, not every
    # day), each term a seek in the key (unit, grain, day, ...).
    units_q = Q(unit_id__in=row_units) if len(row_units) < len(tree.parent) else Q()
    where = Q(pk__in=[])
    for grain, first, last in sorted(needed):
        where |= units_q & Q(grain=grain, day__gte=first, day__lte=last)
    result: list[dict[Any, Figures]] = [defaultdict(Counter) for _ in windows]
    if row_units:
        keys = ["unit_id", *([group_field] if group_field else [])]
        sums: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        if len(row_units) > 50:
            # Many units (a table by unit): the database sums each range (one row per unit).
            annotations: dict[str, Sum] = {}
            for i, ranges in enumerate(feeds):
                for measures, parts, suffix in ranges:
                    period = Q(pk__in=[])
                    for grain, first, last in parts:
                        period |= Q(grain=grain, day__gte=first, day__lte=last)
                    for measure in measures:
                        annotations[f"w{i}_{measure}{suffix}"] = Sum(
                            "n", filter=Q(measure=measure) & period
                        )
            for row in rows.filter(where).values(*keys).annotate(**annotations):
                sums[tuple(row[k] for k in keys)] = row
        else:
            # A few units: their rows per period, summed here (no ORM cost per range).
            grouped = (
                rows.filter(where)
                .values(*keys, "measure", "grain", "day")
                .annotate(total=Sum("n"))
                .values_list(*keys, "measure", "grain", "day", "total")
            )
            tallies: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
            # Which sums a (measure, grain, day) row feeds, worked out once per such triple
            # (the country's rows repeat them per kind and field: thousands of rows).
            routes: dict[tuple[str, str, dt.date], list[str]] = {}
            for *key, measure, grain, day, total in grouped:
                names = routes.get((measure, grain, day))
                if names is None:
                    names = routes[(measure, grain, day)] = [
                        f"w{i}_{measure}{suffix}"
                        for i, ranges in enumerate(feeds)
                        for measures, parts, suffix in ranges
                        if measure in measures
                        and any(g == grain and a <= day <= b for g, a, b in parts)
                    ]
                tally = tallies[tuple(key)]
                for name in names:
                    tally[name] += total
            sums.update(tallies)
        for key, row in sums.items():
            unit_id = key[0]
            for i in range(len(windows)):
                figures = _figures(row, i)
                for group, weight in weights[i].get(unit_id, []):
                    target = result[i][key[1] if group_field else group]
                    for name, value in figures.items():
                        target[name] += weight * value
    # Raw corrections: petitions handed over after the window's last day (counted above for
    # their unit of today, they count for their holder that day), and petitions paused on it.
    from noichinh.core.models import Handover

    from .models import PetitionPause
    from .selectors import pending_on_q

    values = [by] if by else []
    for i, w in enumerate(windows):
        later = Handover.objects.filter(object_type=Petition._meta.label_lower, on__gt=w.end)
        if ("handed over", w.end) not in cache:
            cache[("handed over", w.end)] = later.exists()
        if w.held is not None and w.ids is not None and cache[("handed over", w.end)]:
            moved_ones = queryset.filter(pk__in=later.values("object_id")).order_by()
            held = statistics_aggregates(w.start, w.end, held=w.held)
            counted = statistics_aggregates(w.start, w.end, "_c", held=Q(unit_id__in=list(w.ids)))
            for row in _grouped(moved_ones, values, {**held, **counted}):
                key = row[by] if by else None
                target = result[i][branch(key) if branch_of is not None and by == "unit" else key]
                for name in held:
                    target[name] += (row[name] or 0) - (row[f"{name}_c"] or 0)
        pauses = PetitionPause.objects.order_by().filter(start__lte=w.end)
        pauses = pauses.filter(Q(end__isnull=True) | Q(end__gte=w.end))
        # The pauses covering one day are few: their petitions by primary key. The kept rows
        # counted those accepted, past their deadline and not resolved by the last day as
        # overdue; paused that day, they are not (selectors.overdue_on_q).
        if ("paused", w.end) not in cache:
            cache[("paused", w.end)] = list(pauses.values_list("petition_id", flat=True).distinct())
        paused_ids = cache[("paused", w.end)]
        if paused_ids:
            counted_as_overdue = (
                pending_on_q(w.end + ONE_DAY)
                & Q(accepted_on__isnull=False, resolve_due_on__lt=w.end)
                & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=w.end))
            )
            found = list(
                queryset.filter(pk__in=paused_ids)
                .filter(counted_as_overdue)
                .order_by()
                .values_list("pk", "unit_id", *values)
            )
            holders = _holders_on([pk for pk, *_rest in found], w.end)
            for pk, unit_id, *group in found:
                if w.ids is None or holders.get(pk, unit_id) in w.ids:
                    key = group[0] if by else None
                    if branch_of is not None and by == "unit":
                        key = branch(key)
                    result[i][key]["carried_forward_overdue"] -= 1
    return [dict(r) for r in result]


def _holders_on(petition_ids: list[int], day: dt.date) -> dict[int, int]:
    """{petition: the unit that held it on `day`} for those handed over after `day` (the
    giver of the first hand-over after it; core.handover.held_on_q)."""
    from noichinh.core.models import Handover

    found: dict[int, int] = {}
    moves = Handover.objects.filter(
        object_type=Petition._meta.label_lower, object_id__in=petition_ids, on__gt=day
    ).order_by("on", "id")
    for object_id, from_unit_id in moves.values_list("object_id", "from_unit_id"):
        found.setdefault(object_id, from_unit_id)
    return found


def _grouped(queryset: Any, values: list[str], aggregates: dict[str, Any]) -> Iterable[Any]:
    if values:
        return queryset.values(*values).annotate(**aggregates)
    return [queryset.aggregate(**aggregates)]
