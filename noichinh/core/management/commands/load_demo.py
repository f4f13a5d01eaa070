"""Load the demo data: each app's `demo.py` adds its part, in the order of INSTALLED_APPS.

Idempotent: every module creates what is missing and leaves what exists, so a second run
changes nothing (the test suite checks that the audit log does not grow on a second run).

The demo is alive on the day it is loaded: the source reports' history (2023-2025) keeps its
exact dates, while the current state (open petitions, running cases, tasks, the current
period's reports, ballots and campaigns whose day has passed) is computed from `today`, the
load day (`timezone.localdate()`, or `--today d/m/yyyy`), and is deterministic for that day.
A loader whose `load` takes a `today` keyword receives it.
"""

import datetime as dt
import importlib
import inspect
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from noichinh.core import request_context

# The history ends with 2025: the current state is built after it.
FIRST_LOAD_DAY = dt.date(2026, 1, 1)


def parse_day(text: str) -> dt.date:
    """A d/m/yyyy (or ISO yyyy-mm-dd) date."""
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today: not a date (d/m/yyyy): {text}") from error


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="the day the demo is loaded on, d/m/yyyy (default: today); the current state "
            "is computed from it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_day(options["today"]) if options.get("today") else timezone.localdate()
        if today < FIRST_LOAD_DAY:
            raise CommandError("--today: the demo's history runs to 31/12/2025; load it after.")
        token = request_context.set_current(request_context.RequestInfo("load_demo", None))
        try:
            with transaction.atomic():
                for config in apps.get_app_configs():
                    if not config.name.startswith("noichinh."):
                        continue
                    try:
                        module = importlib.import_module(f"{config.name}.demo")
                    except ModuleNotFoundError as error:
                        if error.name == f"{config.name}.demo":
                            continue
                        raise
                    if "today" in inspect.signature(module.load).parameters:
                        module.load(self.stdout, today=today)
                    else:
                        module.load(self.stdout)
                # The 2025 reorganisation's hand-over, once every registry is loaded: what the
                # closed units still hold goes to their heirs (core.handover).
                from noichinh.core.handover import handover_pending
                from noichinh.core.scoping import SYSTEM

                plans = handover_pending(user=SYSTEM)
                moved = sum(plan.total for plan in plans)
                self.stdout.write(f"hand-over: {moved} records from {len(plans)} closed units")
        finally:
            request_context.reset(token)
        from noichinh.accounts.demo import print_accounts

        print_accounts(self.stdout)
