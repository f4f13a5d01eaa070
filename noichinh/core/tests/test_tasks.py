"""The background queue works end to end: enqueue in the database, a real worker runs it."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from noichinh.core.audit import audit_record
from noichinh.core.scoping import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)


def test_audit_check_runs_in_the_database_worker():
    audit_record(action="update", user=SYSTEM, object_type="x.y", object_id="1")
    out = io.StringIO()
    call_command("audit_verify", "--enqueue", stdout=out)
    assert "queued" in out.getvalue()
    row = DBTaskResult.objects.get()
    assert row.status == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL", row.traceback
    assert row.return_value == {"entries": 1, "ok": True, "first_bad_entry": None, "reason": ""}


def test_a_broken_chain_fails_the_task_and_is_logged(caplog):
    from django.db import connection

    from noichinh.core.models import AuditEntry

    first = audit_record(action="update", user=SYSTEM, object_type="x.y", object_id="1")
    audit_record(action="update", user=SYSTEM, object_type="x.y", object_id="2")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET message = 'x' WHERE id = %s",  # noqa: S608
            [first.pk],
        )
    call_command("audit_verify", "--enqueue", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    row = DBTaskResult.objects.get()
    assert row.status == "FAILED"
    assert any("audit log BROKEN" in r.getMessage() for r in caplog.records)


def test_the_scheduler_enqueues_each_entry_once_per_interval():
    import datetime as dt

    from django.utils import timezone

    from noichinh.core.schedule import enqueue_due

    start = timezone.now()
    assert "audit_verify" in enqueue_due(start)
    assert "audit_verify" not in enqueue_due(start + dt.timedelta(hours=23))
    assert "audit_verify" in enqueue_due(start + dt.timedelta(hours=24))
    assert DBTaskResult.objects.filter(task_path__endswith=".audit_verify_task").count() == 2
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "audit_verify (every 1 day" in out.getvalue()
