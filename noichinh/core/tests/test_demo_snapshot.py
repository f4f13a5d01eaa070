"""The demo fixture (noichinh.core.demo_snapshot): the restored rows are the rows a fresh
`load_demo` makes, they leave the database as they found it, and new rows still get new ids."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from noichinh.accounts.models import User
from noichinh.core import demo_snapshot
from noichinh.core.models import AuditEntry
from noichinh.petitions.models import Holiday
from noichinh.units.models import Unit

pytestmark = pytest.mark.django_db


def _ids(snapshot: demo_snapshot.Snapshot) -> dict[str, int]:
    """Rows per table."""
    if snapshot.vendor == "sqlite":
        return {t: len(rows) for t, (_, rows) in snapshot.rows.items()}
    return {t: data.count(b"\n") for t, data in snapshot.copies.items()}


def _units() -> list[tuple[object, ...]]:
    """The units with their ids on SQLite (where a rollback also rolls the ids back); on
    PostgreSQL a fresh load's ids depend on the sequences, so by code."""
    fields = ["code", "name", "parent__code", "valid_from", "valid_to"]
    if connection.vendor == "sqlite":
        fields.insert(0, "pk")
    return list(Unit.objects.order_by("code", "pk").values_list(*fields))


@pytest.mark.skipif(not demo_snapshot.supported(), reason="SQLite and PostgreSQL only")
def test_the_restored_demo_is_the_demo_a_fresh_load_makes() -> None:
    holidays = Holiday.objects.count()
    with transaction.atomic():
        demo_snapshot.load_demo()
        restored, units = demo_snapshot.dump(), _units()
        transaction.set_rollback(True)
    # ... and it leaves the database as it found it
    assert Unit.objects.count() == 0 and Holiday.objects.count() == holidays
    with transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        fresh = demo_snapshot.dump()
        assert _units() == units
        transaction.set_rollback(True)
    assert _ids(restored) == _ids(fresh)
    assert _ids(restored)["units_unit"] > 50 and len(restored) > 5000


def test_the_demo_fixture_loads_the_demo(demo: None) -> None:
    assert Unit.objects.filter(code="QB-BNCTU").exists()
    assert User.objects.filter(username="trunguong").exists()
    assert AuditEntry.objects.exists()


def test_new_rows_after_the_demo_get_new_ids(demo: None) -> None:
    highest = User.objects.order_by("-pk").values_list("pk", flat=True)[0]
    user = User.objects.create(username="moi.sau.demo")
    assert user.pk > highest
    if connection.vendor == "sqlite":
        # the AUTOINCREMENT counters were restored too
        assert User.objects.create(username="moi.nua").pk == user.pk + 1
