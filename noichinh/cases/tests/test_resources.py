"""The permission matrix for every registered resource of the case registry."""

import datetime as dt
from typing import Any

from noichinh.cases.models import Case, CaseEvent, CaseSuspension, SecurityIssue, StallRule
from noichinh.cases.resources import (
    CaseEventResource,
    CaseResource,
    CaseSuspensionResource,
    SecurityIssueResource,
    StallRuleResource,
)
from noichinh.core.testkit import ResourceTestCase


def case_for(unit: Any, title: str = "Sai phạm đất đai", **fields: Any) -> Case:
    values = {
        "kind": "criminal_case",
        "field": "land",
        "detected_on": dt.date(2022, 3, 1),
        "detection": "self",
        **fields,
    }
    case = Case.objects.create(unit=unit, title=title, **values)
    case.last_event_on = case.detected_on
    case.save(update_fields=["last_event_on"])
    return case


class CaseResourceTests(ResourceTestCase):
    resource = CaseResource

    def make(self, unit: Any) -> Any:
        return case_for(unit, self.unique("Vụ án tham nhũng"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "title": "Vi phạm trong đấu thầu thuốc",
            "kind": "criminal_case",
            "conduct": "corruption",
            "field": "health",
            "detected_on": "15/3/2023",
            "detection": "self",
            "monitoring": "3",
            "confidentiality": "normal",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        data = self.form_data(unit, "add")
        data["detected_on"] = "2023-03-15"
        data["documents"] = []
        return data

    def test_a_new_case_starts_registered_with_its_detection_as_last_activity(self) -> None:
        self.client.force_login(self.in_scope)
        response = self.client.post(self.url("add"), self.form_data(self.tree["prov_a"], "add"))
        self.assertEqual(response.status_code, 302)
        case = Case.objects.latest("id")
        self.assertEqual(case.stage, "registered")
        self.assertEqual(case.last_event_on, dt.date(2023, 3, 15))

    def test_a_department_outside_the_unit_is_refused_and_input_kept(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        data["department"] = self.tree["root"].pk  # visible to nobody here: not a choice
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("department", response.context["form"].errors)
        self.assertContains(response, "Vi phạm trong đấu thầu thuốc")


class CaseEventResourceTests(ResourceTestCase):
    resource = CaseEventResource

    def make(self, unit: Any) -> Any:
        case = case_for(unit, self.unique("Vụ án"))
        return CaseEvent.objects.create(
            unit=unit, case=case, occurred_on=dt.date(2022, 6, 1), stage="investigation"
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        case = Case.objects.filter(unit=unit).first() or case_for(unit, self.unique("Vụ án"))
        return {
            "case": case.pk,
            "occurred_on": "1/9/2022",
            "stage": "prosecution",
            "people_prosecuted": "4",
            "damage_amount": "12000000000",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        data = self.form_data(unit, "add")
        data["occurred_on"] = "2022-09-01"
        return data

    def test_an_event_moves_its_case_to_the_stage_with_its_figures(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 302)
        case = Case.objects.get(pk=data["case"])
        self.assertEqual((case.stage, case.people_prosecuted), ("prosecution", 4))
        self.assertEqual(case.last_event_on, dt.date(2022, 9, 1))


class CaseSuspensionResourceTests(ResourceTestCase):
    resource = CaseSuspensionResource

    def make(self, unit: Any) -> Any:
        case = case_for(unit, self.unique("Vụ án"))
        return CaseSuspension.objects.create(
            unit=unit, case=case, reason="assessment", started_on=dt.date(2022, 6, 1)
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        case = case_for(unit, self.unique("Vụ án"))
        return {"case": case.pk, "reason": "valuation", "started_on": "1/7/2022"}

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {**self.form_data(unit, "add"), "started_on": "2022-07-01"}

    def test_an_end_before_the_start_is_refused(self) -> None:
        self.client.force_login(self.in_scope)
        data = {**self.form_data(self.tree["prov_a"], "add"), "ended_on": "1/6/2022"}
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("ended_on", response.context["form"].errors)


class StallRuleResourceTests(ResourceTestCase):
    resource = StallRuleResource

    def make(self, unit: Any) -> Any:
        used = set(StallRule.objects.filter(unit=unit).values_list("stage", flat=True))
        stage = next(
            s
            for s in (
                "registered",
                "inspection",
                "verification",
                "investigation",
                "prosecution",
                "first_trial",
            )
            if s not in used
        )
        return StallRule.objects.create(unit=unit, stage=stage, no_event_days=30, suspended_days=60)

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        stage = "appeal" if mode == "add" else "enforcement"
        return {"unit": unit.pk, "stage": stage, "no_event_days": "45", "suspended_days": "90"}


class SecurityIssueResourceTests(ResourceTestCase):
    resource = SecurityIssueResource

    def make(self, unit: Any) -> Any:
        return SecurityIssue.objects.create(
            unit=unit,
            title=self.unique("Tập trung đông người"),
            kind="gathering",
            location="Xã A",
            started_on=dt.date(2023, 3, 1),
            advised_on=dt.date(2023, 3, 5),
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "title": "Khiếu kiện đông người về bồi thường",
            "kind": "collective",
            "location": "Phường B",
            "people_count": "120",
            "started_on": "1/4/2023",
            "advised_on": "5/4/2023",
            "status": "ongoing",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        data = self.form_data(unit, "add")
        return {**data, "started_on": "2023-04-01", "advised_on": "2023-04-05", "documents": []}

    def test_a_resolved_issue_needs_its_date(self) -> None:
        self.client.force_login(self.in_scope)
        data = {**self.form_data(self.tree["prov_a"], "add"), "status": "resolved"}
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("resolved_on", response.context["form"].errors)
        self.assertContains(response, "Khiếu kiện đông người về bồi thường")
