"""One figure, one source: every derived count equals the rows of the list its number links to,
and the Excel export of that list, for units before and after the 2025 merger and for windows
read on the tree of their day. A number that disagrees with the records behind it fails here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from openpyxl import load_workbook

from noichinh.accounts.models import User
from noichinh.core.counts import all_counts, count_value, records_url
from noichinh.core.demo_snapshot import load_demo
from noichinh.units.models import Unit

D = dt.date

# (first day, last day, tree of the day): the midterm window on the tree of 2023 (Quảng Bình its
# own committee), the final-review window that spans the merger on the tree of its end, and an
# open window on today's tree.
WINDOWS = [
    (D(2021, 5, 25), D(2023, 10, 31), D(2023, 10, 31)),
    (D(2021, 5, 25), D(2025, 10, 31), D(2025, 10, 31)),
    (D(2024, 1, 1), D(2024, 9, 30), D(2024, 9, 30)),
    (None, None, None),
]
UNITS = ["QT-BNCTU", "QB-BNCTU", "NA-BNCTU", "TTH-BNCTU", "DNG-BNCTU"]


def _list_count(client: Client, url: str) -> int:
    html = client.get(url).content.decode()
    found = re.search(r'id="list-count">([^<]*)<', html)
    assert found, url
    return int(found.group(1).replace(".", "").strip())


def _export_rows(client: Client, url: str) -> int:
    parts = urlsplit(url)
    export = parts.path + "export/?" + parts.query
    response = client.get(export)
    assert response.status_code == 200, export
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    return len(rows) - 1  # the header


@pytest.mark.django_db
def test_every_count_equals_the_records_its_number_links_to() -> None:
    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    units = list(Unit.objects.filter(code__in=UNITS))
    assert len(units) == len(UNITS)
    counts = [c for c in all_counts() if c.list_url_name]
    assert {"cases.corruption", "petitions.accepted"} <= {c.key for c in counts}
    checked = 0
    nonzero = 0
    wrong = []
    for count in counts:
        for unit in units:
            for start, end, as_of in WINDOWS:
                value = count_value(count.key, unit=unit, start=start, end=end, as_of=as_of)
                url = records_url(count.key, unit=unit, start=start, end=end, as_of=as_of)
                shown = _list_count(client, url)
                if shown != value:
                    wrong.append((count.key, unit.code, start, end, value, shown, url))
                checked += 1
                nonzero += value > 0
    assert wrong == []
    assert checked == len(counts) * len(units) * len(WINDOWS)
    assert nonzero > checked // 2  # the demo gives most of these figures something to count


@pytest.mark.django_db
def test_a_past_figure_of_a_merged_committee_links_to_its_own_records_only() -> None:
    """Quảng Trị in 2023 is Quảng Trị alone; the same window read on today's tree includes
    Quảng Bình. The page, the list behind the number and its export agree in both readings."""
    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    qt = Unit.objects.get(code="QT-BNCTU")
    qb = Unit.objects.get(code="QB-BNCTU")
    start, end = D(2021, 5, 25), D(2023, 10, 31)
    key = "cases.corruption"
    then = count_value(key, unit=qt, start=start, end=end, as_of=end)
    now = count_value(key, unit=qt, start=start, end=end)
    of_qb = count_value(key, unit=qb, start=start, end=end, as_of=end)
    assert of_qb > 0
    assert now == then + of_qb
    url_then = records_url(key, unit=qt, start=start, end=end, as_of=end)
    url_now = records_url(key, unit=qt, start=start, end=end)
    assert _list_count(client, url_then) == _export_rows(client, url_then) == then
    assert _list_count(client, url_now) == _export_rows(client, url_now) == now


def _cells(html: str, label: str) -> list[str]:
    """The cells of the first table row whose first cell is `label` (links stripped; a note
    after the name, such as "(đã sáp nhập vào ...)", is allowed)."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
        ]
        if cells and (cells[0] == label or cells[0].startswith(label + " ")):
            return cells
    raise AssertionError(f"no row {label!r}")


@pytest.mark.django_db
def test_the_cases_summary_reads_a_past_window_on_the_tree_of_its_day() -> None:
    """The cases summary of 2021-2023 shows Quảng Bình and Quảng Trị as the two committees
    they were, with the figures the campaign's midterm counts; a window ending today shows the
    merged committee."""
    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    qt = Unit.objects.get(code="QT-BNCTU")
    qb = Unit.objects.get(code="QB-BNCTU")
    start, end = D(2021, 5, 25), D(2023, 10, 31)
    html = client.get("/vu-an/?start=25/05/2021&end=31/10/2023&by=unit").content.decode()
    assert 'id="tree-note"' in html and "31/10/2023" in html
    for unit in (qt, qb):
        cells = _cells(html, unit.name_on(end).name)
        shown = int(cells[2].replace(".", ""))  # the corruption column
        assert shown == count_value("cases.corruption", unit=unit, start=start, end=end, as_of=end)
    # Quảng Trị's own specialist view: the same figure as its total
    client.force_login(User.objects.get(username="quangtri"))
    html = client.get("/vu-an/?start=25/05/2021&end=31/10/2023&by=stage").content.decode()
    total = _cells(html, "Tổng cộng")
    assert int(total[2].replace(".", "")) == count_value(
        "cases.corruption", unit=qt, start=start, end=end, as_of=end
    )
