"""The permission matrix for users and role assignments, plus the rules on granting roles."""

import datetime as dt
import io
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from noichinh.accounts.models import RoleAssignment, User
from noichinh.accounts.resources import RoleAssignmentResource, UserResource
from noichinh.core.models import AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.testkit import ResourceTestCase, make_user


class UserResourceTests(ResourceTestCase):
    resource = UserResource

    def make(self, unit: Any) -> Any:
        return make_user(self.unique("user"), unit)

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        data = {
            "full_name": "Nguyễn Văn Thử",
            "email": "thu@example.vn",
            "title": "Chuyên viên",
            "home_unit": unit.pk,
            "is_active": "on",
        }
        if mode == "add":
            data.update(
                username=self.unique("moi"),
                password1="mat-khau-dai-2024",
                password2="mat-khau-dai-2024",
            )
        return data

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "username": self.unique("api"),
            "full_name": "Qua API",
            "email": "",
            "title": "",
            "home_unit": unit.pk,
            "is_active": True,
        }

    def test_created_user_can_sign_in_with_the_password(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        self.client.post(self.url("add"), data)
        user = User.objects.get(username=data["username"])
        self.assertTrue(user.check_password("mat-khau-dai-2024"))
        entry = AuditEntry.objects.filter(
            object_type="accounts.user", object_id=str(user.pk)
        ).first()
        assert entry is not None
        self.assertNotIn("password", entry.changes)

    def test_weak_or_mismatched_password_is_refused_with_input_kept(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        data["password2"] = "khac-han-nhau-2024"
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("password2", response.context["form"].errors)
        self.assertEqual(response.context["form"]["full_name"].value(), "Nguyễn Văn Thử")

    def test_unit_admin_cannot_edit_a_user_who_outranks_them(self) -> None:
        prov_a = self.tree["prov_a"]
        admin = make_user("kit.unitadmin", prov_a, [Role.UNIT_ADMIN])
        boss = make_user("kit.boss", prov_a, [Role.SYSTEM_ADMIN])
        self.client.force_login(admin)
        response = self.client.post(self.url("edit", boss), self.form_data(prov_a, "edit"))
        self.assertEqual(response.status_code, 200)
        boss.refresh_from_db()
        self.assertEqual(boss.full_name, "Kit.Boss")


class RoleAssignmentResourceTests(ResourceTestCase):
    resource = RoleAssignmentResource

    def make(self, unit: Any) -> Any:
        person = make_user(self.unique("ra"), unit)
        return RoleAssignment.objects.create(
            user=person, unit=unit, role=Role.VIEWER, valid_from=dt.date(2024, 1, 1)
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        person = make_user(self.unique("nguoi"), unit)
        return {
            "user": person.pk,
            "unit": unit.pk,
            "role": Role.SPECIALIST,
            "valid_from": "01/01/2024",
            "valid_to": "",
            "note": "",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        person = make_user(self.unique("api"), unit)
        return {
            "user": person.pk,
            "unit": unit.pk,
            "role": Role.VIEWER,
            "valid_from": "2024-01-01",
            "valid_to": None,
            "note": "",
        }

    def test_cannot_grant_above_own_role(self) -> None:
        prov_a = self.tree["prov_a"]
        admin = make_user("kit.ua", prov_a, [Role.UNIT_ADMIN])
        self.client.force_login(admin)
        data = self.form_data(prov_a, "add")
        data["role"] = Role.SYSTEM_ADMIN
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            _("You cannot grant a role above your own."), str(response.context["form"].errors)
        )
        self.assertIn(
            _("You cannot grant a role above your own."),
            response.context["form"].non_field_errors(),
        )
        self.assertFalse(
            RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, user_id=data["user"]).exists()
        )

    def test_end_date_before_start_is_refused(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        data["valid_to"] = "01/01/2023"
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)

    def _xlsx(self, rows: list[list[Any]]) -> io.BytesIO:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.seek(0)
        buffer.name = "phan-quyen.xlsx"
        return buffer

    def test_import_is_all_or_nothing_with_row_errors(self) -> None:
        prov_a = self.tree["prov_a"]
        first = make_user("kit.imp1", prov_a)
        second = make_user("kit.imp2", prov_a)
        header = ["user", "unit", "role", "valid_from", "valid_to", "note"]
        good = ["kit.imp1", "T-A", "Chi xem", "01/02/2024", "", "nhập"]  # the label, no accents
        bad_unit = ["kit.imp2", "T-B", "viewer", "01/02/2024", "", ""]
        bad_role = ["kit.imp2", "T-A", "emperor", "01/02/2024", "", ""]
        self.client.force_login(self.in_scope)
        url = self.url("import")
        response = self.client.post(url, {"file": self._xlsx([header, good, bad_unit, bad_role])})
        self.assertEqual(response.status_code, 400)
        errors = response.context["errors"]
        self.assertEqual(sorted({e.row for e in errors}), [3, 4])
        self.assertFalse(RoleAssignment.objects.filter(user__in=[first, second]).exists())
        response = self.client.post(url, {"file": self._xlsx([header, good])})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            RoleAssignment.objects.filter(user=first, unit=prov_a, role="viewer").exists()
        )

    def test_import_rejects_a_file_that_is_not_excel(self) -> None:
        self.client.force_login(self.in_scope)
        junk = io.BytesIO(b"not a workbook")
        junk.name = "x.xlsx"
        response = self.client.post(self.url("import"), {"file": junk})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["errors"])

    def test_import_template_downloads(self) -> None:
        self.client.force_login(self.in_scope)
        response = self.client.get(self.url("import"), {"template": 1})
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        self.assertTrue(reverse("accounts:roleassignment_import"))
