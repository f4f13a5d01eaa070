"""Erase the petitioners' identities past the retention an administrator set
(petitions.IdentityRetention; petitions.identity.identity_purge). Idempotent; the scheduler
runs it daily (petitions/apps.py).

python manage.py purge_identities              # erase, one audit entry per petition
python manage.py purge_identities --dry-run    # count what would be erased, change nothing
python manage.py purge_identities --on 2030-01-01
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from noichinh.core.scoping import SYSTEM
from noichinh.petitions.choices import PetitionKind
from noichinh.petitions.identity import identity_purge


class Command(BaseCommand):
    help = "Erase petitioners' identities kept longer than the retention rules allow."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be erased, change nothing"
        )
        parser.add_argument("--on", help="the day to apply the rules on (YYYY-MM-DD; today)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["on"]:
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError as error:
                raise CommandError(f"--on: {error}") from error
        dry_run = options["dry_run"]
        result = identity_purge(user=SYSTEM, on=on, dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        kinds = ", ".join(
            f"{PetitionKind(kind).label}: {count}" for kind, count in sorted(result.by_kind.items())
        )
        self.stdout.write(
            f"{verb} the identity of {result.erased} petition(s) on {on.isoformat()}"
            + (f" ({kinds})" if kinds else "")
        )
