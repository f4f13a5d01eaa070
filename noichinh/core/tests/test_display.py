"""How generic pages show values and offer choices."""

import datetime as dt

import pytest

from noichinh.core.display import display_value
from noichinh.core.scoping import SYSTEM, restrict_choice
from noichinh.core.services import object_create
from noichinh.core.testkit import build_tree, make_user
from noichinh.documents.models import Document
from noichinh.units.models import Cluster, Unit

pytestmark = pytest.mark.django_db


def test_years_have_no_thousands_separator_but_counts_do():
    tree = build_tree()
    doc = object_create(
        user=SYSTEM,
        instance=Document(
            unit=tree["prov_a"],
            code="47/2021/NĐ-CP",
            issue_date=dt.date(2021, 4, 1),
            title="Nghị định",
        ),
    )
    assert display_value(doc, "year")[0] == "2021"
    doc.number_value = 8651
    assert display_value(doc, "number_value")[0] == "8.651"


def test_boolean_filters_offer_all_yes_no(client):
    tree = build_tree()
    client.force_login(make_user("xem", tree["prov_a"], ["viewer"]))
    form = client.get("/van-ban/").context["filterset"].form
    assert [str(label) for _value, label in form.fields["has_conflict"].widget.choices] == [
        "Tất cả",
        "Có",
        "Không",
    ]


def test_owner_unit_follows_the_write_scope_other_units_the_view_scope():
    tree = build_tree()
    unit_admin = make_user("qt.a", tree["prov_a"], ["unit_admin"])
    units = Unit.objects.all()
    owners = restrict_choice(units, unit_admin, "add", Cluster, "unit")
    members = restrict_choice(units, unit_admin, "add", Cluster, "members")
    assert set(owners.values_list("code", flat=True)) == {"T-A", "T-A1"}  # cluster admins
    assert set(members.values_list("code", flat=True)) == {"T-A", "T-A1"}  # what they see
    viewer = make_user("xem.a", tree["prov_a"], ["viewer"])
    assert not restrict_choice(units, viewer, "add", Cluster, "unit").exists()
    assert set(
        restrict_choice(units, viewer, "add", Cluster, "members").values_list("code", flat=True)
    ) == {"T-A", "T-A1"}
