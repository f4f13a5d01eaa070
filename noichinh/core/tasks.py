"""Background tasks of the framework, run by the django-tasks database queue (`db_worker`)."""

import logging
from typing import Any

from django_tasks import task

from .audit import verify_chain
from .models import AuditEntry

logger = logging.getLogger("noichinh.audit")


class AuditChainBroken(Exception):
    """The hash chain does not verify: the task fails (status FAILED) and the error is logged."""


@task()
def audit_verify_task() -> dict[str, Any]:
    """Check the audit log's hash chain off the request path (an operator schedules it nightly:
    `manage.py audit_verify --enqueue` from cron, then `db_worker` runs it)."""
    problems = list(verify_chain())
    if problems:
        logger.error("audit log BROKEN at entry %s: %s", problems[0].entry_id, problems[0].reason)
        raise AuditChainBroken(f"entry {problems[0].entry_id}: {problems[0].reason}")
    return {
        "entries": AuditEntry.objects.count(),
        "ok": not problems,
        "first_bad_entry": problems[0].entry_id if problems else None,
        "reason": problems[0].reason if problems else "",
    }
