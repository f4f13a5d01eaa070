"""The page /tiep-nhan/: paste or upload, read the marks, the tables and the warnings."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from noichinh.intake.extract import extract
from noichinh.intake.views import segments

URL = "/tiep-nhan/"
TEXT = (
    "Báo cáo 9 tháng đầu năm 2024. Thực hiện Kế hoạch số 06-KH/BNCTU ngày 2/6/2021, "
    "đã giải quyết 2.016/2.431 đơn, đạt 85,9%; <b>thu hồi</b> 6.061 tỷ đồng."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, demo):
    client.force_login(get_user_model().objects.get(username="nghean"))
    return client


def test_segments_rebuild_the_text_and_never_overlap():
    found = extract(TEXT)
    pieces = segments(found)
    assert "".join(p["text"] for p in pieces) == TEXT
    kinds = [p["kind"] for p in pieces if "kind" in p]
    assert kinds[:2] == ["periods", "documents"]  # the document's date is inside its mark


def test_sign_in_first(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert URL.strip("/") in response.url  # back here after signing in


def test_the_page_and_its_menu_entry(page):
    response = page.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Tiếp nhận báo cáo — Noichinh</title>" in html
    assert f'href="{URL}"' in html  # the side navigation


def test_paste_shows_marks_tables_and_warnings(page):
    html = page.post(URL, {"text": TEXT}).content.decode()
    assert 'class="ix ix-figures"' in html and 'data-kind="documents"' in html
    assert '<span class="visually-hidden">Số liệu: </span>6.061 tỷ đồng' in html
    assert "&lt;b&gt;thu hồi&lt;/b&gt;" in html  # the text is escaped, not markup
    assert 'id="intake-warnings"' in html and "<q>85,9%</q>" in html
    assert "6.061 tỷ đồng</td>" in html  # figures table, product format
    assert 'href="/van-ban/' in html  # the registered plan links to the registry


def test_upload_and_refusals_keep_the_form(page):
    ok = page.post(URL, {"file": SimpleUploadedFile("a.txt", "Quý I/2023: 5 vụ".encode())})
    assert "Quý I/2023" in ok.content.decode()
    bad = page.post(URL, {"file": SimpleUploadedFile("a.xlsx", b"x")})
    assert bad.status_code == 200
    assert "Chỉ đọc được tệp .docx, .txt và .pdf." in bad.content.decode()
    empty = page.post(URL, {"text": "  "})
    assert "Nội dung trống" in empty.content.decode()
