"""The verbs of key tasks and programmes: services, then the pages through the HTTP client."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from noichinh.core.models import AuditAction, AuditEntry
from noichinh.work import services
from noichinh.work.choices import TaskStatus
from noichinh.work.models import Task, TaskProgress, WorkProgramme

D = dt.date


def entries(obj, action):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    )


@pytest.fixture
def task(tree):
    return Task.objects.create(
        unit=tree["dept_a"], title="Chuẩn bị phiên họp thứ 23", due_on=D(2023, 3, 31)
    )


def test_a_progress_report_is_kept_and_audited(task, specialist_a):
    report = services.task_progress_report(
        user=specialist_a, task=task, reported_on=D(2023, 3, 1), percent=40, note="Đã có dự thảo"
    )
    task.refresh_from_db()
    assert (task.progress, task.status) == (40, TaskStatus.OPEN)
    assert entries(report, AuditAction.CREATE).exists()
    assert entries(task, AuditAction.TRANSITION).get().changes["progress"] == [0, 40]


@pytest.mark.parametrize(("percent", "complete"), [(100, False), (70, True)])
def test_full_progress_or_explicit_completion_completes(task, specialist_a, percent, complete):
    services.task_progress_report(
        user=specialist_a, task=task, reported_on=D(2023, 3, 20), percent=percent, complete=complete
    )
    task.refresh_from_db()
    assert (task.status, task.completed_on, task.progress) == (TaskStatus.DONE, D(2023, 3, 20), 100)


def test_a_viewer_cannot_report(task, viewer_a):
    with pytest.raises(PermissionDenied):
        services.task_progress_report(
            user=viewer_a, task=task, reported_on=D(2023, 3, 1), percent=5
        )
    assert not TaskProgress.objects.exists()


def test_completing_a_recurring_task_creates_the_next_occurrence(tree, specialist_a):
    monthly = Task.objects.create(
        unit=tree["dept_a"],
        title="Báo cáo tháng",
        due_on=D(2024, 1, 31),
        recurrence="monthly",
        series_start=D(2024, 1, 31),
    )
    monthly.co_units.set([tree["prov_a"]])
    february = services.task_complete(user=specialist_a, task=monthly, completed_on=D(2024, 1, 30))
    assert february.due_on == D(2024, 2, 29)
    assert february.previous == monthly and february.status == TaskStatus.OPEN
    assert list(february.co_units.all()) == [tree["prov_a"]]
    assert entries(february, AuditAction.CREATE).exists()
    march = services.task_complete(user=specialist_a, task=february, completed_on=D(2024, 3, 2))
    assert march.due_on == D(2024, 3, 31)  # the series keeps the 31st


def test_reopen_needs_a_reason(task, specialist_a):
    services.task_complete(user=specialist_a, task=task, completed_on=D(2023, 3, 30))
    with pytest.raises(ValidationError):
        services.task_reopen(user=specialist_a, task=task, reason="  ")
    services.task_reopen(user=specialist_a, task=task, reason="Chưa đạt yêu cầu")
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (TaskStatus.OPEN, None)
    assert entries(task, AuditAction.TRANSITION).filter(message="Chưa đạt yêu cầu").exists()


def test_task_from_conclusion(tree, specialist_a, conclusion_root):
    task = services.task_from_conclusion(
        user=specialist_a,
        conclusion=conclusion_root,
        unit=tree["prov_a"],
        title="Ban hành chương trình công tác năm",
        due_on=D(2023, 5, 31),
    )
    assert (task.unit, task.meeting, task.number) == (tree["prov_a"], conclusion_root.meeting, 1)
    assert entries(task, AuditAction.CREATE).exists()
    with pytest.raises(PermissionDenied):  # province B is not where the user may add
        services.task_from_conclusion(
            user=specialist_a, conclusion=conclusion_root, unit=tree["prov_b"], title="X"
        )


def test_programme_issue_records_date_and_document(tree, specialist_a):
    from noichinh.documents.models import Document

    programme = WorkProgramme.objects.create(
        unit=tree["prov_a"], year=2023, title="CTCT 2023", due_on=D(2023, 1, 31)
    )
    document = Document.objects.create(
        unit=tree["prov_a"], code="1-CTr/BNCTU", issue_date=D(2023, 2, 10), title="Chương trình"
    )
    services.programme_issue(
        user=specialist_a, programme=programme, issued_on=D(2023, 2, 10), document=document
    )
    programme.refresh_from_db()
    assert programme.timeliness(D(2023, 3, 1)).days_late == 10
    assert entries(programme, AuditAction.TRANSITION).get().changes["issued_on"] == [
        None,
        "2023-02-10",
    ]


# -- pages ----------------------------------------------------------------------------------


def test_progress_page_saves_and_redirects(client, task, specialist_a):
    client.force_login(specialist_a)
    url = reverse("work:task_progress", args=[task.pk])
    response = client.post(url, {"reported_on": "15/03/2023", "percent": "60", "note": "Tiến độ"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.progress == 60
    detail = client.get(reverse("work:task_detail", args=[task.pk]))
    assert "Tiến độ" in detail.content.decode()


def test_progress_page_keeps_input_on_error(client, task, specialist_a):
    client.force_login(specialist_a)
    url = reverse("work:task_progress", args=[task.pk])
    response = client.post(
        url, {"reported_on": "15/03/2023", "percent": "150", "note": "Ghi chú dài"}
    )
    assert response.status_code == 400
    assert "percent" in response.context["progress_form"].errors
    assert "Ghi chú dài" in response.content.decode()
    assert not TaskProgress.objects.exists()


def test_verbs_answer_404_out_of_scope_and_refuse_get(client, task, specialist_b):
    client.force_login(specialist_b)
    for name, data in [
        ("work:task_progress", {"reported_on": "15/03/2023", "percent": "10"}),
        ("work:task_complete", {"completed_on": "15/03/2023"}),
        ("work:task_reopen", {"reason": "x"}),
    ]:
        assert client.post(reverse(name, args=[task.pk]), data).status_code == 404
    assert client.get(reverse("work:task_progress", args=[task.pk])).status_code == 405
    task.refresh_from_db()
    assert task.progress == 0 and task.status == TaskStatus.OPEN


def test_complete_and_reopen_pages(client, task, specialist_a):
    client.force_login(specialist_a)
    response = client.post(
        reverse("work:task_complete", args=[task.pk]), {"completed_on": "30/03/2023"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_on == D(2023, 3, 30)
    refused = client.post(reverse("work:task_reopen", args=[task.pk]), {"reason": ""})
    assert refused.status_code == 400 and "reason" in refused.context["reopen_form"].errors
    client.post(reverse("work:task_reopen", args=[task.pk]), {"reason": "Bổ sung"})
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_assign_page_creates_a_task_in_scope_only(client, tree, specialist_a, conclusion_root):
    client.force_login(specialist_a)
    url = reverse("work:conclusion_assign", args=[conclusion_root.pk])
    page = client.get(reverse("work:conclusion_detail", args=[conclusion_root.pk]))
    offered = set(page.context["assign_form"].fields["unit"].queryset)
    assert tree["prov_a"] in offered and tree["prov_b"] not in offered
    refused = client.post(url, {"unit": tree["prov_b"].pk, "title": "Ngoài phạm vi"})
    assert refused.status_code == 400 and "Ngoài phạm vi" in refused.content.decode()
    response = client.post(
        url, {"unit": tree["dept_a"].pk, "title": "Giao phòng A1", "due_on": "31/05/2023"}
    )
    task = Task.objects.get(title="Giao phòng A1")
    assert response.status_code == 302 and task.conclusion == conclusion_root


def test_assign_page_404_when_conclusion_out_of_scope(client, tree, specialist_b):
    from noichinh.work.models import Conclusion, Meeting

    meeting = Meeting.objects.create(
        unit=tree["prov_a"], kind="review", title="Sơ kết", held_on=D(2023, 7, 1)
    )
    conclusion = Conclusion.objects.create(unit=tree["prov_a"], meeting=meeting, number=1, text="X")
    client.force_login(specialist_b)
    url = reverse("work:conclusion_assign", args=[conclusion.pk])
    assert client.post(url, {"unit": tree["prov_b"].pk, "title": "Y"}).status_code == 404


def test_issue_page(client, tree, specialist_a, specialist_b):
    programme = WorkProgramme.objects.create(
        unit=tree["prov_a"], year=2023, title="CTCT 2023", due_on=D(2023, 1, 31)
    )
    url = reverse("work:programme_issue", args=[programme.pk])
    client.force_login(specialist_b)
    assert client.post(url, {"issued_on": "20/01/2023"}).status_code == 404
    client.force_login(specialist_a)
    bad = client.post(url, {"issued_on": "31/02/2023"})
    assert bad.status_code == 400 and "31/02/2023" in bad.content.decode()
    assert client.post(url, {"issued_on": "20/01/2023"}).status_code == 302
    programme.refresh_from_db()
    assert programme.issued_on == D(2023, 1, 20)


def test_a_viewer_in_scope_is_refused_with_403(client, task, viewer_a):
    client.force_login(viewer_a)
    url = reverse("work:task_progress", args=[task.pk])
    assert client.post(url, {"reported_on": "15/03/2023", "percent": "10"}).status_code == 403
    assert not TaskProgress.objects.exists()


def test_conclusions_follow_their_meeting_to_another_unit(tree, conclusion_root):
    from noichinh.core.audit import snapshot
    from noichinh.core.scoping import SYSTEM
    from noichinh.core.services import object_update

    meeting = conclusion_root.meeting
    before = snapshot(meeting)
    meeting.unit = tree["prov_a"]
    object_update(user=SYSTEM, instance=meeting, before=before)
    conclusion_root.refresh_from_db()
    assert conclusion_root.unit == tree["prov_a"]


def test_a_meeting_with_conclusions_is_not_deleted(client, tree, conclusion_root):
    from noichinh.core.permissions import Role
    from noichinh.core.testkit import make_user

    head = make_user("truongban", tree["root"], [Role.HEAD])
    client.force_login(head)
    meeting = conclusion_root.meeting
    url = reverse("work:meeting_delete", args=[meeting.pk])
    assert client.post(url, {"reason": "Nhập trùng"}).status_code == 302
    assert type(meeting).objects.filter(pk=meeting.pk).exists()


def test_a_conclusion_of_another_meeting_is_refused(tree, specialist_a, conclusion_root):
    from noichinh.core.services import object_create
    from noichinh.work.models import Meeting

    other = Meeting.objects.create(
        unit=tree["prov_a"], kind="review", title="Khác", held_on=D(2023, 5, 1)
    )
    with pytest.raises(ValidationError):
        object_create(
            user=specialist_a,
            instance=Task(
                unit=tree["prov_a"], title="X", meeting=other, conclusion=conclusion_root
            ),
        )


# -- API verbs --------------------------------------------------------------------------------


def test_api_progress_complete_reopen(client, tree, specialist_a, specialist_b, viewer_a):
    monthly = Task.objects.create(
        unit=tree["dept_a"], title="Báo cáo tháng", due_on=D(2024, 1, 31), recurrence="monthly"
    )
    base = f"/api/tasks/{monthly.pk}/"
    client.force_login(specialist_b)
    assert (
        client.post(base + "progress/", {"reported_on": "2024-01-10", "percent": 10}).status_code
        == 404
    )
    client.force_login(viewer_a)
    refused = client.post(base + "progress/", {"reported_on": "2024-01-10", "percent": 10})
    assert refused.status_code == 403 and refused.json()["detail"]
    client.force_login(specialist_a)
    bad = client.post(base + "progress/", {"reported_on": "10/01/2024x", "percent": 150})
    assert bad.status_code == 400 and set(bad.json()) == {"reported_on", "percent"}
    ok = client.post(base + "progress/", {"reported_on": "2024-01-10", "percent": 30})
    assert ok.status_code == 200 and ok.json()["progress"] == 30
    done = client.post(base + "complete/", {"completed_on": "2024-01-30"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    following = Task.objects.get(pk=done.json()["next_occurrence"])
    assert following.due_on == D(2024, 2, 29)
    again = client.post(base + "complete/", {"completed_on": "2024-01-30"})
    assert again.status_code == 400
    assert client.post(base + "reopen/", {"reason": ""}).status_code == 400
    reopened = client.post(base + "reopen/", {"reason": "Thiếu số liệu"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"


def test_api_programme_issue(client, tree, specialist_a, specialist_b):
    programme = WorkProgramme.objects.create(
        unit=tree["prov_a"], year=2023, title="CTCT 2023", due_on=D(2023, 1, 31)
    )
    url = f"/api/programmes/{programme.pk}/issue/"
    client.force_login(specialist_b)
    assert client.post(url, {"issued_on": "2023-02-03"}).status_code == 404
    client.force_login(specialist_a)
    response = client.post(url, {"issued_on": "2023-02-03"})
    assert response.status_code == 200 and response.json()["issued_on"] == "2023-02-03"
    assert client.post(url, {"issued_on": "x"}).status_code == 400


def test_deleting_a_task_audits_its_progress_reports_too(db):
    """Regression: rows removed by CASCADE left no audit entry."""
    import datetime as dt

    from noichinh.core.models import AuditEntry
    from noichinh.core.scoping import SYSTEM
    from noichinh.core.services import object_create, object_delete
    from noichinh.core.testkit import build_tree
    from noichinh.work.models import Task, TaskProgress
    from noichinh.work.services import task_progress_report

    tree = build_tree()
    task = object_create(
        user=SYSTEM,
        instance=Task(
            unit=tree["prov_a"], number=1, title="Nhiệm vụ thử", due_on=dt.date(2024, 12, 31)
        ),
    )
    report = task_progress_report(
        user=SYSTEM, task=task, reported_on=dt.date(2024, 6, 1), percent=40, note="Đang thực hiện"
    )
    object_delete(user=SYSTEM, instance=task, reason="Giao trùng")
    assert not TaskProgress.objects.filter(pk=report.pk).exists()
    entry = AuditEntry.objects.get(
        action="delete", object_type="work.taskprogress", object_id=str(report.pk)
    )
    assert "Giao trùng" in entry.message and entry.changes["percent"] == [40, None]


def test_completing_a_reopened_recurring_task_creates_no_second_occurrence(db):
    """Regression: complete, reopen, complete made two 'next' tasks of one series."""
    import datetime as dt

    from noichinh.core.scoping import SYSTEM
    from noichinh.core.services import object_create
    from noichinh.core.testkit import build_tree
    from noichinh.work.models import Task
    from noichinh.work.services import task_complete, task_reopen

    tree = build_tree()
    task = object_create(
        user=SYSTEM,
        instance=Task(
            unit=tree["prov_a"],
            number=1,
            title="Báo cáo tháng",
            due_on=dt.date(2024, 1, 31),
            recurrence="monthly",
        ),
    )
    following = task_complete(user=SYSTEM, task=task, completed_on=dt.date(2024, 1, 30))
    assert following is not None and following.due_on == dt.date(2024, 2, 29)
    task_reopen(user=SYSTEM, task=task, reason="Báo cáo thiếu số liệu")
    again = task_complete(user=SYSTEM, task=task, completed_on=dt.date(2024, 2, 2))
    assert again is not None and again.pk == following.pk
    assert Task.objects.filter(previous=task).count() == 1
