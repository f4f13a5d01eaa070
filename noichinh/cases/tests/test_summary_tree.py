"""The cases summary by unit follows the tree: the branches directly below the unit, each a
link down into its branch (same period), the unit's own records as "Trực tiếp <unit>", merged
units marked with their heir, and every number a link to exactly the records it counts."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noichinh.accounts.models import User
from noichinh.units.models import Unit
from noichinh.units.selectors import tree_on

pytestmark = pytest.mark.django_db

CURRENT = {"start": "1/1/2015", "end": "31/12/2030", "by": "unit"}  # up to today's tree
PAST = {"start": "1/1/2015", "end": "31/12/2024", "by": "unit"}  # the tree before the merger
LINK = re.compile(r'<a href="(/[^"]*)">([\d.]+)</a>')


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _summary(client: Client, **params: Any) -> Any:
    response = client.get(reverse("cases:dashboard"), params)
    assert response.status_code == 200
    return response


def _totals_links(response: Any) -> list[tuple[str, int]]:
    """The (list URL, number) of every figure link in the totals table."""
    page = response.content.decode()
    section = page[page.index('id="totals"') : page.index('id="stalled"')]
    return [(html.unescape(url), int(n.replace(".", ""))) for url, n in LINK.findall(section)]


def _listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["page"].paginator.count)


def _check_links(client: Client, response: Any) -> None:
    links = _totals_links(response)
    assert links, "the totals table has figure links"
    for url, number in links:
        assert _listed(client, url) == number, url


@pytest.mark.parametrize("window", [CURRENT, PAST], ids=["current", "past"])
def test_the_country_lists_its_branches_and_every_number_shows_its_records(
    demo: None, window: dict[str, str]
) -> None:
    client = _client("trunguong")
    response = _summary(client, **window)
    rows, total = response.context["rows"], response.context["total"]
    root = Unit.objects.get(depth=0)
    # Only the units directly below the country on the tree of the window's last day (and the
    # centre's own records), never deeper.
    day = response.context["as_of"] or response.context["today"]
    below = set(tree_on(day).get(root.pk, []))
    assert rows and all(r.branch.unit.pk in below or r.branch.own for r in rows)
    own = [r for r in rows if r.branch.own]
    assert [r.branch.unit for r in own] in ([], [root])
    if own:
        assert own[0].label == f"Trực tiếp {root.name}"
    assert total.cases == sum(r.cases for r in rows)
    assert total.corruption == sum(r.corruption for r in rows)
    _check_links(client, response)
    labels = [r.label for r in rows]
    quang_binh = Unit.objects.get(name="Ban Nội chính Tỉnh ủy Quảng Bình")
    if window is PAST:
        # On the tree of 2024 Quảng Bình was a province of its own: a row, marked merged.
        assert quang_binh.name in labels
        assert "(đã sáp nhập vào Quảng Trị)" in response.content.decode()
    else:
        # Today it lies inside Quảng Trị: counted in that branch, not as its equal.
        assert quang_binh.name not in labels


def test_a_row_drills_down_into_its_branch_keeping_the_period(demo: None) -> None:
    client = _client("trunguong")
    response = _summary(client, **CURRENT)
    quang_tri = Unit.objects.get(name="Ban Nội chính Tỉnh ủy Quảng Trị")
    row = next(r for r in response.context["rows"] if r.branch.unit == quang_tri)
    drill = response.context["drill"][row.key]
    assert f"trong={quang_tri.pk}" in drill and "start=1%2F1%2F2015" in drill
    assert f'href="{html.escape(drill)}"' in response.content.decode()
    down = client.get(reverse("cases:dashboard") + drill)
    assert down.status_code == 200
    assert down.context["unit"] == quang_tri
    assert down.context["total"].cases == row.cases
    rows = down.context["rows"]
    assert sum(r.cases for r in rows) == row.cases
    labels = {r.label for r in rows}
    assert f"Trực tiếp {quang_tri.name}" in labels
    # Quảng Bình, merged into Quảng Trị in 2025, is a row below it only for its figures.
    assert "Ban Nội chính Tỉnh ủy Quảng Bình" in labels
    page = down.content.decode()
    assert "(đã sáp nhập vào Quảng Trị)" in page
    # The crumb back up keeps the period; the filter form keeps the unit.
    crumbs = dict(down.context["crumbs"])
    back = crumbs["Tổng hợp vụ án, vụ việc"]
    assert back.startswith(reverse("cases:dashboard")) and "trong" not in back
    assert "start=1%2F1%2F2015" in back
    assert f'name="trong" value="{quang_tri.pk}"' in page
    _check_links(client, down)


def test_a_province_sees_its_own_branches_and_links_that_match(demo: None) -> None:
    client = _client("quangtri")
    response = _summary(client, **CURRENT)
    quang_tri = Unit.objects.get(name="Ban Nội chính Tỉnh ủy Quảng Trị")
    assert response.context["unit"] == quang_tri
    rows = response.context["rows"]
    assert all(r.branch.unit.parent_id == quang_tri.pk or r.branch.own for r in rows)
    assert response.context["total"].cases == sum(r.cases for r in rows)
    _check_links(client, response)
    # Out of its scope: a province cannot drill into another one.
    other = Unit.objects.get(name="Ban Nội chính Tỉnh ủy Nghệ An")
    away = _summary(client, **CURRENT, trong=str(other.pk))
    assert away.context["unit"] == quang_tri


def test_the_tasks_summary_follows_the_tree_too(demo: None) -> None:
    client = _client("trunguong")
    response = client.get(reverse("work:dashboard"))
    assert response.status_code == 200
    root = Unit.objects.get(depth=0)
    below = set(tree_on(response.context["today"]).get(root.pk, []))
    for key, deadline in (("overdue", "overdue"), ("due_soon", "due_soon")):
        rows = response.context[f"{key}_by_unit"]
        assert all(r.unit.pk in below or r.branch.own for r in rows)
        assert sum(r.count for r in rows) == response.context[f"{key}_count"]
        for r in rows:
            url = f"{reverse('work:task_list')}?deadline={deadline}&{r.narrow}"
            assert _listed(client, url) == r.count, url
    drills = [r for r in response.context["overdue_by_unit"] if r.drill]
    assert drills, "the demo has overdue tasks below the centre"
    down = client.get(reverse("work:dashboard") + drills[0].drill)
    assert down.status_code == 200
    assert down.context["unit"] == drills[0].unit
    assert down.context["overdue_count"] == drills[0].count
    assert len(down.context["crumbs"]) == 2


def test_events_and_suspensions_are_named_with_unpadded_dates(demo: None) -> None:
    from noichinh.cases.models import CaseEvent, CaseSuspension

    event = CaseEvent.objects.filter(occurred_on__day__lt=10, occurred_on__month__lt=10).first()
    assert event is not None
    day = event.occurred_on
    assert str(event).endswith(f" {day.day}/{day.month}/{day.year}")
    suspension = CaseSuspension.objects.first()
    assert suspension is not None
    start = suspension.started_on
    assert str(suspension).endswith(f"({start.day}/{start.month}/{start.year})")
