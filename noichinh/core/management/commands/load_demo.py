"""Load the demo data: each app's `demo.py` adds its part, in the order of INSTALLED_APPS.

Idempotent: every module creates what is missing and leaves what exists, so a second run
changes nothing (the test suite checks that the audit log does not grow on a second run).
"""

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from noichinh.core import request_context


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
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
