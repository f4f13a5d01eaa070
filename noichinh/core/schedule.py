"""Periodic work declared in code. `manage.py run_scheduler` enqueues what is due onto the
django-tasks queue; `db_worker` runs it. The last enqueue time of each entry is kept in the
database (ScheduledRun, locked while checked), so restarts and a second scheduler instance never
enqueue the same run twice.

    register_periodic(Periodic("audit_verify", audit_verify_task, timedelta(days=1)))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

_schedule: dict[str, Periodic] = {}


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django_tasks Task taking no arguments
    every: dt.timedelta


def register_periodic(entry: Periodic) -> None:
    _schedule[entry.name] = entry


def schedule() -> list[Periodic]:
    return sorted(_schedule.values(), key=lambda e: e.name)


def enqueue_due(now: dt.datetime) -> list[str]:
    """Enqueue every entry whose interval has passed since its last enqueue; return names."""
    from .models import ScheduledRun

    enqueued = []
    for entry in schedule():
        with transaction.atomic():
            run, _created = ScheduledRun.objects.select_for_update().get_or_create(name=entry.name)
            if run.last_enqueued_at is None or now - run.last_enqueued_at >= entry.every:
                entry.task.enqueue()
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
                enqueued.append(entry.name)
    return enqueued
