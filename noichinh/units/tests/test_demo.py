"""The demo tells the domain's story: 63 committees became 34 on 1/7/2025, with history."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from noichinh.core.audit import verify_chain
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.models import AuditEntry
from noichinh.units.choices import EventKind, UnitKind
from noichinh.units.models import Cluster, Unit, UnitEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def test_reorganisation_2025(demo):
    provincial = Unit.objects.filter(kind=UnitKind.PROVINCIAL)
    assert provincial.count() == 63
    assert provincial.active_on(dt.date(2025, 6, 30)).count() == 63
    assert provincial.active_on(dt.date(2025, 7, 1)).count() == 34
    quang_binh = Unit.objects.get(code="QB-BNCTU")
    quang_tri = Unit.objects.get(code="QT-BNCTU")
    assert quang_binh.successor == quang_tri and quang_binh.valid_to == dt.date(2025, 6, 30)
    assert quang_binh.path.startswith(quang_tri.path)
    lam_dong = Unit.objects.get(code="LD-BNCTU")
    assert set(lam_dong.predecessors.values_list("code", flat=True)) == {"DNO-BNCTU", "BTH-BNCTU"}
    merged = UnitEvent.objects.filter(kind=EventKind.MERGED, date=dt.date(2025, 7, 1))
    assert merged.count() == 23
    # the provinces were merged by the National Assembly's 202/2025/QH15, implementing 60-NQ/TW
    assert set(merged.values_list("document", flat=True)) == {"202/2025/QH15"}
    assert all("60-NQ/TW" in e.note and "202/2025/QH15" in e.note for e in merged)
    assert Unit.objects.get(code="TTH-BNCTU").name == "Ban Nội chính Thành ủy Huế"


def test_district_groups_and_departments(demo):
    groups = Unit.objects.filter(kind=UnitKind.DISTRICT_GROUP, code__startswith="QB-")
    assert groups.count() == 8
    assert not groups.filter(valid_to__isnull=True).exists()
    nghe_an = Unit.objects.get(code="NA-BNCTU")
    assert nghe_an.children.filter(kind=UnitKind.DEPARTMENT).count() == 4


def test_cluster_three_has_its_thirteen_members(demo):
    cluster = Cluster.objects.get(code="CUM-III")
    assert cluster.members.count() == 13
    assert cluster.members.filter(code="QB-BNCTU").exists()


def test_loading_twice_changes_nothing(demo):
    units, entries = Unit.objects.count(), AuditEntry.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert (Unit.objects.count(), AuditEntry.objects.count()) == (units, entries)
    assert list(verify_chain()) == []


def test_tree_on_a_date_page_shows_the_reorganisation(demo, client):
    from noichinh.accounts.models import User

    client.force_login(User.objects.get(username="trunguong"))
    before = client.get("/don-vi/theo-ngay/", {"ngay": "30/06/2025"})
    after = client.get("/don-vi/theo-ngay/", {"ngay": "01/07/2025"})
    provincial = str(UnitKind.PROVINCIAL.label)
    assert (provincial, 63) in before.context["kinds"]
    assert (provincial, 34) in after.context["kinds"]
    names = {v.name for v in before.context["versions"]}
    assert "Ban Nội chính Tỉnh ủy Quảng Bình" in names
    assert client.get("/don-vi/theo-ngay/", {"ngay": "31/02/2025"}).status_code == 400


def test_cluster_page_lists_members_with_what_they_became(demo, client):
    from noichinh.accounts.models import User

    client.force_login(User.objects.get(username="trunguong"))
    cluster = Cluster.objects.get(code="CUM-III")
    page = client.get(f"/don-vi/cum-thi-dua/{cluster.pk}/")
    members = {m.code: m for m in page.context["members"]}
    assert len(members) == 13
    assert members["QB-BNCTU"].successor.code == "QT-BNCTU"
    assert "Ban Nội chính Tỉnh ủy Quảng Trị" in page.content.decode()


def test_no_open_record_remains_on_a_unit_closed_before_today(demo):
    """The demo's 2025 merger hands over what the closed committees and district groups held:
    nothing open stays with them, overdue forever."""
    from django.utils import timezone

    from noichinh.campaigns.models import TargetRegistration
    from noichinh.cases.choices import IssueStatus, Stage
    from noichinh.cases.models import Case, SecurityIssue
    from noichinh.core.models import Handover
    from noichinh.petitions.choices import PetitionStatus
    from noichinh.petitions.models import Petition
    from noichinh.work.choices import TaskStatus
    from noichinh.work.models import Task

    today = timezone.localdate()
    closed = Unit.objects.filter(valid_to__lt=today)
    assert not Case.objects.filter(unit__in=closed).exclude(stage=Stage.CLOSED).exists()
    assert (
        not SecurityIssue.objects.filter(unit__in=closed)
        .exclude(status=IssueStatus.RESOLVED)
        .exists()
    )
    assert not Petition.objects.filter(
        unit__in=closed, status__in=[PetitionStatus.RECEIVED, PetitionStatus.ACCEPTED]
    ).exists()
    assert not Task.objects.filter(unit__in=closed, status=TaskStatus.OPEN).exists()
    assert not TargetRegistration.objects.filter(
        unit__in=closed, campaign__end_on__gte=today
    ).exists()
    quang_binh = Unit.objects.get(code="QB-BNCTU")
    moved = Handover.objects.filter(from_unit=quang_binh)
    assert moved.exists() and {h.on for h in moved} == {dt.date(2025, 7, 1)}


def test_quang_binh_head_role_ends_with_the_merger(demo, client):
    from noichinh.accounts.models import RoleAssignment, User
    from noichinh.core.scoping import user_scope

    user = User.objects.get(username="quangbinh")
    held = {
        a.unit.code: (a.valid_from, a.valid_to)
        for a in RoleAssignment.objects.filter(user=user).select_related("unit")
    }
    assert held == {
        "QB-BNCTU": (dt.date(2021, 1, 1), dt.date(2025, 6, 30)),
        "QT-BNCTU": (dt.date(2025, 7, 1), None),
    }
    scope = user_scope(user, "view")
    assert scope.paths == (Unit.objects.get(code="QT-BNCTU").path,)
