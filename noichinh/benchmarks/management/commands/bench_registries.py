"""Time the registries' pages, the dashboards, the commune-level roll-up and the cluster table
on generated data, with their references measured in the same run (issue 18's table).

Needs the national data set (see docs/performance.md):

    python manage.py generate_national --scale 1
    python manage.py bench_registries

(or the older generate_units + generate_petitions + generate_cases; the roll-up and cluster lines
are then skipped). Prints figures, asserts nothing. Two actors, created or reused as in
`bench_scoping`:

- [province]: "bench.province", viewer and head on one generated province (GEN-T01, a member of
  the generated emulation cluster, so the cluster table answers 200);
- [national]: "bench.national", head over the generated root: the whole generated tree.

Each line reads `name[actor]  p50 … ms  p95 … ms  (n=…)`; page lines (`http.…`, through
django.test.Client with force_login, templates included) add the HTTP status, the number of
queries and the size. `ref.…` lines are the references, called in-process: a plain list view of
the petitions (gate, full count, 25 rows, a bare table) and the naive recursive CTE that sums
the commune-level form's approved values over the tree (its totals are checked against the
roll-up's). `count.…` lines time `core.counts.count_value` for a calendar year over the
actor's unit, with the actor's gate, and with `as_of`. On PostgreSQL the session runs with
`SET work_mem` (`--work-mem`, default 64MB). `--slow` prints the time spent in SQL and the
three slowest queries of each page (one more request), `--explain` the plan of the slowest one
(EXPLAIN ANALYZE on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from urllib.parse import urlencode

from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from noichinh.core.counts import count_value

from .bench_scoping import ROOT_CODE, add_work_mem_argument, set_work_mem
from .bench_scoping import Command as BenchScoping

COUNTS = ("petitions.accepted", "cases.self_detected")


class Command(BenchScoping):
    help = "Benchmark the petition and case registries' pages and derived counts on generated data."
    name_width = 42

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
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated words: time only the pages whose name contains one (skips "
            "the counts and references)",
        )
        add_work_mem_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from noichinh.cases.models import Case, CaseEvent, CaseSuspension, SecurityIssue
        from noichinh.petitions.models import Petition, PetitionExtension, PetitionPause
        from noichinh.reports.models import DataValue, Submission
        from noichinh.units.models import Unit
        from noichinh.work.models import Task

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
        self.stdout.write(set_work_mem(options["work_mem"]))
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
                    ("report submissions", Submission),
                    ("report values", DataValue),
                    ("tasks", Task),
                )
            )
        )
        self.stdout.write(
            f"province: {province.code} {province.name} (petitions "
            f"{Petition.objects.filter(unit__path__startswith=province.path).count():,}, cases "
            f"{Case.objects.filter(unit__path__startswith=province.path).count():,})"
        )
        self.stdout.write(f"counts: year {year} ({start:%d/%m/%Y}-{end:%d/%m/%Y})")

        only = [w for w in options["only"].split(",") if w]
        for label, user in users.items():
            unit = units[label]
            for key in COUNTS if not only else ():

                def plain(key: str = key, unit: Any = unit, user: Any = user) -> int:
                    return count_value(key, unit=unit, start=start, end=end, user=user)

                def as_of(key: str = key, unit: Any = unit, user: Any = user) -> int:
                    return count_value(key, unit=unit, start=start, end=end, user=user, as_of=end)

                value = plain()
                self._time(f"count.{key}[{label}]", plain)
                self.stdout.write(f"    = {value:,}")
                self._time(f"count.{key}.as_of[{label}]", as_of)

        search = urlencode({"q": options["search"]})
        petition_list = reverse("petitions:petition_list")
        case_list = reverse("cases:case_list")
        # The figures of issue 18's table first (same names in docs/performance.md), then the
        # other registry pages. (name, url, actors)
        both = ("national", "province")
        pages: list[tuple[str, str, tuple[str, ...]]] = [
            ("http.petitions_summary", reverse("petitions:dashboard"), both),
            ("http.cases_summary", reverse("cases:dashboard"), both),
            ("http.petition_list.first_page", petition_list, both),
            ("http.case_list.first_page", case_list, both),
            ("http.petition_list.overdue", f"{petition_list}?deadline=overdue", both),
            ("http.home", reverse("dashboards:home"), both),
            (f"http.petition_list?{search}", f"{petition_list}?{search}", both),
            ("http.petitions_overdue", reverse("petitions:overdue"), both),
            ("http.case_list?state=stalled", f"{case_list}?state=stalled", both),
        ]
        rollup = self._rollup(root)
        if rollup is not None:
            pages.append(("http.rollup.commune_form", rollup[0], ("national",)))
        cluster_url = self._cluster_url()
        if cluster_url:
            pages.append(("http.cluster_review", cluster_url, both))
        for label, user in users.items():
            client = Client()
            client.force_login(user)
            for name, url, actors in pages:
                if label in actors and (not only or any(w in name for w in only)):
                    self._time_page(f"{name}[{label}]", client, url)
            if label == "national" and not only:
                self._plain_list(user)
                if rollup is not None:
                    self._naive_rollup(root, *rollup[1:])
        if rollup is None:
            self.stdout.write("http.rollup.commune_form: skipped (no generated commune-level form)")
        if not cluster_url:
            self.stdout.write(
                "http.cluster_review: skipped (no generated campaign review and cluster)"
            )

    # References --------------------------------------------------------------------------

    def _plain_list(self, user: Any) -> None:
        """The reference of the petition list: what a plain list view does for the same user
        (the gate, a full count for the paginator, the first 25 rows in the list's order,
        a bare table), called in-process without middleware or the site's layout."""
        from django.core.paginator import Paginator
        from django.template import Context, Template

        from noichinh.petitions.models import Petition

        template = Template(
            "<table>{% for p in rows %}<tr><td>{{ p.reference }}</td><td>{{ p.received_on }}"
            "</td><td>{{ p.subject }}</td><td>{{ p.get_status_display }}</td></tr>{% endfor %}"
            "</table><p>{{ page.paginator.count }}</p>"
        )

        def work() -> str:
            queryset = Petition.objects.restrict(user, "view").order_by("-received_on", "-id")
            page = Paginator(queryset, 25).page(1)
            return template.render(Context({"rows": list(page.object_list), "page": page}))

        self._time_reference("ref.plain_list_view.petitions[national]", work)

    def _time_reference(self, name: str, work: Any) -> Any:
        with CaptureQueriesContext(connection) as queries:
            result = work()
        samples = []
        for _ in range(self.http_repeat):
            started = time.perf_counter()
            work()
            samples.append((time.perf_counter() - started) * 1000)
        size = len(result) // 1024 if isinstance(result, str) else 0
        self._report(
            name,
            samples,
            f", in-process, {len(queries.captured_queries)} queries"
            + (f", {size} KiB" if isinstance(result, str) else ""),
        )
        return result

    def _naive_rollup(self, root: Any, form: Any, period: Any) -> None:
        """The reference of the roll-up: the same totals by one recursive CTE over the unit
        tree (children by parent) joined to the approved values, summed by indicator."""
        from noichinh.reports import selectors
        from noichinh.reports.choices import FINAL

        statuses = list(FINAL)
        marks = ", ".join(["%s"] * len(statuses))
        sql = f"""
            WITH RECURSIVE tree(id) AS (
                SELECT id FROM units_unit WHERE id = %s
                UNION ALL
                SELECT u.id FROM units_unit u JOIN tree t ON u.parent_id = t.id
            )
            SELECT v.indicator_id, SUM(v.value)
            FROM reports_datavalue v
            JOIN reports_submission s ON s.id = v.submission_id
            JOIN tree t ON t.id = s.unit_id
            WHERE s.form_id = %s AND s.period = %s AND s.status IN ({marks})
            GROUP BY v.indicator_id
        """  # noqa: S608 (placeholders only)

        def work() -> dict[int, Any]:
            with connection.cursor() as cursor:
                cursor.execute(sql, [root.pk, form.pk, period.code, *statuses])
                return dict(cursor.fetchall())

        totals = self._time_reference("ref.naive_cte.commune_form[national]", work)
        result = selectors.rollup(form, period, root)
        expected = {f.item.indicator_id: f.value for f in result.figures if f.value is not None}
        same = all(
            expected.get(key) is not None and float(expected[key]) == float(value)
            for key, value in totals.items()
        ) and len(expected) == len(totals)
        self.stdout.write(
            f"    same totals as the roll-up: {'yes' if same else 'NO'} "
            f"({len(totals)} indicators, {period.code}, {result.approved} approved reports)"
        )

    @staticmethod
    def _rollup(root: Any) -> tuple[str, Any, Any] | None:
        """The roll-up of the generated commune-level form for the whole generated tree, on
        its last period with communes reporting."""
        from noichinh.core.periods import Period
        from noichinh.reports.models import ReportForm

        form = ReportForm.objects.filter(code=f"{ROOT_CODE[:4]}XA-QUY").first()
        if form is None:
            return None
        last = Period.last_ended(form.period_type, timezone.localdate(), form.cumulative)
        period = last.previous()  # the last complete one (the latest still has drafts)
        query = urlencode({"period": period.code, "unit": root.pk})
        url = f"{reverse('reports:rollup', args=[form.pk])}?{query}"
        return url, form, period

    @staticmethod
    def _cluster_url() -> str:
        """The review table of the generated cluster (GEN-CUM-…, owned by the generated root,
        GEN-T01 a member) on the generated campaign's latest review."""
        from noichinh.campaigns.models import Review
        from noichinh.units.models import Cluster

        cluster = (
            Cluster.objects.filter(code__startswith=ROOT_CODE[:4], members__isnull=False)
            .order_by("code")
            .first()
        )
        review = (
            Review.objects.filter(campaign__unit__code=ROOT_CODE)
            .filter(cutoff_on__lte=timezone.localdate())
            .order_by("-cutoff_on")
            .first()
        )
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
