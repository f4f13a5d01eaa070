"""Source report 4 (domain.md): the nine-month briefing of Quảng Bình's district working groups,
9 months of 2024, read the way a leader reads it: the roll-up page and its Excel export.

8/8 groups reported; 72 directing documents; 02 corruption cases detected (the case registry's
two, per group as the registry names them); 8.651 cases accepted, 7.187 resolved (83 %); 1.703
crime reports and denunciations; 75 party organisations and 122 party members inspected or
supervised; traffic accidents up on 2 criteria (cases, injured) against 9 months of 2023.

The rate: 7.187 / 8.651 = 83,08 %; the source writes "83%" and the indicator has no decimals,
so the page shows "83 %" like the source (the export keeps the exact ratio)."""

import io

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from noichinh.accounts.models import User
from noichinh.core.counts import count_value
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.periods import Period
from noichinh.reports.models import ReportForm
from noichinh.units.models import Unit

pytestmark = pytest.mark.django_db

SOURCE = {
    "VB-CD": "72",
    "TN-PH": "2",
    "TP-TL": "8.651",
    "TP-GQ": "7.187",
    "TP-TLGQ": "83\u00a0%",
    "TG-TB": "1.703",
    "KT-TC": "75",
    "KT-DV": "122",
}
NUMBERS = {
    "VB-CD": 72,
    "TN-PH": 2,
    "TP-TL": 8651,
    "TP-GQ": 7187,
    "TG-TB": 1703,
    "KT-TC": 75,
    "KT-DV": 122,
}


@pytest.fixture
def demo():
    load_demo()


@pytest.fixture
def leader(demo):
    """The central commission's head sees Quảng Bình's history (the province closed in 2025)."""
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    return client


def rollup_url(kind, form, period, unit):
    name = "reports:rollup_excel" if kind == "excel" else "reports:rollup"
    return f"{reverse(name, args=[form.pk])}?period={period}&unit={unit.pk}"


def figures_table(html):
    """{code: (value, last year, change cell)} from the page's table of figures."""
    doc = lxml.html.fromstring(html)
    found = {}
    for row in doc.xpath('//table[@id="figures"]/tbody/tr[td[@data-code]]'):
        cells = row.xpath("td")
        value_cell = row.xpath("td[@data-code]")[0]
        change = row.xpath('td[contains(@class, "change")]')[0]
        found[value_cell.get("data-code")] = (
            value_cell.text_content().strip(),
            cells[3].text_content().strip(),
            change,
        )
    return doc, found


def test_roll_up_page_shows_the_briefing_figures(leader):
    form = ReportForm.objects.get(code="QB-GB-9T")
    quang_binh = Unit.objects.get(code="QB-BNCTU")
    response = leader.get(rollup_url("page", form, "2024-9M", quang_binh))
    assert response.status_code == 200
    doc, figures = figures_table(response.content.decode())
    assert {code: figures[code][0] for code in SOURCE} == SOURCE
    assert "8/8" in doc.get_element_by_id("completeness").text_content()
    # Every figure is compared with 9 months of 2023 on the same 8 groups: no coverage note.
    assert "không cùng phạm vi" not in response.content.decode()
    # Traffic accidents up on 2 criteria (cases, injured); deaths not up.
    directions = {
        code: figures[code][2].xpath(".//*[@data-direction]")[0].get("data-direction")
        for code in ("GT-SV", "GT-BT", "GT-CHET")
    }
    assert directions == {"GT-SV": "up", "GT-BT": "up", "GT-CHET": "down"}
    # More accidents is bad news: red, and said in words.
    accidents = figures["GT-SV"][2]
    assert accidents.xpath('.//*[contains(@class, "text-danger")]')
    assert "kém hơn cùng kỳ" in accidents.text_content()
    assert "tăng" in accidents.text_content()
    # The indicators the briefing discusses are on the form.
    for code in ("THA-VIEC", "THA-TIEN", "HC-VA", "TP-TDBS", "TP-BADH"):
        assert figures[code][0] not in ("", "—")
    # The 2 corruption cases are the registry's, group by group; no figure contradicts it.
    assert not doc.find_class("registry-warning")
    period = Period.parse("2024-9M")
    by_unit = {}
    for row in doc.xpath('//section[@id="by-unit"]//tbody/tr'):
        name = row.xpath("td")[0].text_content().strip()
        by_unit[name] = row.xpath('td[@data-code="TN-PH"]')[0].text_content().strip()
    # The registry as of the period's end: a case handed over to Quảng Trị in the 2025 merger
    # still counts for the group that detected it.
    registry = {
        str(unit): str(
            count_value(
                "cases.all", unit=unit, start=period.start, end=period.end, as_of=period.end
            )
        )
        for unit in Unit.objects.filter(code__startswith="QB-").exclude(code="QB-BNCTU")
    }
    assert by_unit == registry
    assert sorted(name for name, count in by_unit.items() if count == "1") == sorted(
        str(Unit.objects.get(code=code)) for code in ("QB-BT", "QB-QN")
    )
    # The figure links to exactly those records, as held at the period's end.
    link = figures["TN-PH"][0]
    cases = doc.xpath('//td[@data-code="TN-PH"]/a/@href')[0]
    listed = leader.get(cases).content.decode()
    assert link == "2"
    for title in ("Tham ô tiền hỗ trợ người có công", "Sai phạm trong bồi thường, giải phóng mặt"):
        assert title in listed


def test_roll_up_export_and_api_give_the_same_figures(leader):
    form = ReportForm.objects.get(code="QB-GB-9T")
    quang_binh = Unit.objects.get(code="QB-BNCTU")
    response = leader.get(rollup_url("excel", form, "2024-9M", quang_binh))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = {r[5]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[5]}
    assert {code: rows[code][2] for code in NUMBERS} == NUMBERS
    assert round(rows["TP-TLGQ"][2]) == 83
    assert "8/8" in sheet["A4"].value
    assert rows["GT-SV"][8].startswith("▲") and rows["GT-BT"][8].startswith("▲")
    assert rows["GT-CHET"][8].startswith("▼")
    assert not any(r[8] and "không cùng phạm vi" in r[8] for r in rows.values())
    assert not any(r[9] for r in rows.values())  # no figure differs from the registry
    response = leader.get(
        f"/api/rollup/?form={form.pk}&period=2024-9M&unit={quang_binh.pk}",
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    api = {f["code"]: f for f in data["figures"]}
    assert {code: float(api[code]["value"]) for code in NUMBERS} == NUMBERS
    assert api["TN-PH"]["registry_value"] == "2" and api["TN-PH"]["differs"] is False
    assert api["GT-SV"]["comparison"]["direction"] == "up"
    assert api["GT-BT"]["comparison"]["direction"] == "up"
    assert api["GT-CHET"]["comparison"]["direction"] == "down"
    assert api["GT-SV"]["comparison"]["tone"] == "bad"
    assert data["completeness"]["submitted"] == 8 == data["completeness"]["expected"]
