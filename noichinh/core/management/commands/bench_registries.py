"""Time the registries' pages and derived counts on generated data, on the current database.

Needs the generated tree and registries (see bench/README.md):

    python manage.py generate_units --provinces 34 --communes-per-province 100 --departments 4
    python manage.py generate_petitions --count 1000000
    python manage.py generate_cases --count 200000 --issues 50000
    python manage.py bench_registries

Prints figures, asserts nothing. Two actors, created or reused as in `bench_scoping`:

- [province]: "bench.province", viewer and head on one generated province (head also sees the
  confidential cases of the province);
- [national]: "bench.national", head over the generated root: the whole generated tree.

Each line reads `name[actor]  median … ms  p95 … ms  (n=…)`; page lines (`http.…`, through
django.test.Client with force_login, templates included) add the status, the number of queries
and the size. `count.…` lines time `core.counts.count_value` for a calendar year over the
actor's unit (the province, or the generated root), with the actor's gate, and with `as_of`
(the subtree as the tree was on the last day of the year, from the unit versions). `--slow`
prints the time spent in SQL and the three slowest queries of each page (one more request),
`--explain` the plan of the slowest one (EXPLAIN ANALYZE on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from noichinh.core.counts import count_value

from .bench_scoping import ROOT_CODE
from .bench_scoping import Command as BenchScoping

COUNTS = ("petitions.accepted", "cases.self_detected")


class Command(BenchScoping):
    help = "Benchmark the petition and case registries' pages and derived counts on generated data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=10, help="runs per count timing")
        parser.add_argument("--http-repeat", type=int, default=5, help="runs per page timing")
        parser.add_argument(
            "--province", default="GEN-T01", help="code of the generated province to scope to"
        )
        parser.add_argument(
            "--year", type=int, default=0, help="year of the counts (default: last year)"
        )
        parser.add_argument(
            "--search", default="boi thuong", help="folded search words for the petition list"
        )
        parser.add_argument(
            "--slow",
            action="store_true",
            help="print the SQL time and the three slowest queries of each page",
        )
        parser.add_argument(
            "--explain", action="store_true", help="print the plan of each page's slowest query"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from noichinh.cases.models import Case, CaseEvent, CaseSuspension, SecurityIssue
        from noichinh.petitions.models import Petition, PetitionExtension, PetitionPause
        from noichinh.units.models import Unit

        root = Unit.objects.filter(code=ROOT_CODE).first()
        province = Unit.objects.filter(code=options["province"]).first()
        if root is None or province is None:
            raise CommandError(
                "No generated tree on this database (or no unit "
                f"{options['province']}): run generate_units first (see bench/README.md)."
            )
        if not Petition.objects.filter(unit__path__startswith=root.path).exists():
            raise CommandError("No generated petitions: run `manage.py generate_petitions` first.")
        self.repeat = max(1, options["repeat"])
        self.http_repeat = max(1, options["http_repeat"])
        self.slow = options["slow"]
        self.explain = options["explain"]
        year = options["year"] or timezone.localdate().year - 1
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

        users = {
            "province": self._bench_user("bench.province", province, ("viewer", "head")),
            "national": self._bench_user("bench.national", root, ("head",)),
        }
        units = {"province": province, "national": root}

        self.stdout.write(f"database: {self._vendor()}")
        self.stdout.write(
            "rows: "
            + ", ".join(
                f"{label} {model.objects.count():,}"
                for label, model in (
                    ("units", Unit),
                    ("petitions", Petition),
                    ("extensions", PetitionExtension),
                    ("pauses", PetitionPause),
                    ("cases", Case),
                    ("case events", CaseEvent),
                    ("suspensions", CaseSuspension),
                    ("security issues", SecurityIssue),
                )
            )
        )
        self.stdout.write(
            f"province: {province.code} {province.name} (petitions "
            f"{Petition.objects.filter(unit__path__startswith=province.path).count():,}, cases "
            f"{Case.objects.filter(unit__path__startswith=province.path).count():,})"
        )
        self.stdout.write(f"counts: year {year} ({start:%d/%m/%Y}-{end:%d/%m/%Y})")

        for label, user in users.items():
            unit = units[label]
            for key in COUNTS:

                def plain(key: str = key, unit: Any = unit, user: Any = user) -> int:
                    return count_value(key, unit=unit, start=start, end=end, user=user)

                def as_of(key: str = key, unit: Any = unit, user: Any = user) -> int:
                    return count_value(key, unit=unit, start=start, end=end, user=user, as_of=end)

                value = plain()
                self._time(f"count.{key}[{label}]", plain)
                self.stdout.write(f"    = {value:,}")
                self._time(f"count.{key}.as_of[{label}]", as_of)

        search = urlencode({"q": options["search"]})
        pages = [
            ("http.petition_list", reverse("petitions:petition_list")),
            (
                "http.petition_list?deadline=overdue",
                f"{reverse('petitions:petition_list')}?deadline=overdue",
            ),
            (f"http.petition_list?{search}", f"{reverse('petitions:petition_list')}?{search}"),
            ("http.petitions_dashboard", reverse("petitions:dashboard")),
            ("http.petitions_overdue", reverse("petitions:overdue")),
            ("http.case_list", reverse("cases:case_list")),
            ("http.case_list?state=stalled", f"{reverse('cases:case_list')}?state=stalled"),
            ("http.cases_dashboard", reverse("cases:dashboard")),
        ]
        cluster_url = self._cluster_url()
        if cluster_url:
            pages.append(("http.cluster_review", cluster_url))
        for label, user in users.items():
            client = Client()
            client.force_login(user)
            for name, url in pages:
                self._time_page(f"{name}[{label}]", client, url)
        if not cluster_url:
            self.stdout.write(
                "http.cluster_review: skipped (no campaign with a review and a cluster)"
            )

    @staticmethod
    def _cluster_url() -> str:
        """The review table of the first cluster, if a campaign with a review exists."""
        from noichinh.campaigns.models import Review
        from noichinh.units.models import Cluster

        review = Review.objects.order_by("-cutoff_on").first()
        cluster = Cluster.objects.filter(members__isnull=False).order_by("code").first()
        if review is None or cluster is None:
            return ""
        return f"{reverse('campaigns:cluster_review', args=[cluster.pk])}?review={review.pk}"

    def _time_page(self, name: str, client: Client, url: str) -> None:
        """As bench_scoping's, plus the slowest queries (--slow) and the plan (--explain)."""
        super()._time_page(name, client, url)
        if not (self.slow or self.explain):
            return
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        if self.slow:
            total = sum(float(q["time"]) for q in ranked) * 1000
            self.stdout.write(f"    SQL {total:.0f} ms in {len(ranked)} queries; the slowest:")
            for query in ranked[:3]:
                sql = " ".join(query["sql"].split())
                self.stdout.write(f"    {float(query['time']) * 1000:8.1f} ms  {sql[:400]}")
        if self.explain and ranked:
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS)"
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN"
            )
            with connection.cursor() as cursor:
                cursor.execute(f"{prefix} {ranked[0]['sql']}")
                for row in cursor.fetchall():
                    self.stdout.write("      " + str(row[-1]))
