"""Two-factor sign-in is required of system administrators out of the box
(NOICHINH_TWO_FACTOR_ROLES). Tests of other features sign administrators in with
`client.force_login`, which has no second factor: for them the requirement is lifted here.
Tests of the requirement itself are marked `two_factor_default` and run with the real setting
(noichinh/accounts/tests/test_security_auth.py); the browser tests (tests/e2e) always do."""

from __future__ import annotations

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
