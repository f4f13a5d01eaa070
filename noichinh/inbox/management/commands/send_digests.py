"""Send the e-mail digests now (the scheduler sends them at 7:00 Vietnam time)."""

from typing import Any

from django.core.management.base import BaseCommand

from noichinh.inbox.digest import send_digests


class Command(BaseCommand):
    help = "Mail each user choosing the daily digest their notifications not yet mailed."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_digests()
        self.stdout.write(f"{result['emails']} e-mails, {result['notifications']} notifications")
