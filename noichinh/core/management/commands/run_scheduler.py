"""Enqueue the periodic tasks declared in code (core.schedule) when they are due."""

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from noichinh.core.schedule import enqueue_due, schedule


class Command(BaseCommand):
    help = "Enqueue due periodic tasks; loops unless --once. Run db_worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        names = ", ".join(e.describe() for e in schedule())
        self.stdout.write(f"schedule: {names or 'empty'}")
        while True:
            for name in enqueue_due(timezone.now()):
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} enqueued {name}")
            if options["once"]:
                return
            time.sleep(max(5, options["interval"]))
