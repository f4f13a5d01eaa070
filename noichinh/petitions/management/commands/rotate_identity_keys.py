"""Re-encrypt every petitioner's identity under the first key of NOICHINH_IDENTITY_KEYS and
recompute the blind index duplicates are matched on (petitions/crypto.py).

Rotation: put the new key first in NOICHINH_IDENTITY_KEYS, keeping the old one after it;
restart; run this command; then remove the old key. `--check` only counts the values not yet
under the first key (exit 1 if any).

python manage.py rotate_identity_keys
python manage.py rotate_identity_keys --check
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from noichinh.petitions.crypto import is_current, reencrypt
from noichinh.petitions.models import IDENTITY_FIELDS, Petition


def stale_values() -> int:
    """Identity values not encrypted under the first key (plain text or an older key)."""
    table = connection.ops.quote_name(Petition._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in IDENTITY_FIELDS)
    stale = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608  (names, not input)
        for row in cursor.fetchall():
            stale += sum(1 for value in row if not is_current(value or ""))
    return stale


class Command(BaseCommand):
    help = "Re-encrypt petitioners' identities under the first identity key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="count values not under the first key"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            stale = stale_values()
            self.stdout.write(f"{stale} identity value(s) not under the first key")
            if stale:
                raise CommandError("run rotate_identity_keys")
            return
        started = time.perf_counter()
        done = reencrypt(Petition)
        self.stdout.write(
            f"re-encrypted {done} petition(s) in {time.perf_counter() - started:.1f} s; "
            f"{stale_values()} value(s) left under another key"
        )
