"""Personal data (issue 16, item 5): every view of a denouncer's identity is logged, once per
request and record (one entry for a list), without the identity in the entry; who may not
see it is shown none and logs none."""

import datetime as dt
import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from noichinh.core.audit import verify_chain
from noichinh.core.models import AuditAction, AuditEntry
from noichinh.core.schedule import schedule
from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import ResourceTestCase
from noichinh.core.text import fold
from noichinh.petitions import services
from noichinh.petitions.identity import identity_purge
from noichinh.petitions.models import IdentityRetention, Petition
from noichinh.petitions.resources import IdentityRetentionResource
from noichinh.units.choices import UnitKind
from noichinh.units.services import unit_create

from .conftest import ADDRESS, ID_NUMBER, NAME, register

pytestmark = pytest.mark.django_db
SECRETS = (NAME, ADDRESS, ID_NUMBER, fold(NAME))


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def views_of(user):
    return list(AuditEntry.objects.filter(action=AuditAction.VIEW_IDENTITY, user_id=user.pk))


def assert_no_identity(entry):
    text = json.dumps([entry.object_repr, entry.message, entry.changes], ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text, secret


@pytest.fixture
def second_denunciation(tree):
    return register(
        tree["dept_a"],
        kind="denunciation",
        field="corruption",
        subject="Tố cáo cán bộ thuế",
        petitioner_name="Lê Thị Người Thứ Hai",
        petitioner_address="Xóm 5",
    )


def test_the_petition_page_logs_one_view_for_a_head_without_the_name(head_a, denunciation):
    client = client_for(head_a)
    url = reverse("petitions:petition_detail", args=[denunciation.pk])
    page = client.get(url)
    assert NAME in page.content.decode()  # shown...
    entries = views_of(head_a)
    assert len(entries) == 1  # ...and logged once
    entry = entries[0]
    assert entry.object_type == "petitions.petition"
    assert entry.object_id == str(denunciation.pk)
    assert_no_identity(entry)
    # The history tab shows no identity: no view logged.
    client.get(url, {"tab": "history"})
    assert len(views_of(head_a)) == 1
    # Each new request is a new view.
    client.get(url)
    assert len(views_of(head_a)) == 2
    assert not list(verify_chain(anchor=False))


def test_a_reader_who_may_not_see_it_is_shown_none_and_logs_none(specialist_a, denunciation):
    client = client_for(specialist_a)
    page = client.get(reverse("petitions:petition_detail", args=[denunciation.pk]))
    assert page.status_code == 200
    assert NAME not in page.content.decode()
    client.get(reverse("petitions:petition_edit", args=[denunciation.pk]))
    client.get(f"/api/petitions/{denunciation.pk}/")
    client.get("/api/petitions/")
    assert views_of(specialist_a) == []


def test_a_complaint_is_not_a_protected_identity(head_a, tree):
    complaint = register(tree["dept_a"])
    client_for(head_a).get(reverse("petitions:petition_detail", args=[complaint.pk]))
    assert views_of(head_a) == []


def test_the_edit_page_logs_the_view_and_a_save_does_not(head_a, denunciation):
    client = client_for(head_a)
    url = reverse("petitions:petition_edit", args=[denunciation.pk])
    page = client.get(url)
    assert page.context["form"].initial["petitioner_name"] == NAME
    entries = views_of(head_a)
    assert len(entries) == 1
    assert entries[0].object_id == str(denunciation.pk)
    assert_no_identity(entries[0])


def test_api_detail_logs_one_view_and_a_list_one_entry_naming_the_records(
    head_a, denunciation, second_denunciation, tree
):
    complaint = register(tree["dept_a"])
    client = client_for(head_a)
    item = client.get(f"/api/petitions/{denunciation.pk}/").json()
    assert item["petitioner_name"] == NAME
    entries = views_of(head_a)
    assert len(entries) == 1
    assert entries[0].object_id == str(denunciation.pk)

    listing = client.get("/api/petitions/", {"page_size": 100}).json()
    assert {r["id"] for r in listing["results"]} >= {
        denunciation.pk,
        second_denunciation.pk,
        complaint.pk,
    }
    entries = views_of(head_a)
    assert len(entries) == 2  # one entry for the whole page of the list
    entry = entries[0]  # newest first
    assert entry.object_id == ""
    assert f"#{denunciation.pk}" in entry.message
    assert f"#{second_denunciation.pk}" in entry.message
    assert f"#{complaint.pk}" not in entry.message  # a complaint's name is not protected
    assert "2" in entry.object_repr
    assert_no_identity(entry)
    assert "Lê Thị Người Thứ Hai" not in entry.message


def test_api_reader_without_the_role_logs_nothing(specialist_a, denunciation):
    client = client_for(specialist_a)
    assert client.get(f"/api/petitions/{denunciation.pk}/").json()["petitioner_name"] is None
    client.get("/api/petitions/")
    assert views_of(specialist_a) == []


def test_the_export_carries_no_identity_so_logs_no_view(head_a, denunciation):
    client = client_for(head_a)
    response = client.get(reverse("petitions:petition_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    cells = " ".join(
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    )
    assert NAME not in cells
    assert views_of(head_a) == []
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, user_id=head_a.pk).exists()


def test_the_attachment_download_logs_a_view(
    head_a, specialist_a, denunciation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    denunciation.attachment = SimpleUploadedFile("don.pdf", b"%PDF-1.4 letter")
    denunciation.save()
    url = reverse("petitions:petition_attachment", args=[denunciation.pk])
    assert client_for(specialist_a).get(url).status_code == 404
    assert views_of(specialist_a) == []
    response = client_for(head_a).get(url)
    assert response.status_code == 200
    entries = views_of(head_a)
    assert len(entries) == 1
    assert entries[0].object_id == str(denunciation.pk)


def test_the_audit_log_page_shows_the_view_in_words(head_a, denunciation, tree):
    from noichinh.core.permissions import Role
    from noichinh.core.testkit import make_user

    client_for(head_a).get(reverse("petitions:petition_detail", args=[denunciation.pk]))
    admin = make_user("quantri.hethong", tree["root"], [Role.SYSTEM_ADMIN])
    page = client_for(admin).get(reverse("core:audit_log"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Xem danh tính" in text
    assert NAME not in text


# -- retention ----------------------------------------------------------------------------------


class IdentityRetentionTests(ResourceTestCase):
    resource = IdentityRetentionResource

    def make(self, unit):
        # One rule per unit and kind: each record gets a unit of its own under `unit`.
        child = unit_create(
            user=SYSTEM,
            parent=unit,
            code=self.unique("T-L"),
            name=self.unique("Phòng lưu giữ"),
            kind=UnitKind.DEPARTMENT,
            valid_from=unit.valid_from,
        )
        return IdentityRetention.objects.create(unit=child, kind="denunciation", years=5)

    def form_data(self, unit, mode):
        return {"unit": unit.pk, "kind": "complaint", "years": 10, "note": "Quy định nội bộ"}

    def test_only_system_administrators_see_or_set_the_rules(self):
        from noichinh.core.permissions import Role
        from noichinh.core.testkit import make_user

        for role in (Role.HEAD, Role.UNIT_ADMIN, Role.SPECIALIST):
            user = make_user(f"kit.{role}", self.tree["prov_a"], [role])
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url("list")).status_code, 403, role)
            self.assertEqual(
                self.client.post(
                    self.url("add"), self.form_data(self.tree["prov_a"], "add")
                ).status_code,
                403,
                role,
            )
        self.assertFalse(IdentityRetention.objects.filter(kind="complaint").exists())


def resolve(petition, on):
    services.petition_classify(
        user=SYSTEM, petition=petition, decision="accept", on=petition.received_on
    )
    petition.refresh_from_db()
    outcome = "founded" if petition.kind == "denunciation" else "correct"
    return services.petition_resolve(
        user=SYSTEM, petition=petition, resolved_on=on, outcome=outcome
    )


@pytest.fixture
def aged(tree):
    """Petitions closed at different times: the rule (denunciations, 5 years, province A;
    complaints, 2 years, the department only) erases exactly `expired`."""
    IdentityRetention.objects.create(unit=tree["prov_a"], kind="denunciation", years=5)
    IdentityRetention.objects.create(unit=tree["dept_a"], kind="complaint", years=2)
    old_day = dt.date(2019, 6, 1)
    denounce = {"kind": "denunciation", "field": "corruption", "petitioner_name": NAME}
    made = {
        # expired
        "old_denunciation": resolve(
            register(tree["dept_a"], received_on=dt.date(2019, 5, 1), **denounce), old_day
        ),
        "old_complaint_dept": resolve(
            register(tree["dept_a"], received_on=dt.date(2021, 1, 4)), dt.date(2021, 3, 1)
        ),
        # kept: too recent, still open, another kind without a rule here, another province
        "recent_denunciation": resolve(
            register(tree["dept_a"], received_on=dt.date(2024, 5, 2), **denounce),
            dt.date(2024, 6, 1),
        ),
        "open_denunciation": register(tree["prov_a"], received_on=dt.date(2018, 5, 2), **denounce),
        "old_complaint_province": resolve(
            register(tree["prov_a"], received_on=dt.date(2019, 5, 2)), old_day
        ),
        "old_denunciation_b": resolve(
            register(tree["prov_b"], received_on=dt.date(2019, 5, 1), **denounce), old_day
        ),
    }
    return {k: Petition.objects.get(pk=v.pk) for k, v in made.items()}


EXPIRED = {"old_denunciation", "old_complaint_dept"}
ON = dt.date(2025, 1, 15)


def test_the_purge_erases_exactly_the_expired_identities_once(aged):
    versions = {k: p.version for k, p in aged.items()}
    result = identity_purge(user=SYSTEM, on=ON)
    assert sorted(result.ids) == sorted(aged[k].pk for k in EXPIRED)
    for key, before in aged.items():
        petition = Petition.objects.get(pk=before.pk)
        if key in EXPIRED:
            assert petition.petitioner_name == ""
            assert petition.petitioner_address == ""
            assert petition.petitioner_id_number == ""
            assert petition.petitioner_key == ""
            assert petition.subject == before.subject  # the record stays
            assert petition.version == versions[key] + 1
            entry = AuditEntry.objects.filter(
                object_type="petitions.petition", object_id=str(petition.pk)
            ).first()
            assert entry.action == AuditAction.UPDATE
            assert "petitioner_name" in entry.changes
            assert_no_identity(entry)
        else:
            assert petition.petitioner_name == before.petitioner_name, key
            assert petition.version == versions[key], key
    entries = AuditEntry.objects.count()
    again = identity_purge(user=SYSTEM, on=ON)
    assert again.erased == 0
    assert AuditEntry.objects.count() == entries
    assert not list(verify_chain(anchor=False))


def test_a_deeper_rule_overrides_the_one_above(aged, tree):
    IdentityRetention.objects.create(unit=tree["dept_a"], kind="denunciation", years=10)
    result = identity_purge(user=SYSTEM, on=ON, dry_run=True)
    assert aged["old_denunciation"].pk not in result.ids  # 10 years in the department


def test_the_command_dry_run_counts_and_changes_nothing(aged):
    out = io.StringIO()
    entries = AuditEntry.objects.count()
    call_command("purge_identities", "--dry-run", "--on", ON.isoformat(), stdout=out)
    assert "would erase the identity of 2 petition(s)" in out.getvalue()
    assert AuditEntry.objects.count() == entries
    assert Petition.objects.get(pk=aged["old_denunciation"].pk).petitioner_name == NAME
    out = io.StringIO()
    call_command("purge_identities", "--on", ON.isoformat(), stdout=out)
    assert "erased the identity of 2 petition(s)" in out.getvalue()
    out = io.StringIO()
    call_command("purge_identities", "--on", ON.isoformat(), stdout=out)
    assert "erased the identity of 0 petition(s)" in out.getvalue()


def test_the_purge_is_scheduled_daily():
    entry = {e.name: e for e in schedule()}["purge_identities"]
    assert entry.at is not None
    assert entry.every == dt.timedelta(days=1)


# -- encryption at rest -------------------------------------------------------------------------

KEY_1 = Fernet.generate_key().decode()
KEY_2 = Fernet.generate_key().decode()


def stored(petition):
    """The identity columns as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT petitioner_name, petitioner_address, petitioner_id_number, petitioner_key "
            "FROM petitions_petition WHERE id = %s",
            [petition.pk],
        )
        return cursor.fetchone()


def test_the_identity_is_stored_encrypted_and_read_in_clear(denunciation):
    raw = stored(denunciation)
    for value, secret in zip(raw[:3], (NAME, ADDRESS, ID_NUMBER), strict=True):
        assert value.startswith("fernet:")
        assert secret not in value
    assert raw[3] not in (NAME, fold(NAME))  # the blind index, not the folded name
    assert len(raw[3]) == 64
    fresh = Petition.objects.get(pk=denunciation.pk)
    assert (fresh.petitioner_name, fresh.petitioner_address, fresh.petitioner_id_number) == (
        NAME,
        ADDRESS,
        ID_NUMBER,
    )


def test_the_same_name_gives_the_same_blind_index_and_a_different_ciphertext(tree, denunciation):
    again = register(tree["dept_a"], petitioner_name=NAME.upper())
    assert stored(again)[3] == stored(denunciation)[3]
    assert stored(again)[0] != stored(denunciation)[0]


def test_rotation_re_encrypts_under_the_new_key(settings, tree):
    settings.NOICHINH_IDENTITY_KEYS = [KEY_1]
    petition = register(
        tree["dept_a"],
        kind="denunciation",
        field="corruption",
        petitioner_name=NAME,
        petitioner_id_number=ID_NUMBER,
    )
    # A row written before encryption (plain text) is read as it is.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE petitions_petition SET petitioner_address = %s WHERE id = %s",
            [ADDRESS, petition.pk],
        )
    key_before = stored(petition)[3]
    settings.NOICHINH_IDENTITY_KEYS = [KEY_2, KEY_1]  # the new key first, the old one kept
    assert Petition.objects.get(pk=petition.pk).petitioner_name == NAME
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rotate_identity_keys", "--check", stdout=out)
    assert "3 identity value(s)" in out.getvalue()
    out = io.StringIO()
    call_command("rotate_identity_keys", stdout=out)
    assert "0 value(s) left" in out.getvalue()
    settings.NOICHINH_IDENTITY_KEYS = [KEY_2]  # the old key removed
    fresh = Petition.objects.get(pk=petition.pk)
    assert (fresh.petitioner_name, fresh.petitioner_address) == (NAME, ADDRESS)
    raw = stored(petition)
    assert raw[1].startswith("fernet:")
    assert raw[3] != key_before  # the blind index follows the key...
    later = register(tree["dept_a"], petitioner_name=NAME)
    assert stored(later)[3] == raw[3]  # ...and new records match the rotated ones
    call_command("rotate_identity_keys", "--check", stdout=io.StringIO())


def test_the_deploy_check_flags_missing_or_bad_identity_keys(settings):
    from noichinh.petitions.checks import identity_keys_check

    settings.NOICHINH_IDENTITY_KEYS = []
    assert [w.id for w in identity_keys_check()] == ["noichinh.W002"]
    settings.NOICHINH_IDENTITY_KEYS = ["not-a-key"]
    assert [w.id for w in identity_keys_check()] == ["noichinh.W002"]
    settings.NOICHINH_IDENTITY_KEYS = [KEY_1]
    assert identity_keys_check() == []


def test_a_site_without_keys_moves_to_its_own_with_one_rotation(settings, denunciation):
    # The fixture was written without keys (the development key); the site sets its own.
    settings.NOICHINH_IDENTITY_KEYS = [KEY_1]
    assert Petition.objects.get(pk=denunciation.pk).petitioner_name == NAME
    with pytest.raises(CommandError):
        call_command("rotate_identity_keys", "--check", stdout=io.StringIO())
    call_command("rotate_identity_keys", stdout=io.StringIO())
    call_command("rotate_identity_keys", "--check", stdout=io.StringIO())
    settings.SECRET_KEY = "another-secret-key-after-the-move-" * 2
    assert Petition.objects.get(pk=denunciation.pk).petitioner_name == NAME
