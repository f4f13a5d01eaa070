"""The permission matrix for every registered resource of the work area."""

import datetime as dt
from typing import Any

from noichinh.core.testkit import ResourceTestCase
from noichinh.work.choices import MeetingKind
from noichinh.work.models import Conclusion, Meeting, Milestone, Project, Task, WorkProgramme
from noichinh.work.resources import (
    ConclusionResource,
    MeetingResource,
    MilestoneResource,
    ProjectResource,
    TaskResource,
    WorkProgrammeResource,
)


def meeting_for(unit: Any, title: str = "Hội nghị giao ban") -> Meeting:
    return Meeting.objects.create(
        unit=unit, kind=MeetingKind.BRIEFING, title=title, held_on=dt.date(2024, 10, 10)
    )


def project_for(unit: Any) -> Project:
    return Project.objects.create(unit=unit, title=f"Đề án {unit.code}", year=2023)


class MeetingResourceTests(ResourceTestCase):
    resource = MeetingResource

    def make(self, unit: Any) -> Any:
        return meeting_for(unit, self.unique("Giao ban"))

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "kind": "briefing",
            "period": "nine_months",
            "title": "Giao ban 9 tháng",
            "held_on": "10/10/2024",
            "online": "on",
            "connected_locations": "8",
            "expected_units": "8",
            "attending_units": [unit.pk],
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "kind": "briefing",
            "title": "Qua API",
            "held_on": "2024-10-10",
            "attending_units": [unit.pk],
            "materials": [],
        }

    def test_attending_units_are_saved_and_audited(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        data["attending_units"] = [self.tree["prov_a"].pk, self.tree["dept_a"].pk]
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 302)
        meeting = Meeting.objects.latest("id")
        self.assertEqual(meeting.attendance(), "2/8")

    def test_connected_locations_need_an_online_meeting(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["prov_a"], "add")
        del data["online"]
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("connected_locations", response.context["form"].errors)
        self.assertContains(response, "Giao ban 9 tháng")  # nothing typed is lost


class ConclusionResourceTests(ResourceTestCase):
    resource = ConclusionResource

    def make(self, unit: Any) -> Any:
        meeting = meeting_for(unit)
        return Conclusion.objects.create(unit=unit, meeting=meeting, number=1, text="Kết luận")

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        meeting = meeting_for(unit)
        return {"meeting": meeting.pk, "number": 2, "text": "Tăng cường phát hiện vụ việc"}

    def test_the_unit_is_the_meetings(self) -> None:
        self.client.force_login(self.in_scope)
        meeting = meeting_for(self.tree["dept_a"])
        data = {"meeting": meeting.pk, "number": 3, "text": "Kết luận mới"}
        self.assertEqual(self.client.post(self.url("add"), data).status_code, 302)
        self.assertEqual(Conclusion.objects.latest("id").unit, self.tree["dept_a"])


class TaskResourceTests(ResourceTestCase):
    resource = TaskResource

    def make(self, unit: Any) -> Any:
        return Task.objects.create(
            unit=unit, title=self.unique("Nhiệm vụ"), due_on=dt.date(2099, 12, 31)
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "number": 1,
            "title": "Chuẩn bị phiên họp thứ 24",
            "due_on": "31/12/2024",
            "recurrence": "",
            "co_units": [unit.pk],
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {
            "unit": unit.pk,
            "title": "Qua API",
            "due_on": "2024-12-31",
            "recurrence": "quarterly",
            "co_units": [],
            "documents": [],
        }

    def test_programme_month_gives_the_deadline_and_recurrence_the_series(self) -> None:
        programme = WorkProgramme.objects.create(
            unit=self.tree["prov_a"], year=2024, title="CTCT 2024", due_on=dt.date(2024, 1, 31)
        )
        self.client.force_login(self.in_scope)
        data = {
            "unit": self.tree["prov_a"].pk,
            "title": "Báo cáo quý",
            "programme": programme.pk,
            "due_month": 2,
            "recurrence": "quarterly",
        }
        response = self.client.post(self.url("add"), data)
        self.assertEqual(
            response.status_code, 302, response.context and response.context["form"].errors
        )
        task = Task.objects.latest("id")
        self.assertEqual(task.due_on, dt.date(2024, 2, 29))
        self.assertEqual(task.series_start, dt.date(2024, 2, 29))

    def test_deadline_filter_lists_overdue_tasks(self) -> None:
        overdue = Task.objects.create(
            unit=self.tree["dept_a"], title="Đã quá hạn", due_on=dt.date(2000, 1, 1)
        )
        self.client.force_login(self.in_scope)
        response = self.client.get(self.url("list"), {"deadline": "overdue"})
        shown = {row["obj"].pk for row in response.context["rows"]}
        self.assertEqual(shown, {overdue.pk})


class ProjectResourceTests(ResourceTestCase):
    resource = ProjectResource

    def make(self, unit: Any) -> Any:
        return project_for(unit)

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {"unit": unit.pk, "title": "Đề án mô hình cơ quan chuyên trách", "year": 2023}

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {"unit": unit.pk, "title": "Qua API", "year": 2023, "documents": []}


class MilestoneResourceTests(ResourceTestCase):
    resource = MilestoneResource

    def make(self, unit: Any) -> Any:
        return Milestone.objects.create(
            unit=unit,
            project=project_for(unit),
            title="Trình Bộ Chính trị",
            due_on=dt.date(2023, 12, 31),
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        return {
            "project": project_for(unit).pk,
            "title": "Hoàn thành dự thảo",
            "due_on": "30/06/2023",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        return {"project": project_for(unit).pk, "title": "Qua API", "due_on": "2023-06-30"}

    def test_the_unit_is_the_projects(self) -> None:
        self.client.force_login(self.in_scope)
        data = self.form_data(self.tree["dept_a"], "add")
        self.assertEqual(self.client.post(self.url("add"), data).status_code, 302)
        self.assertEqual(Milestone.objects.latest("id").unit, self.tree["dept_a"])


class WorkProgrammeResourceTests(ResourceTestCase):
    resource = WorkProgrammeResource

    def make(self, unit: Any) -> Any:
        year = 2000 + int(self.unique("")[1:]) % 1000
        return WorkProgramme.objects.create(
            unit=unit, year=year, title=f"CTCT {year}", due_on=dt.date(year, 1, 31)
        )

    def form_data(self, unit: Any, mode: str) -> dict[str, Any]:
        year = 2000 + int(self.unique("")[1:]) % 1000
        return {
            "unit": unit.pk,
            "year": year,
            "title": "Chương trình công tác",
            "due_on": f"31/01/{year}",
        }

    def api_payload(self, unit: Any) -> dict[str, Any]:
        year = 2000 + int(self.unique("")[1:]) % 1000
        return {"unit": unit.pk, "year": year, "title": "Qua API", "due_on": f"{year}-01-31"}
