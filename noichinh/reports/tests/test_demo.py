"""The demo's nine-month 2024 figures of Quảng Bình add up to the domain's, and loading twice
creates nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from noichinh.accounts.models import User
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.core.periods import Period
from noichinh.reports import selectors
from noichinh.reports.models import ReportForm, Submission
from noichinh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def test_quang_binh_nine_months_2024_adds_up_to_the_domain_figures(demo):
    form = ReportForm.objects.get(code="QB-GB-9T")
    result = selectors.rollup(form, Period.parse("2024-9M"), Unit.objects.get(code="QB-BNCTU"))
    assert (result.expected, result.sent, result.approved, result.on_time) == (8, 8, 8, 7)
    totals = result.totals
    assert totals["VB-CD"] == 72
    assert totals["TN-PH"] == 2
    assert totals["TP-TL"] == 8651
    assert totals["TP-GQ"] == 7187
    assert round(totals["TP-TLGQ"]) == 83
    assert totals["TG-TB"] == 1703
    assert totals["KT-TC"] == 75
    assert totals["KT-DV"] == 122
    assert result.last_year["TP-TL"] == 8012
    figure = next(f for f in result.figures if f.indicator.code == "TP-TL")
    assert figure.change == 639


def test_merged_quang_tri_compares_with_quang_binh(demo):
    """After the 2025 merger, Quảng Trị's roll-up of 9 months 2025 on Quảng Bình's form has no
    reporting units, and its same period last year is Quảng Bình's districts' 2024 figures."""
    form = ReportForm.objects.get(code="QB-GB-9T")
    result = selectors.rollup(form, Period.parse("2025-9M"), Unit.objects.get(code="QT-BNCTU"))
    assert result.expected == 0
    assert "QB-BNCTU" in [u.code for u in result.last_year_units]
    assert result.last_year["TP-TL"] == 8651


def test_quarterly_reports_and_pages(demo):
    # 2023-2024: the history (5 units x 8 quarters); later quarters follow the load day
    assert Submission.objects.filter(form__code="TW-QUY", period__lt="2025").count() == 40
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    form = ReportForm.objects.get(code="TW-QUY")
    response = client.get(f"/bao-cao/bieu-mau/{form.pk}/tong-hop/?period=2024-Q3")
    assert response.status_code == 200
    client.force_login(User.objects.get(username="quangbinh"))
    assert client.get("/bao-cao/").status_code == 200


def test_demo_is_idempotent(demo):
    counts = (Submission.objects.count(), AuditEntry.objects.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    extra = list(AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - counts[1]])
    assert (Submission.objects.count(), AuditEntry.objects.count()) == counts, [
        (e.object_type, e.object_repr, e.action, e.message) for e in extra
    ]
    assert "reports:" in out.getvalue() and "(0 new records)" in out.getvalue()


def test_page_query_counts(demo):
    """The entry page and the roll-up of the whole country run a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    form = ReportForm.objects.get(code="QB-GB-9T")
    submission = Submission.objects.filter(form=form, period="2024-9M").first()
    pages = {
        "entry": f"/bao-cao/bao-cao-don-vi/{submission.pk}/nhap-so-lieu/",
        "rollup": f"/bao-cao/bieu-mau/{form.pk}/tong-hop/?period=2024-9M"
        f"&unit={Unit.objects.get(code='BNCTW').pk}",
        "rollup_quarterly": f"/bao-cao/bieu-mau/{ReportForm.objects.get(code='TW-QUY').pk}"
        f"/tong-hop/?period=2024-Q3&unit={Unit.objects.get(code='BNCTW').pk}",
    }
    counts = {}
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    print("query counts", counts)
    assert counts["entry"] <= 25
    assert counts["rollup"] <= 30
    with CaptureQueriesContext(connection) as queries:
        selectors.rollup(form, Period.parse("2024-9M"), Unit.objects.get(code="BNCTW"))
    print("rollup selector queries", len(queries))
    assert len(queries) <= 12
