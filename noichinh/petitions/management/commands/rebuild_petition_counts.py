"""Recount the kept aggregate of petitions (petitions.aggregates), or check it.

python manage.py rebuild_petition_counts            # recount from the petitions
python manage.py rebuild_petition_counts --verify   # compare with a fresh count; exit 1 if
                                                    # they differ
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from noichinh.petitions import aggregates


class Command(BaseCommand):
    help = "Recount the kept petition counts from the petitions, or --verify them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--verify",
            action="store_true",
            help="compare the kept table with a fresh count instead of rebuilding it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["verify"]:
            problems = aggregates.verify()
            for line in problems[:50]:
                self.stderr.write(line)
            if problems:
                raise CommandError(f"{len(problems)} kept counts differ from the petitions.")
            self.stdout.write(f"petition counts OK ({time.perf_counter() - started:.1f} s)")
            return
        rows = aggregates.rebuild()
        self.stdout.write(
            f"petition counts rebuilt: {rows} rows in {time.perf_counter() - started:.1f} s"
        )
