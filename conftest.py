"""Fixtures for the whole suite: the demo data, loaded once per worker and restored per test.

A test that needs the demo requests `demo` (or, in a helper, calls
`noichinh.core.demo_snapshot.load_demo()`) instead of `call_command("load_demo")`: the first
use in a worker runs the real command; later uses copy its rows back in about 0.1 s. The rows
are the ones a fresh `load_demo` makes, and they roll back with the test. See
docs/architecture.md, "Tests: the demo fixture".

On PostgreSQL every test's rows are rolled back, and a rolled-back row stays in the table as a
dead tuple until a VACUUM. Where autovacuum is off (this machine's server), a run of the suite
grew the petition and kept-count tables of one worker's database to 400 and 650 MB of dead rows,
and each count took a second by the end. The test database is vacuumed between tests, every
`VACUUM_EVERY` tests, from a connection of its own, before the next test opens its transaction
(SKIP_LOCKED: a table locked by a test class's open transaction waits for the next turn).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from noichinh.core import demo_snapshot

VACUUM_EVERY = 10
_tests_since_vacuum = 0


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _tests_since_vacuum
    _tests_since_vacuum += 1
    if _tests_since_vacuum < VACUUM_EVERY:
        return
    from django.db import connection

    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].startswith(
        "test_"
    ):
        return
    _tests_since_vacuum = 0
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as own:
        own.execute("VACUUM (SKIP_LOCKED)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, plus the copy of what migrations put in it (the demo is
    always loaded onto that, even after a browser test's flush emptied the tables)."""
    with django_db_blocker.unblock():
        if demo_snapshot.supported():
            demo_snapshot.baseline = demo_snapshot.dump()
    yield
    demo_snapshot.baseline = None


@pytest.fixture
def demo(db: None) -> Iterator[None]:
    """The demo data (`manage.py load_demo`) in this test's database; rolled back after it."""
    demo_snapshot.load_demo()
    yield
    demo_snapshot.forget_caches()
