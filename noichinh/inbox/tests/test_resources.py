from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import ResourceTestCase
from noichinh.inbox.models import ReminderRule
from noichinh.inbox.resources import ReminderRuleResource
from noichinh.units.choices import UnitKind
from noichinh.units.services import unit_create


class ReminderRuleTests(ResourceTestCase):
    resource = ReminderRuleResource

    def make(self, unit):
        # One rule per unit and kind: each record gets a unit of its own under `unit`.
        child = unit_create(
            user=SYSTEM,
            parent=unit,
            code=self.unique("T-R"),
            name=self.unique("Phòng nhắc hạn"),
            kind=UnitKind.DEPARTMENT,
            valid_from=unit.valid_from,
        )
        return ReminderRule.objects.create(
            unit=child, kind="task", days_before=3, roles=["specialist"], escalate_after_days=2
        )

    def form_data(self, unit, mode):
        return {
            "unit": unit.pk,
            "kind": "petition",
            "days_before": 4,
            "roles": ["specialist", "head"],
            "escalate_after_days": "",
        }

    def test_only_administrators_write_rules(self):
        from noichinh.core.permissions import Role
        from noichinh.core.testkit import make_user

        head = make_user("kit.head", self.tree["prov_a"], [Role.HEAD])
        self.client.force_login(head)
        self.assertEqual(self.client.get(self.url("list")).status_code, 200)
        response = self.client.post(self.url("add"), self.form_data(self.tree["prov_a"], "add"))
        self.assertIn(response.status_code, (403, 404, 200))
        self.assertFalse(ReminderRule.objects.filter(unit=self.tree["prov_a"]).exists())
