"""Append a signed checkpoint of the audit log to the anchor file (core.audit_anchor)."""

from typing import Any

from django.core.management.base import BaseCommand

from noichinh.core.audit_anchor import anchor_path, checkpoint


class Command(BaseCommand):
    help = "Write a signed checkpoint of the audit chain outside the database."

    def handle(self, *args: Any, **options: Any) -> None:
        body = checkpoint()
        if body is None:
            self.stdout.write("audit log empty: no checkpoint written")
            return
        self.stdout.write(
            f"checkpoint: entry {body['last_id']}, {body['count']} entries -> {anchor_path()}"
        )
