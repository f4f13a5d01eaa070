"""The permission matrix for every registered resource of the campaigns area."""

import datetime as dt
from typing import Any

from noichinh.campaigns.models import (
    Campaign,
    Criterion,
    Review,
    Target,
    TargetChange,
    TargetRegistration,
)
from noichinh.campaigns.resources import (
    CampaignResource,
    CriterionResource,
    ReviewResource,
    TargetChangeResource,
    TargetRegistrationResource,
    TargetResource,
)
from noichinh.core.testkit import ResourceTestCase, make_user

D = dt.date


def campaign_for(unit: Any, title: str = "Phong trào thi đua") -> Campaign:
    return Campaign.objects.create(
        unit=unit, title=title, start_on=D(2021, 5, 25), end_on=D(2025, 12, 31)
    )


def criterion_for(
    campaign: Campaign, number: str = "1", key: str = "cases.corruption"
) -> Criterion:
    return Criterion.objects.create(
        unit=campaign.unit,
        campaign=campaign,
        number=number,
        name=f"Tiêu chí {number}",
        count_key=key,
    )


MIDTERM_CUTOFF = D(2023, 10, 31)


def review_for(
    campaign: Campaign, kind: str = "midterm", cutoff: dt.date = MIDTERM_CUTOFF
) -> Review:
    return Review.objects.create(
        unit=campaign.unit, campaign=campaign, kind=kind, title=f"Đánh giá {kind}", cutoff_on=cutoff
    )


def registration_for(unit: Any, campaign: Campaign | None = None) -> TargetRegistration:
    campaign = campaign or campaign_for(unit.parent or unit)
    return TargetRegistration.objects.create(unit=unit, campaign=campaign)


class CampaignResourceTests(ResourceTestCase):
    resource = CampaignResource

    def make(self, unit: Any) -> Any:
        return campaign_for(unit, self.unique("Phong trào"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "title": "Thi đua chuyên đề 2026-2030",
            "start_on": "1/1/2026",
            "end_on": "31/12/2030",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {**self.form_data(unit, "add"), "start_on": "2026-01-01", "end_on": "2030-12-31"}

    def test_an_end_before_the_start_is_refused(self) -> None:
        self.client.force_login(self.in_scope)
        data = {**self.form_data(self.tree["prov_a"], "add"), "end_on": "1/1/2025"}
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("end_on", response.context["form"].errors)


class CriterionResourceTests(ResourceTestCase):
    resource = CriterionResource

    def make(self, unit: Any) -> Any:
        return criterion_for(campaign_for(unit), self.unique("T"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        campaign = Campaign.objects.filter(unit=unit).first() or campaign_for(unit)
        return {
            "campaign": campaign.pk,
            "number": self.unique("N")[-6:],
            "name": "Vấn đề an ninh, trật tự",
            "count_key": "security.advised",
            "level": "committee",
            "weight": "1",
        }

    def test_an_unknown_figure_is_refused(self) -> None:
        self.client.force_login(self.in_scope)
        data = {**self.form_data(self.tree["prov_a"], "add"), "count_key": "nhap.tay"}
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("count_key", response.context["form"].errors)


class ReviewResourceTests(ResourceTestCase):
    resource = ReviewResource

    def make(self, unit: Any) -> Any:
        return review_for(campaign_for(unit))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        campaign = campaign_for(unit, self.unique("P"))
        return {
            "campaign": campaign.pk,
            "kind": "final",
            "title": "Tổng kết",
            "cutoff_on": "31/10/2025",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {**self.form_data(unit, "add"), "cutoff_on": "2025-10-31"}


class TargetRegistrationResourceTests(ResourceTestCase):
    resource = TargetRegistrationResource

    def make(self, unit: Any) -> Any:
        return registration_for(unit)

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {"unit": unit.pk, "campaign": campaign_for(self.tree["root"], self.unique("P")).pk}


class TargetResourceTests(ResourceTestCase):
    resource = TargetResource

    def make(self, unit: Any) -> Any:
        registration = registration_for(unit)
        criterion = criterion_for(registration.campaign)
        return Target.objects.create(
            unit=unit, registration=registration, criterion=criterion, value=3
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        registration = registration_for(unit)
        criterion = criterion_for(registration.campaign, "2")
        return {"registration": registration.pk, "criterion": criterion.pk, "value": "4"}

    def test_a_target_of_an_approved_registration_is_not_edited_without_a_reason(self) -> None:
        target = self.obj_in
        TargetRegistration.objects.filter(pk=target.registration_id).update(status="approved")
        self.client.force_login(self.in_scope)
        data = {
            "registration": target.registration_id,
            "criterion": target.criterion_id,
            "value": "9",
        }
        response = self.client.post(self.url("edit", target), data)
        target.refresh_from_db()
        self.assertEqual(target.value, 3)
        self.assertIn(response.status_code, (200, 400))


class TargetChangeResourceTests(ResourceTestCase):
    resource = TargetChangeResource

    def make(self, unit: Any) -> Any:
        registration = registration_for(unit)
        target = Target.objects.create(
            unit=unit,
            registration=registration,
            criterion=criterion_for(registration.campaign),
            value=3,
        )
        author = make_user(self.unique("tc"), unit)
        return TargetChange.objects.create(
            unit=unit,
            target=target,
            old_value=2,
            new_value=3,
            reason="Điều chỉnh",
            changed_on=D(2024, 1, 5),
            changed_by=author,
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {}
