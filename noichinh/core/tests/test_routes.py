"""The route walker (issue 16, "What must hold" 1): every URL pattern and every API route is
covered by a declared probe, and a new route without one fails here.

Coverage comes from three places:
- routes generated from a registered resource (`app:model_action`) and the router's list and
  detail routes of a registered resource: the permission matrix of core.testkit covers them
  (test_registry_coverage fails for a resource without its ResourceTestCase);
- PUBLIC: the few routes anyone may open (sign-in, health, the language switch);
- every other route is listed in DETAIL_MODELS (it takes a record's id: the model it names) or
  is a route without a record (OTHER).

The probes, on the demo data: anonymous is sent to sign in (pages) or refused with 401/403
(API) on every route but the public ones; a specialist of Nghệ An (`nghean`) asking for a
record of another province through any record route answers 404 (403 where the action needs a
role the specialist lacks, 405 where the route takes another method), never 200 or a 3xx.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from noichinh.accounts.models import User
from noichinh.core.api import router
from noichinh.core.resources import registry

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at")]

PUBLIC = {
    "healthz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "api_token",
    "api_schema",
    "api_docs",
    "api-root",
}

# Page routes taking a record's id (or a part of the URL) that no resource generates.
DETAIL_MODELS: dict[str, str | None] = {
    "cases:case_event": "cases.case",
    "cases:case_suspend": "cases.case",
    "cases:case_resume": "cases.case",
    "cases:case_split": "cases.case",
    "petitions:petition_attachment": "petitions.petition",
    "petitions:holiday_delete": None,  # the calendar is national: no unit owns a holiday
    "petitions:petition_classify": "petitions.petition",
    "petitions:petition_extend": "petitions.petition",
    "petitions:petition_pause": "petitions.petition",
    "petitions:petition_resume": "petitions.petition",
    "petitions:petition_resolve": "petitions.petition",
    "petitions:petition_follow_up": "petitions.petition",
    "reports:form_open": None,  # a report form is national; opening it needs a role
    "reports:rollup": None,
    "reports:rollup_excel": None,
    "reports:submission_entry": "reports.submission",
    "reports:submission_approve": "reports.submission",
    "reports:submission_return": "reports.submission",
    "reports:submission_unlock": "reports.submission",
    "reports:submission_excel": "reports.submission",
    "reports:submission_import": "reports.submission",
    "campaigns:cluster_review": None,
    "campaigns:registration_set": "campaigns.targetregistration",
    "campaigns:registration_amend": "campaigns.targetregistration",
    "campaigns:registration_submit": "campaigns.targetregistration",
    "campaigns:registration_approve": "campaigns.targetregistration",
    "campaigns:registration_return": "campaigns.targetregistration",
    "campaigns:registration_request": "campaigns.targetregistration",
    "campaigns:registration_export": "campaigns.targetregistration",
    "awards:ballot_open": "awards.awardreview",
    "awards:ballot_close": "awards.awardreview",
    "awards:ballot_vote": "awards.awardreview",
    "awards:ballot_paper": "awards.awardreview",
    "awards:review_minutes": "awards.awardreview",
    "units:unit_rename": "units.unit",
    "units:unit_move": "units.unit",
    "units:unit_merge": "units.unit",
    "units:unit_split": "units.unit",
    "units:unit_close": "units.unit",
    "documents:document_file": "documents.document",
    "work:task_progress": "work.task",
    "work:task_complete": "work.task",
    "work:task_reopen": "work.task",
    "work:conclusion_assign": "work.conclusion",
    "work:programme_issue": "work.workprogramme",
    "inbox:read": None,  # a notification is its reader's: others get 404 (inbox tests)
    "inbox:open": None,
    "dashboards:briefing_status": None,  # a task id, bound to the session that started it
    "dashboards:briefing_file": None,
    "accounts:user_security": "accounts.user",
    "core:audit_entry": None,  # audit scope: core tests (test_audit)
    "core:autocomplete": None,  # a label, not a record: test_autocomplete
    "core:job_status": None,  # a job is its starter's
    "core:job_file": None,
}


# Routes that answer 404 to everyone but the session that started the task (no sign-in page to
# send anyone to: the id is a secret of that session).
ANONYMOUS_404 = {"dashboards:briefing_file"}


def all_routes() -> list[tuple[str, str | None, Any]]:
    """(route, full name, pattern) of every URL pattern, the API's included."""
    found: list[tuple[str, str | None, Any]] = []

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(x for x in (namespace, pattern.namespace) if x)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = ":".join(x for x in (namespace, pattern.name) if x) if pattern.name else None
                found.append((prefix + str(pattern.pattern), name, pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


def generated_names() -> set[str]:
    return {r.url_name(a) for r in registry.all() for a in r.actions()}


def api_models() -> dict[str, Any]:
    """Router basename -> the model of its viewset (None for a viewset without one)."""
    get_resolver().url_patterns  # noqa: B018  (imports the app api modules that fill the router)
    found: dict[str, Any] = {}
    for _prefix, viewset, basename in router.registry:
        resource = getattr(viewset, "resource", None)
        found[basename] = resource.model if resource is not None else None
    return found


def api_basename(name: str, models: dict[str, Any]) -> str | None:
    for basename in sorted(models, key=len, reverse=True):
        if name.startswith(basename + "-"):
            return basename
    return None


def test_every_route_is_covered_by_a_declared_probe() -> None:
    generated = generated_names()
    models = api_models()
    uncovered = []
    for route, name, _pattern in all_routes():
        if name in generated or name in PUBLIC or name in DETAIL_MODELS:
            continue
        if name and api_basename(name, models):
            continue
        if name and "<" not in route and "(?P" not in route:
            continue  # no record in the URL: probed anonymously below
        uncovered.append((route, name))
    assert not uncovered, f"routes without a probe (add them to test_routes.py): {uncovered}"


def fill(route: str, pk: int) -> str | None:
    """The path of a route with every argument set to `pk` (None for the API's format
    suffixes and regular expressions that are not a plain id)."""
    import re

    if "format" in route:
        return None
    path = re.sub(r"<(?:int:)?(\w+)>", str(pk), route)
    path = re.sub(r"<str:\w+>", "x", path)
    path = re.sub(r"\(\?P<pk>\[\^/\.\]\+\)", str(pk), path)
    path = path.replace("^", "").replace("$", "")
    if "(" in path or "<" in path or "\\" in path:
        return None
    return "/" + path


@pytest.fixture
def nghean(demo: None) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="nghean"))
    return client


