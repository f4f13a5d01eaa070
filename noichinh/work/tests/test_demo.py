"""The demo tells the work area's stories, and loading it twice creates nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from noichinh.accounts.models import User
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.work import selectors
from noichinh.work.deadlines import Timeliness
from noichinh.work.models import Meeting, Project, Task, WorkProgramme

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def demo():
    load_demo()


def test_quang_binh_nine_month_briefing(demo):
    meeting = Meeting.objects.get(unit__code="QB-BNCTU", period="nine_months", held_on__year=2024)
    assert meeting.attendance() == "8/8"
    assert set(meeting.attending_units.values_list("code", flat=True)) == {
        "QB-DH",
        "QB-BD",
        "QB-MH",
        "QB-TH",
        "QB-QT",
        "QB-BT",
        "QB-QN",
        "QB-LT",
    }
    tasks = Task.objects.filter(meeting=meeting)
    assert tasks.count() == 6
    assert sorted(tasks.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert all(t.co_units.count() == 8 for t in tasks)


def test_q1_2023_briefing_shows_the_late_programmes(demo):
    meeting = Meeting.objects.get(period="quarter", held_on=D(2023, 3, 31))
    assert meeting.online and meeting.connected_locations == 63
    assert "chương trình công tác năm 2023 chậm" in meeting.limitations
    admin = User.objects.get(username="admin")
    rows = {
        r.programme.unit.code: r.timeliness
        for r in selectors.programme_timeliness(admin, 2023, D(2023, 4, 12))
    }
    assert rows["NA-BNCTU"].state == Timeliness.ON_TIME
    assert (rows["QB-BNCTU"].state, rows["QB-BNCTU"].days_late) == (Timeliness.LATE, 20)
    assert (rows["KT-BNCTU"].state, rows["KT-BNCTU"].days_late) == (Timeliness.LATE, 31)


def test_projects_sessions_and_documents(demo):
    assert Project.objects.filter(unit__code="BNCTW", year=2023).count() == 3  # those named
    assert all(p.milestones.count() == 3 for p in Project.objects.all())
    assert Task.objects.filter(title__contains="Phiên họp thứ 23").get().done
    assert Task.objects.filter(title__contains="Phiên họp thứ 24").get().conclusion.number == 1
    review = Meeting.objects.get(unit__code="BNCTW", period="six_months")
    assert set(review.materials.values_list("code", flat=True)) == {"15-KH/BNCTW", "67-QĐ/TW"}
    na_items = Task.objects.filter(programme__unit__code="NA-BNCTU").order_by("due_on")
    assert [t.due_on for t in na_items] == [D(2023, 3, 31), D(2023, 6, 30), D(2023, 11, 30)]


def test_scope_of_demo_users(demo):
    nghean = User.objects.get(username="nghean")
    visible = Meeting.objects.restrict(nghean, "view")
    assert visible.filter(unit__code="BNCTW").count() == 2  # central meetings flow down
    assert not visible.filter(unit__code="QB-BNCTU").exists()
    quangbinh = User.objects.get(username="quangbinh")
    client = Client()
    client.force_login(quangbinh)
    response = client.get(reverse("work:dashboard"), {"start": "01/01/2024", "end": "31/12/2024"})
    rows = {c.unit.code: c for c in response.context["completion"]}
    assert set(rows) == {"QB-BNCTU"} and rows["QB-BNCTU"].due == 6


def test_loading_twice_creates_nothing(demo):
    counts = (Meeting.objects.count(), Task.objects.count(), AuditEntry.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Meeting.objects.count(), Task.objects.count(), AuditEntry.objects.count()) == counts
    assert WorkProgramme.objects.filter(year=2023).count() == 3
