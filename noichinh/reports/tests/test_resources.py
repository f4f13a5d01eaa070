"""The permission matrix for every registered resource of the reports area."""

import datetime as dt
from typing import Any

from noichinh.core.testkit import ResourceTestCase
from noichinh.reports.models import (
    FormItem,
    FormSection,
    Indicator,
    ReportForm,
    Submission,
    ValidationRule,
)
from noichinh.reports.resources import (
    FormItemResource,
    FormSectionResource,
    IndicatorResource,
    ReportFormResource,
    SubmissionResource,
    ValidationRuleResource,
)


def form_for(unit: Any, code: str) -> ReportForm:
    return ReportForm.objects.create(unit=unit, code=code, name="Biểu thử", period_type="quarter")


def indicator_for(unit: Any, code: str) -> Indicator:
    return Indicator.objects.create(unit=unit, code=code, name=f"Chỉ tiêu {code}")


class IndicatorResourceTests(ResourceTestCase):
    resource = IndicatorResource

    def make(self, unit: Any) -> Any:
        return indicator_for(unit, self.unique("CT"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "code": self.unique("CT"),
            "name": "Số vụ việc đã thụ lý",
            "measure": "vụ việc",
            "aggregation": "sum",
            "source": "manual",
            "count_key": "",
            "decimals": "0",
            "polarity": "higher_worse",
        }

    def test_a_derived_indicator_needs_a_known_count(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        data["source"] = "derived"
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("count_key", response.context["form"].errors)


class ReportFormResourceTests(ResourceTestCase):
    resource = ReportFormResource

    def make(self, unit: Any) -> Any:
        return form_for(unit, self.unique("BM"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "code": self.unique("BM"),
            "name": "Báo cáo quý",
            "period_type": "quarter",
            "due_days": "5",
            "reporting": "children",
            "approver_role": "head",
            "active": "on",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        data = self.form_data(unit, "add")
        data.update({"active": True, "due_days": 5, "reporting_units": []})
        return data

    def test_only_short_periods_are_cumulative(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        data.update({"period_type": "year", "cumulative": "on"})
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("cumulative", response.context["form"].errors)


class FormSectionResourceTests(ResourceTestCase):
    resource = FormSectionResource

    def make(self, unit: Any) -> Any:
        form = form_for(unit, self.unique("BM"))
        return FormSection.objects.create(unit=unit, form=form, number=1, title="Phần I")

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        form = form_for(unit, self.unique("BM"))
        return {"form": form.pk, "number": 2, "title": "Kết quả"}


class FormItemResourceTests(ResourceTestCase):
    resource = FormItemResource

    def make(self, unit: Any) -> Any:
        form = form_for(unit, self.unique("BM"))
        return FormItem.objects.create(
            unit=unit, form=form, order=1, indicator=indicator_for(unit, self.unique("CT"))
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        form = form_for(unit, self.unique("BM"))
        return {"form": form.pk, "order": 1, "indicator": indicator_for(unit, self.unique("CT")).pk}

    def test_the_unit_is_the_forms(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["dept_a"], "add")
        self.assertEqual(self.client.post(self.url("add"), data).status_code, 302)
        self.assertEqual(FormItem.objects.latest("id").unit, self.tree["dept_a"])


class ValidationRuleResourceTests(ResourceTestCase):
    resource = ValidationRuleResource

    def make(self, unit: Any) -> Any:
        form = form_for(unit, self.unique("BM"))
        return ValidationRule.objects.create(
            unit=unit,
            form=form,
            left=indicator_for(unit, self.unique("CT")),
            operator="le",
            right=indicator_for(unit, self.unique("CT")),
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        form = form_for(unit, self.unique("BM"))
        return {
            "form": form.pk,
            "left": indicator_for(unit, self.unique("CT")).pk,
            "operator": "le",
            "right": indicator_for(unit, self.unique("CT")).pk,
            "tolerance": "0.5",
            "severity": "block",
            "message": "Giải quyết không vượt thụ lý",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        data = self.form_data(unit, "add")
        data["parts"] = []
        return data


class SubmissionResourceTests(ResourceTestCase):
    resource = SubmissionResource

    def make(self, unit: Any) -> Any:
        form = form_for(unit, self.unique("BM"))
        return Submission.objects.create(
            unit=unit,
            form=form,
            period="2024-Q1",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 3, 31),
            due_on=dt.date(2024, 4, 5),
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {}

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {"form": 1, "period": "2024-Q1", "unit": unit.pk}
