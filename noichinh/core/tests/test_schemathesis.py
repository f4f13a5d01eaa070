"""schemathesis over the whole API schema (/api/schema/), signed in, on the demo data.

Every operation of the schema gets a few generated requests (MAX_EXAMPLES, no shrinking beyond
the generation phase), sent through the WSGI application as a head of the central committee
(`trunguong`, whose scope is the whole tree) with an API token. Each answer must not be a
server error and must match the schema (status code declared or a 4xx refusal, content type,
body). Writes run inside the test's transaction on the demo fixture and roll back.
"""

from __future__ import annotations

import os
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

# Bounded so CI stays under its time budget; raise it by hand for a deeper run.
MAX_EXAMPLES = int(os.environ.get("NOICHINH_SCHEMATHESIS_EXAMPLES", "3"))
USER = "trunguong"
# The sign-in endpoint throttles and locks out on purpose; it has its own tests.
SKIPPED_PATHS = ("/api/auth/token/",)
CHECKS = (not_a_server_error, content_type_conformance, response_schema_conformance)

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture
def api_schema(db: None, settings: Any) -> Any:
    settings.ALLOWED_HOSTS = ["*"]
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def token(demo: None) -> str:
    from rest_framework.authtoken.models import Token

    from noichinh.accounts.models import User

    return Token.objects.get_or_create(user=User.objects.get(username=USER))[0].key


@schema.exclude(path=list(SKIPPED_PATHS)).parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_match_the_schema(case: Any, token: str) -> None:
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=CHECKS)
