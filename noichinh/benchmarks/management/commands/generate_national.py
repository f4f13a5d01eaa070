"""Generate the national data set for benchmarks in one command (see docs/performance.md).

    python manage.py generate_national --scale 1 --seed 1      # the full national set
    python manage.py generate_national --scale 0.02            # a small one (SQLite)

Needs a database without generated (GEN-) units. Prints the time and the row counts of each
step. The data and the steps are described in `noichinh.benchmarks.national`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from noichinh.benchmarks import national


class Command(BaseCommand):
    help = (
        "Generate the national benchmark data set (units before and after the 2025 merger, "
        "petitions, cases, security issues, report submissions, campaigns, tasks) at a scale, "
        "deterministically, through bulk inserts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 = the full national set (1,000,000 petitions)",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--audit-entries",
            type=int,
            default=0,
            help="synthetic audit entries to add (as generate_units; for bench_scoping)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale, seed = options["scale"], options["seed"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        self.stdout.write(f"generate_national --scale {scale} --seed {seed}")
        try:
            national.generate(
                scale, seed, out=self.stdout.write, audit_entries=max(0, options["audit_entries"])
            )
        except (ValueError, national.AggregatesFailed) as error:
            raise CommandError(str(error)) from error
