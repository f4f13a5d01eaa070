"""A denouncer's identity never leaks to a role that may not see it: not on the petition page,
the edit page, the list, the Excel export, the search, the API, the history tab or the audit
log. A head of the unit sees it on the petition page (and only there)."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from noichinh.core.models import AuditEntry
from noichinh.core.text import fold
from noichinh.petitions.models import Petition

from .conftest import ADDRESS, ID_NUMBER, NAME, register

pytestmark = pytest.mark.django_db
SECRETS = (NAME, ADDRESS, ID_NUMBER, fold(NAME), "Tố Giác", "To Giac")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def assert_hidden(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


@pytest.fixture(params=["viewer_a", "specialist_a"])
def reader(request):
    return request.getfixturevalue(request.param)


def test_petition_page_and_history_tab(reader, denunciation):
    client = client_for(reader)
    url = reverse("petitions:petition_detail", args=[denunciation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Tố cáo cán bộ địa chính" in page.content.decode()
    assert_hidden(page.content.decode())
    history = client.get(url, {"tab": "history"})
    assert history.status_code == 200
    assert history.context["history"]  # the creation and the acceptance are there...
    assert_hidden(history.content.decode())  # ...with fingerprints only


def test_edit_page_does_not_show_or_take_the_identity(specialist_a, denunciation):
    client = client_for(specialist_a)
    url = reverse("petitions:petition_edit", args=[denunciation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert_hidden(page.content.decode())
    assert "petitioner_name" not in page.context["form"].fields
    data = {
        "unit": denunciation.unit_id,
        "received_on": "01/03/2024",
        "channel": "post",
        "kind": "denunciation",
        "field": "corruption",
        "subject": "Tố cáo cán bộ địa chính nhận tiền (bổ sung)",
        "complexity": "normal",
        "petitioner_name": "Đổi tên",
    }
    assert client.post(url, data).status_code == 302
    denunciation.refresh_from_db()
    assert denunciation.petitioner_name == NAME  # kept, not overwritten
    # Turning the denunciation into a complaint would show the name: refused.
    data["kind"] = "complaint"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert Petition.objects.get(pk=denunciation.pk).kind == "denunciation"


def test_list_search_and_global_search(reader, denunciation, tree):
    complaint = register(tree["dept_a"], petitioner_name="Lê Thị Khiếu Nại")
    client = client_for(reader)
    listing = client.get(reverse("petitions:petition_list"))
    assert listing.status_code == 200
    assert_hidden(listing.content.decode())
    assert "Lê Thị Khiếu Nại" in listing.content.decode()  # a complainant is not protected
    for query in (NAME, "to giac", ID_NUMBER):
        found = client.get(reverse("petitions:petition_list"), {"q": query})
        assert denunciation.pk not in {row["obj"].pk for row in found.context["rows"]}
    found = client.get(reverse("petitions:petition_list"), {"q": "khieu nai"})
    assert complaint.pk in {row["obj"].pk for row in found.context["rows"]}
    search = client.get(reverse("core:search"), {"q": "to giac"})
    assert search.status_code == 200
    assert_hidden(search.content.decode())
    assert "Tố cáo cán bộ địa chính" not in search.content.decode()
    assert "to giac" not in Petition.objects.get(pk=denunciation.pk).search_text


def test_export(reader, denunciation):
    response = client_for(reader).get(reverse("petitions:petition_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert "Tố cáo cán bộ địa chính" in cells
    assert_hidden(cells)


def test_export_hides_it_from_a_head_too(head_a, denunciation):
    response = client_for(head_a).get(reverse("petitions:petition_export"))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert_hidden(" ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row))


def test_api_list_detail_and_write(reader, denunciation):
    client = client_for(reader)
    listing = client.get("/api/petitions/")
    assert listing.status_code == 200
    assert_hidden(listing.content.decode())
    item = client.get(f"/api/petitions/{denunciation.pk}/").json()
    assert item["petitioner_name"] is None and item["identity_protected"] is True
    assert_hidden(json.dumps(item, ensure_ascii=False))
    duplicates = client.get(f"/api/petitions/{denunciation.pk}/duplicates/")
    assert duplicates.status_code == 200
    assert_hidden(duplicates.content.decode())
    for query in ({"search": NAME}, {"petitioner_name": NAME}):
        assert_hidden(client.get("/api/petitions/", query).content.decode())


def test_api_refuses_writing_the_identity(specialist_a, denunciation):
    client = client_for(specialist_a)
    response = client.patch(
        f"/api/petitions/{denunciation.pk}/",
        json.dumps({"petitioner_name": "Người khác"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    turned = client.patch(
        f"/api/petitions/{denunciation.pk}/",
        json.dumps({"kind": "complaint", "complaint_round": "first"}),
        content_type="application/json",
    )
    assert turned.status_code == 403
    assert Petition.objects.get(pk=denunciation.pk).petitioner_name == NAME


def test_audit_log_pages(admin_a, denunciation):
    client = client_for(admin_a)
    log = client.get(reverse("core:audit_log"))
    assert log.status_code == 200
    assert_hidden(log.content.decode())
    entries = AuditEntry.objects.filter(
        object_type="petitions.petition", object_id=str(denunciation.pk)
    )
    assert entries.count() >= 2
    for entry in entries:
        page = client.get(reverse("core:audit_entry", args=[entry.pk]))
        assert page.status_code == 200
        assert_hidden(page.content.decode())
        assert_hidden(json.dumps(entry.changes, ensure_ascii=False))


def test_head_sees_the_identity_on_the_petition_page_only(head_a, denunciation):
    client = client_for(head_a)
    page = client.get(reverse("petitions:petition_detail", args=[denunciation.pk]))
    text = page.content.decode()
    assert NAME in text and ID_NUMBER in text
    assert_hidden(client.get(reverse("petitions:petition_list")).content.decode())
    item = client.get(f"/api/petitions/{denunciation.pk}/").json()
    assert item["petitioner_name"] == NAME


def test_a_denunciations_attachment_is_downloaded_only_by_the_roles_that_see_the_denouncer(
    tmp_path, settings
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from noichinh.core.models import AuditEntry
    from noichinh.core.permissions import Role
    from noichinh.core.testkit import build_tree, make_user
    from noichinh.petitions.models import Petition

    settings.MEDIA_ROOT = str(tmp_path)
    tree = build_tree()
    head = make_user("ld.tep", tree["prov_a"], [Role.HEAD])
    specialist = make_user("cv.tep", tree["prov_a"], [Role.SPECIALIST])
    outsider = make_user("cv.ngoai", tree["prov_b"], [Role.HEAD])
    client = Client()
    client.force_login(head)
    response = client.post(
        reverse("petitions:petition_add"),
        {
            "unit": tree["prov_a"].pk,
            "received_on": "2/5/2024",
            "channel": "post",
            "kind": "denunciation",
            "field": "land",
            "subject": "Tố cáo sai phạm đất đai",
            "petitioner_name": "Người Tố Cáo",
            "complexity": "normal",
            "attachment": SimpleUploadedFile("don-to-cao.pdf", b"%PDF-1.4 scanned letter"),
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    petition = Petition.objects.get()
    url = reverse("petitions:petition_attachment", args=[petition.pk])
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="export", object_id=str(petition.pk)).exists()
    client.force_login(specialist)
    assert client.get(url).status_code == 404
    assert (
        url
        not in client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    )
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    client.force_login(head)
    response = client.post(
        reverse("petitions:petition_edit", args=[petition.pk]), {"attachment": bad}
    )
    assert response.status_code in (200, 400)
