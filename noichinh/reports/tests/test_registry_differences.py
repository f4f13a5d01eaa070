"""A hand figure that differs from its registry is flagged on every surface where it appears:
the report's page and entry grid, the roll-up page (the unit's cell and the total), the Excel
exports of the report and of the roll-up, and the API (`registry_value`, `differs`). A figure
equal to the registry is not flagged."""

import datetime as dt
import io
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from noichinh.core.scoping import SYSTEM
from noichinh.reports import services

from .conftest import make_document, make_form

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def reports(tree):
    """Province A typed 5 documents where the registry holds 2; province B kept the registry's
    1. Both approved."""
    form = make_form(tree["root"])
    make_document(tree["prov_a"], D(2024, 3, 1))
    make_document(tree["dept_a"], D(2024, 5, 1))
    make_document(tree["prov_b"], D(2024, 6, 1))
    found = {}
    for unit, docs in ((tree["prov_a"], 5), (tree["prov_b"], None)):
        submission = services.submission_open(user=SYSTEM, form=form, period="2024-9M", unit=unit)
        values = {form.ind["TL"].pk: Decimal(100), form.ind["GQ"].pk: Decimal(80)}
        values[form.ind["KT"].pk] = Decimal(3)
        if docs is not None:
            values[form.ind["VB"].pk] = Decimal(docs)
        services.submission_save_values(user=SYSTEM, submission=submission, values=values)
        found[unit.code] = submission
    return form, found


def approve_all(found):
    for submission in found.values():
        services.submission_submit(user=SYSTEM, submission=submission)
        services.submission_approve(user=SYSTEM, submission=submission)


def warning_cells(html):
    doc = lxml.html.fromstring(html)
    return [
        cell.get("data-code")
        for cell in doc.xpath("//td[@data-code]")
        if cell.find_class("registry-warning")
    ], doc


def test_report_pages_and_export_flag_the_difference(client, reports, head_root):
    _form, found = reports
    client.force_login(head_root)
    a, b = found["T-A"], found["T-B"]
    html = client.get(reverse("reports:submission_entry", args=[a.pk])).content.decode()
    assert "chênh lệch với sổ theo dõi 3" in html
    approve_all(found)
    flagged, _doc = warning_cells(
        client.get(reverse("reports:submission_detail", args=[a.pk])).content.decode()
    )
    assert flagged == ["BM-9T-VB"]
    flagged, _doc = warning_cells(
        client.get(reverse("reports:submission_detail", args=[b.pk])).content.decode()
    )
    assert flagged == []
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reports:submission_excel", args=[a.pk])).content)
    ).worksheets[0]
    rows = {r[5]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[5]}
    assert (rows["BM-9T-VB"][2], rows["BM-9T-VB"][6]) == (5, 2)
    assert rows["BM-9T-VB"][9] == "Khác sổ theo dõi: báo cáo 5, sổ theo dõi 2"
    assert not rows["BM-9T-TL"][9]
    values = {
        v["code"]: v
        for v in client.get(f"/api/submissions/{a.pk}/", HTTP_ACCEPT="application/json").json()[
            "values"
        ]
    }
    assert values["BM-9T-VB"]["differs"] is True
    assert Decimal(values["BM-9T-VB"]["registry_value"]) == 2
    assert values["BM-9T-TL"]["differs"] is False


def test_roll_up_page_export_and_api_flag_the_difference(client, reports, tree, head_root):
    form, found = reports
    approve_all(found)
    client.force_login(head_root)
    query = f"?period=2024-9M&unit={tree['root'].pk}"
    html = client.get(reverse("reports:rollup", args=[form.pk]) + query).content.decode()
    flagged, doc = warning_cells(html)
    # The total (6 reported, 3 in the registry) and province A's cell; not province B's.
    assert flagged == ["BM-9T-VB", "BM-9T-VB"]
    rows = {
        row.xpath("td")[0].text_content().strip(): row
        for row in doc.xpath('//section[@id="by-unit"]//tbody/tr')
    }
    assert (
        rows[str(tree["prov_a"])]
        .xpath('td[@data-code="BM-9T-VB"]')[0]
        .find_class("registry-warning")
    )
    assert (
        not rows[str(tree["prov_b"])]
        .xpath('td[@data-code="BM-9T-VB"]')[0]
        .find_class("registry-warning")
    )
    listed = doc.get_element_by_id("registry-differences").text_content()
    assert str(tree["prov_a"]) in listed and "báo cáo 5, sổ theo dõi 2" in listed
    assert str(tree["prov_b"]) not in listed

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("reports:rollup_excel", args=[form.pk]) + query).content)
    )
    main = {r[5]: r for r in workbook.worksheets[0].iter_rows(min_row=6, values_only=True) if r[5]}
    assert "Khác sổ theo dõi: báo cáo 5, sổ theo dõi 2" in main["BM-9T-VB"][9]
    assert str(tree["prov_a"]) in main["BM-9T-VB"][9]
    assert not main["BM-9T-TL"][9]
    detail = workbook.worksheets[1]
    header = [c.value for c in detail[1]]
    vb_row = next(r for r in detail.iter_rows(min_row=2) if r[0].value == form.ind["VB"].name)
    a_cell = vb_row[header.index(str(tree["prov_a"]))]
    b_cell = vb_row[header.index(str(tree["prov_b"]))]
    assert a_cell.value == 5 and "sổ theo dõi 2" in a_cell.comment.text
    assert b_cell.value == 1 and b_cell.comment is None

    data = client.get(
        f"/api/rollup/?form={form.pk}&period=2024-9M&unit={tree['root'].pk}",
        HTTP_ACCEPT="application/json",
    ).json()
    figure = {f["code"]: f for f in data["figures"]}["BM-9T-VB"]
    assert (figure["value"], figure["registry_value"], figure["differs"]) == ("6", "3", True)
    units = {u["unit_code"]: u for u in data["units"]}
    assert units["T-A"]["differs"] == ["BM-9T-VB"] and units["T-B"]["differs"] == []
    assert units["T-A"]["registry_values"] == {"BM-9T-VB": "2"}


def test_submitting_takes_the_registry_as_it_is_then(tree, specialist_a):
    """A record added to the registry after the report was opened is in the figure sent: a
    figure that followed the registry follows it, a typed one stays and is flagged."""
    form = make_form(tree["root"])
    make_document(tree["prov_a"], D(2024, 3, 1))
    submission = services.submission_open(
        user=specialist_a, form=form, period="2024-9M", unit=tree["prov_a"]
    )
    services.submission_save_values(
        user=specialist_a,
        submission=submission,
        values={
            form.ind["TL"].pk: Decimal(100),
            form.ind["GQ"].pk: Decimal(80),
            form.ind["KT"].pk: Decimal(3),
        },
    )
    make_document(tree["prov_a"], D(2024, 8, 1))
    services.submission_submit(user=specialist_a, submission=submission)
    row = submission.values.get(indicator=form.ind["VB"])
    assert (row.value, row.derived, row.difference) == (2, 2, None)
