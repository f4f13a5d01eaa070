"""Run the reminder scans now (the scheduler runs them hourly and at 7:00 Vietnam time)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from noichinh.core.text import format_number
from noichinh.inbox.scans import run_scans, scans


class Command(BaseCommand):
    help = "Run the inbox's reminder scans; print what each found, created, and its time."

    def add_arguments(self, parser: Any) -> None:
        names = ", ".join(s.name for s in scans())
        parser.add_argument("--only", help=f"One scan (by name or kind): {names}.")
        parser.add_argument("--enqueue", action="store_true", help="Enqueue for db_worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from noichinh.inbox.tasks import run_scans_task

            result = run_scans_task.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        started = time.perf_counter()
        try:
            results = run_scans(options.get("only"))
        except ValueError as error:
            raise CommandError(str(error)) from error
        for r in results:
            self.stdout.write(
                f"{r.name:<14} items {format_number(r.items):>7}  "
                f"created {format_number(r.created):>7}  {r.seconds:.2f} s"
            )
        total = sum(r.created for r in results)
        self.stdout.write(
            f"total: {format_number(total)} notifications in {time.perf_counter() - started:.2f} s"
        )
