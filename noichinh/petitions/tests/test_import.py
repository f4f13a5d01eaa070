"""Excel import: a template to download, Vietnamese labels accepted, all-or-nothing with the
row and the column of every error."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from noichinh.core.display import field_label
from noichinh.petitions.models import Petition
from noichinh.petitions.resources import PetitionResource

pytestmark = pytest.mark.django_db


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append([field_label(Petition, f) for f in PetitionResource.import_fields])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "don-thu.xlsx"
    return buffer


def row(
    unit="T-A",
    received="01/03/2024",
    kind="Khiếu nại",
    field="Đất đai",
    channel="Bưu chính",
    subject="Khiếu nại bồi thường",
    name="Nguyễn Văn Nhập",
):
    return [unit, "", received, channel, kind, "", field, subject, "", name, "", "", ""]


@pytest.fixture
def client(specialist_a):
    client = Client()
    client.force_login(specialist_a)
    return client


def test_template_downloads(client):
    response = client.get(reverse("petitions:petition_import"), {"template": 1})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert len(header) == len(PetitionResource.import_fields)


def test_good_file_with_vietnamese_labels(client, tree):
    upload = workbook([row(), row(kind="Tố cáo", field="tham nhung", subject="Tố cáo cán bộ")])
    response = client.post(reverse("petitions:petition_import"), {"file": upload})
    assert response.status_code == 302, response.context and response.context.get("errors")
    created = Petition.objects.order_by("id")
    assert [(p.kind, p.field, p.channel) for p in created] == [
        ("complaint", "land", "post"),
        ("denunciation", "corruption", "post"),
    ]
    assert created[0].classify_due_on is not None
    assert created[1].search_text and "nhap" not in created[1].search_text


def test_bad_file_reports_rows_and_columns_and_saves_nothing(client, tree):
    upload = workbook(
        [
            row(),
            row(received="31/02/2024"),
            row(kind="Khiếu kiện"),
            row(unit="T-B"),  # out of scope
        ]
    )
    response = client.post(reverse("petitions:petition_import"), {"file": upload})
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["errors"]}
    labels = {f: field_label(Petition, f) for f in ("received_on", "kind", "unit")}
    assert (3, labels["received_on"]) in errors
    assert (4, labels["kind"]) in errors
    assert (5, labels["unit"]) in errors
    assert Petition.objects.count() == 0
