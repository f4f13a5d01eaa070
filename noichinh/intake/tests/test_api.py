"""`POST /api/intake/extract/`: text and files, the refusals, and the published schema."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

URL = "/api/intake/extract/"
TEXT = (
    "Báo cáo 9 tháng đầu năm 2024. Thực hiện Kế hoạch số 06-KH/BNCTU ngày 3/6/2021, "
    "đã giải quyết 7.187/8.651 đơn, đạt 85%; tăng 35 đơn so với cùng kỳ."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, demo):
    client.force_login(get_user_model().objects.get(username="nghean"))
    return client


def post_file(client, name, data, content_type="application/octet-stream"):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(URL, {"file": upload})


def test_signed_in_users_only(client, db):
    response = client.post(URL, {"text": TEXT}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_text_gives_every_kind_with_offsets(api):
    response = api.post(URL, {"text": TEXT}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["label"] == "9 tháng đầu năm 2024"
    assert body["text"] == TEXT
    ratio = body["ratios"][0]
    assert (ratio["part"], ratio["total"], ratio["stated_percent"]) == (7187, 8651, 85)
    assert {w["kind"] for w in body["warnings"]} == {"ratio_percent", "registry_date"}
    document = body["documents"][0]
    assert document["code"] == "06-KH/BNCTU" and document["registry_id"] is not None
    for kind in ("dates", "figures", "ratios", "changes", "documents"):
        for item in body[kind]:
            assert TEXT[item["start"] : item["end"]] == item["text"]
    assert body["changes"][0]["compared_to"] == "same_period_last_year"


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"text": "   "}, 400, "trống"),
        ({"text": 5}, 400, "chuỗi"),
        ({}, 400, "text"),
        ({"text": "a" * (2 * 1024 * 1024 + 1)}, 413, "2 MB"),
    ],
)
def test_bad_text_is_refused_with_a_vietnamese_reason(api, payload, status, words):
    response = api.post(URL, payload, content_type="application/json")
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_broken_json_is_a_400(api):
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_txt_docx_and_pdf_files(api):
    import docx

    response = post_file(api, "bao-cao.txt", TEXT.encode("utf-8"), "text/plain")
    assert response.status_code == 200 and response.json()["figures"] == []

    document = docx.Document()
    document.add_paragraph("Quý I/2023, tiếp nhận 245 đơn.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Số vụ"
    table.rows[0].cells[1].text = "thụ lý 14 vụ án"
    buffer = io.BytesIO()
    document.save(buffer)
    response = post_file(api, "bao-cao.docx", buffer.getvalue())
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["label"] == "Quý I/2023"
    assert [f["text"] for f in body["figures"]] == ["245 đơn", "14 vụ án"]


def test_pdf_with_a_text_layer(api):
    weasyprint = pytest.importorskip("weasyprint")
    pdf = weasyprint.HTML(string="<p>Năm 2023 đã thụ lý 312 vụ án.</p>").write_pdf()
    response = post_file(api, "bao-cao.pdf", pdf, "application/pdf")
    assert response.status_code == 200, response.json()
    assert [f["value"] for f in response.json()["figures"]] == [312]


def test_bad_files_are_refused_with_a_vietnamese_reason(api):
    from pypdf import PdfWriter

    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(blank)
    cases = [
        ("bao-cao.xlsx", b"PK\x03\x04", 415, ".docx"),
        ("bao-cao.docx", b"this is not a zip", 400, "Word"),
        ("bao-cao.pdf", b"%PDF-1.4 broken", 400, "PDF"),
        ("scan.pdf", blank.getvalue(), 400, "lớp chữ"),
        ("bao-cao.txt", "Năm 2023".encode("cp1258"), 400, "UTF-8"),
        ("rong.txt", b"   \n", 400, "trống"),
    ]
    for name, data, status, words in cases:
        response = post_file(api, name, data)
        assert response.status_code == status, (name, response.content)
        assert words in response.json()["detail"], (name, response.json())


def test_the_schema_declares_the_answer(api):
    import yaml

    schema = yaml.safe_load(api.get("/api/schema/").content)
    operation = schema["paths"][URL]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "400", "413", "415"} <= set(operation["responses"])
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    body = api.post(URL, {"text": TEXT}, content_type="application/json").json()
    assert set(component["properties"]) == set(body)
    figure = schema["components"]["schemas"]["Figure"]["properties"]
    assert set(figure) == set(body["figures"][0]) if body["figures"] else True
    warning = schema["components"]["schemas"]["Warning"]["properties"]
    assert set(warning) == set(body["warnings"][0])


def test_a_lone_surrogate_or_nul_is_not_a_server_error(api):
    response = api.post(
        URL, '{"text": "5 v\\u1ee5 \\ud800\\u0000 x"}', content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["figures"][0]["value"] == 5
