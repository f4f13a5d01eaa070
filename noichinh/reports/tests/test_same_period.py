"""Comparisons with the same period last year on every surface: the coverage of both sides is
said next to the change when it differs (the quarterly roll-up of Q4/2024 adds up 3 of 5
reports against 5 of 5), and never when both sides are complete; a unit report shows its own
same period column."""

import io
from decimal import Decimal

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from noichinh.accounts.models import User
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.scoping import SYSTEM
from noichinh.reports import services
from noichinh.reports.models import Indicator, ReportForm
from noichinh.units.models import Unit

from .conftest import make_form

pytestmark = pytest.mark.django_db
UNLIKE = "so sánh không cùng phạm vi: kỳ này 3/5 đơn vị báo cáo, cùng kỳ 5/5"


def change_cells(html):
    doc = lxml.html.fromstring(html)
    return doc, {
        cell.get("data-code"): cell.text_content()
        for cell in doc.xpath('//table[@id="figures"]//td[contains(@class, "change")]')
    }


def test_quarterly_roll_up_states_unlike_coverage_next_to_the_change():
    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    form = ReportForm.objects.get(code="TW-QUY")
    root = Unit.objects.get(code="BNCTW")
    url = reverse("reports:rollup", args=[form.pk])

    # Q4/2024: Nghệ An's report is a draft and Quảng Trị's was returned: 3 of 5 added up,
    # against 5 of 5 in Q4/2023. Every change says so beside it.
    response = client.get(f"{url}?period=2024-Q4&unit={root.pk}")
    doc, cells = change_cells(response.content.decode())
    assert cells and all(UNLIKE in text for text in cells.values()), cells
    accepted = cells["TP-TL"]
    assert "giảm" in accepted and "24,35\u00a0%" in accepted  # the fall is shown, and qualified
    coverage = doc.get_element_by_id("last-year-coverage").text_content()
    assert "kỳ này 3/5" in coverage and "cùng kỳ 5/5" in coverage
    # The units are named as they were at the end of 2024 (Huế became a city on 1/1/2025).
    by_unit = doc.get_element_by_id("by-unit").text_content()
    assert "Thừa Thiên Huế" in by_unit and "Thành ủy Huế" not in by_unit

    # Q3/2024: 5 of 5 against 5 of 5, like for like: no note anywhere.
    response = client.get(f"{url}?period=2024-Q3&unit={root.pk}")
    _doc, cells = change_cells(response.content.decode())
    assert cells and not any("không cùng phạm vi" in text for text in cells.values())
    assert "tăng" in cells["TP-TL"]

    # The export and the API say the same.
    excel = client.get(
        f"{reverse('reports:rollup_excel', args=[form.pk])}?period=2024-Q4&unit={root.pk}"
    )
    sheet = load_workbook(io.BytesIO(excel.content)).worksheets[0]
    rows = {r[5]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[5]}
    assert all(UNLIKE in r[8] for r in rows.values())
    assert "3/5" in sheet["A4"].value and "5/5" in sheet["A4"].value
    data = client.get(
        f"/api/rollup/?form={form.pk}&period=2024-Q4&unit={root.pk}",
        HTTP_ACCEPT="application/json",
    ).json()
    comparison = {f["code"]: f["comparison"] for f in data["figures"]}["TP-TL"]
    assert comparison["comparable"] is False
    assert comparison["current_coverage"] == [3, 5] and comparison["previous_coverage"] == [5, 5]
    assert comparison["coverage_note"] == UNLIKE
    assert data["last_year_completeness"] == {"expected": 5, "approved": 5}
    # Fewer cases resolved on 3 reports than on 5 is no verdict on the work: not coloured.
    assert Indicator.objects.get(code="TP-GQ").polarity == "higher_better"
    assert {f["code"]: f["comparison"] for f in data["figures"]}["TP-GQ"]["tone"] == "neutral"
    q3 = client.get(
        f"/api/rollup/?form={form.pk}&period=2024-Q3&unit={root.pk}",
        HTTP_ACCEPT="application/json",
    ).json()
    assert {f["code"]: f["comparison"] for f in q3["figures"]}["TP-GQ"]["tone"] == "good"


def report(form, unit, period, accepted, resolved, inspected):
    submission = services.submission_open(user=SYSTEM, form=form, period=period, unit=unit)
    services.submission_save_values(
        user=SYSTEM,
        submission=submission,
        values={
            form.ind["TL"].pk: Decimal(accepted),
            form.ind["GQ"].pk: Decimal(resolved),
            form.ind["KT"].pk: Decimal(inspected),
        },
    )
    return submission


def test_a_unit_report_shows_its_same_period_last_year(client, tree, head_root):
    form = make_form(tree["root"])
    resolved = form.ind["GQ"]
    resolved.polarity = "higher_better"
    resolved.save()
    last = report(form, tree["prov_a"], "2023-9M", 100, 70, 3)
    services.submission_submit(user=SYSTEM, submission=last)
    services.submission_approve(user=SYSTEM, submission=last)
    now = report(form, tree["prov_a"], "2024-9M", 120, 90, 3)
    client.force_login(head_root)
    for name in ("reports:submission_detail", "reports:submission_entry"):
        html = client.get(reverse(name, args=[now.pk])).content.decode()
        doc = lxml.html.fromstring(html)
        cells = {c.get("data-code"): c for c in doc.xpath('//td[contains(@class, "change")]')}
        assert "tăng 20 vụ việc" in cells["BM-9T-GQ"].text_content(), name
        assert cells["BM-9T-GQ"].find_class("text-success"), name  # polarity: better
        assert cells["BM-9T-TL"].find_class("text-muted"), name  # neutral: no verdict
        assert "không cùng phạm vi" not in html
    # Without an approved report a year earlier, the page says why there is no comparison.
    other = report(form, tree["prov_b"], "2024-9M", 50, 20, 2)
    html = client.get(reverse("reports:submission_detail", args=[other.pk])).content.decode()
    assert "so sánh không cùng phạm vi: kỳ này 1/1 đơn vị báo cáo, cùng kỳ 0/1" in html
    # The export carries the same period and the change.
    response = client.get(reverse("reports:submission_excel", args=[now.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {r[5]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[5]}
    assert rows["BM-9T-GQ"][7] == 70
    assert rows["BM-9T-GQ"][8].startswith("▲ tăng 20 vụ việc")
