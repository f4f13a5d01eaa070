"""The reorganisation pages: clear Vietnamese errors, nothing lost, nothing half-saved."""

import pytest
from django.urls import reverse

from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree, make_user
from noichinh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def sysadmin(tree):
    return make_user("sys", tree["root"], [Role.SYSTEM_ADMIN])


def test_merge_page_refuses_a_cycle_and_keeps_the_input(client, tree, sysadmin):
    client.force_login(sysadmin)
    url = reverse("units:unit_merge", args=[tree["dept_a"].pk])
    # dept_a's kind differs from prov_a, so prov_a is not even offered: choose the form error.
    response = client.post(
        url, {"sources": [tree["prov_a"].pk], "on": "01/07/2025", "note": "Lý do thử"}
    )
    assert response.status_code == 400
    assert "sources" in response.context["form"].errors
    assert response.context["form"]["note"].value() == "Lý do thử"
    assert Unit.objects.get(pk=tree["prov_a"].pk).is_active


def test_merge_page_merges(client, tree, sysadmin):
    client.force_login(sysadmin)
    url = reverse("units:unit_merge", args=[tree["prov_b"].pk])
    response = client.post(
        url,
        {
            "sources": [tree["prov_a"].pk],
            "on": "01/07/2025",
            "document": "60-NQ/TW",
            "note": "Hợp nhất",
        },
    )
    # First what will be handed over, then the confirmation does it.
    assert response.status_code == 200 and response.context["plan"] is not None
    assert 'name="confirm"' in response.content.decode()
    assert Unit.objects.get(pk=tree["prov_a"].pk).is_active
    response = client.post(
        url,
        {
            "sources": [tree["prov_a"].pk],
            "on": "01/07/2025",
            "document": "60-NQ/TW",
            "note": "Hợp nhất",
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert "units/unit_handover_done.html" in [t.name for t in response.templates]
    assert not Unit.objects.get(pk=tree["prov_a"].pk).is_active
    page = client.get(reverse("units:unit_detail", args=[tree["prov_a"].pk]))
    assert tree["prov_b"].name in page.content.decode()
    assert "60-NQ/TW" in page.content.decode()


def test_bad_date_is_a_form_error_not_a_500(client, tree, sysadmin):
    client.force_login(sysadmin)
    url = reverse("units:unit_rename", args=[tree["prov_a"].pk])
    response = client.post(url, {"name": "Tên mới", "on": "31/02/2025"})
    assert response.status_code == 400
    assert "on" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Tên mới"


def test_reorganisation_pages_are_closed_to_other_roles(client, tree):
    head = make_user("head", tree["root"], [Role.HEAD])
    client.force_login(head)
    for name in ("unit_rename", "unit_move", "unit_merge", "unit_split", "unit_close"):
        assert client.get(reverse(f"units:{name}", args=[tree["prov_a"].pk])).status_code == 403
    assert client.get(reverse("units:unit_add")).status_code == 403


def test_reorganisation_pages_answer_404_out_of_scope(client, tree):
    admin_a = make_user("sys.a", tree["prov_a"], [Role.SYSTEM_ADMIN])
    client.force_login(admin_a)
    assert client.get(reverse("units:unit_rename", args=[tree["prov_b"].pk])).status_code == 404
    assert client.get(reverse("units:unit_rename", args=[tree["dept_a"].pk])).status_code == 200


def test_establish_a_unit(client, tree, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("units:unit_add"),
        {
            "parent": tree["prov_a"].pk,
            "code": "T-A2",
            "name": "Phòng thử A2",
            "kind": "department",
            "on": "01/03/2025",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="T-A2")
    assert unit.path.startswith(tree["prov_a"].path) and unit.valid_from.isoformat() == "2025-03-01"
