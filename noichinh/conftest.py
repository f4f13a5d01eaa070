"""Two-factor sign-in is required of system administrators out of the box
(NOICHINH_TWO_FACTOR_ROLES). Tests of other features sign administrators in with
`client.force_login`, which has no second factor: for them the requirement is lifted here.
Tests of the requirement itself are marked `two_factor_default` and run with the real setting
(noichinh/accounts/tests/test_security_auth.py); the browser tests (tests/e2e) always do.

Tests that run `db_worker` in-process leave its signal handlers behind (it catches SIGTERM to
finish the task at hand); the worker process of the test run then ignored CI's own SIGTERM. The
handlers are restored after every test."""

from __future__ import annotations

import signal
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "two_factor_default: keep NOICHINH_TWO_FACTOR_ROLES as configured"
    )


@pytest.fixture(autouse=True)
def _two_factor_roles_for_force_login(request: pytest.FixtureRequest) -> Any:
    if request.node.get_closest_marker("two_factor_default"):
        yield
        return
    from django.conf import settings

    saved = settings.NOICHINH_TWO_FACTOR_ROLES
    settings.NOICHINH_TWO_FACTOR_ROLES = []
    yield
    settings.NOICHINH_TWO_FACTOR_ROLES = saved


@pytest.fixture(autouse=True)
def _restore_signal_handlers() -> Any:
    caught = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {number: signal.getsignal(number) for number in caught}
    yield
    for number, handler in saved.items():
        if signal.getsignal(number) is not handler:
            signal.signal(number, handler)


@pytest.fixture
def wsgi_keeps_the_connection() -> Any:
    """For tests that call the WSGI application directly (schemathesis' `from_wsgi`), as
    Django's test client does: a request's start and end would otherwise run
    `close_old_connections`, which closes the test's connection inside its transaction on
    PostgreSQL (the next query then fails with "the connection is closed"; on SQLite's in-memory
    test database closing is a no-op, so only the PostgreSQL leg saw it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