def test_anonymous_is_sent_to_sign_in_everywhere(demo: None) -> None:
    client = Client()
    wrong = []
    probed = 0
    for route, name, _pattern in all_routes():
        if name in PUBLIC or (name is None and "i18n" in route):
            continue
        path = fill(route, 1)
        if path is None:
            continue
        probed += 1
        response = client.get(path)
        if name in ANONYMOUS_404:
            ok = response.status_code == 404
        elif path.startswith("/api/"):
            ok = response.status_code in (401, 403)
        else:
            ok = response.status_code in (302, 405) and (
                response.status_code == 405
                or "dang-nhap" in response["Location"]
                or "login" in response["Location"]
            )
        if not ok:
            wrong.append((path, response.status_code))
    assert probed > 250
    assert not wrong, wrong


def outside(model: Any, user: Any) -> Any:
    """A record of `model` the user may not see (None when every record is in scope)."""
    visible = (
        model.objects.restrict(user, "view").values("pk")
        if hasattr(model.objects, "restrict")
        else model.objects.none()
    )
    return model._default_manager.exclude(pk__in=visible).order_by("pk").first()


def test_records_of_another_province_answer_404(nghean: Client) -> None:
    user = User.objects.get(username="nghean")
    models = api_models()
    leaks = []
    probed = 0
    for route, name, _pattern in all_routes():
        if not name:
            continue
        label: str | None
        if name in DETAIL_MODELS:
            label = DETAIL_MODELS[name]
            model = apps.get_model(label) if label else None
        elif api_basename(name, models) and "(?P<pk>" in route:
            model = models[api_basename(name, models) or ""]
        else:
            continue
        if model is None:
            continue
        record = outside(model, user)
        if record is None:
            continue
        path = fill(route, record.pk)
        if path is None:
            continue
        probed += 1
        for method in ("get", "post"):
            response = getattr(nghean, method)(path)
            if response.status_code not in (403, 404, 405):
                leaks.append((method, path, response.status_code))
    assert probed >= 40  # 41 on the demo of 12/2026
    assert not leaks, leaks
