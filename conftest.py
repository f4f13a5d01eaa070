"""Fixtures for the whole suite: the demo data, loaded once per worker and restored per test.

A test that needs the demo requests `demo` (or, in a helper, calls
`noichinh.core.demo_snapshot.load_demo()`) instead of `call_command("load_demo")`: the first
use in a worker runs the real command; later uses copy its rows back in about 0.1 s. The rows
are the ones a fresh `load_demo` makes, and they roll back with the test. See
docs/architecture.md, "Tests: the demo fixture".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from noichinh.core import demo_snapshot


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
