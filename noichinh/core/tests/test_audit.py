"""The audit log: append-only, hash-chained, and `audit_verify` names the first bad entry."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection

from noichinh.core.audit import audit_record, verify_chain
from noichinh.core.models import AuditEntry, AuditHead
from noichinh.core.scoping import SYSTEM

pytestmark = pytest.mark.django_db


def _entries(n=5):
    return [
        audit_record(
            action="update",
            user=SYSTEM,
            object_type="x.y",
            object_id=str(i),
            object_repr=f"bản ghi {i}",
            changes={"name": [f"cũ {i}", f"mới {i}"]},
        )
        for i in range(n)
    ]


def _verify():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        return 0, out.getvalue() + err.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()


def test_chain_links_each_entry_to_the_previous():
    entries = _entries()
    assert entries[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    assert _verify()[0] == 0
    assert AuditHead.objects.get(pk=1).last_id == entries[-1].pk


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = _entries(1)[0]
    entry.message = "sửa"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_altered_entry_is_named():
    entries = _entries()
    table = AuditEntry._meta.db_table
    _raw(f"UPDATE {table} SET object_repr = %s WHERE id = %s", ["giả mạo", entries[2].pk])  # noqa: S608
    code, output = _verify()
    assert code == 1
    assert f"entry {entries[2].pk}" in output


def test_removed_entry_is_named():
    entries = _entries()
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])  # noqa: S608
    code, output = _verify()
    assert code == 1
    assert f"entry {entries[2].pk}" in output


def test_removed_newest_entry_is_detected():
    entries = _entries()
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[-1].pk])  # noqa: S608
    problems = list(verify_chain())
    assert problems and problems[0].entry_id == entries[-1].pk


def test_request_id_and_user_are_recorded(client, django_user_model):
    from noichinh.core.testkit import build_tree, make_user

    tree = build_tree()
    user = make_user("nguoi.ghi", tree["prov_a"], ["viewer"])
    client.force_login(user)
    response = client.post("/tai-khoan/dang-xuat/", headers={"X-Request-ID": "req-12345678"})
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="logout").latest("id")
    assert entry.username == "nguoi.ghi" and entry.request_id == "req-12345678"
    assert entry.unit_path == tree["prov_a"].path


def test_exports_and_failed_sign_ins_are_visible_to_the_right_auditors(client):
    """Regression: entries written without a record's unit were visible to nobody."""
    from noichinh.core.testkit import build_tree, make_user

    tree = build_tree()
    specialist = make_user("chuyen.vien", tree["prov_a"], ["specialist", "viewer"])
    auditor_a = make_user("kiem.tra.a", tree["prov_a"], ["head"])
    auditor_b = make_user("kiem.tra.b", tree["prov_b"], ["head"])
    central = make_user("kiem.tra.tw", tree["root"], ["head"])
    client.force_login(specialist)
    assert client.get("/don-vi/export/").status_code == 200
    client.logout()
    client.post("/tai-khoan/dang-nhap/", {"username": "chuyen.vien", "password": "sai"})
    client.post("/tai-khoan/dang-nhap/", {"username": "khong.ton.tai", "password": "sai"})

    def seen(user):
        return set(AuditEntry.objects.restrict(user, "audit").values_list("action", "object_repr"))

    export = (
        "export",
        next(
            iter(AuditEntry.objects.filter(action="export").values_list("object_repr", flat=True))
        ),
    )
    assert export in seen(auditor_a) and export in seen(central)
    assert export not in seen(auditor_b)
    assert ("login_failed", "chuyen.vien") in seen(auditor_a)
    assert ("login_failed", "khong.ton.tai") in seen(central)
    assert ("login_failed", "khong.ton.tai") not in seen(auditor_a)


def test_the_audit_page_counts_at_most_its_cap(client, monkeypatch):
    """A log of millions is not counted on every view (bench: COUNT grows with the log)."""
    from noichinh.core.listing import CappedPaginator
    from noichinh.core.testkit import build_tree, make_user

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    tree = build_tree()
    client.force_login(make_user("kiem.toan", tree["root"], ["head"]))
    response = client.get("/nhat-ky/")
    assert response.context["capped"] is True
    assert response.context["page"].paginator.num_pages == 1
    assert len(response.context["page"].object_list) == 3
    monkeypatch.setattr(CappedPaginator, "cap", 10_000)
    assert client.get("/nhat-ky/").context["capped"] is False
