"""The permission matrix for every registered resource of the award reviews."""

import datetime as dt
from typing import Any

from noichinh.awards.models import AwardKind, AwardReview, Ballot, Delegate, Nomination
from noichinh.awards.resources import (
    AwardKindResource,
    AwardReviewResource,
    BallotResource,
    DelegateResource,
    NominationResource,
)
from noichinh.campaigns.tests.test_resources import campaign_for, review_for
from noichinh.core.testkit import ResourceTestCase
from noichinh.units.models import Cluster

D = dt.date


def kind_for(unit: Any, name: str = "Bằng khen") -> AwardKind:
    return AwardKind.objects.create(unit=unit, name=name, authority="Thủ tướng Chính phủ")


def review_of(unit: Any, title: str = "Hội nghị bình xét") -> AwardReview:
    cluster = Cluster.objects.create(unit=unit, code=f"C-{title[-8:]}-{unit.pk}", name="Cụm")
    cluster.members.add(unit)
    return AwardReview.objects.create(
        unit=unit,
        cluster=cluster,
        campaign_review=review_for(campaign_for(unit)),
        title=title,
        held_on=D(2023, 11, 7),
        place="Đà Nẵng",
    )


class AwardKindResourceTests(ResourceTestCase):
    resource = AwardKindResource

    def make(self, unit: Any) -> Any:
        return kind_for(unit, self.unique("Bằng khen"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "name": "Cờ thi đua",
            "authority": "Trưởng Ban Nội chính Trung ương",
            "recipients": "collective",
            "threshold_percent": "80",
            "threshold_basis": "valid",
        }


class AwardReviewResourceTests(ResourceTestCase):
    resource = AwardReviewResource

    def make(self, unit: Any) -> Any:
        return review_of(unit, self.unique("Bình xét"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        cluster = Cluster.objects.create(unit=unit, code=self.unique("CF"), name="Cụm")
        return {
            "unit": unit.pk,
            "cluster": cluster.pk,
            "campaign_review": review_for(campaign_for(unit, self.unique("P"))).pk,
            "title": "Hội nghị bình xét tổng kết",
            "held_on": "20/11/2025",
            "place": "Đà Nẵng",
            "quorum_percent": "66.67",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {**self.form_data(unit, "add"), "held_on": "2025-11-20"}


class DelegateResourceTests(ResourceTestCase):
    resource = DelegateResource

    def make(self, unit: Any) -> Any:
        review = review_of(unit, self.unique("R"))
        return Delegate.objects.create(unit=unit, review=review, member=unit, name="Đại biểu")

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        review = review_of(unit, self.unique("R"))
        return {"review": review.pk, "member": unit.pk, "name": "Nguyễn Văn A", "present": "on"}

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {**self.form_data(unit, "add"), "present": True}

    def test_a_proxy_needs_an_absent_delegate_and_an_authorisation(self) -> None:
        review = review_of(self.tree["prov_a"], "Ủy quyền")
        absent = Delegate.objects.create(
            unit=review.unit, review=review, member=review.unit, name="Vắng", present=False
        )
        self.client.force_login(self.in_scope)
        data = {
            "review": review.pk,
            "member": review.unit_id,
            "name": "Có mặt",
            "present": "on",
            "proxy_for": absent.pk,
        }
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("authorisation", response.context["form"].errors)
        response = self.client.post(
            self.url("add"), {**data, "authorisation": "Giấy ủy quyền 12/UQ"}
        )
        self.assertEqual(response.status_code, 302)


class NominationResourceTests(ResourceTestCase):
    resource = NominationResource

    def make(self, unit: Any) -> Any:
        review = review_of(unit, self.unique("R"))
        return Nomination.objects.create(
            unit=unit,
            review=review,
            kind=kind_for(unit),
            nominee_unit=unit,
            achievements="Hoàn thành xuất sắc",
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        review = review_of(unit, self.unique("R"))
        return {
            "unit": unit.pk,
            "review": review.pk,
            "kind": kind_for(unit).pk,
            "nominee_type": "collective",
            "nominee_unit": unit.pk,
            "achievements": "Dẫn đầu cụm",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {**self.form_data(unit, "add"), "documents": []}

    def test_an_individual_needs_a_name(self) -> None:
        self.client.force_login(self.in_scope)
        data = {**self.form_data(self.tree["prov_a"], "add"), "nominee_type": "individual"}
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("person_name", response.context["form"].errors)


class BallotResourceTests(ResourceTestCase):
    resource = BallotResource

    def make(self, unit: Any) -> Any:
        return Ballot.objects.create(unit=unit, review=review_of(unit, self.unique("R")))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {}
