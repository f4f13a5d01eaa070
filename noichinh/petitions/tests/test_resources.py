"""The permission matrix for every registered resource of the petitions area."""

import datetime as dt
from typing import Any

from noichinh.core.testkit import ResourceTestCase
from noichinh.petitions.models import Petition, ReceptionSession
from noichinh.petitions.resources import PetitionResource, ReceptionSessionResource


class PetitionResourceTests(ResourceTestCase):
    resource = PetitionResource

    def make(self, unit: Any) -> Any:
        return Petition.objects.create(
            unit=unit,
            received_on=dt.date(2024, 3, 1),
            channel="post",
            kind="complaint",
            complaint_round="first",
            field="land",
            subject=self.unique("Khiếu nại bồi thường"),
            petitioner_name="Nguyễn Văn A",
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "received_on": "01/03/2024",
            "channel": "post",
            "kind": "complaint",
            "complaint_round": "first",
            "field": "land",
            "subject": "Khiếu nại mức bồi thường",
            "petitioner_name": "Nguyễn Văn B",
            "complexity": "normal",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        data = self.form_data(unit, "add")
        data["received_on"] = "2024-03-01"
        return data

    def test_deadlines_are_computed_on_create(self) -> None:
        self.client.force_login(self.in_scope)
        response = self.client.post(self.url("add"), self.form_data(self.tree["prov_a"], "add"))
        self.assertEqual(response.status_code, 302)
        petition = Petition.objects.latest("id")
        self.assertEqual(petition.classify_due_on, dt.date(2024, 3, 15))
        self.assertEqual(petition.status, "received")


class ReceptionSessionResourceTests(ResourceTestCase):
    resource = ReceptionSessionResource

    def make(self, unit: Any) -> Any:
        return ReceptionSession.objects.create(
            unit=unit, held_on=dt.date(2024, 3, 15), leader=self.unique("Đồng chí"), people=5
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {"unit": unit.pk, "held_on": "15/03/2024", "leader": "Đồng chí Bí thư", "people": 7}

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "held_on": "2024-03-15", "leader": "Qua API", "people": 3}
