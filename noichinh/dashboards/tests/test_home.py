"""The home page through the HTTP client, on a tree and records built here: every figure is the
selector's, for the period and for the same period last year; a past period is read on the tree
of its day (a province merged in 2025 is its own row in 2024); the drill-down keeps the period;
a closed unit points to its successor; the gate decides which unit a link may open."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from noichinh.cases.tests.test_resources import case_for
from noichinh.core.counts import count_value
from noichinh.core.periods import Period
from noichinh.core.permissions import Role
from noichinh.core.testkit import SYSTEM, build_tree, make_user
from noichinh.petitions import selectors as petition_selectors
from noichinh.petitions.models import Petition
from noichinh.units.services import unit_merge

D = dt.date
pytestmark = pytest.mark.django_db


def _petition(unit: Any, received: dt.date, **fields: Any) -> Petition:
    values = {
        "kind": "complaint",
        "channel": "post",
        "subject": "Bồi thường đất",
        "petitioner_name": "Nguyễn Văn A",
        "status": "received",
        **fields,
    }
    return Petition.objects.create(unit=unit, received_on=received, **values)


@pytest.fixture
def world(db):
    tree = build_tree()
    a, a1, b = tree["prov_a"], tree["dept_a"], tree["prov_b"]
    # 2023 and 2024 records on both provinces, then B merges into A on 1/7/2025.
    case_for(a, "A 2023", detected_on=D(2023, 3, 1), conduct="corruption")
    case_for(a, "A 2024", detected_on=D(2024, 2, 1), conduct="corruption")
    case_for(a1, "A1 2024", detected_on=D(2024, 5, 1), conduct="negative", detection="press")
    case_for(b, "B 2024 a", detected_on=D(2024, 4, 1), conduct="corruption")
    case_for(b, "B 2024 b", detected_on=D(2024, 6, 1), conduct="corruption")
    case_for(a, "A 2025", detected_on=D(2025, 9, 1), conduct="corruption")
    _petition(
        a,
        D(2024, 1, 10),
        status="accepted",
        accepted_on=D(2024, 1, 15),
        resolve_due_on=D(2024, 3, 1),
    )
    _petition(
        a,
        D(2024, 2, 10),
        status="resolved",
        accepted_on=D(2024, 2, 12),
        resolve_due_on=D(2024, 3, 20),
        resolved_on=D(2024, 3, 1),
    )
    _petition(
        b,
        D(2024, 3, 10),
        status="resolved",
        accepted_on=D(2024, 3, 12),
        resolve_due_on=D(2024, 4, 1),
        resolved_on=D(2024, 5, 1),
    )
    _petition(
        b,
        D(2023, 3, 10),
        status="resolved",
        accepted_on=D(2023, 3, 12),
        resolve_due_on=D(2023, 5, 1),
        resolved_on=D(2023, 4, 1),
    )
    unit_merge(user=SYSTEM, sources=[b], target=a, on=D(2025, 7, 1), document="60-NQ/TW")
    for unit in (a, b):
        unit.refresh_from_db()
    head = make_user("lanhdao.tw", tree["root"], [Role.HEAD])
    specialist = make_user("chuyenvien.a", a, [Role.SPECIALIST])
    return {**tree, "head": head, "specialist": specialist}


def _cards(html: str) -> dict[str, tuple[str, str]]:
    """{figure key: (value as shown, same period last year as shown)}."""
    found = {}
    for key, body in re.findall(r'data-figure="([^"]+)"(.*?)</div></div></div>', html, re.S):
        value = re.search(r'figure-value">(?:<a [^>]*>)?([^<]*)<', body)
        before = re.search(r"Cùng kỳ năm trước: ([^<]*)<", body)
        found[key] = (
            value.group(1).strip() if value else "",
            before.group(1).strip() if before else "",
        )
    return found


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _branch_rows(html: str) -> dict[str, list[int]]:
    rows = {}
    for name, cells in re.findall(
        r'<tr data-unit="\d+"><th scope="row" class="text-nowrap">'
        r"<a [^>]*>([^<]*)</a></th>(.*?)</tr>",
        html,
        re.S,
    ):
        rows[name] = [_number(v) for v in re.findall(r">([\d.]+)</a></td>", cells)]
    return rows


def test_every_figure_is_its_selector_for_the_period_and_last_year(world, client) -> None:
    head, root = world["head"], world["root"]
    client.force_login(head)
    html = client.get(reverse("dashboards:home"), {"ky": "2024-Y"}).content.decode()
    cards = _cards(html)
    year, last = Period.parse("2024-Y"), Period.parse("2023-Y")
    for key in ("cases.all", "cases.corruption", "cases.self_detected", "security.advised"):
        expected = count_value(
            key, unit=root, start=year.start, end=year.end, user=head, as_of=year.end
        )
        before = count_value(
            key, unit=root, start=last.start, end=last.end, user=head, as_of=last.end
        )
        assert cards[key] == (f"{expected:,}".replace(",", "."), f"{before:,}".replace(",", ".")), (
            key
        )
    assert _number(cards["cases.all"][0]) == 4 and _number(cards["cases.all"][1]) == 1
    stats = petition_selectors.statistics(
        Petition.objects.restrict(head, "view"), year.start, year.end, unit=root
    )
    assert (stats.to_resolve, stats.resolved, stats.resolved_late) == (3, 2, 1)
    assert _number(cards["petitions.to_resolve"][0]) == stats.to_resolve
    assert _number(cards["petitions.resolved"][0]) == stats.resolved
    assert _number(cards["petitions.resolved_late"][0]) == stats.resolved_late
    # each petition figure links to exactly its petitions
    for key in ("to_resolve", "resolved", "resolved_late"):
        link = re.search(
            rf'data-figure="petitions.{key}".*?figure-value"><a href="([^"]+)"', html, re.S
        )
        listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
        shown = re.search(r'id="list-count">([^<]*)<', listing).group(1)
        assert _number(shown) == getattr(stats, key), key
    rate = (Decimal(200) / 3).quantize(Decimal("0.1"))
    assert cards["petitions.rate"][0] == f"{rate}".replace(".", ",") + "\u00a0%" or cards[
        "petitions.rate"
    ][0].startswith("66,7")


def test_a_past_year_is_read_on_its_own_tree_and_the_drill_down_keeps_the_period(
    world, client
) -> None:
    head, a, b = world["head"], world["prov_a"], world["prov_b"]
    client.force_login(head)
    html = client.get(reverse("dashboards:home"), {"ky": "2024-Y"}).content.decode()
    rows = _branch_rows(html)
    # In 2024 province B was its own committee: two rows, B's records under B.
    assert rows["Ban thử Tỉnh A"][0] == 2 and rows["Ban thử Tỉnh B"][0] == 2
    # In 2025 B is part of A: one row with everything.
    html = client.get(reverse("dashboards:home"), {"ky": "2025-Y"}).content.decode()
    rows = _branch_rows(html)
    assert "Ban thử Tỉnh B" not in rows and rows["Ban thử Tỉnh A"][0] == 1
    assert f"?don_vi={a.pk}&amp;ky=2025-Y" in html
    # Drilling into A for 2024 shows A alone (not B, merged later).
    html = client.get(reverse("dashboards:home"), {"ky": "2024-Y", "don_vi": a.pk}).content.decode()
    assert _number(_cards(html)["cases.all"][0]) == 2
    # B's own page says where its work went.
    html = client.get(reverse("dashboards:home"), {"ky": "2024-Y", "don_vi": b.pk}).content.decode()
    assert 'id="closed-unit"' in html and f"?don_vi={a.pk}" in html
    assert _number(_cards(html)["cases.all"][0]) == 2


def test_a_specialist_sees_the_work_queue_first_and_only_their_scope(world, client) -> None:
    specialist, head, root = world["specialist"], world["head"], world["root"]
    client.force_login(specialist)
    html = client.get(reverse("dashboards:home"), {"don_vi": root.pk}).content.decode()
    assert 'id="queue"' in html
    assert html.index('id="queue"') < html.index('id="section-cases"')
    # The root is outside the specialist's scope: the page shows their own province.
    assert '<small class="text-muted">Ban thử Tỉnh A</small>' in html
    client.force_login(head)
    html = client.get(reverse("dashboards:home")).content.decode()
    assert 'id="queue"' not in html and 'id="section-cases"' in html


def test_the_home_page_reads_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
) -> None:
    client.force_login(world["head"])
    # 54 without the charts; the charts read 9-10 more (the two trends by quarter: one query
    # a year each for cases and petitions; the breakdown by stage: the tree of its day and two
    # aggregates, `cases.selectors.case_totals`).
    with django_assert_max_num_queries(66):
        assert client.get(reverse("dashboards:home"), {"ky": "2024-Y"}).status_code == 200
