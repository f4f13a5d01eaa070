import datetime as dt

import pytest

from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user
from noichinh.work.choices import MeetingKind
from noichinh.work.models import Conclusion, Meeting


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def specialist_a(tree):
    return make_user("chuyenvien.a", tree["prov_a"], [Role.SPECIALIST])


@pytest.fixture
def viewer_a(tree):
    return make_user("xem.a", tree["prov_a"], [Role.VIEWER])


@pytest.fixture
def specialist_b(tree):
    return make_user("chuyenvien.b", tree["prov_b"], [Role.SPECIALIST])


@pytest.fixture
def conclusion_root(tree):
    meeting = Meeting.objects.create(
        unit=tree["root"],
        kind=MeetingKind.BRIEFING,
        title="Giao ban toàn quốc quý I/2023",
        held_on=dt.date(2023, 4, 6),
        online=True,
        connected_locations=63,
    )
    return Conclusion.objects.create(
        unit=tree["root"], meeting=meeting, number=1, text="Ban hành chương trình đúng hạn"
    )
