"""Leaders' reads, on a fixed day (10/3/2024), through the gate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from noichinh.work import selectors
from noichinh.work.choices import TaskStatus
from noichinh.work.deadlines import Timeliness
from noichinh.work.models import Task, WorkProgramme

D = dt.date
ON = D(2024, 3, 10)


def task(unit, title, due, done_on=None):
    return Task.objects.create(
        unit=unit,
        title=title,
        due_on=due,
        status=TaskStatus.DONE if done_on else TaskStatus.OPEN,
        completed_on=done_on,
        progress=100 if done_on else 0,
    )


@pytest.fixture
def tasks(tree):
    a, a1, b = tree["prov_a"], tree["dept_a"], tree["prov_b"]
    return {
        "late_open": task(a1, "Quá hạn", D(2024, 3, 9)),
        "late_done": task(a, "Quá hạn, đã xong", D(2024, 3, 1), D(2024, 3, 5)),
        "today": task(a, "Hạn hôm nay", ON),
        "week": task(a1, "Hạn sau 7 ngày", D(2024, 3, 17)),
        "later": task(a, "Hạn sau 8 ngày", D(2024, 3, 18)),
        "on_time": task(a, "Đúng hạn", D(2024, 2, 29), D(2024, 2, 29)),
        "other": task(b, "Tỉnh B quá hạn", D(2024, 1, 31)),
        "last_year": task(a, "Năm trước", D(2023, 12, 31)),
    }


def titles(queryset):
    return [t.title for t in queryset]


def test_overdue_on_a_day(tasks, specialist_a):
    assert titles(selectors.task_list_overdue(specialist_a, ON)) == ["Năm trước", "Quá hạn"]


def test_due_soon_within_seven_days_by_default(tasks, specialist_a):
    assert titles(selectors.task_list_due_soon(specialist_a, ON)) == [
        "Hạn hôm nay",
        "Hạn sau 7 ngày",
    ]
    assert "Hạn sau 8 ngày" in titles(selectors.task_list_due_soon(specialist_a, ON, 8))


def test_count_by_unit(tree, tasks, specialist_a):
    rows = selectors.count_by_unit(selectors.task_list_overdue(specialist_a, ON))
    assert [(r["unit"], r["count"]) for r in rows] == [(tree["prov_a"], 1), (tree["dept_a"], 1)]


def test_completion_by_unit_for_a_period(tree, tasks, specialist_a):
    rows = {
        c.unit.code: c
        for c in selectors.completion_by_unit(specialist_a, D(2024, 1, 1), D(2024, 3, 31))
    }
    assert set(rows) == {"T-A", "T-A1"}  # province B is outside the scope
    a = rows["T-A"]  # late_done, today, later, on_time
    assert (a.due, a.on_time, a.late, a.open, a.done) == (4, 1, 1, 2, 2)
    assert a.rate == Decimal(50)
    a1 = rows["T-A1"]
    assert (a1.due, a1.done, a1.rate) == (2, 0, Decimal(0))


def test_programme_timeliness_for_a_year(tree, specialist_a):
    def programme(unit, issued):
        return WorkProgramme.objects.create(
            unit=unit, year=2023, title=f"CTCT {unit.code}", due_on=D(2023, 1, 31), issued_on=issued
        )

    programme(tree["prov_a"], D(2023, 1, 20))
    programme(tree["dept_a"], D(2023, 2, 15))
    programme(tree["prov_b"], None)
    rows = selectors.programme_timeliness(specialist_a, 2023, D(2023, 3, 1))
    assert [(r.programme.unit.code, r.timeliness.state, r.timeliness.days_late) for r in rows] == [
        ("T-A1", Timeliness.LATE, 15),
        ("T-A", Timeliness.ON_TIME, 0),
    ]
    assert rows[0].label == "Ban hành chậm 15 ngày" or rows[0].label == "Issued 15 days late"


def test_dashboard_page(client, tree, tasks, specialist_a, specialist_b):
    client.force_login(specialist_a)
    response = client.get(reverse("work:dashboard"), {"start": "01/01/2024", "end": "31/03/2024"})
    assert response.status_code == 200
    today = response.context["today"]
    expected = [
        t
        for t in tasks.values()
        if t.unit != tree["prov_b"] and not t.completed_on and t.due_on < today
    ]
    assert response.context["overdue_count"] == len(expected)
    codes = [c.unit.code for c in response.context["completion"]]
    assert codes == ["T-A", "T-A1"]
    text = response.content.decode()
    # by the branches below the province: a department's row covers its subtree (`trong`)
    assert f"?deadline=overdue&amp;trong={tree['dept_a'].pk}" in text
    assert "Tỉnh B quá hạn" not in text
    bad = client.get(reverse("work:dashboard"), {"start": "99/99/2024"})
    assert bad.status_code == 200 and bad.context["start"] == D(bad.context["today"].year, 1, 1)


def test_dashboard_refuses_a_user_without_role(client, tree):
    from noichinh.core.testkit import make_user

    client.force_login(make_user("khong.vai.tro", tree["prov_a"]))
    assert client.get(reverse("work:dashboard")).status_code == 403


def test_completion_counts_a_handed_over_task_for_its_holder_on_the_deadline(
    tree, tasks, specialist_a
):
    """Department A1 hands its open tasks to province A from 15/3/2024 (a reorganisation):
    the task due 9/3 still counts for A1, the one due 17/3 for A, and nothing is lost."""
    from noichinh.core.handover import handover_perform
    from noichinh.core.scoping import SYSTEM

    handover_perform(user=SYSTEM, sources=[tree["dept_a"]], heir=tree["prov_a"], on=D(2024, 3, 15))
    assert Task.objects.get(pk=tasks["late_open"].pk).unit == tree["prov_a"]  # moved
    rows = {
        c.unit.code: c
        for c in selectors.completion_by_unit(specialist_a, D(2024, 1, 1), D(2024, 3, 31))
    }
    assert (rows["T-A1"].due, rows["T-A1"].open) == (1, 1)  # late_open, due 9/3
    assert (rows["T-A"].due, rows["T-A"].open) == (5, 3)  # the four of A, and week (17/3)
