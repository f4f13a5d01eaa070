"""The migration to dated cluster membership keeps the members (each since its unit's own
beginning) and goes back to the plain many-to-many without losing one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("units", "0002_successor_label")]
AFTER = [("units", "0003_cluster_membership")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_members_become_dated_memberships_and_back() -> None:
    old = _migrate(BEFORE)
    Unit = old.get_model("units", "Unit")
    Cluster = old.get_model("units", "Cluster")
    units = [
        Unit.objects.create(
            code=f"M-{i}",
            name=f"Ban {i}",
            kind="provincial",
            path=f"{9000 + i:07d}.",
            valid_from=dt.date(2013 + i, 1, 1),
        )
        for i in range(3)
    ]
    cluster = Cluster.objects.create(unit=units[0], code="C-M", name="Cụm")
    cluster.members.set(units[1:])
    new = _migrate(AFTER)
    Membership = new.get_model("units", "ClusterMembership")
    rows = sorted(Membership.objects.values_list("unit__code", "valid_from", "valid_to"))
    assert rows == [
        ("M-1", dt.date(2014, 1, 1), None),
        ("M-2", dt.date(2015, 1, 1), None),
    ]
    back = _migrate(BEFORE)
    cluster = back.get_model("units", "Cluster").objects.get(code="C-M")
    assert sorted(cluster.members.values_list("code", flat=True)) == ["M-1", "M-2"]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
