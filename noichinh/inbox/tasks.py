"""Background work of the inbox, run by the django-tasks queue (`db_worker`); the scheduler
enqueues the scans hourly, and at 7:00 Vietnam time the scans then the digests."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_scans_task() -> dict[str, Any]:
    from .scans import run_scans

    results = run_scans()
    return {r.name: {"items": r.items, "created": r.created} for r in results}


@task()
def send_digests_task() -> dict[str, int]:
    from .digest import send_digests

    return send_digests()


@task()
def morning_task() -> dict[str, Any]:
    """7:00 in Vietnam: the scans, then the daily digests (so the morning mail holds them)."""
    from .digest import send_digests
    from .scans import run_scans

    results = run_scans()
    return {
        "scans": {r.name: {"items": r.items, "created": r.created} for r in results},
        "digests": send_digests(),
        # "Immediate" e-mails that failed when their notification was made.
        "immediate_retry": send_digests(digest="immediate"),
    }
