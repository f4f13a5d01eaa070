"""`manage.py generate_national` at a tiny scale: the counts, determinism, the audit chain, the
2025 reorganisation as the units app records it, and the gate over the generated data."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noichinh.benchmarks import national
from noichinh.cases.models import Case, CaseEvent, SecurityIssue
from noichinh.core.audit import verify_chain
from noichinh.core.models import AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.testkit import make_user
from noichinh.petitions.models import Petition
from noichinh.reports.models import DataValue, Submission
from noichinh.units.choices import EventKind, UnitKind
from noichinh.units.demo import MERGERS, PROVINCES
from noichinh.units.models import Unit, UnitEvent, UnitVersion
from noichinh.work.models import Task

SCALE = 0.002


def fingerprint() -> dict[str, Any]:
    """Counts and sums that do not depend on primary keys."""
    return {
        "units": Unit.objects.count(),
        "versions": UnitVersion.objects.count(),
        "petitions": Petition.objects.count(),
        "petitions by status": dict(
            Petition.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
        "petition references": sorted(
            Petition.objects.values_list("reference", flat=True).order_by("reference")[:50]
        ),
        "cases": Case.objects.count(),
        "case events": CaseEvent.objects.count(),
        "issues": SecurityIssue.objects.count(),
        "submissions": Submission.objects.count(),
        "value sum": DataValue.objects.aggregate(s=Sum("value"))["s"],
        "tasks": Task.objects.count(),
    }


def code_of(demo_code: str) -> str:
    index = [c for c, _n, _city in PROVINCES].index(demo_code) + 1
    return national.province_code(index)


@pytest.mark.django_db
def test_generate_national_counts_determinism_chain_and_gate() -> None:
    # A first run, rolled back; then the command with the same seed (and day) must give the
    # same data.
    today = timezone.localdate()
    with transaction.atomic():
        first_counts = national.generate(SCALE, seed=3, today=today)
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Unit.objects.filter(code__startswith="GEN-").exists()
    assert first["value sum"] > 0

    out = StringIO()
    with transaction.atomic():
        call_command("generate_national", scale=SCALE, seed=3, stdout=out)
    text = out.getvalue()
    assert "units:" in text and "petitions:" in text and "reports:" in text and "total" in text

    plan = national.Plan(scale=SCALE, seed=3)
    assert first_counts["provinces before 1/7/2025"] == 63
    assert first_counts["provinces after"] == 34
    assert first_counts["petitions"] == plan.scaled(national.PETITIONS, 100) == 2000
    assert first_counts["cases"] == 400
    assert first_counts["issues"] == 100
    assert first_counts["indicators"] == 50
    assert first_counts["submissions"] > 0 and first_counts["data values"] > 0
    assert first["petitions"] == 2000 and first["cases"] == 400 and first["issues"] == 100

    if timezone.localdate() == today:  # not across midnight
        assert fingerprint() == first

    # The audit chain is still intact, with one entry summarising the run.
    assert list(verify_chain()) == []
    assert AuditEntry.objects.filter(message__startswith="generate_national").count() == 1

    # The 2025 reorganisation as unit_merge / unit_close leave it.
    root = Unit.objects.get(code="GEN-BNCTW")
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCIAL, code__startswith="GEN-")
    assert provinces.count() == 63
    assert provinces.filter(valid_to__isnull=True).count() == 34
    quang_tri, quang_binh = (
        Unit.objects.get(code=code_of("QT")),
        Unit.objects.get(code=code_of("QB")),
    )
    assert quang_binh.valid_to == dt.date(2025, 6, 30)
    assert quang_binh.successor_id == quang_tri.pk
    assert quang_binh.path.startswith(quang_tri.path)
    assert UnitEvent.objects.filter(kind=EventKind.MERGED).count() == len(MERGERS)
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT_GROUP, code__startswith="GEN-")
    assert districts.count() == 63 * plan.districts
    assert not districts.filter(valid_to__isnull=True).exists()
    communes = Unit.objects.filter(code__contains="-X", code__startswith="GEN-")
    assert communes.count() == 34 * plan.communes
    assert not communes.filter(valid_from__lt=dt.date(2025, 7, 1)).exists()
    # Quảng Bình's version says it was under the root until 30/6/2025.
    version = UnitVersion.objects.get(unit=quang_binh)
    assert (version.parent_id, version.valid_to) == (root.pk, dt.date(2025, 6, 30))

    # The gate: a head of a generated province sees its data, not another province's.
    t01, t02 = Unit.objects.get(code="GEN-T01"), Unit.objects.get(code="GEN-T02")
    head_t01 = make_user("head.t01", t01, [Role.HEAD])
    head_t02 = make_user("head.t02", t02, [Role.HEAD])
    head_qt = make_user("head.qt", quang_tri, [Role.HEAD])
    for model in (Petition, Case, Submission):
        own = model.objects.filter(unit__path__startswith=t01.path)
        assert own.exists(), model
        visible = model.objects.restrict(head_t01, "view")
        assert visible.count() == own.count(), model
        assert not visible.filter(unit__path__startswith=t02.path).exists(), model
        assert not model.objects.restrict(head_t02, "view").filter(pk__in=own.values("pk")).exists()
    # A merged province's old reports belong to its successor's subtree now.
    merged_reports = Submission.objects.filter(unit=quang_binh)
    assert merged_reports.exists()
    assert merged_reports.restrict(head_qt, "view").count() == merged_reports.count()
    assert not merged_reports.restrict(head_t01, "view").exists()

    # Through HTTP: the petition list of T01's head shows T01's register numbers only.
    client = Client()
    client.force_login(head_t01)
    page = client.get(reverse("petitions:petition_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "GEN-T01" in body and "GEN-T02/" not in body

    # The bench runs on it: the cluster table answers 200 to both actors (it was timed as a
    # 404), the roll-up's totals equal the naive CTE's, and every page line answers 200.
    bench = StringIO()
    call_command("bench_registries", repeat=1, http_repeat=1, stdout=bench)
    lines = bench.getvalue().splitlines()
    pages = [line for line in lines if line.startswith("http.")]
    for name in (
        "http.petitions_summary[national]",
        "http.petitions_summary[province]",
        "http.cases_summary[national]",
        "http.petition_list.first_page[national]",
        "http.case_list.first_page[national]",
        "http.petition_list.overdue[province]",
        "http.rollup.commune_form[national]",
        "http.home[national]",
        "http.home[province]",
        "http.cluster_review[national]",
        "http.cluster_review[province]",
    ):
        assert any(line.startswith(name) for line in pages), name
    assert pages and all("HTTP 200" in line for line in pages), pages
    assert any(line.startswith("ref.plain_list_view.petitions[national]") for line in lines)
    assert any(line.startswith("ref.naive_cte.commune_form[national]") for line in lines)
    assert any("same totals as the roll-up: yes" in line for line in lines), lines

    # The gate bench too: its commune actor is a commune in force (not a closed district group).
    bench = StringIO()
    call_command("bench_scoping", repeat=1, http_repeat=1, stdout=bench)
    pages = [line for line in bench.getvalue().splitlines() if line.startswith("http.")]
    assert any("[commune]" in line for line in pages)
    assert pages and all("HTTP 200" in line for line in pages), pages
