"""The registry's rules through the real stack: reading codes, terms, conflicts, visibility."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from noichinh.core.audit import snapshot
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.core.scoping import SYSTEM
from noichinh.core.services import object_create, object_delete, object_update
from noichinh.core.testkit import build_tree, make_user
from noichinh.documents.models import Document, DocumentType, Issuer, Term

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tree():
    tree = build_tree()
    for code, name in [("KH", "Kế hoạch"), ("HD", "Hướng dẫn"), ("QĐi", "Quy định")]:
        DocumentType.objects.create(unit=tree["root"], code=code, name=name)
    for code, name in [
        ("BNCTW", "Ban Nội chính Trung ương"),
        ("BNCTU", "Ban Nội chính Tỉnh ủy"),
        ("TW", "Trung ương"),
    ]:
        Issuer.objects.create(unit=tree["root"], code=code, name=name)
    Term.objects.create(unit=tree["root"], name="Khóa XII", starts_on=D(2016, 1, 20))
    Term.objects.create(unit=tree["root"], name="Khóa XIII", starts_on=D(2021, 1, 25))
    return tree


def add(unit, code, day, title="Văn bản thử", **extra):
    return object_create(
        user=SYSTEM, instance=Document(unit=unit, code=code, issue_date=day, title=title, **extra)
    )


def test_the_code_fills_the_fields(tree):
    doc = add(tree["prov_a"], " 11 - qđi / tw ", D(2022, 6, 2))
    assert (doc.code, doc.number, doc.type_code, doc.issuer_code) == (
        "11-QĐi/TW",
        "11",
        "QĐi",
        "TW",
    )
    assert doc.doc_type.name == "Quy định" and doc.issuer.code == "TW"
    assert doc.term.name == "Khóa XIII"


def test_a_unit_with_its_own_terms_uses_them(tree):
    Term.objects.create(unit=tree["prov_a"], name="Nhiệm kỳ 2020-2025", starts_on=D(2020, 10, 15))
    assert add(tree["dept_a"], "3-KH/BNCTU", D(2020, 12, 1)).term.name == "Nhiệm kỳ 2020-2025"
    assert add(tree["prov_b"], "3-KH/BNCTU", D(2020, 12, 1)).term.name == "Khóa XII"


def test_same_number_twice_in_a_term_is_a_conflict_and_clears_when_fixed(tree):
    first = add(tree["prov_a"], "01-HD/BNCTU", D(2021, 6, 15), "Hướng dẫn A")
    second = add(tree["prov_a"], "1-HD/BNCTU", D(2022, 1, 5), "Hướng dẫn B")
    first.refresh_from_db()
    assert first.has_conflict and second.has_conflict
    # Same number in another unit, or in the previous term, is no conflict.
    other_unit = add(tree["prov_b"], "01-HD/BNCTU", D(2021, 6, 15))
    previous_term = add(tree["prov_a"], "01-HD/BNCTU", D(2019, 3, 1), "Khóa trước")
    assert not other_unit.has_conflict and not previous_term.has_conflict
    before = snapshot(second)
    second.code = "2-HD/BNCTU"
    object_update(user=SYSTEM, instance=second, before=before)
    first.refresh_from_db()
    assert not first.has_conflict


def test_deleting_one_of_a_conflicting_pair_clears_the_other(tree):
    first = add(tree["prov_a"], "5-KH/BNCTU", D(2022, 1, 1), "A")
    second = add(tree["prov_a"], "5-KH/BNCTU", D(2022, 2, 1), "B")
    object_delete(user=SYSTEM, instance=second, reason="nhập trùng")
    first.refresh_from_db()
    assert not first.has_conflict


def test_registering_the_same_document_twice_is_not_a_conflict(tree):
    add(tree["prov_a"], "7-KH/BNCTU", D(2022, 1, 1), "Giống nhau")
    twin = add(tree["prov_a"], "7-KH/BNCTU", D(2022, 1, 1), "Giống nhau")
    assert not twin.has_conflict


def test_unknown_abbreviations_are_accepted_and_warned(client, tree):
    doc = add(tree["prov_a"], "3-ĐA/BCĐTW", D(2023, 5, 1))
    assert doc.doc_type is None and doc.type_code == "ĐA"
    user = make_user("cv", tree["prov_a"], ["specialist"])
    client.force_login(user)
    page = client.get(f"/van-ban/{doc.pk}/")
    assert len(page.context["warnings"]) == 2


def test_bad_code_and_mismatched_year_are_field_errors_with_input_kept(client, tree):
    client.force_login(make_user("cv", tree["prov_a"], ["specialist"]))
    data = {
        "unit": tree["prov_a"].pk,
        "code": "KH-15",
        "issue_date": "01/02/2024",
        "title": "Tiêu đề giữ lại",
    }
    response = client.post("/van-ban/add/", data)
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "Tiêu đề giữ lại"
    data["code"] = "47/2021/NĐ-CP"
    response = client.post("/van-ban/add/", data)
    assert "issue_date" in response.context["form"].errors
    assert not Document.objects.exists()


def test_provinces_read_central_documents_but_not_each_others(client, tree):
    central = add(tree["root"], "15-KH/BNCTW", D(2021, 5, 25))
    province_b = add(tree["prov_b"], "2-KH/BNCTU", D(2021, 6, 2))
    reader = make_user("doc.a", tree["dept_a"], ["viewer", "specialist"])
    client.force_login(reader)
    listed = {r["obj"].pk for r in client.get("/van-ban/", {"per_page": 100}).context["rows"]}
    assert central.pk in listed and province_b.pk not in listed
    assert client.get(f"/van-ban/{central.pk}/").status_code == 200
    assert client.get(f"/van-ban/{central.pk}/edit/").status_code == 404  # read, not write
    assert client.get(f"/van-ban/{province_b.pk}/").status_code == 404
    assert client.get(f"/api/documents/{central.pk}/").status_code == 200


def test_a_provincial_plan_implements_a_central_one(client, tree):
    central = add(tree["root"], "15-KH/BNCTW", D(2021, 5, 25))
    plan = add(tree["prov_a"], "06-KH/BNCTU", D(2021, 6, 2), implements=central)
    client.force_login(make_user("lanh.dao", tree["root"], ["head"]))
    page = client.get(f"/van-ban/{central.pk}/")
    assert [d.pk for d in page.context["implemented_by"]] == [plan.pk]
    assert "06-KH/BNCTU" in page.content.decode()


def test_search_without_diacritics(client, tree):
    add(tree["prov_a"], "9-KH/BNCTU", D(2024, 1, 1), "Kế hoạch phòng, chống tham nhũng")
    client.force_login(make_user("tim", tree["prov_a"], ["viewer"]))
    rows = client.get("/van-ban/", {"q": "chong tham nhung"}).context["rows"]
    assert [r["obj"].code for r in rows] == ["9-KH/BNCTU"]


def test_live_preview_and_api_parse(client, tree):
    client.force_login(make_user("xem", tree["prov_a"], ["viewer"]))
    preview = client.get("/van-ban/doc-so-ky-hieu/", {"code": "15 - kh / bnctw"}).content.decode()
    assert "15-KH/BNCTW" in preview
    assert "⚠" in client.get("/van-ban/doc-so-ky-hieu/", {"code": "???"}).content.decode()
    parsed = client.get("/api/documents/parse/", {"code": "47/2021/nđ-cp"}).json()
    assert parsed["canonical"] == "47/2021/NĐ-CP" and parsed["year"] == 2021
    bad = client.get("/api/documents/parse/", {"code": "abc"})
    assert bad.status_code == 400 and bad.json()["code"]


def test_api_refuses_a_bad_code_with_a_reason(client, tree):
    client.force_login(make_user("cv", tree["prov_a"], ["specialist"]))
    response = client.post(
        "/api/documents/",
        {"unit": tree["prov_a"].pk, "code": "xx", "issue_date": "2024-01-01", "title": "T"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "code" in response.json()


def test_files_are_downloaded_through_the_gate_and_audited(client, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    specialist = make_user("cv", tree["prov_a"], ["specialist"])
    client.force_login(specialist)
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 thu", content_type="application/pdf")
    response = client.post(
        "/van-ban/add/",
        {
            "unit": tree["prov_a"].pk,
            "code": "8-KH/BNCTU",
            "issue_date": "01/03/2024",
            "title": "Có tệp",
            "file": upload,
        },
    )
    assert response.status_code == 302
    doc = Document.objects.get(code="8-KH/BNCTU")
    download = client.get(f"/van-ban/{doc.pk}/tep/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 thu"
    assert AuditEntry.objects.filter(action="export", object_id=str(doc.pk)).exists()
    client.force_login(make_user("ngoai", tree["prov_b"], ["head"]))
    assert client.get(f"/van-ban/{doc.pk}/tep/").status_code == 404
    client.force_login(specialist)
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        "/van-ban/add/",
        {
            "unit": tree["prov_a"].pk,
            "code": "9-KH/BNCTU",
            "issue_date": "01/03/2024",
            "title": "Tệp lạ",
            "file": bad,
        },
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_demo_documents(client):
    load_demo()
    plan = Document.objects.get(code="06-KH/BNCTU")
    assert plan.implements.code == "15-KH/BNCTW"
    assert plan.term.name == "Khóa XIII" and not Document.objects.filter(has_conflict=True).exists()
    assert Document.objects.get(code="67-QĐ/TW").issue_date == D(2022, 6, 2)


def test_the_add_form_starts_from_the_users_unit(client, tree):
    client.force_login(make_user("cv.mac.dinh", tree["prov_a"], ["specialist"]))
    assert client.get("/van-ban/add/").context["form"].initial["unit"] == tree["prov_a"].pk
    client.post("/pham-vi/", {"unit": tree["dept_a"].pk})
    assert client.get("/van-ban/add/").context["form"].initial["unit"] == tree["dept_a"].pk
