"""No lost updates (issue 16): two editors of one case or petition, 20 rounds each, through the
edit page, API PUT and API PATCH. Both read the record, A saves first, B saves from what B read:
B is refused (the page says what changed and keeps B's input; the API answers 409 with the
changed fields), B reads again and saves, and neither change is lost."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

from django.test import Client, TestCase
from django.urls import reverse

from noichinh.cases.models import Case
from noichinh.core.models import AuditAction, AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user
from noichinh.petitions.models import Petition

ROUNDS = 20


def page_values(response: Any) -> dict[str, Any]:
    """What the edit page's form would post unchanged (its fields' current values)."""
    data: dict[str, Any] = {}
    for field in response.context["form"]:
        value = field.value()
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
            continue
        if isinstance(value, dt.date):
            value = f"{value.day}/{value.month}/{value.year}"
        data[field.html_name] = value
    return data


class LostUpdateTests(TestCase):
    tree: ClassVar[dict[str, Any]]
    alice: ClassVar[Any]
    bob: ClassVar[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_tree()
        roles = list(Role.values)
        cls.alice = make_user("edit.alice", cls.tree["prov_a"], roles)
        cls.bob = make_user("edit.bob", cls.tree["prov_a"], roles)

    def setUp(self) -> None:
        self.a = Client()
        self.b = Client()
        self.a.force_login(self.alice)
        self.b.force_login(self.bob)
        self.case = Case.objects.create(
            unit=self.tree["dept_a"],
            title="Vụ án gốc",
            kind="criminal_case",
            field="land",
            detected_on=dt.date(2022, 3, 1),
            detection="self",
            summary="Tóm tắt gốc",
        )
        self.petition = Petition.objects.create(
            unit=self.tree["dept_a"],
            received_on=dt.date(2024, 3, 1),
            channel="post",
            kind="complaint",
            complaint_round="first",
            field="land",
            subject="Khiếu nại gốc",
            summary="Tóm tắt gốc",
            petitioner_name="Nguyễn Văn A",
        )

    # -- pages -------------------------------------------------------------------------------
    def edit_rounds(self, obj: Any, url_name: str, a_field: str) -> None:
        url = reverse(url_name, args=[obj.pk])
        for i in range(ROUNDS):
            seen_a = page_values(self.a.get(url))
            seen_b = page_values(self.b.get(url))
            self.assertIn("version", seen_a)
            seen_a[a_field] = f"A lần {i}"
            self.assertEqual(self.a.post(url, seen_a).status_code, 302)
            seen_b["summary"] = f"B lần {i}"
            refused = self.b.post(url, seen_b)
            self.assertEqual(refused.status_code, 200)
            text = refused.content.decode()
            self.assertIn("Có người khác đã lưu bản ghi này", text)
            self.assertIn(f"A lần {i}", text)  # what changed meanwhile, with its new value
            self.assertIn(f"B lần {i}", text)  # B's input kept
            obj.refresh_from_db()
            self.assertEqual(getattr(obj, a_field), f"A lần {i}")
            self.assertNotEqual(obj.summary, f"B lần {i}")
            again = page_values(self.b.get(url))
            again["summary"] = f"B lần {i}"
            self.assertEqual(self.b.post(url, again).status_code, 302)
            obj.refresh_from_db()
            self.assertEqual((getattr(obj, a_field), obj.summary), (f"A lần {i}", f"B lần {i}"))

    def test_case_edit_page(self) -> None:
        self.edit_rounds(self.case, "cases:case_edit", "title")
        self.assertEqual(Case.objects.get(pk=self.case.pk).version, 1 + 2 * ROUNDS)

    def test_petition_edit_page(self) -> None:
        self.edit_rounds(self.petition, "petitions:petition_edit", "subject")

    def test_resubmitting_the_refused_form_is_a_deliberate_overwrite(self) -> None:
        url = reverse("cases:case_edit", args=[self.case.pk])
        seen_a = page_values(self.a.get(url))
        seen_b = page_values(self.b.get(url))
        seen_a["title"] = "Tên của A"
        self.a.post(url, seen_a)
        seen_b["title"] = "Tên của B"
        refused = self.b.post(url, seen_b)
        self.assertContains(refused, "Tên của A")
        # The refused page carries the current version: saving it again is B's choice.
        self.assertEqual(self.b.post(url, page_values(refused)).status_code, 302)
        self.case.refresh_from_db()
        self.assertEqual(self.case.title, "Tên của B")

    # -- API ---------------------------------------------------------------------------------
    def api_rounds(self, obj: Any, basename: str, a_field: str, method: str) -> None:
        url = reverse(f"{basename}-detail", args=[obj.pk])
        for i in range(ROUNDS):
            got_a = self.a.get(url)
            seen_a, seen_b = got_a.json(), self.b.get(url).json()
            self.assertEqual(got_a["ETag"], f'"{seen_a["version"]}"')
            if method == "put":
                body_a = {**seen_a, a_field: f"A lần {i}"}
                body_b = {**seen_b, "summary": f"B lần {i}"}
            else:  # a PATCH with what the client read: the stale body
                body_a = {a_field: f"A lần {i}", "version": seen_a["version"]}
                body_b = {"summary": f"B lần {i}", a_field: seen_b[a_field]}
                body_b["version"] = seen_b["version"]
            send_a = getattr(self.a, method)
            send_b = getattr(self.b, method)
            done = send_a(url, json.dumps(body_a), content_type="application/json")
            self.assertEqual(done.status_code, 200, done.content)
            self.assertEqual(done["ETag"], f'"{seen_a["version"] + 1}"')
            refused = send_b(url, json.dumps(body_b), content_type="application/json")
            self.assertEqual(refused.status_code, 409, refused.content)
            answer = refused.json()
            self.assertEqual(answer["version"], seen_a["version"] + 1)
            self.assertEqual(answer["changed"][a_field]["value"], f"A lần {i}")
            obj.refresh_from_db()
            self.assertEqual(getattr(obj, a_field), f"A lần {i}")
            fresh = self.b.get(url).json()
            body_b = {**fresh, "summary": f"B lần {i}"}
            if method == "patch":
                body_b = {"summary": f"B lần {i}", "version": fresh["version"]}
            saved = send_b(url, json.dumps(body_b), content_type="application/json")
            self.assertEqual(saved.status_code, 200, saved.content)
            obj.refresh_from_db()
            self.assertEqual((getattr(obj, a_field), obj.summary), (f"A lần {i}", f"B lần {i}"))

    def test_case_api_put(self) -> None:
        self.api_rounds(self.case, "case", "title", "put")

    def test_case_api_patch(self) -> None:
        self.api_rounds(self.case, "case", "title", "patch")

    def test_petition_api_put(self) -> None:
        self.api_rounds(self.petition, "petition", "subject", "put")

    def test_petition_api_patch(self) -> None:
        self.api_rounds(self.petition, "petition", "subject", "patch")

    def test_if_match_header(self) -> None:
        url = reverse("case-detail", args=[self.case.pk])
        tag = self.a.get(url)["ETag"]
        self.a.patch(url, json.dumps({"title": "Mới"}), content_type="application/json")
        stale = self.b.patch(
            url, json.dumps({"title": "Cũ"}), content_type="application/json", HTTP_IF_MATCH=tag
        )
        self.assertEqual(stale.status_code, 409)
        fresh = self.b.get(url)["ETag"]
        ok = self.b.patch(
            url, json.dumps({"title": "Cũ"}), content_type="application/json", HTTP_IF_MATCH=fresh
        )
        self.assertEqual(ok.status_code, 200)
        bad = self.b.patch(
            url, json.dumps({"title": "X"}), content_type="application/json", HTTP_IF_MATCH="abc"
        )
        self.assertEqual(bad.status_code, 400)

    def test_patch_without_a_version_applies_to_the_current_one(self) -> None:
        """The documented choice: no version and no If-Match means "whatever is current"."""
        url = reverse("case-detail", args=[self.case.pk])
        self.a.patch(url, json.dumps({"title": "Mới"}), content_type="application/json")
        response = self.b.patch(
            url, json.dumps({"summary": "Chỉ tóm tắt"}), content_type="application/json"
        )
        self.assertEqual(response.status_code, 200)
        self.case.refresh_from_db()
        self.assertEqual((self.case.title, self.case.summary), ("Mới", "Chỉ tóm tắt"))

    def test_a_refused_save_changes_nothing_and_is_not_audited(self) -> None:
        url = reverse("case-detail", args=[self.case.pk])
        before = AuditEntry.objects.filter(action=AuditAction.UPDATE).count()
        response = self.a.patch(
            url, json.dumps({"title": "X", "version": 99}), content_type="application/json"
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.UPDATE).count(), before)
        self.case.refresh_from_db()
        self.assertEqual((self.case.title, self.case.version), ("Vụ án gốc", 1))

    def test_a_verb_moves_the_version_too(self) -> None:
        self.case.title = "Đổi qua dịch vụ khác"
        self.case.save()
        self.case.refresh_from_db()
        self.assertEqual(self.case.version, 2)
