"""Time the gate (scope -> queryset filter) and the pages built on it, on the current database.

Needs the generated tree (`manage.py generate_national` or `generate_units`, see
bench/README.md). Prints figures, asserts nothing. Two actors:

- [system]: SYSTEM, whose scope is the whole tree (path prefix "");
- [province]: the throwaway user "bench.province" (created or reused), who holds "viewer" and
  "head" on one generated province ("viewer" alone may not read the audit log: the audit page
  and the audit queries need head, unit administrator or system administrator);
- [national] (HTTP only): "bench.national", head over the generated root, the worst case of the
  audit page (its paginator counts every generated entry).

Each line reads `name[actor]  p50 … ms  p95 … ms  (n=…)` (p50: the median). The query timings
evaluate the queryset (count, list) with the user's assignments already cached, as within one
request; `scope.user_scope` is the cold computation (one query for the role assignments).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client
from django.test.utils import CaptureQueriesContext

from noichinh.core.models import AuditEntry
from noichinh.core.scoping import SYSTEM, forget, user_scope
from noichinh.units.choices import UnitKind

ROOT_CODE = "GEN-BNCTW"
NAME_WIDTH = 34


def add_work_mem_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--work-mem",
        default=os.environ.get("BENCH_WORK_MEM", "64MB"),
        help="PostgreSQL: SET work_mem for the bench's session (default 64MB; '' leaves it)",
    )


def set_work_mem(value: str) -> str:
    """On PostgreSQL, `SET work_mem` for this session and every new one (the server's
    configuration cannot be changed from here); report the settings the bench runs with."""
    if connection.vendor != "postgresql":
        return "settings: sqlite (no server settings)"
    if value:

        def apply(connection: Any, **_kwargs: Any) -> None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('work_mem', %s, false)", [value])

        connection_created.connect(apply, weak=False, dispatch_uid="bench_work_mem")
        apply(connection)
    with connection.cursor() as cursor:
        found = []
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers"):
            cursor.execute(f"SHOW {name}")
            found.append(f"{name} {cursor.fetchone()[0]}")
    return "settings: " + ", ".join(found)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


class Command(BaseCommand):
    help = "Benchmark the scoping gate and the audit/units pages on generated data."
    name_width = NAME_WIDTH

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=20, help="runs per query timing")
        parser.add_argument("--http-repeat", type=int, default=10, help="runs per page timing")
        parser.add_argument(
            "--province", default="GEN-T01", help="code of the generated province to scope to"
        )
        parser.add_argument(
            "--explain", action="store_true", help="print the plans of the scoped queries"
        )
        add_work_mem_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from noichinh.units.models import Unit

        root = Unit.objects.filter(code=ROOT_CODE).first()
        if root is None:
            raise CommandError(
                "No generated data on this database: run `python manage.py generate_national "
                "--scale 0.02` (or generate_units) first (see docs/performance.md)."
            )
        province = Unit.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"No unit with code {options['province']}: check --province.")
        self.repeat = max(1, options["repeat"])
        self.http_repeat = max(1, options["http_repeat"])
        self.stdout.write(set_work_mem(options["work_mem"]))

        commune = (
            Unit.objects.filter(path__startswith=province.path, depth=province.depth + 1)
            .filter(valid_to__isnull=True)  # not a district group closed on 30/6/2025
            .exclude(kind=UnitKind.DEPARTMENT)
            .order_by("path")
            .first()
        )
        province_user = self._bench_user("bench.province", province, ("viewer", "head"))
        national_user = self._bench_user("bench.national", root, ("head",))
        users = {"province": province_user, "national": national_user}
        if commune is not None:
            users["commune"] = self._bench_user("bench.commune", commune, ("head",))

        self.stdout.write(f"database: {self._vendor()}")
        self.stdout.write(
            f"rows: units {Unit.objects.count():,} (generated under {root.code}: "
            f"{Unit.objects.filter(path__startswith=root.path).count():,}), "
            f"audit entries {AuditEntry.objects.count():,}"
        )
        for label, unit in (("province", province), ("commune", commune)):
            if unit is None:
                continue
            self.stdout.write(
                f"{label}: {unit.code} {unit.name} (path {unit.path}, "
                f"{Unit.objects.filter(path__startswith=unit.path).count():,} units, "
                f"{AuditEntry.objects.filter(unit_path__startswith=unit.path).count():,} "
                "audit entries)"
            )

        actors: list[tuple[str, Any]] = [("system", SYSTEM), ("province", province_user)]
        if "commune" in users:
            actors.append(("commune", users["commune"]))
        for label, actor in actors:

            def cold_scope(actor: Any = actor) -> Any:
                forget(actor)
                return user_scope(actor, "view", Unit)

            self._time(f"scope.user_scope[{label}]", cold_scope)
            user_scope(actor, "view", Unit)  # warm the cache as within one request
            for name, work in self._queries(actor, province):
                self._time(f"{name}[{label}]", work)

        for label in ("province", "commune", "national"):
            if label not in users:
                continue
            client = Client()
            client.force_login(users[label])
            self._time_page(f"http.units_list?q=xa[{label}]", client, "/don-vi/?q=xa")
            self._time_page(f"http.audit_page[{label}]", client, "/nhat-ky/")

        if options["explain"]:
            self._explain(users, province)

    @staticmethod
    def _queries(actor: Any, province: Any) -> list[tuple[str, Callable[[], Any]]]:
        """The gate's queries, as the pages run them (each evaluated)."""
        from noichinh.units.models import Unit

        return [
            ("units.restrict.count", lambda: Unit.objects.restrict(actor).count()),
            (
                "units.subtree.first25",
                lambda: list(Unit.objects.restrict(actor).within(province).order_by("path")[:25]),
            ),
            (
                "audit.restrict.page50",
                lambda: list(AuditEntry.objects.restrict(actor, "audit").order_by("-id")[:50]),
            ),
            ("audit.restrict.count", lambda: AuditEntry.objects.restrict(actor, "audit").count()),
        ]

    # Measuring ----------------------------------------------------------------------------

    def _time(self, name: str, work: Callable[[], Any], runs: int | None = None) -> None:
        runs = runs or self.repeat
        work()  # warm-up: connection, caches, compiled statements
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            work()
            samples.append((time.perf_counter() - started) * 1000)
        self._report(name, samples)
        if os.environ.get("BENCH_SAMPLES"):
            self.stdout.write("    " + " ".join(f"{v:.2f}" for v in samples))

    def _report(self, name: str, samples: list[float], extra: str = "") -> None:
        ordered = sorted(samples)
        median = statistics.median(ordered)
        p95 = _percentile(ordered, 0.95)
        self.stdout.write(
            f"{name.ljust(self.name_width)} p50 {self._ms(median)}  p95 {self._ms(p95)}  "
            f"(n={len(samples)}{extra})"
        )

    @staticmethod
    def _ms(value: float) -> str:
        return f"{value:.1f} ms" if value >= 0.1 else f"{value:.3f} ms"

    def _time_page(self, name: str, client: Client, url: str) -> None:
        response = client.get(url)  # warm-up (templates, session)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries.captured_queries)
        samples = []
        for _ in range(self.http_repeat):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        self._report(
            name,
            samples,
            f", HTTP {response.status_code}, {query_count} queries, "
            f"{len(response.content) // 1024} KiB",
        )

    # Setup and plans ----------------------------------------------------------------------

    @staticmethod
    def _bench_user(username: str, unit: Any, roles: tuple[str, ...]) -> Any:
        """Create or reuse a throwaway user holding `roles` on `unit` only (no password)."""
        from noichinh.accounts.models import RoleAssignment, User

        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=f"Benchmark ({username})", home_unit=unit)
            user.set_unusable_password()
            user.save()
        elif user.home_unit_id != unit.pk:
            user.home_unit = unit
            user.save(update_fields=["home_unit", "search_text"])
        RoleAssignment.objects.filter(user=user).exclude(unit=unit, role__in=roles).delete()
        for role in roles:
            RoleAssignment.objects.get_or_create(
                user=user, unit=unit, role=role, defaults={"valid_from": dt.date(2025, 7, 1)}
            )
        forget(user)
        return user

    @staticmethod
    def _vendor() -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT datcollate FROM pg_database WHERE datname = current_database()"
                )
                return f"postgresql {version} (collation {cursor.fetchone()[0]})"
            if connection.vendor == "sqlite":
                cursor.execute("SELECT sqlite_version()")
                return f"sqlite {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
        return connection.vendor

    def _explain(self, users: dict[str, Any], province: Any) -> None:
        """EXPLAIN (ANALYZE on PostgreSQL) the exact SQL the gate's queries send."""
        postgres = connection.vendor == "postgresql"
        prefix = "EXPLAIN (ANALYZE, BUFFERS)" if postgres else "EXPLAIN QUERY PLAN"
        wanted = {
            "province": {"units.restrict.count", "audit.restrict.page50", "audit.restrict.count"},
            "commune": {"audit.restrict.page50", "audit.restrict.count"},
            "national": {"audit.restrict.page50", "audit.restrict.count"},
        }
        for label, names in wanted.items():
            if label not in users:
                continue
            for name, work in self._queries(users[label], province):
                if name not in names:
                    continue
                sent: list[tuple[str, Any]] = []

                def record(
                    execute: Any, sql: str, params: Any, many: bool, context: Any, sent: Any = sent
                ) -> Any:
                    sent.append((sql, params))
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(record):
                    work()
                sql, params = sent[-1]
                with connection.cursor() as cursor:
                    cursor.execute(f"{prefix} {sql}", params)
                    rows = cursor.fetchall()
                self.stdout.write(f"\n-- {name}[{label}]  params {list(params or ())}\n{sql}")
                for row in rows:
                    self.stdout.write("   " + str(row[-1]))
