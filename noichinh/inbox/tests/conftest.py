import datetime as dt

import pytest

from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user

# A Wednesday; five working days later is Wednesday 13/3/2024.
TODAY = dt.date(2024, 3, 6)


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def people(tree):
    """Specialist and head of province A, a viewer of A, a specialist of province B."""
    users = {
        "spec_a": make_user("chuyenvien.a", tree["prov_a"], [Role.SPECIALIST]),
        "head_a": make_user("lanhdao.a", tree["prov_a"], [Role.HEAD]),
        "viewer_a": make_user("xem.a", tree["prov_a"], [Role.VIEWER]),
        "spec_b": make_user("chuyenvien.b", tree["prov_b"], [Role.SPECIALIST]),
    }
    for name, user in users.items():
        user.email = f"{name}@example.vn"
        user.save()
    return users
