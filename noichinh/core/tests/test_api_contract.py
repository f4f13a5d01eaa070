"""The API and the lists answer bad input with a 4xx, and the API schema is true to the answers.

- Every list page, export and API list, and every other GET route without arguments, with each
  filter it declares (and the usual year/date/number names) set to values that broke it before
  (year 0, -1, 99999, 1e9, "abc", a 40-digit number): never a 5xx; the API answers 400 with a
  reason when it refuses.
- Every resource with generic writes: the record as GET returns it passes PUT unchanged (the
  answer's nulls, empty strings and read-only fields included).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from noichinh.accounts.models import User
from noichinh.core.api import router
from noichinh.core.resources import registry

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at")]

SINGLE_VALUES = ("0", "99999", "1e9", "abc", "9" * 40)
BAD_VALUES = ("0", "-1", "99999", "1e9", "abc", "9" * 40, "2024-13-45", "1/1/0")
COMMON_NAMES = (
    "year",
    "nam",
    "month",
    "quarter",
    "period",
    "start",
    "end",
    "on",
    "date",
    "ngay",
    "day",
    "trong",
    "unit",
    "page",
    "per_page",
    "page_size",
    "kind",
    "status",
)
# GET routes that do something else than show (sign out) or stream files of a record.
SKIPPED = ("logout", "dang-xuat", "set_language", "i18n")


def no_arg_routes() -> list[str]:
    """Every URL pattern that takes no argument, as a path."""
    found: list[str] = []

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner.strip(":"))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if "<" in route or "(?P" in route or "\\" in route:
                    continue
                path = "/" + route.lstrip("^").rstrip("$")
                if not any(s in path for s in SKIPPED):
                    found.append(path)

    walk(get_resolver().url_patterns, "", "")
    return sorted(set(found))


def probes() -> list[tuple[str, dict[str, str]]]:
    """(path, query) pairs: every route with every bad value in all the usual names at once,
    and each list (page and API) with each of its own filters alone (one invalid filter makes
    the whole filter form invalid, which would hide a crash in another)."""
    pairs: list[tuple[str, dict[str, str]]] = []
    for path in no_arg_routes():
        if "/schema" in path or "/docs" in path:
            continue
        for value in BAD_VALUES:
            pairs.append((path, {name: value for name in COMMON_NAMES}))
    for resource in registry.all():
        names = sorted(resource.get_filterset_class().base_filters)
        paths = []
        if "list" in resource.actions():
            paths.append(reverse(resource.url_name("list")))
        if resource.api and api_prefix(resource):
            paths.append(str(api_prefix(resource)))
        for path in paths:
            for name in names:
                for value in SINGLE_VALUES:
                    pairs.append((path, {name: value}))
    return pairs


@pytest.fixture
def admin(demo: None) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    return client


@pytest.mark.parametrize("half", [0, 1])  # two halves, so that two workers share the walk
def test_bad_filter_values_never_answer_5xx(admin: Client, half: int) -> None:
    failures: list[str] = []
    pairs = probes()
    assert len(pairs) > 1000
    for path, query in pairs[half::2]:
        response = admin.get(path, query)
        if response.status_code >= 500:
            failures.append(f"{path}?{query}: {response.status_code}")
        elif path.startswith("/api/") and response.status_code == 400:
            assert response.json(), path  # a reason with the refusal
    assert not failures, failures


@pytest.mark.parametrize("value", ["0", "-1", "99999", "1e9", "abc"])
@pytest.mark.parametrize("path", ["/api/meetings/", "/api/documents/"])
def test_a_bad_year_is_a_400_with_the_reason(admin: Client, path: str, value: str) -> None:
    response = admin.get(path, {"year": value})
    assert response.status_code == 400, response.content
    assert "year" in response.json()


@pytest.mark.parametrize("value", ["0", "99999", "1e9", "abc"])
def test_a_bad_year_on_a_page_shows_a_filter_error(admin: Client, value: str) -> None:
    for name in ("documents:document_list", "work:meeting_list"):
        response = admin.get(reverse(name), {"year": value})
        assert response.status_code == 200
        assert response.context["filterset"].form.errors.get("year"), name


def writable_resources() -> list[Any]:
    return [r for r in registry.all() if r.api and r.generic_write]


def api_prefix(resource: Any) -> str | None:
    basename = resource.api_basename or resource.model_name()
    for prefix, _viewset, name in router.registry:
        if name == basename:
            return f"/api/{prefix}/"
    return None


@pytest.mark.parametrize("resource", writable_resources(), ids=lambda r: r.model_name())
def test_what_get_returns_passes_put(admin: Client, resource: Any) -> None:
    """A field the schema and the answer disagree on fails here: PUT of the GET answer must be
    accepted (a rule of the record's state may still refuse it as a whole, not a field)."""
    prefix = api_prefix(resource)
    assert prefix is not None, resource
    user = User.objects.get(username="trunguong")
    changeable = resource.model.objects.restrict(user, "change")
    ids = list(changeable.order_by("-pk").values_list("pk", flat=True)[:3])
    if not ids:
        pytest.skip(f"no demo record of {resource.model_name()} that trunguong may change")
    for pk in ids:
        url = f"{prefix}{pk}/"
        shown = admin.get(url).json()
        response = admin.put(url, json.dumps(shown), content_type="application/json")
        if response.status_code == 400:
            # A rule of the record's state (an approved registration changes by amendment).
            assert set(response.json()) <= {"non_field_errors", "detail"}, (url, response.json())
            continue
        assert response.status_code == 200, (url, response.content[:500])
        again = admin.get(url).json()
        assert {k: v for k, v in again.items() if k != "version"} == {
            k: v for k, v in shown.items() if k != "version"
        }, url
