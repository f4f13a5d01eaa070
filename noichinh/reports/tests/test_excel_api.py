"""Excel export and import of a report, the pages, and the API (values, verbs, roll-up)."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from noichinh.core.models import AuditAction, AuditEntry
from noichinh.reports import services
from noichinh.reports.choices import Status
from noichinh.reports.models import Submission

from .conftest import make_form

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def opened(tree, specialist_a):
    form = make_form(tree["root"])
    submission = services.submission_open(
        user=specialist_a, form=form, period="2024-9M", unit=tree["prov_a"]
    )
    services.submission_save_values(
        user=specialist_a,
        submission=submission,
        values={form.ind["TL"].pk: Decimal(8651), form.ind["GQ"].pk: Decimal(7187)},
        comments={form.ind["TL"].pk: "Toàn tỉnh"},
    )
    return form, submission


def sheet_of(response):
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def upload(sheet):
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())


def test_export_has_the_paper_layout_and_the_values(client, opened, specialist_a):
    _form, submission = opened
    client.force_login(specialist_a)
    response = client.get(reverse("reports:submission_excel", args=[submission.pk]))
    assert response.status_code == 200
    sheet = sheet_of(response)
    assert sheet["A1"].value == "Báo cáo 9 tháng"
    assert "9 tháng đầu năm 2024" in sheet["A3"].value
    rows = {r[5]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[5]}
    assert rows["BM-9T-TL"][2] == 8651
    assert rows["BM-9T-TL"][4] == "Toàn tỉnh"
    assert rows["BM-9T-TLGQ"][2] == 83
    assert sheet["A6"].value == "I" and sheet["B6"].value == "Công tác chỉ đạo"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, user_id=specialist_a.pk).exists()


def test_import_round_trip_and_errors_by_cell(client, opened, specialist_a):
    form, submission = opened
    client.force_login(specialist_a)
    sheet = sheet_of(client.get(reverse("reports:submission_excel", args=[submission.pk])))
    cells = {sheet[f"F{r}"].value: r for r in range(6, sheet.max_row + 1) if sheet[f"F{r}"].value}
    url = reverse("reports:submission_import", args=[submission.pk])
    # Errors: a word in a figure, a negative figure; nothing is saved.
    sheet[f"C{cells['BM-9T-KT']}"] = "nhiều"
    sheet[f"C{cells['BM-9T-GQ']}"] = -1
    response = client.post(url, {"file": upload(sheet)})
    assert response.status_code == 400
    text = response.content.decode()
    row_kt, row_gq = cells["BM-9T-KT"], cells["BM-9T-GQ"]
    assert f"C{row_kt}" in text and f"C{row_gq}" in text
    assert submission.values.get(indicator=form.ind["KT"]).value is None
    # Fixed: every figure saved at once, Vietnamese number text read.
    sheet[f"C{row_kt}"] = "1.203"
    sheet[f"C{row_gq}"] = 7000
    response = client.post(url, {"file": upload(sheet)})
    assert response.status_code == 302
    assert submission.values.get(indicator=form.ind["KT"]).value == 1203
    assert submission.values.get(indicator=form.ind["GQ"]).value == 7000
    # A file of another unit is refused by cell.
    sheet["F3"] = "T-B"
    response = client.post(url, {"file": upload(sheet)})
    assert response.status_code == 400
    assert "F3" in response.content.decode()


def test_entry_page_saves_and_submits(client, opened, specialist_a, django_assert_max_num_queries):
    form, submission = opened
    client.force_login(specialist_a)
    url = reverse("reports:submission_entry", args=[submission.pk])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert "derived" in response.content.decode() or "tự động" in response.content.decode()
    data = {f"v{i.pk}": "" for i in form.ind.values()}
    data.update({f"v{form.ind['VB'].pk}": "0", f"v{form.ind['TL'].pk}": "8.651"})
    data.update({f"v{form.ind['GQ'].pk}": "9000", f"v{form.ind['KT'].pk}": "75", "submit": "1"})
    typo = {**data, f"v{form.ind['KT'].pk}": "bảy lăm"}
    response = client.post(url, typo)
    assert response.status_code == 400
    assert "bảy lăm" in response.content.decode()  # nothing typed is lost
    response = client.post(url, data)
    assert response.status_code == 400  # resolved > accepted blocks
    assert "9000" in response.content.decode() or "9.000" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == Status.DRAFT
    data[f"v{form.ind['GQ'].pk}"] = "7.187"
    response = client.post(url, data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert submission.values.get(indicator=form.ind["TLGQ"]).value == 83


def test_pages_render(client, opened, tree, head_root):
    form, submission = opened
    client.force_login(head_root)
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:reportform_detail", args=[form.pk]),
        reverse("reports:submission_detail", args=[submission.pk]),
        reverse("reports:rollup", args=[form.pk]) + "?period=2024-9M",
    ):
        assert client.get(url).status_code == 200, url
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert "Ban thử Tỉnh B" in dashboard  # expected for the last period, not yet opened
    response = client.get(reverse("reports:rollup_excel", args=[form.pk]) + "?period=2024-9M")
    assert response.status_code == 200
    assert (
        client.get(reverse("reports:rollup", args=[form.pk]) + "?period=2024-Q1").status_code == 302
    )


def test_api_values_verbs_and_rollup(client, opened, tree, specialist_a, head_root):
    form, submission = opened
    client.force_login(specialist_a)
    url = f"/api/submissions/{submission.pk}/"
    body = client.get(url).json()
    assert {v["code"] for v in body["values"]} >= {"BM-9T-TL", "BM-9T-VB"}
    payload = {
        "values": [
            {"indicator": form.ind["KT"].pk, "value": "75"},
            {"indicator": form.ind["VB"].pk, "value": "0"},
        ]
    }
    response = client.post(url + "values/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    assert client.post(url + "submit/").status_code == 200
    assert client.post(url + "approve/").status_code == 403  # a specialist
    client.force_login(head_root)
    assert client.post(url + "return/", "{}", content_type="application/json").status_code == 400
    assert client.post(url + "approve/").status_code == 200
    rollup = client.get(
        "/api/rollup/", {"form": form.pk, "period": "2024-9M", "unit": tree["root"].pk}
    )
    assert rollup.status_code == 200
    figures = {f["code"]: f for f in rollup.json()["figures"]}
    assert figures["BM-9T-TL"]["value"] == "8651"
    completeness = rollup.json()["completeness"]
    assert completeness == {"expected": 2, "submitted": 1, "approved": 1, "on_time": 0}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"form": "x", "period": "2024-9M", "unit": "1"},
        {"form": "1", "period": "2024-Q9", "unit": "1"},
        {"form": "1", "period": "2024-9M"},
    ],
)
def test_api_rollup_refuses_bad_input_with_a_reason(client, opened, head_root, params):
    client.force_login(head_root)
    response = client.get("/api/rollup/", params)
    assert response.status_code == 400
    assert response.json()


def test_api_rollup_wrong_period_type_and_unknown_form(client, opened, tree, head_root):
    form, _submission = opened
    client.force_login(head_root)
    wrong = client.get(
        "/api/rollup/", {"form": form.pk, "period": "2024-Q1", "unit": tree["root"].pk}
    )
    assert wrong.status_code == 400
    missing = client.get(
        "/api/rollup/", {"form": 99999, "period": "2024-9M", "unit": tree["root"].pk}
    )
    assert missing.status_code == 404
    client.logout()
    assert client.get("/api/rollup/", {"form": form.pk}).status_code in (401, 403)
