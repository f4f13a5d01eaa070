"""What leaders ask of tasks and programmes; every read starts from the gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, QuerySet

from noichinh.core.models import Handover
from noichinh.core.scoping import ScopedQuerySet

from . import deadlines
from .choices import TaskStatus
from .models import Task, WorkProgramme, timeliness_text


def _visible_tasks(user: Any) -> ScopedQuerySet[Task]:
    return Task.objects.restrict(user, "view").select_related("unit")


def task_list_overdue(user: Any, on: dt.date) -> ScopedQuerySet[Task]:
    """Open tasks whose deadline passed before `on`, oldest deadline first."""
    return (
        _visible_tasks(user)
        .filter(status=TaskStatus.OPEN, due_on__lt=on)
        .order_by("due_on", "unit__code", "id")
    )


def task_list_due_soon(
    user: Any, on: dt.date, days: int = deadlines.DUE_SOON_DAYS
) -> ScopedQuerySet[Task]:
    """Open tasks due on `on` or within the next `days` days."""
    return (
        _visible_tasks(user)
        .filter(status=TaskStatus.OPEN, due_on__gte=on, due_on__lte=on + dt.timedelta(days=days))
        .order_by("due_on", "unit__code", "id")
    )


def count_by_unit(tasks: QuerySet[Task]) -> list[dict[str, Any]]:
    """[{unit, count}] of a task list, by unit code."""
    unit_model = apps.get_model("units", "Unit")
    rows = list(tasks.order_by().values("unit").annotate(count=Count("id")))
    units = unit_model.objects.in_bulk([r["unit"] for r in rows])
    result = [{"unit": units[r["unit"]], "count": r["count"]} for r in rows]
    return sorted(result, key=lambda r: r["unit"].code)


@dataclass(frozen=True)
class Completion:
    unit: Any
    due: int
    on_time: int
    late: int
    open: int

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> Decimal | None:
        """Done / due, in percent (None when nothing was due)."""
        if not self.due:
            return None
        return Decimal(self.done * 100) / Decimal(self.due)


def completion_by_unit(user: Any, start: dt.date, end: dt.date) -> list[Completion]:
    """Per unit: tasks due in [start, end], done on time, done late, still open. A task
    counts for the unit that held it on its deadline: a task of 2024 handed over to an heir in
    the 2025 reorganisation still counts for the unit that owned it then (core.handover)."""
    tasks = list(
        Task.objects.restrict(user, "view")
        .filter(due_on__gte=start, due_on__lte=end)
        .order_by()
        .values_list("id", "unit_id", "due_on", "status", "completed_on")
    )
    moves: dict[int, list[tuple[dt.date, int]]] = {}
    for object_id, on, from_unit in (
        Handover.objects.filter(
            object_type=Task._meta.label_lower, object_id__in=[t[0] for t in tasks]
        )
        .order_by("on", "id")
        .values_list("object_id", "on", "from_unit_id")
    ):
        moves.setdefault(int(object_id), []).append((on, from_unit))
    counts: dict[int, list[int]] = {}
    for pk, unit_id, due_on, status, completed_on in tasks:
        assert due_on is not None  # filtered on it
        later = [from_unit for on, from_unit in moves.get(pk, []) if on > due_on]
        row = counts.setdefault(later[0] if later else unit_id, [0, 0, 0, 0])
        row[0] += 1
        if status == TaskStatus.DONE:
            row[1 if completed_on is not None and completed_on <= due_on else 2] += 1
        else:
            row[3] += 1
    units = apps.get_model("units", "Unit").objects.in_bulk(list(counts))
    result = [Completion(units[u], *c) for u, c in counts.items()]
    return sorted(result, key=lambda c: c.unit.code)


@dataclass(frozen=True)
class ProgrammeRow:
    programme: WorkProgramme
    timeliness: deadlines.ProgrammeTimeliness

    @property
    def label(self) -> str:
        return timeliness_text(self.timeliness)


def programme_timeliness(user: Any, year: int, on: dt.date) -> list[ProgrammeRow]:
    """Each visible programme of the year with its timeliness on `on`, latest first."""
    programmes = (
        WorkProgramme.objects.restrict(user, "view")
        .filter(year=year)
        .select_related("unit", "document")
        .order_by("unit__code")
    )
    rows = [ProgrammeRow(p, p.timeliness(on)) for p in programmes]
    order = {
        deadlines.Timeliness.OVERDUE: 0,
        deadlines.Timeliness.LATE: 1,
        deadlines.Timeliness.PENDING: 2,
        deadlines.Timeliness.ON_TIME: 3,
    }
    return sorted(rows, key=lambda r: (order[r.timeliness.state], -r.timeliness.days_late))
