import datetime as dt

import pytest

from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import build_tree, make_user
from noichinh.petitions import services

NAME = "Trần Văn Tố Giác"
ADDRESS = "Thôn Bí Mật, xã Quảng Phú"
ID_NUMBER = "044089001234"


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
def admin_a(tree):
    """A unit administrator: reads the audit log, may not see a denouncer's identity."""
    return make_user("quantri.a", tree["prov_a"], [Role.UNIT_ADMIN])


@pytest.fixture
def head_a(tree):
    return make_user("truongban.a", tree["prov_a"], [Role.HEAD])


@pytest.fixture
def specialist_b(tree):
    return make_user("chuyenvien.b", tree["prov_b"], [Role.SPECIALIST])


def register(unit, **fields):
    data = {
        "unit": unit,
        "received_on": dt.date(2024, 3, 1),
        "channel": "post",
        "kind": "complaint",
        "field": "land",
        "subject": "Khiếu nại mức bồi thường đất dự án đường ven biển",
        "petitioner_name": "Nguyễn Văn Khiếu",
        **fields,
    }
    return services.petition_register(user=SYSTEM, **data)


@pytest.fixture
def denunciation(tree):
    """A denunciation registered and accepted through the services (so the audit log holds
    its creation and its state change)."""
    petition = register(
        tree["dept_a"],
        kind="denunciation",
        field="corruption",
        subject="Tố cáo cán bộ địa chính nhận tiền",
        petitioner_name=NAME,
        petitioner_address=ADDRESS,
        petitioner_id_number=ID_NUMBER,
        accused="Cán bộ địa chính xã",
    )
    services.petition_classify(
        user=SYSTEM, petition=petition, decision="accept", on=dt.date(2024, 3, 5)
    )
    return petition
