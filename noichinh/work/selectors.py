"""What leaders ask of tasks and programmes; every read starts from the gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet

from . import deadlines
from .choices import TaskStatus
from .models import Task, WorkProgramme, timeliness_text


def _visible_tasks(user: Any) -> QuerySet[Task]:
    return Task.objects.restrict(user, "view").select_related("unit")


def task_list_overdue(user: Any, on: dt.date) -> QuerySet[Task]:
    """Open tasks whose deadline passed before `on`, oldest deadline first."""
    return (
        _visible_tasks(user)
        .filter(status=TaskStatus.OPEN, due_on__lt=on)
        .order_by("due_on", "unit__code", "id")
    )


def task_list_due_soon(
    user: Any, on: dt.date, days: int = deadlines.DUE_SOON_DAYS
) -> QuerySet[Task]:
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
    """Per owner unit: tasks due in [start, end], done on time, done late, still open."""
    done = Q(status=TaskStatus.DONE)
    annotated = (
        Task.objects.restrict(user, "view")
        .filter(due_on__gte=start, due_on__lte=end)
        .order_by()
        .values("unit")
        .annotate(
            due=Count("id"),
            on_time=Count("id", filter=done & Q(completed_on__lte=F("due_on"))),
            late=Count("id", filter=done & Q(completed_on__gt=F("due_on"))),
            open=Count("id", filter=Q(status=TaskStatus.OPEN)),
        )
    )
    unit_model = apps.get_model("units", "Unit")
    rows = list(annotated)
    units = unit_model.objects.in_bulk([r["unit"] for r in rows])
    result = [
        Completion(units[r["unit"]], r["due"], r["on_time"], r["late"], r["open"]) for r in rows
    ]
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
