"""Check the audit log's keyed hash chain and its newest signed checkpoint (core.audit_anchor);
exit 1 naming the first bad entry if anything was altered, removed or recomputed."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from noichinh.core.audit import verify_chain
from noichinh.core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (tamper evidence)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the check for the background worker (db_worker) instead of running it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from noichinh.core.tasks import audit_verify_task

            result = audit_verify_task.enqueue()
            self.stdout.write(f"queued audit check {result.id}")
            return
        problems = list(verify_chain())
        total = AuditEntry.objects.count()
        if not problems:
            from noichinh.core.audit_anchor import newest_checkpoint

            newest = newest_checkpoint()
            anchored = (
                f"; matches the checkpoint of {newest['time']} (entry {newest['last_id']})"
                if newest
                else "; no checkpoint of this log yet (manage.py audit_checkpoint)"
            )
            self.stdout.write(f"audit log OK: {total} entries, chain intact{anchored}")
            return
        first = problems[0]
        self.stderr.write(f"audit log BROKEN at entry {first.entry_id}: {first.reason}")
        for problem in problems[1:20]:
            self.stderr.write(f"  also entry {problem.entry_id}: {problem.reason}")
        self.stderr.write(f"{len(problems)} problem(s) in {total} entries")
        sys.exit(1)
