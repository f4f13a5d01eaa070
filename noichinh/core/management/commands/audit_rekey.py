"""Re-hash the audit chain under the current NOICHINH_AUDIT_KEY: once, for a log written before
the chain was keyed (plain SHA-256), or to rotate the key (--old-key). The chain must verify
under the old hash first; nothing is rewritten otherwise. A checkpoint is taken afterwards.
docs/security.md, "Authentication, sessions and the audit chain"."""

import hmac
import sys
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from noichinh.core.audit import audit_key, entry_hash, legacy_entry_hash, verify_chain
from noichinh.core.audit_anchor import checkpoint
from noichinh.core.models import AuditEntry, AuditHead


class Command(BaseCommand):
    help = "Re-hash the audit chain with the current key (after verifying it under the old one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--old-key",
            default=None,
            help="The key the log was hashed with; without it, the unkeyed SHA-256 of old logs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        old_key = options["old_key"]
        if old_key is None:

            def old_hash(entry: AuditEntry) -> str:
                return legacy_entry_hash(entry)

        else:
            key = old_key.encode("utf-8")

            def old_hash(entry: AuditEntry) -> str:
                return entry_hash(entry, key)

        if old_key is not None and hmac.compare_digest(old_key.encode("utf-8"), audit_key()):
            self.stderr.write("the old key is the current key: nothing to do")
            sys.exit(2)
        problems = list(verify_chain(hasher=old_hash, anchor=False))
        if problems:
            self.stderr.write(
                f"the chain does not verify under the old hash (entry {problems[0].entry_id}: "
                f"{problems[0].reason}); nothing rewritten"
            )
            sys.exit(1)
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        count = 0
        with transaction.atomic():
            head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
            previous = "0" * 64
            for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
                entry.prev_hash = previous
                new_hash = entry_hash(entry)
                with connection.cursor() as cursor:
                    # The model refuses save() on an entry (append-only): a direct UPDATE.
                    cursor.execute(
                        f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                        [previous, new_hash, entry.pk],
                    )
                previous = new_hash
                count += 1
            if count:
                head.last_hash = previous
                head.save(update_fields=["last_hash"])
        after = list(verify_chain(anchor=False))
        if after:
            self.stderr.write(f"re-hashed, but the chain does not verify: {after[0].reason}")
            sys.exit(1)
        checkpoint()
        self.stdout.write(f"re-hashed {count} entries with the current key; checkpoint written")
