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
    current = result.current
    assert (current.carried_over, current.new, current.to_resolve) == (0, 4, 4)
    assert (current.resolved, current.resolved_on_time, current.resolved_late) == (2, 1, 1)
    # Carried forward: the open complaint (due 17/6, overdue on 30/9) and the paused
    # denunciation (its clock stopped: not overdue).
    assert (current.carried_forward, current.carried_forward_overdue) == (2, 1)
    assert current.rate == 50
    last = result.last_year
    assert (last.received, last.new, last.resolved, last.rate) == (2, 1, 1, 100)
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
    assert list(cards) == [
        "Số đơn thư tiếp nhận",
        "Kỳ trước chuyển sang",
        "Tiếp nhận trong kỳ",
        "Tổng số phải giải quyết",
        "Đã giải quyết",
        "Trong hạn",
        "Quá hạn",
        "Chuyển kỳ sau",
        "Trong đó quá hạn",
    ]
    assert page.context["rate"] == 50
    # The changes on last year come from the one catalogue of comparisons: resolved up is
    # better (green), resolved late up is worse (red), received up is neither.
    assert cards["Đã giải quyết"]["comparison"].tone == "good"
    assert cards["Quá hạn"]["comparison"].tone == "bad"
    assert cards["Số đơn thư tiếp nhận"]["comparison"].tone == "neutral"
    html = page.content.decode()
    late = '<span class="text-danger" data-direction="up"><span aria-hidden="true">▲</span> +1'
    assert late in html
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
        "petitions.resolved_on_time": 1,
        "petitions.overdue_resolved": 1,
    }
    client = Client()
    client.force_login(head_a)
    for key, value in expected.items():
        assert count_value(key, **window) == value, key
        response = client.get(records_url(key, **window))
        assert response.context["total"] == value, key
    # Without a window too: the list behind "accepted" shows the accepted petitions only.
    for key in expected:
        whole = {"unit": unit, "start": None, "end": None}
        value = count_value(key, **whole)
        assert client.get(records_url(key, **whole)).context["total"] == value, key
    assert count_value("petitions.accepted", unit=unit, start=None, end=None) == 5


def test_deadline_filter_on_the_list(data, head_a):
    client = Client()
    client.force_login(head_a)
    late = client.get(reverse("petitions:petition_list"), {"deadline": "resolved_late"})
    assert {r["obj"].pk for r in late.context["rows"]} == {data["late"].pk}
    overdue = client.get(reverse("petitions:petition_list"), {"deadline": "overdue"})
    assert data["open_overdue"].pk in {r["obj"].pk for r in overdue.context["rows"]}
    assert data["paused"].pk not in {r["obj"].pk for r in overdue.context["rows"]}
    assert Petition.objects.count() == 8


def test_statistics_api(data, tree, head_a, specialist_b):
    client = Client()
    client.force_login(head_a)
    url = "/api/petitions/statistics/"
    window = {"start": "2024-01-01", "end": "2024-09-30"}
    body = client.get(url, {"unit": tree["prov_a"].pk, **window}).json()
    assert (body["carried_over"], body["new"], body["to_resolve"]) == (0, 4, 4)
    assert (body["resolved"], body["resolved_on_time"], body["resolved_late"]) == (2, 1, 1)
    assert (body["carried_forward"], body["carried_forward_overdue"]) == (2, 1)
    assert body["rate"] == "50.0" and body["as_of"] == "2024-09-30"
    assert body["same_period_last_year"]["resolved"] == 1
    # The department alone: the petitions it holds.
    dept = client.get(url, {"unit": tree["dept_a"].pk, **window}).json()
    assert (dept["new"], dept["resolved_late"], dept["carried_forward_overdue"]) == (2, 1, 1)
    # Bad parameters: 400 with the reason in Vietnamese.
    bad_date = client.get(url, {"start": "30/09/2024"})
    assert bad_date.status_code == 400
    assert bad_date.json()["errors"]["start"][0].startswith("Ngày sai định dạng")
    bad_unit = client.get(url, {"unit": "QT"})
    assert bad_unit.json()["errors"]["unit"] == ["Chọn một đơn vị trong phạm vi được giao."]
    reversed_window = client.get(url, {"start": "2024-09-30", "end": "2024-01-01"})
    assert reversed_window.status_code == 400
    assert reversed_window.json()["errors"]["end"] == [
        "Ngày kết thúc không được trước ngày bắt đầu."
    ]
    # A unit outside the scope answers like a unit that does not exist.
    client.force_login(specialist_b)
    outside = client.get(url, {"unit": tree["prov_a"].pk, **window})
    missing = client.get(url, {"unit": 999999, **window})
    assert outside.status_code == missing.status_code == 400
    assert (
        outside.json()
        == missing.json()
        == {"errors": {"unit": ["Chọn một đơn vị trong phạm vi được giao."]}}
    )
    own = client.get(url, window).json()
    assert (own["unit"], own["new"], own["resolved"]) == (tree["prov_b"].pk, 1, 1)


def test_each_figure_links_to_its_petitions(data, tree, head_a):
    client = Client()
    client.force_login(head_a)
    page = client.get(
        reverse("petitions:dashboard"),
        {"start": "01/01/2024", "end": "30/09/2024", "trong": tree["prov_a"].pk},
    )
    cells = {c["key"]: c for c in page.context["columns"]}
    expected = {
        "new": {"on_time", "late", "open_overdue", "paused"},
        "to_resolve": {"on_time", "late", "open_overdue", "paused"},
        "resolved_on_time": {"on_time"},
        "resolved_late": {"late"},
        "carried_forward": {"open_overdue", "paused"},
        "carried_forward_overdue": {"open_overdue"},
        "carried_over": set(),
    }
    for key, names in expected.items():
        listing = client.get(cells[key]["url"])
        assert {r["obj"].pk for r in listing.context["rows"]} == {data[n].pk for n in names}, key
    # The next window carries over what this one carried forward.
    later = client.get(
        reverse("petitions:dashboard"),
        {"start": "01/10/2024", "end": "31/12/2024", "trong": tree["prov_a"].pk},
    )
    carried = next(c for c in later.context["columns"] if c["key"] == "carried_over")
    listing = client.get(carried["url"])
    assert {r["obj"].pk for r in listing.context["rows"]} == {
        data["open_overdue"].pk,
        data["paused"].pk,
    }
    assert later.context["statistics"].carried_over == 2
    # The same links for the pages that show these figures elsewhere (the home dashboard).
    stats = page.context["statistics"]
    links = selectors.statistics_links(tree["prov_a"], D(2024, 1, 1), D(2024, 9, 30))
    assert set(links) == set(selectors.FIGURES)
    for key, url in links.items():
        assert client.get(url).context["total"] == getattr(stats, key), key
