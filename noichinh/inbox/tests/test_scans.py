"""The scans over a data set built here (tasks on a fixed day) and over the demo: exactly the
expected notifications, none on a second run, nobody told of a record they cannot see."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from noichinh.core.permissions import Role
from noichinh.inbox.models import Notification, NotificationKind, ReminderRule
from noichinh.inbox.scans import Context, add_working_days, run_scans
from noichinh.work.choices import TaskStatus
from noichinh.work.models import Task

from .conftest import TODAY

D = dt.date


def task(unit, title, due, done=False):
    return Task.objects.create(
        unit=unit,
        title=title,
        due_on=due,
        status=TaskStatus.DONE if done else TaskStatus.OPEN,
        completed_on=due if done else None,
    )


@pytest.fixture
def tasks(tree):
    a, b = tree["prov_a"], tree["prov_b"]
    return {
        "today": task(a, "Hôm nay", TODAY),
        "soon": task(a, "Trong năm ngày làm việc", D(2024, 3, 13)),
        "later": task(a, "Sau năm ngày làm việc", D(2024, 3, 14)),
        "overdue": task(a, "Quá hạn", D(2024, 3, 1)),
        "done": task(a, "Đã xong", D(2024, 3, 1), done=True),
        "dept": task(tree["dept_a"], "Của phòng", TODAY),
        "b": task(b, "Của tỉnh B", TODAY),
    }


def received(user):
    return {
        (n.object_id, n.kind, n.key.rsplit(":", 1)[-1])
        for n in Notification.objects.filter(user=user)
    }


def test_working_days_skip_weekends_and_holidays():
    assert add_working_days(TODAY, 5, frozenset()) == D(2024, 3, 13)
    assert add_working_days(TODAY, 5, frozenset({D(2024, 3, 8)})) == D(2024, 3, 14)
    ctx = Context(today=D(2024, 3, 8), holidays=frozenset())  # a Friday
    assert ctx.horizon(1) == D(2024, 3, 11)


def test_the_task_scan_tells_exactly_the_unit_roles_once(people, tasks):
    results = run_scans(only="tasks", today=TODAY)
    expected_a = {
        (str(tasks["today"].pk), NotificationKind.TASK_DUE, "due_today"),
        (str(tasks["soon"].pk), NotificationKind.TASK_DUE, "due_soon"),
        (str(tasks["overdue"].pk), NotificationKind.TASK_DUE, "overdue"),
        # A department without accounts of its own: the nearest unit above hears of it.
        (str(tasks["dept"].pk), NotificationKind.TASK_DUE, "due_today"),
    }
    assert received(people["spec_a"]) == expected_a
    assert received(people["head_a"]) == expected_a
    assert received(people["viewer_a"]) == set()  # not a role the default rule tells
    assert received(people["spec_b"]) == {
        (str(tasks["b"].pk), NotificationKind.TASK_DUE, "due_today")
    }
    assert results[0].created == 9 == Notification.objects.count()
    title = Notification.objects.get(user=people["spec_a"], object_id=str(tasks["overdue"].pk))
    assert title.title == "Quá hạn 5 ngày: Quá hạn"
    assert title.url == f"/cong-tac/nhiem-vu/{tasks['overdue'].pk}/"
    assert title.due_on == D(2024, 3, 1)

    # Twice: nobody is told twice.
    assert run_scans(only="tasks", today=TODAY)[0].created == 0
    assert Notification.objects.count() == 9
    # The next day the tasks due today are overdue (2 x 2 in A, 1 in B) and the one due on
    # 14/3 comes within five working days (2): each a new state, a new notification.
    assert run_scans(only="tasks", today=D(2024, 3, 7))[0].created == 7


def test_a_reminder_rule_sets_days_roles_and_escalation(tree, people, tasks):
    ReminderRule.objects.create(
        unit=tree["prov_a"],
        kind="task",
        days_before=2,
        roles=[Role.SPECIALIST],
        escalate_after_days=3,
    )
    run_scans(only="tasks", today=TODAY)
    assert received(people["spec_a"]) == {
        (str(tasks["today"].pk), NotificationKind.TASK_DUE, "due_today"),
        (str(tasks["overdue"].pk), NotificationKind.TASK_DUE, "overdue"),
        (str(tasks["dept"].pk), NotificationKind.TASK_DUE, "due_today"),
    }
    # Overdue by 5 days >= 3: the head hears of it as an escalation, and only of that.
    assert received(people["head_a"]) == {
        (str(tasks["overdue"].pk), NotificationKind.ESCALATION, "escalated")
    }
    # Province B keeps the default rule.
    assert len(received(people["spec_b"])) == 1


def test_nobody_hears_of_a_record_out_of_scope(tree, people):
    """A user who holds a role on a unit whose records are out of their scope for viewing
    (here: a role that ended) is not told."""
    from noichinh.accounts.models import RoleAssignment

    task(tree["prov_a"], "Hôm nay", TODAY)
    RoleAssignment.objects.filter(user=people["spec_a"]).update(valid_to=D(2024, 3, 1))
    run_scans(only="tasks", today=TODAY)
    assert received(people["spec_a"]) == set()
    assert len(received(people["head_a"])) == 1


def test_the_command_prints_counts_and_time(people, tasks):
    out = io.StringIO()
    call_command("run_scans", "--only", "tasks", stdout=out)
    text = out.getvalue()
    assert "tasks" in text and "created" in text and " s" in text
    assert "total:" in text


@pytest.mark.django_db
def test_every_demo_notification_is_about_a_record_its_user_sees(demo):
    from django.apps import apps

    from noichinh.accounts.models import User
    from noichinh.petitions.models import Petition

    results = {r.name: r for r in run_scans()}
    created = sum(r.created for r in results.values())
    assert created > 0
    assert results["petitions"].created > 0
    assert Notification.objects.count() == created
    for n in Notification.objects.select_related("user"):
        model = apps.get_model(n.object_type)
        visible = model._default_manager.restrict(n.user, "view").filter(pk=n.object_id)
        assert visible.exists(), (n.user.username, n.key)
    # A specialist of Nghệ An never gets a Quảng Trị petition (nor anything outside Nghệ An).
    nghean = User.objects.get(username="nghean")
    mine = Notification.objects.filter(user=nghean, object_type="petitions.petition")
    assert mine.exists()
    petitions = Petition.objects.filter(pk__in=[int(n.object_id) for n in mine])
    assert {p.unit.code for p in petitions} <= {"NA-BNCTU"} | {
        p.unit.code for p in petitions if p.unit.path.startswith(nghean.home_unit.path)
    }
    assert not petitions.filter(unit__code__startswith="QT").exists()
    assert not Notification.objects.filter(user=nghean, unit__code__startswith="QT").exists()
    # A second run tells nobody anything.
    assert sum(r.created for r in run_scans()) == 0


def test_the_petition_scan_follows_the_legal_clock(demo):
    """Told: every petition the legal clock calls overdue today (Petition.state_on, the
    clock's own rule); never told: one without a running deadline (paused, resolved, closed)."""
    from django.utils import timezone

    from noichinh.accounts.models import User
    from noichinh.petitions.clock import State
    from noichinh.petitions.models import Petition

    today = timezone.localdate()
    run_scans(only="petitions", today=today)
    nghean = User.objects.get(username="nghean")
    told = set(
        Notification.objects.filter(user=nghean, object_type="petitions.petition").values_list(
            "object_id", flat=True
        )
    )
    states = {str(p.pk): p.state_on(today) for p in Petition.objects.restrict(nghean, "view")}
    overdue = {pk for pk, state in states.items() if state == State.OVERDUE}
    assert overdue and overdue <= told
    assert not {pk for pk in told if states[pk] in (State.NO_DEADLINE, State.DONE_ON_TIME)}
