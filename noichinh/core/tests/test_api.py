"""API frame: health, schema, offline docs, token sign-in, 4xx with reasons."""

import re

import pytest
from django.urls import reverse

from noichinh.core.testkit import build_tree, make_user

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_schema_and_offline_docs(client):
    tree = build_tree()
    client.force_login(make_user("api.doc", tree["prov_a"], ["viewer"]))
    schema = client.get(reverse("api_schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/units/",
        "/api/clusters/",
        "/api/users/",
        "/api/role-assignments/",
        "/api/auth/token/",
    ):
        assert path in paths
    docs = client.get(reverse("api_docs")).content.decode()
    assert not re.search(r"(src|href)=[\"'](https?:)?//", docs)


def test_unauthenticated_api_is_refused_with_a_reason(client):
    response = client.get("/api/units/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_unknown_filter_value_is_a_400_not_a_500(client):
    tree = build_tree()
    client.force_login(make_user("api.bad", tree["prov_a"], ["viewer"]))
    assert client.get("/api/units/", {"parent": "abc"}).status_code == 400
    assert client.get("/api/units/999999/").status_code == 404
