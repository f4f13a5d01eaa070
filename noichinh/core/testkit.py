"""The test kit: a permission matrix that every registered resource's tests inherit.

    class ClusterTests(ResourceTestCase):
        resource = ClusterResource

        def make(self, unit):
            return Cluster.objects.create(unit=unit, code=self.unique("C"), name=self.unique("Cụm"))

        def form_data(self, unit, mode):
            return {"unit": unit.pk, "code": self.unique("C"), "name": "Cụm mới"}

The kit builds a small tree (a root, province A with a department, province B), three users
(no role; every role over A; every role over B) and checks, for each action the resource
offers, on pages and on the API: anonymous is sent to sign in, no role sees nothing, the
in-scope user can do it and the write is audited, and the out-of-scope record answers 404.
A registered resource without a subclass of this case fails `test_registry_coverage`.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from typing import Any, ClassVar

from django.apps import apps
from django.db import connection, models
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from .models import AuditAction, AuditEntry
from .permissions import Role
from .resources import ModelResource
from .scoping import SYSTEM

COVERED: set[type[ModelResource]] = set()
TEST_PASSWORD = "x-test-pass-123"  # noqa: S105  (test users only)
_counter = itertools.count(1)


def build_tree() -> dict[str, Any]:
    """Root, province A (+ department), province B: the smallest tree that shows scope."""
    from noichinh.units.choices import UnitKind
    from noichinh.units.services import unit_create

    start = dt.date(2020, 1, 1)
    root = unit_create(
        user=SYSTEM,
        parent=None,
        code="T-ROOT",
        name="Ban thử Trung ương",
        kind=UnitKind.CENTRAL,
        valid_from=start,
    )
    prov_a = unit_create(
        user=SYSTEM,
        parent=root,
        code="T-A",
        name="Ban thử Tỉnh A",
        kind=UnitKind.PROVINCIAL,
        valid_from=start,
    )
    dept_a = unit_create(
        user=SYSTEM,
        parent=prov_a,
        code="T-A1",
        name="Phòng thử A1",
        kind=UnitKind.DEPARTMENT,
        valid_from=start,
    )
    prov_b = unit_create(
        user=SYSTEM,
        parent=root,
        code="T-B",
        name="Ban thử Tỉnh B",
        kind=UnitKind.PROVINCIAL,
        valid_from=start,
    )
    return {"root": root, "prov_a": prov_a, "dept_a": dept_a, "prov_b": prov_b}


def make_user(username: str, unit: Any, roles: list[str] | tuple[str, ...] = ()) -> Any:
    user_model = apps.get_model("accounts", "User")
    assignment = apps.get_model("accounts", "RoleAssignment")
    user = user_model.objects.create_user(
        username=username, password=TEST_PASSWORD, home_unit=unit, full_name=username.title()
    )
    for role in roles:
        assignment.objects.create(user=user, unit=unit, role=role, valid_from=dt.date(2020, 1, 1))
    return user


class ResourceTestCase(TestCase):
    """Subclass with `resource`, `make(unit)` and `form_data(unit, mode)`."""

    __test__ = False
    resource: ClassVar[type[ModelResource] | None] = None
    tree: ClassVar[dict[str, Any]]
    no_role: ClassVar[Any]
    in_scope: ClassVar[Any]
    out_scope: ClassVar[Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.resource is not None:
            COVERED.add(cls.resource)
            cls.__test__ = True

    # -- to override ------------------------------------------------------------------------
    def make(self, unit: Any) -> models.Model:
        raise NotImplementedError

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        """Valid form data for a record of `unit` (mode "add" or "edit")."""
        raise NotImplementedError

    def api_payload(self, unit: Any) -> dict[str, Any]:
        """Valid JSON for the API create; defaults to the form data."""
        return self.form_data(unit, "add")

    # -- fixtures ---------------------------------------------------------------------------
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_tree()
        every_role = [r for r in Role.values]
        cls.no_role = make_user("kit.norole", cls.tree["prov_a"])
        cls.in_scope = make_user("kit.inscope", cls.tree["prov_a"], every_role)
        cls.out_scope = make_user("kit.outscope", cls.tree["prov_b"], every_role)

    def setUp(self) -> None:
        self.obj_in = self.make(self.tree["dept_a"])
        self.obj_out = self.make(self.tree["prov_b"])

    @staticmethod
    def unique(prefix: str) -> str:
        return f"{prefix}-{next(_counter)}"

    # -- helpers ----------------------------------------------------------------------------
    @property
    def res(self) -> type[ModelResource]:
        assert self.resource is not None
        return self.resource

    def has(self, action: str) -> bool:
        return action in self.res.actions()

    def url(self, action: str, obj: models.Model | None = None) -> str:
        args = [obj.pk] if obj is not None else []
        return reverse(self.res.url_name(action), args=args)

    def api_url(self, obj: models.Model | None = None) -> str:
        base = self.res.api_basename or self.res.model_name()
        if obj is None:
            return reverse(f"{base}-list")
        return reverse(f"{base}-detail", args=[obj.pk])

    def audited(self, action: str, obj_pk: Any, user: Any) -> bool:
        return AuditEntry.objects.filter(
            action=action,
            object_type=self.res.model._meta.label_lower,
            object_id=str(obj_pk),
            user_id=user.pk,
        ).exists()

    def page_actions(self) -> list[tuple[str, models.Model | None]]:
        pairs: list[tuple[str, models.Model | None]] = [("list", None), ("add", None)]
        pairs += [(a, self.obj_in) for a in ("detail", "edit", "delete")]
        return [(a, o) for a, o in pairs if self.has(a)]

    def exists(self, obj: models.Model) -> bool:
        return type(obj)._default_manager.filter(pk=obj.pk).exists()

    # -- anonymous --------------------------------------------------------------------------
    def test_anonymous_pages_redirect_to_sign_in(self) -> None:
        for action, obj in self.page_actions():
            response = self.client.get(self.url(action, obj))
            self.assertEqual(response.status_code, 302, action)
            self.assertIn(reverse("accounts:login"), response["Location"], action)

    def test_anonymous_api_refused(self) -> None:
        if not self.res.api:
            return
        self.assertIn(self.client.get(self.api_url()).status_code, (401, 403))
        self.assertIn(self.client.get(self.api_url(self.obj_in)).status_code, (401, 403))

    # -- no role ----------------------------------------------------------------------------
    def test_no_role_sees_nothing(self) -> None:
        self.client.force_login(self.no_role)
        self.assertEqual(self.client.get(self.url("list")).status_code, 403)
        self.assertEqual(self.client.get(self.url("detail", self.obj_in)).status_code, 404)
        if self.has("edit"):
            self.assertEqual(self.client.get(self.url("edit", self.obj_in)).status_code, 404)
        if self.res.api:
            body = self.client.get(self.api_url()).json()
            self.assertEqual(body["count"], 0)
            self.assertEqual(self.client.get(self.api_url(self.obj_in)).status_code, 404)

    # -- pages in and out of scope ----------------------------------------------------------
    def test_list_shows_only_records_in_scope(self) -> None:
        self.client.force_login(self.in_scope)
        response = self.client.get(self.url("list"), {"per_page": 100})
        self.assertEqual(response.status_code, 200)
        shown = {row["obj"].pk for row in response.context["rows"]}
        self.assertIn(self.obj_in.pk, shown)
        self.assertNotIn(self.obj_out.pk, shown)

    def test_list_queries_do_not_grow_with_rows(self) -> None:
        """No query per row (N+1): five more records, the same number of queries."""
        self.client.force_login(self.in_scope)
        url = self.url("list")
        self.client.get(url, {"per_page": 100})  # warm the session and caches
        with CaptureQueriesContext(connection) as before:
            self.client.get(url, {"per_page": 100})
        for _ in range(5):
            self.make(self.tree["dept_a"])
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(url, {"per_page": 100})
        self.assertGreaterEqual(len(response.context["rows"]), 6)
        self.assertEqual(len(before), len(after), [q["sql"] for q in after.captured_queries])

    def test_list_htmx_returns_the_table_fragment(self) -> None:
        self.client.force_login(self.in_scope)
        response = self.client.get(self.url("list"), headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn('id="list-table"', text)
        self.assertNotIn("<html", text)

    def test_detail_in_scope_and_404_out_of_scope(self) -> None:
        self.client.force_login(self.in_scope)
        response = self.client.get(self.url("detail", self.obj_in))
        self.assertContains(response, str(self.obj_in))
        self.assertEqual(self.client.get(self.url("detail", self.obj_out)).status_code, 404)
        history = self.client.get(self.url("detail", self.obj_in), {"tab": "history"})
        self.assertEqual(history.status_code, 200)

    def test_out_of_scope_writes_answer_404_and_change_nothing(self) -> None:
        self.client.force_login(self.in_scope)
        for action in ("edit", "delete"):
            if not self.has(action):
                continue
            self.assertEqual(self.client.get(self.url(action, self.obj_out)).status_code, 404)
            data = {"reason": "thử", **self.form_data(self.tree["prov_a"], "edit")}
            self.assertEqual(
                self.client.post(self.url(action, self.obj_out), data).status_code, 404
            )
        self.assertTrue(self.exists(self.obj_out))

    def test_create_in_scope_is_audited(self) -> None:
        if not self.has("add"):
            return
        self.client.force_login(self.in_scope)
        before = set(self.res.model._default_manager.values_list("pk", flat=True))
        response = self.client.post(self.url("add"), self.form_data(self.tree["prov_a"], "add"))
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", None)
            and response.context.get("form")
            and response.context["form"].errors,
        )
        new = set(self.res.model._default_manager.values_list("pk", flat=True)) - before
        self.assertEqual(len(new), 1)
        self.assertTrue(self.audited(AuditAction.CREATE, new.pop(), self.in_scope))

    def test_create_outside_scope_is_refused_and_keeps_input(self) -> None:
        if not self.has("add"):
            return
        self.client.force_login(self.in_scope)
        count = self.res.model._default_manager.count()
        data = self.form_data(self.tree["prov_b"], "add")
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(self.res.model._default_manager.count(), count)

    def test_edit_in_scope_is_audited(self) -> None:
        if not self.has("edit"):
            return
        self.client.force_login(self.in_scope)
        response = self.client.post(
            self.url("edit", self.obj_in), self.form_data(self.tree["dept_a"], "edit")
        )
        self.assertEqual(
            response.status_code, 302, response.context and response.context["form"].errors
        )
        self.assertTrue(self.audited(AuditAction.UPDATE, self.obj_in.pk, self.in_scope))

    def test_delete_needs_a_reason_and_is_audited(self) -> None:
        if not self.has("delete"):
            return
        self.client.force_login(self.in_scope)
        self.assertEqual(
            self.client.post(self.url("delete", self.obj_in), {"reason": ""}).status_code, 200
        )
        self.assertTrue(self.exists(self.obj_in))
        response = self.client.post(self.url("delete", self.obj_in), {"reason": "Nhập trùng"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.exists(self.obj_in))
        entry = AuditEntry.objects.get(
            action=AuditAction.DELETE,
            object_id=str(self.obj_in.pk),
            object_type=self.res.model._meta.label_lower,
        )
        self.assertEqual(entry.message, "Nhập trùng")

    def test_export_contains_exactly_the_scope_and_is_audited(self) -> None:
        if not self.has("export"):
            return
        self.client.force_login(self.in_scope)
        response = self.client.get(self.url("export"))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertIn(self.obj_in.pk, ids)
        self.assertNotIn(self.obj_out.pk, ids)
        self.assertTrue(
            AuditEntry.objects.filter(action=AuditAction.EXPORT, user_id=self.in_scope.pk).exists()
        )

    # -- API --------------------------------------------------------------------------------
    def test_api_list_and_detail_follow_the_scope(self) -> None:
        if not self.res.api:
            return
        self.client.force_login(self.in_scope)
        body = self.client.get(self.api_url(), {"page_size": 500}).json()
        ids = set()
        page = body
        while True:
            ids |= {item["id"] for item in page["results"]}
            if not page.get("next"):
                break
            page = self.client.get(page["next"]).json()
        self.assertIn(self.obj_in.pk, ids)
        self.assertNotIn(self.obj_out.pk, ids)
        item = self.client.get(self.api_url(self.obj_in)).json()
        self.assertEqual(item["id"], self.obj_in.pk)
        if self.res.model.scope_path_lookup != "path":  # type: ignore[attr-defined]
            self.assertIn("unit", item)
        self.assertEqual(self.client.get(self.api_url(self.obj_out)).status_code, 404)

    def test_api_writes(self) -> None:
        if not self.res.api:
            return
        self.client.force_login(self.in_scope)
        payload = self.api_payload(self.tree["prov_a"])
        response = self.client.post(
            self.api_url(), json.dumps(payload), content_type="application/json"
        )
        if not self.res.generic_write:
            self.assertEqual(response.status_code, 405)
            return
        self.assertEqual(response.status_code, 201, response.content)
        self.assertTrue(self.audited(AuditAction.CREATE, response.json()["id"], self.in_scope))
        outside = self.api_payload(self.tree["prov_b"])
        refused = self.client.post(
            self.api_url(), json.dumps(outside), content_type="application/json"
        )
        self.assertEqual(refused.status_code, 400, refused.content)
        malformed = self.client.post(self.api_url(), "{not json", content_type="application/json")
        self.assertEqual(malformed.status_code, 400)
        wrong_types = {key: {"nested": ["x"]} for key in payload}
        bad = self.client.post(
            self.api_url(), json.dumps(wrong_types), content_type="application/json"
        )
        self.assertEqual(bad.status_code, 400, bad.content)
        patch = self.client.patch(self.api_url(self.obj_out), "{}", content_type="application/json")
        self.assertEqual(patch.status_code, 404)
        if "delete" in self.res.actions():
            self.assertEqual(self.client.delete(self.api_url(self.obj_out)).status_code, 404)
            self.assertTrue(self.exists(self.obj_out))
