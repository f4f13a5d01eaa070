"""Reorganising the tree: history kept, subtrees repathed, cycles and bad dates refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noichinh.core.models import AuditAction, AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import build_tree, make_user
from noichinh.units import selectors, services
from noichinh.units.choices import EventKind, UnitKind
from noichinh.units.models import Unit, segment

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tree():
    return build_tree()


def test_paths_follow_the_tree(tree):
    dept = tree["dept_a"]
    assert dept.path == tree["root"].path + segment(tree["prov_a"].pk) + segment(dept.pk)
    assert dept.depth == 2
    assert list(dept.ancestors()) == [tree["root"], tree["prov_a"]]


def test_merge_closes_sources_moves_them_under_target_and_keeps_history(tree):
    a, b = tree["prov_a"], tree["prov_b"]
    event = services.unit_merge(
        user=SYSTEM, sources=[a], target=b, on=D(2025, 7, 1), document="60-NQ/TW", note="hợp nhất"
    )
    a.refresh_from_db()
    dept = Unit.objects.get(pk=tree["dept_a"].pk)
    assert a.valid_to == D(2025, 6, 30) and a.successor == b
    assert a.path.startswith(b.path)  # B's users inherit A's records
    assert dept.parent == b and dept.is_active  # the department continues under B
    assert dept.path == b.path + segment(dept.pk)
    assert event.kind == EventKind.MERGED
    assert {u.pk for u in event.sources()} == {a.pk, b.pk}
    assert [u.pk for u in event.targets()] == [b.pk]
    # The tree as it was before the merger still shows A under the root with its department.
    before = {v.unit_id: v for v in selectors.unit_tree_on(user=SYSTEM, day=D(2025, 6, 30))}
    assert before[a.pk].parent_id == tree["root"].pk
    assert before[dept.pk].parent_id == a.pk
    after = {v.unit_id: v for v in selectors.unit_tree_on(user=SYSTEM, day=D(2025, 7, 1))}
    assert a.pk not in after and after[dept.pk].parent_id == b.pk
    assert selectors.unit_lineage(unit=a)["became"] == [b]
    assert AuditEntry.objects.filter(object_id=str(a.pk), action=AuditAction.TRANSITION).exists()


def test_merging_a_unit_into_its_own_subunit_is_a_cycle(tree):
    with pytest.raises(ValidationError, match=r"cycle|vòng"):
        services.unit_merge(
            user=SYSTEM, sources=[tree["prov_a"]], target=tree["dept_a"], on=D(2025, 7, 1)
        )
    with pytest.raises(ValidationError):
        services.unit_move(
            user=SYSTEM, unit=tree["prov_a"], new_parent=tree["dept_a"], on=D(2025, 7, 1)
        )
    assert Unit.objects.get(pk=tree["prov_a"].pk).is_active  # nothing half-saved


def test_rename_keeps_the_old_name_in_the_versions(tree):
    unit = tree["prov_a"]
    services.unit_rename(user=SYSTEM, unit=unit, name="Ban thử Tỉnh A mới", on=D(2025, 1, 1))
    names = list(unit.versions.order_by("valid_from").values_list("name", "valid_to"))
    assert names == [("Ban thử Tỉnh A", D(2024, 12, 31)), ("Ban thử Tỉnh A mới", None)]
    with pytest.raises(ValidationError):
        services.unit_rename(user=SYSTEM, unit=unit, name="Ban thử Tỉnh A mới", on=D(2025, 2, 1))


def test_split_creates_units_and_closes_the_source(tree):
    created = services.unit_split(
        user=SYSTEM,
        source=tree["prov_b"],
        parts=[("T-B1", "Tỉnh B1"), ("T-B2", "Tỉnh B2")],
        on=D(2025, 7, 1),
    )
    assert [u.parent_id for u in created] == [tree["root"].pk] * 2
    assert not Unit.objects.get(pk=tree["prov_b"].pk).is_active
    with pytest.raises(ValidationError):
        services.unit_split(
            user=SYSTEM, source=tree["prov_a"], parts=[("T-X", "X")], on=D(2025, 7, 1)
        )


def test_close_closes_the_subtree_and_refuses_dates_before_establishment(tree):
    with pytest.raises(ValidationError):
        services.unit_close(user=SYSTEM, unit=tree["prov_a"], on=D(2010, 1, 1))
    services.unit_close(user=SYSTEM, unit=tree["prov_a"], on=D(2025, 7, 1), note="giải thể")
    assert not Unit.objects.filter(
        path__startswith=tree["prov_a"].path, valid_to__isnull=True
    ).exists()
    with pytest.raises(ValidationError):
        services.unit_rename(
            user=SYSTEM, unit=Unit.objects.get(pk=tree["prov_a"].pk), name="X", on=D(2025, 8, 1)
        )


def test_only_system_administrators_of_the_subtree_reorganise(tree):
    head = make_user("head.a", tree["prov_a"], [Role.HEAD])
    local_admin = make_user("sys.a", tree["prov_a"], [Role.SYSTEM_ADMIN])
    with pytest.raises(PermissionDenied):
        services.unit_rename(user=head, unit=tree["dept_a"], name="Đổi", on=D(2025, 1, 1))
    services.unit_rename(user=local_admin, unit=tree["dept_a"], name="Đổi", on=D(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        services.unit_merge(
            user=local_admin, sources=[tree["prov_b"]], target=tree["prov_a"], on=D(2025, 7, 1)
        )
    with pytest.raises(PermissionDenied):
        services.unit_create(
            user=local_admin,
            parent=None,
            code="ROOT2",
            name="Gốc",
            kind=UnitKind.CENTRAL,
            valid_from=D(2025, 1, 1),
        )


def test_duplicate_code_is_refused(tree):
    with pytest.raises(ValidationError):
        services.unit_create(
            user=SYSTEM,
            parent=tree["root"],
            code="T-A",
            name="Trùng",
            kind=UnitKind.PROVINCIAL,
            valid_from=D(2025, 1, 1),
        )
