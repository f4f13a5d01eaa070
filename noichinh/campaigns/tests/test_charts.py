"""The campaigns' charts on the demo, through the HTTP client: the progress chart of a
registration carries the figures of the page's progress table (target, actual, %), the cluster's
ranking chart the ranks and scores of the cluster table, both with the SVG inline; and every demo
account that may open the page gets it, chart included."""

from __future__ import annotations

import re
from typing import Any

import pytest
from defusedxml import ElementTree as ET
from django.test import Client

from noichinh.accounts.models import User
from noichinh.campaigns.models import Review, TargetRegistration
from noichinh.campaigns.tests.test_surfaces import _rows
from noichinh.core.demo_snapshot import load_demo
from noichinh.units.models import Cluster

pytestmark = pytest.mark.django_db


def _client(username: str = "trunguong") -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _chart_table(body: str, key: str) -> list[list[str]]:
    figure = re.search(rf'<figure [^>]*data-chart="{key}">(.*?)</figure>', body, re.S)
    assert figure is not None, f"no chart {key}"
    details = re.search(r"<details.*?<tbody>(.*?)</tbody>", figure.group(1), re.S)
    assert details is not None
    svg = re.search(r"<svg.*?</svg>", figure.group(1), re.S)
    assert svg is not None
    ET.fromstring(svg.group(0))  # inline SVG, valid XML
    return _rows(details.group(1))


def _texts(body: str, key: str) -> list[str]:
    figure = re.search(rf'<figure [^>]*data-chart="{key}">.*?(<svg.*?</svg>)', body, re.S)
    assert figure is not None
    root = ET.fromstring(figure.group(1))
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.fixture
def demo() -> dict[str, Any]:
    load_demo()
    return {
        "cluster": Cluster.objects.get(code="CUM-III"),
        "midterm": Review.objects.get(kind="midterm"),
        "final": Review.objects.get(kind="final"),
        "qb": TargetRegistration.objects.get(unit__code="QB-BNCTU"),
        "na": TargetRegistration.objects.get(unit__code="NA-BNCTU"),
    }


@pytest.mark.parametrize("unit", ["qb", "na"])
def test_the_progress_chart_is_the_progress_table(demo, unit) -> None:
    registration, review = demo[unit], demo["midterm"]
    body = _client().get(f"/thi-dua/dang-ky/{registration.pk}/", {"review": review.pk})
    body = body.content.decode()
    table = re.search(r'id="progress-table">(.*?)</table>', body, re.S)
    assert table is not None
    # criterion, target, actual, % of the page's table (rows with a target)
    expected = [c[:4] for c in _rows(table.group(1))[1:] if c[1] != "—"]
    assert expected, "the demo registers targets"
    chart = _chart_table(body, "progress")
    shown = [row for row in chart if row[2] != "—"]
    assert [[r[0], r[2], r[1], r[3].replace("\u00a0", " ")] for r in shown] == [
        [e[0], e[1], e[2], e[3].replace("\u00a0", " ")] for e in expected
    ]
    texts = [t.replace("\u00a0", " ") for t in _texts(body, "progress")]
    first = shown[0]
    assert f"{first[1]}/{first[2]} ({first[3]})" in texts  # "actual/target (115,4 %)"
    assert "Đạt" in texts or "Chưa đạt" in texts


def test_the_ranking_chart_is_the_cluster_table(demo) -> None:
    cluster, review = demo["cluster"], demo["midterm"]
    body = _client().get(f"/thi-dua/cum/{cluster.pk}/", {"review": review.pk}).content.decode()
    tbody = re.search(r'id="cluster-table">.*?<tbody>(.*?)</tbody>', body, re.S)
    assert tbody is not None
    table = [(cells[0], cells[1].partition(" (")[0], cells[-1]) for cells in _rows(tbody.group(1))]
    ranked = [(rank, name, score) for rank, name, score in table if rank]
    assert len(ranked) == 13  # the 13 committees of Cluster III in 2023
    chart = _chart_table(body, "ranking")
    assert [(r[0], r[1], r[2]) for r in chart if r[0] != "—"] == ranked
    assert [r[1] for r in chart if r[0] == "—"] == [name for rank, name, _s in table if not rank]
    texts = _texts(body, "ranking")
    assert f"1. {ranked[0][1]}" in texts
    assert any("Quảng" in t or "Đà Nẵng" in t for t in texts)


def test_every_demo_account_that_sees_the_pages_gets_the_charts(demo) -> None:
    pages = [
        (f"/thi-dua/dang-ky/{demo['qb'].pk}/?review={demo['midterm'].pk}", "progress"),
        (f"/thi-dua/cum/{demo['cluster'].pk}/?review={demo['midterm'].pk}", "ranking"),
    ]
    seen = 0
    for user in User.objects.filter(is_active=True).order_by("username"):
        client = Client()
        client.force_login(user)
        for url, key in pages:
            response = client.get(url)
            assert response.status_code in (200, 404), (user.username, url)
            if response.status_code == 200:
                seen += 1
                assert f'data-chart="{key}"' in response.content.decode(), (user.username, url)
    assert seen >= 3
