"""Back the database up into var/backups/ (NOICHINH_BACKUP_DIR) with a .sha256 beside it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from noichinh.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back the database up (SQLite backup API or pg_dump) with a checksum file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Where to write the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["dir"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written: {path} ({path.stat().st_size} bytes, {path}.sha256)")
