"""schemathesis on `POST /api/intake/extract/` alone, with more examples than the whole-API
run in core: never a server error, every answer as the schema declares it."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from config.wsgi import application

CHECKS = (not_a_server_error, content_type_conformance, response_schema_conformance)

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture
def api_schema(db: None, settings: Any, wsgi_keeps_the_connection: None) -> Any:
    settings.ALLOWED_HOSTS = ["*"]
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def token(demo: None) -> str:
    from rest_framework.authtoken.models import Token

    from noichinh.accounts.models import User

    return Token.objects.get_or_create(user=User.objects.get(username="nghean"))[0].key


@schema.include(path="/api/intake/extract/").parametrize()
@settings(
    max_examples=40,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_extract_answers_match_the_schema(case: Any, token: str) -> None:
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=CHECKS)
