"""The permission matrix for units and clusters (the kit), and what is special about units."""

import datetime as dt
from typing import Any

from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import ResourceTestCase
from noichinh.units.choices import UnitKind
from noichinh.units.models import Cluster
from noichinh.units.resources import ClusterResource, UnitResource
from noichinh.units.services import unit_create


class UnitResourceTests(ResourceTestCase):
    resource = UnitResource

    def make(self, unit: Any) -> Any:
        code = self.unique("U")
        return unit_create(
            user=SYSTEM,
            parent=unit,
            code=code,
            name=f"Đơn vị {code}",
            kind=UnitKind.DEPARTMENT,
            valid_from=dt.date(2021, 1, 1),
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {}

    def test_units_are_not_edited_field_by_field(self) -> None:
        self.assertEqual(UnitResource.actions(), ("list", "detail", "export"))

    def test_closed_units_hidden_by_default_and_shown_on_request(self) -> None:
        from noichinh.units.services import unit_close

        unit_close(user=SYSTEM, unit=self.obj_in, on=dt.date(2025, 7, 1), note="thử")
        self.client.force_login(self.in_scope)
        active = self.client.get(self.url("list"), {"per_page": 100})
        self.assertNotIn(self.obj_in.pk, {r["obj"].pk for r in active.context["rows"]})
        everything = self.client.get(self.url("list"), {"status": "all", "per_page": 100})
        self.assertIn(self.obj_in.pk, {r["obj"].pk for r in everything.context["rows"]})

    def test_search_ignores_diacritics(self) -> None:
        self.client.force_login(self.in_scope)
        response = self.client.get(self.url("list"), {"q": "phong thu a1"})
        self.assertEqual([r["obj"].code for r in response.context["rows"]], ["T-A1"])


class ClusterResourceTests(ResourceTestCase):
    resource = ClusterResource

    def make(self, unit: Any) -> Any:
        code = self.unique("C")
        return Cluster.objects.create(unit=unit, code=code, name=f"Cụm {code}")

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "code": self.unique("CF"),
            "name": "Cụm thi đua thử",
            "region": "Miền Trung",
            "members": [unit.pk],
        }

    def test_member_choices_are_limited_to_the_scope(self) -> None:
        data = self.form_data(self.tree["prov_a"], "add")
        data["members"] = [self.tree["prov_b"].pk]
        self.client.force_login(self.in_scope)
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("members", response.context["form"].errors)
        self.assertEqual(response.context["form"]["name"].value(), "Cụm thi đua thử")

    def test_member_changes_are_in_the_audit_entry(self) -> None:
        """Regression: member changes were saved after the audit entry and never recorded.
        Membership is dated: the change is its own entry (members before and from today)."""
        from noichinh.core.models import AuditEntry

        self.client.force_login(self.in_scope)
        data = {
            "unit": self.obj_in.unit_id,
            "code": self.obj_in.code,
            "name": self.obj_in.name,
            "region": "",
            "members": [self.tree["prov_a"].pk, self.tree["dept_a"].pk],
        }
        response = self.client.post(self.url("edit", self.obj_in), data)
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.filter(
            object_id=str(self.obj_in.pk), object_type="units.cluster", action="transition"
        ).latest("id")
        self.assertEqual(entry.user_id, self.in_scope.pk)
        self.assertEqual(
            entry.changes["members"], [[], sorted([self.tree["prov_a"].pk, self.tree["dept_a"].pk])]
        )


def test_member_provinces_see_their_cluster_but_cannot_change_it(db, client):
    from noichinh.core.permissions import Role
    from noichinh.core.testkit import build_tree, make_user

    tree = build_tree()
    cluster = Cluster.objects.create(unit=tree["root"], code="C-III", name="Cụm III thử")
    cluster.members.set([tree["prov_a"]])
    member = make_user("thanh.vien", tree["prov_a"], [Role.UNIT_ADMIN, Role.HEAD])
    other = make_user("ngoai.cum", tree["prov_b"], [Role.HEAD])
    client.force_login(member)
    assert client.get(f"/don-vi/cum-thi-dua/{cluster.pk}/").status_code == 200
    listed = client.get("/don-vi/cum-thi-dua/").context["rows"]
    assert [r["obj"].pk for r in listed] == [cluster.pk]
    assert client.get(f"/don-vi/cum-thi-dua/{cluster.pk}/edit/").status_code == 404
    assert client.get(f"/api/clusters/{cluster.pk}/").status_code == 200
    assert (
        client.patch(
            f"/api/clusters/{cluster.pk}/", "{}", content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(other)
    assert client.get(f"/don-vi/cum-thi-dua/{cluster.pk}/").status_code == 404
