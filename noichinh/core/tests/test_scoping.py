"""The gate: scopes are subtrees, minimal, dated; the scope picker narrows but never widens."""

import datetime as dt

import pytest
from django.urls import reverse

from noichinh.accounts.models import RoleAssignment
from noichinh.core.scoping import Scope, user_scope
from noichinh.core.testkit import build_tree, make_user
from noichinh.units.models import Unit

pytestmark = pytest.mark.django_db


def test_scope_keeps_only_outermost_subtrees():
    assert Scope.of(["001.002.", "001.", "003."]).paths == ("001.", "003.")
    assert Scope.of([]).empty
    assert not Scope.of(["001."]).covers("0011.")
    assert Scope.of(["001."]).covers("001.005.")


def test_expired_or_future_assignments_give_nothing():
    tree = build_tree()
    user = make_user("het.han", tree["prov_a"])
    RoleAssignment.objects.create(
        user=user,
        unit=tree["prov_a"],
        role="viewer",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2021, 1, 1),
    )
    RoleAssignment.objects.create(
        user=user, unit=tree["prov_b"], role="viewer", valid_from=dt.date(2099, 1, 1)
    )
    assert user_scope(user, "view").empty


def test_roles_grant_only_their_actions():
    tree = build_tree()
    viewer = make_user("chi.xem", tree["prov_a"], ["viewer"])
    assert not user_scope(viewer, "view").empty
    assert user_scope(viewer, "add").empty
    assert set(Unit.objects.restrict(viewer).values_list("code", flat=True)) == {"T-A", "T-A1"}


def test_scope_picker_narrows_and_refuses_units_outside(client):
    tree = build_tree()
    head = make_user("lanh.dao", tree["root"], ["head"])
    client.force_login(head)
    assert client.post(reverse("core:set_scope"), {"unit": tree["prov_b"].pk}).status_code == 302
    response = client.get(reverse("units:unit_list"), {"per_page": 100})
    assert {r["obj"].code for r in response.context["rows"]} == {"T-B"}
    viewer = make_user("xem.a", tree["prov_a"], ["viewer"])
    client.force_login(viewer)
    assert client.post(reverse("core:set_scope"), {"unit": tree["prov_b"].pk}).status_code == 404
    assert client.post(reverse("core:set_scope"), {"unit": "abc"}).status_code == 404


def test_global_search_is_scoped_and_ignores_diacritics(client):
    tree = build_tree()
    viewer = make_user("tim.kiem", tree["prov_a"], ["viewer"])
    client.force_login(viewer)
    response = client.get(reverse("core:search"), {"q": "ban thu tinh"})
    text = response.content.decode()
    assert "Ban thử Tỉnh A" in text and "Ban thử Tỉnh B" not in text


def test_ancestor_paths():
    assert Scope.of(["0000001.0000002.0000003."]).ancestor_paths() == [
        "0000001.",
        "0000001.0000002.",
    ]
    assert Scope.of(["0000001."]).ancestor_paths() == []
