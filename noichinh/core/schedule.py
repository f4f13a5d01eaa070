"""Periodic work declared in code. `manage.py run_scheduler` enqueues what is due onto the
django-tasks queue; `db_worker` runs it. The last enqueue time of each entry is kept in the
database (ScheduledRun, locked while checked), so restarts and a second scheduler instance never
enqueue the same run twice.

    register_periodic(Periodic("audit_verify", audit_verify_task, timedelta(days=1)))

An entry may instead run at a time of day in the project's time zone (Asia/Ho_Chi_Minh): it is
due once the local clock has passed `at` today and it was last enqueued before that moment
(a scheduler that was down at 7:00 catches up when it starts, once).

    register_periodic(Periodic("inbox_morning", scans_task, timedelta(days=1), at=time(7, 0)))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

_schedule: dict[str, Periodic] = {}


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django_tasks Task taking no arguments
    every: dt.timedelta
    # A time of day (local, settings.TIME_ZONE): daily at that time instead of every `every`.
    at: dt.time | None = None

    def is_due(self, now: dt.datetime, last: dt.datetime | None) -> bool:
        if self.at is None:
            return last is None or now - last >= self.every
        zone = ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(zone)
        slot = dt.datetime.combine(local.date(), self.at, tzinfo=zone)
        if local < slot:
            return False
        return last is None or last < slot

    def describe(self) -> str:
        if self.at is not None:
            return f"{self.name} (daily at {self.at:%H:%M} {settings.TIME_ZONE})"
        return f"{self.name} (every {self.every})"


def register_periodic(entry: Periodic) -> None:
    _schedule[entry.name] = entry


def schedule() -> list[Periodic]:
    return sorted(_schedule.values(), key=lambda e: e.name)


def enqueue_due(now: dt.datetime) -> list[str]:
    """Enqueue every entry whose interval has passed since its last enqueue (or whose time of
    day has come since); return names."""
    from .models import ScheduledRun

    enqueued = []
    for entry in schedule():
        with transaction.atomic():
            run, _created = ScheduledRun.objects.select_for_update().get_or_create(name=entry.name)
            if entry.is_due(now, run.last_enqueued_at):
                entry.task.enqueue()
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
                enqueued.append(entry.name)
    return enqueued
