"""Bulk import and export figures (issues 16 and 18): `manage.py bench_io`.

On the current database (DATABASE_URL), inside a transaction that is rolled back (nothing is
kept, so a read-only data set is only read):
- refusal time of a compressed-file bomb, a random file and a 5,000,001-row sheet (check_xlsx);
- the petition import of N rows (default 10,000) through `core.exports.import_rows` (the whole
  product path: reading, validation, bulk write, kept counts, audit chain), rows/s and peak RSS
  growth (PetitionResource's bulk hooks included, see docs/performance.md);
- the reference in the same run: the fastest bare path (python-calamine read + COPY on
  PostgreSQL / executemany on SQLite of the same rows, no validation, no audit);
- the petition export of up to M rows (default 100,000) with xlsxwriter, s and rows/s.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import resource
import tempfile
import time
import zipfile
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from noichinh.core import exports
from noichinh.core.display import field_label
from noichinh.core.resources import registry
from noichinh.petitions.models import Petition


class _Rollback(Exception):
    pass


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def petitions_workbook(unit_codes: list[str], rows: int, seed: int = 1) -> bytes:
    """An import file of `rows` valid petitions spread over `unit_codes` (xlsxwriter)."""
    import xlsxwriter

    rng = random.Random(seed)
    resource_class = registry.for_model(Petition)
    assert resource_class is not None
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("x")
    sheet.write_row(0, 0, [field_label(Petition, f) for f in resource_class.get_import_fields()])
    kinds = ["complaint", "denunciation", "recommendation"]
    for i in range(1, rows + 1):
        kind = kinds[i % 3]
        sheet.write_row(
            i,
            0,
            [
                rng.choice(unit_codes),
                f"BENCH-IO-{i}",
                (dt.date(2025, 1, 2) + dt.timedelta(days=i % 300)).strftime("%d/%m/%Y"),
                "post",
                kind,
                "",
                "land",
                f"Đơn thử nghiệm số {i} về đất đai",
                "Nội dung tóm tắt",
                f"Nguyễn Văn {i}",
                "Xã A, huyện B",
                "",
                "UBND xã A",
            ],
        )
    book.close()
    return buffer.getvalue()


def bomb(inflated_mb: int = 1024) -> bytes:
    """A valid-looking .xlsx whose sheet inflates to `inflated_mb` MB (about 1 MB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _i in range(inflated_mb):
                sheet.write(block)
    return buffer.getvalue()


def many_rows(rows: int) -> bytes:
    """A small .xlsx whose sheet declares and holds `rows` empty rows (the report-import case)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet><dimension ref="A1:A{rows}"/><sheetData>'.encode())
            for start in range(0, rows, 100_000):
                sheet.write(b"<row/>" * min(100_000, rows - start))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Bulk import/export figures (rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--export-rows", type=int, default=100_000)
        parser.add_argument("--user", default="")
        parser.add_argument("--no-import", action="store_true")
        parser.add_argument("--no-export", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"bench_io on {connection.vendor} ({connection.settings_dict['NAME']})")
        from django.urls import reverse

        reverse("core:home")  # the URL conf, loaded once per process (a worker has it already)
        self._refusals()
        if not options["no_import"]:
            user = self._user(options["user"])
            self._import(user, options["rows"])
        if not options["no_export"]:
            from noichinh.core.scoping import SYSTEM

            # The whole tree (the generated national units included), as a national export.
            self._export(SYSTEM, options["export_rows"])

    def _user(self, name: str) -> Any:
        model = get_user_model()
        if name:
            return model.objects.get(username=name)
        return model.objects.filter(home_unit__isnull=False).order_by("-is_superuser", "pk")[0]

    def _refusals(self) -> None:
        for label, content in (
            ("bomb 1 GB inflated", bomb(1024)),
            ("random 9 MB", os.urandom(9 * 1024 * 1024)),
            ("5,000,001 rows", many_rows(5_000_001)),
            ("zero bytes", b""),
        ):
            start = time.perf_counter()
            try:
                exports.check_xlsx(content)
                outcome = "ACCEPTED"
            except ValidationError as error:
                outcome = "refused: " + error.messages[0][:60]
            elapsed = time.perf_counter() - start
            self.stdout.write(
                f"refusal  {label:<20} {len(content) / 2**20:6.2f} MB  {elapsed * 1000:7.1f} ms  "
                f"{outcome}"
            )

    def _import(self, user: Any, rows: int) -> None:
        resource_class = registry.for_model(Petition)
        assert resource_class is not None
        units = list(
            Petition.objects.model._meta.get_field("unit")
            .related_model._default_manager.restrict(user, "add")  # type: ignore[union-attr]
            .filter(valid_to__isnull=True)
            .values_list("code", flat=True)[:50]
        )
        content = petitions_workbook(units, rows)
        label = "import (product path)"
        rss = _rss_mb()
        start = time.perf_counter()
        try:
            with transaction.atomic():
                result = exports.import_rows(
                    user=user, resource=resource_class, content=content, name="bench.xlsx"
                )
                elapsed = time.perf_counter() - start
                raise _Rollback
        except _Rollback:
            pass
        grown = _rss_mb() - rss
        if result.errors:
            self.stdout.write(f"{label}: ERRORS {result.errors[:3]}")
            return
        self.stdout.write(
            f"{label:<38} {rows:>7} rows  {elapsed:7.2f} s  {rows / elapsed:8.0f} rows/s  "
            f"peak RSS +{grown:.0f} MB (file {len(content) / 2**20:.1f} MB)"
        )
        self._reference(content, rows)

    def _reference(self, content: bytes, rows: int) -> None:
        """python-calamine read + COPY (PostgreSQL) / executemany (SQLite), no validation."""
        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        data = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        values = data.to_python()[1:]
        read = time.perf_counter() - start
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMPORARY TABLE bench_io_ref ("
                    + ", ".join(f"c{i} text" for i in range(13))
                    + ")"
                )
                if connection.vendor == "postgresql":
                    with cursor.copy("COPY bench_io_ref FROM STDIN") as copy:
                        for row in values:
                            copy.write_row([str(v) for v in row])
                else:
                    cursor.executemany(
                        f"INSERT INTO bench_io_ref VALUES ({', '.join(['%s'] * 13)})",  # noqa: S608
                        [[str(v) for v in row] for row in values],
                    )
                elapsed = time.perf_counter() - start
                raise _Rollback
        except _Rollback:
            pass
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_io_ref")
        self.stdout.write(
            f"{'reference (calamine + bare insert)':<38} {rows:>7} rows  {elapsed:7.2f} s  "
            f"{rows / elapsed:8.0f} rows/s  (read alone {read:.2f} s)"
        )

    def _export(self, user: Any, limit_rows: int) -> None:
        resource_class = registry.for_model(Petition)
        assert resource_class is not None
        queryset = (
            Petition.objects.restrict(user, "view")
            .select_related(*resource_class.select_related)
            .order_by(*resource_class.ordering)
        )
        settings.IO_LIMITS = {**getattr(settings, "IO_LIMITS", {}), "export_rows": limit_rows}
        rss = _rss_mb()
        handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
        handle.close()
        try:
            start = time.perf_counter()
            from django.db import reset_queries
            from django.test.utils import CaptureQueriesContext

            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                count = exports.write_export(resource_class, queryset, handle.name)
            elapsed = time.perf_counter() - start
            size = os.path.getsize(handle.name)
        finally:
            os.unlink(handle.name)
        self.stdout.write(
            f"{'export (xlsxwriter, constant memory)':<38} {count:>7} rows  {elapsed:7.2f} s  "
            f"{count / max(elapsed, 1e-9):8.0f} rows/s  {len(queries)} queries  "
            f"peak RSS +{_rss_mb() - rss:.0f} MB  file {size / 2**20:.1f} MB"
        )
