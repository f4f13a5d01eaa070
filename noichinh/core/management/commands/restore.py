"""Restore a backup made by `manage.py backup` into the configured database (DATABASE_URL):
checks the .sha256 first, refuses a database that already holds data unless --replace."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from noichinh.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup (checksum checked) into the configured database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite a database that holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection.close()
        try:
            restore(options["file"], replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {options['file']} into {connection.settings_dict['NAME']}; "
            "now run `manage.py audit_verify`"
        )
