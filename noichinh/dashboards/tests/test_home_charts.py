"""The home page's charts through the HTTP client, on the tree and records of test_home: the
table behind each chart holds the figures the page's cards and branch table show for the same
key (one source: the quarters of 2024 add up to the 2024 cards, each quarter is `count_value`),
the tile map of the provinces appears for the whole country on the 34-province tree, and the
page answers with its charts for a head and for a specialist."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse

from noichinh.cases.tests.test_resources import case_for
from noichinh.core.counts import count_value
from noichinh.core.periods import Period
from noichinh.core.testkit import SYSTEM
from noichinh.dashboards.tests import test_home
from noichinh.dashboards.tests.test_home import _branch_rows, _cards, _number

D = dt.date
world = test_home.world  # the fixture: the tree and records of test_home
pytestmark = pytest.mark.django_db


def _figure(html: str, key: str) -> str:
    found = re.search(rf'<figure [^>]*data-chart="{key}">(.*?)</figure>', html, re.S)
    assert found, f"no chart {key}"
    return found.group(1)


def _table(html: str, key: str) -> tuple[list[str], dict[str, list[str]]]:
    """The chart's data table (the one in <details>): column heads, {row head: cells}."""
    body = re.search(r"<details.*?</details>", _figure(html, key), re.S).group(0)  # type: ignore[union-attr]
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', body)
    rows = {
        head: re.findall(r'<td class="text-end">([^<]*)</td>', cells)
        for head, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', body, re.S)
    }
    return heads, rows


def _value(cell: str) -> int:
    return 0 if cell == "—" else _number(cell)


def test_the_quarterly_trends_are_the_cards_of_the_year(world, client) -> None:
    head, root = world["head"], world["root"]
    client.force_login(head)
    html = client.get(reverse("dashboards:home"), {"ky": "2024-Y"}).content.decode()
    cards = _cards(html)
    heads, rows = _table(html, "trend-cases")
    assert heads[1:] == ["2024", "2023"] and list(rows) == ["Quý I", "Quý II", "Quý III", "Quý IV"]
    this_year = [_value(cells[0]) for cells in rows.values()]
    last_year = [_value(cells[1]) for cells in rows.values()]
    assert sum(this_year) == _number(cards["cases.all"][0]) == 4
    assert sum(last_year) == _number(cards["cases.all"][1]) == 1
    # each quarter is the catalogue's count, read on the tree of the year (31/12/2024)
    for n, shown in enumerate(this_year, 1):
        quarter = Period.parse(f"2024-Q{n}")
        expected = count_value(
            "cases.all",
            unit=root,
            start=quarter.start,
            end=quarter.end,
            user=head,
            as_of=D(2024, 12, 31),
        )
        assert shown == expected, n
    assert this_year == [1, 3, 0, 0]  # 1/2; 1/4, 1/5, 1/6
    _heads, rows = _table(html, "trend-petitions")
    resolved = [_value(cells[0]) for cells in rows.values()]
    assert sum(resolved) == _number(cards["petitions.resolved"][0]) == 2
    assert resolved == [1, 1, 0, 0]
    assert [_value(cells[1]) for cells in rows.values()] == [0, 1, 0, 0]
    # the picture is inline SVG with the quarter labels
    svg = re.search(r"<svg.*?</svg>", _figure(html, "trend-cases"), re.S).group(0)  # type: ignore[union-attr]
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "Quý II" in texts and "Quý IV" in texts


def test_the_breakdown_by_stage_adds_up_to_the_card(world, client) -> None:
    client.force_login(world["head"])
    html = client.get(reverse("dashboards:home"), {"ky": "2024-Y"}).content.decode()
    total = _number(_cards(html)["cases.all"][0])
    heads, rows = _table(html, "cases-stage")
    assert heads[0] == "Giai đoạn"
    assert sum(_value(cells[0]) for cells in rows.values()) == total


def test_the_tile_map_shows_the_branch_table_for_the_country(world, client) -> None:
    from noichinh.units.choices import UnitKind
    from noichinh.units.services import unit_create

    root = world["root"]
    quang_tri = unit_create(
        user=SYSTEM,
        parent=root,
        code="QT-BNCTU",
        name="Ban Nội chính Tỉnh ủy Quảng Trị",
        kind=UnitKind.PROVINCIAL,
        valid_from=D(2020, 1, 1),
    )
    ha_noi = unit_create(
        user=SYSTEM,
        parent=root,
        code="HN-BNCTU",
        name="Ban Nội chính Thành ủy Hà Nội",
        kind=UnitKind.PROVINCIAL,
        valid_from=D(2020, 1, 1),
    )
    case_for(quang_tri, "QT 2025 a", detected_on=D(2025, 8, 1))
    case_for(quang_tri, "QT 2025 b", detected_on=D(2025, 9, 1))
    client.force_login(world["head"])
    html = client.get(reverse("dashboards:home"), {"ky": "2025-Y"}).content.decode()
    branches = _branch_rows(html)
    _heads, rows = _table(html, "provinces")
    assert len(rows) == 34  # one row (and one tile) per province
    assert _value(rows["Quảng Trị"][0]) == branches["Ban Nội chính Tỉnh ủy Quảng Trị"][0] == 2
    assert _value(rows["Hà Nội"][0]) == branches["Ban Nội chính Thành ủy Hà Nội"][0] == 0
    assert rows["Cà Mau"] == ["—"]
    svg = re.search(r"<svg.*?</svg>", _figure(html, "provinces"), re.S).group(0)  # type: ignore[union-attr]
    assert len(re.findall(r"<path[^>]*fill=\"#eeeeee\"", svg)) == 34  # the 34 tiles' ground
    # 2024 is read on the tree of 63 provinces: no tile map; a province's page has none either
    html = client.get(reverse("dashboards:home"), {"ky": "2024-Y"}).content.decode()
    assert 'data-chart="provinces"' not in html and 'data-chart="trend-cases"' in html
    html = client.get(
        reverse("dashboards:home"), {"ky": "2025-Y", "don_vi": ha_noi.pk}
    ).content.decode()
    assert 'data-chart="provinces"' not in html


@pytest.mark.parametrize("role", ["head", "specialist"])
def test_each_role_gets_the_page_with_its_charts(world, client, role) -> None:
    client.force_login(world[role])
    response = client.get(reverse("dashboards:home"), {"ky": "2024-Y"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="charts"' in html and 'data-chart="trend-cases"' in html
    # the specialist's scope is province A: its trend counts A's 2024 cases only
    _heads, rows = _table(html, "trend-cases")
    expected = 4 if role == "head" else 2
    assert sum(_value(cells[0]) for cells in rows.values()) == expected
    assert "Content-Security-Policy" in response.headers
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
