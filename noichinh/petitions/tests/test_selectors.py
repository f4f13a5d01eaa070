"""What leaders ask: received, accepted, resolved, rate, overdue, the same period last year;
the summary page and the derived counts link to exactly the petitions behind each number."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from noichinh.core.counts import count_value, records_url
from noichinh.core.scoping import SYSTEM
from noichinh.petitions import selectors, services
from noichinh.petitions.models import Petition

from .conftest import register

pytestmark = pytest.mark.django_db
D = dt.date


def _accepted(unit, received, accepted, resolved=None, **fields):
    petition = register(unit, received_on=received, **fields)
    services.petition_classify(user=SYSTEM, petition=petition, decision="accept", on=accepted)
    if resolved is not None:
        outcome = "founded" if petition.kind == "denunciation" else "correct"
        services.petition_resolve(
            user=SYSTEM, petition=petition, resolved_on=resolved, outcome=outcome
        )
    return petition


@pytest.fixture
def data(tree):
    a, dept, b = tree["prov_a"], tree["dept_a"], tree["prov_b"]
    rows = {
        # 2024, first nine months
        "on_time": _accepted(a, D(2024, 2, 20), D(2024, 2, 26), D(2024, 3, 20)),
        "late": _accepted(dept, D(2024, 3, 1), D(2024, 3, 4), D(2024, 6, 20)),  # due 15/4
        "open_overdue": _accepted(dept, D(2024, 5, 1), D(2024, 5, 6)),  # due 17/6
        "received_only": register(a, received_on=D(2024, 9, 2)),
        "other_province": _accepted(b, D(2024, 4, 1), D(2024, 4, 2), D(2024, 4, 20)),
        # 2023, same period
        "ly_1": _accepted(a, D(2023, 3, 1), D(2023, 3, 2), D(2023, 3, 30)),
        "ly_2": register(a, received_on=D(2023, 4, 1), kind="recommendation", field="other"),
        # denunciation, paused: its clock is stopped
        "paused": _accepted(
            a,
            D(2024, 6, 1),
            D(2024, 6, 3),
            kind="denunciation",
            field="corruption",
            subject="Tố cáo",
            petitioner_name="X",
        ),
    }
    services.petition_pause(
        user=SYSTEM, petition=rows["paused"], start=D(2024, 6, 10), reason="Chờ giám định"
    )
    return rows


def test_figures_rate_and_same_period_last_year(data, tree, head_a):
    queryset = selectors.visible(head_a)
    result = selectors.summary(queryset, D(2024, 1, 1), D(2024, 9, 30), D(2024, 10, 1))
    assert result.current.received == 5  # not province B
    assert result.current.accepted == 4
    assert result.current.resolved == 2
    assert result.current.resolved_late == 1
    assert result.current.rate == 50
    assert (result.last_year.received, result.last_year.accepted, result.last_year.resolved) == (
        2,
        1,
        1,
    )
    # Overdue on 1/10/2024: the recommendation never classified (due 17/4/2023), the open
    # complaint (due 17/6/2024), the one received on 2/9 (due 16/9); not the paused one.
    assert result.overdue == 3
    overdue = list(selectors.petition_list_overdue(head_a, D(2024, 10, 1)))
    assert [p.pk for p in overdue] == [
        data["ly_2"].pk,
        data["open_overdue"].pk,
        data["received_only"].pk,
    ]
    assert overdue[1].resolve_due_on == D(2024, 6, 17)
    assert overdue[1].days_overdue_on(D(2024, 10, 1)) == 106
    assert data["late"].days_overdue_on(D(2024, 10, 1)) == (D(2024, 6, 20) - D(2024, 4, 15)).days


def test_breakdown_by_unit_kind_and_field(data, head_a):
    queryset = selectors.visible(head_a)
    by_unit = selectors.breakdown(queryset, "unit", D(2024, 1, 1), D(2024, 9, 30), D(2024, 10, 1))
    assert [(r["unit"].code, r["received"], r["received_ly"]) for r in by_unit] == [
        ("T-A", 3, 2),
        ("T-A1", 2, 0),
    ]
    by_kind = {
        r["value"]: r
        for r in selectors.breakdown(
            queryset, "kind", D(2024, 1, 1), D(2024, 9, 30), D(2024, 10, 1)
        )
    }
    assert by_kind["complaint"]["received"] == 4 and by_kind["denunciation"]["received"] == 1
    assert by_kind["recommendation"]["received_ly"] == 1


def test_dashboard_and_overdue_pages(data, tree, head_a, specialist_b):
    client = Client()
    client.force_login(head_a)
    page = client.get(
        reverse("petitions:dashboard"),
        {"start": "01/01/2024", "end": "30/09/2024", "trong": tree["prov_a"].pk},
    )
    assert page.status_code == 200
    cards = {str(c["label"]): c for c in page.context["cards"]}
    received = next(c for c in page.context["cards"] if c["value"] == 5)
    listing = client.get(received["url"])
    assert listing.context["total"] == 5
    last = client.get(received["url_last"])
    assert last.context["total"] == 2
    assert len(cards) == 4
    overdue_page = client.get(reverse("petitions:overdue"))
    assert overdue_page.status_code == 200
    client.force_login(specialist_b)
    other = client.get(reverse("petitions:dashboard"), {"start": "01/01/2024", "end": "30/09/2024"})
    assert other.context["cards"][0]["value"] == 1


def test_derived_counts_and_their_links(data, tree, head_a):
    unit = tree["prov_a"]
    window = {"unit": unit, "start": D(2024, 1, 1), "end": D(2024, 9, 30)}
    expected = {
        "petitions.received": 5,
        "petitions.accepted": 4,
        "petitions.resolved": 2,
        "petitions.overdue_resolved": 1,
    }
    client = Client()
    client.force_login(head_a)
    for key, value in expected.items():
        assert count_value(key, **window) == value, key
        response = client.get(records_url(key, **window))
        assert response.context["total"] == value, key


def test_deadline_filter_on_the_list(data, head_a):
    client = Client()
    client.force_login(head_a)
    late = client.get(reverse("petitions:petition_list"), {"deadline": "resolved_late"})
    assert {r["obj"].pk for r in late.context["rows"]} == {data["late"].pk}
    overdue = client.get(reverse("petitions:petition_list"), {"deadline": "overdue"})
    assert data["open_overdue"].pk in {r["obj"].pk for r in overdue.context["rows"]}
    assert data["paused"].pk not in {r["obj"].pk for r in overdue.context["rows"]}
    assert Petition.objects.count() == 8
