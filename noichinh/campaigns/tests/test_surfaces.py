"""One figure, one meaning, on every surface: a unit's progress at a review read from the
registration page, /api/progress/, the cluster's table (page and Excel), the registration's
Excel export and the nomination's attached figures is the same (target, actual, %) on each,
before the 2025 merger (midterm, cut-off 31/10/2023) and after it (final review, cut-off
31/10/2025). Each value is parsed from what the surface shows, never taken from the function
that computes it. A committee merged away before the cut-off shows no figures anywhere, and
says where they went."""

from __future__ import annotations

import html
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from noichinh.accounts.models import User
from noichinh.awards.models import AwardReview
from noichinh.campaigns.models import Review, TargetRegistration
from noichinh.core.demo_snapshot import load_demo
from noichinh.units.models import Cluster

pytestmark = pytest.mark.django_db

Figure = tuple[int | None, int, str]  # target, actual, "170,0"


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _int(text: Any) -> int | None:
    text = str(text).strip()
    if text in ("", "—", "None"):
        return None
    return int(text.replace(".", ""))


def _pct(text: Any) -> str:
    return str(text).replace("%", "").strip()


def _pct_of_float(value: float | None) -> str:
    if value is None:
        return "—"
    return str(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)).replace(".", ",")


def _rows(fragment: str) -> list[list[str]]:
    return [
        [_text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", fragment, flags=re.S)
    ]


def _client() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    return client


def page_figures(client: Client, registration: TargetRegistration, review: Review) -> Any:
    """{criterion number: figure} from the registration page, or the merged note."""
    page = client.get(f"/thi-dua/dang-ky/{registration.pk}/", {"review": review.pk})
    assert page.status_code == 200
    body = page.content.decode()
    note = re.search(r'id="merged-note">(.*?)</p>', body, flags=re.S)
    table = re.search(r'id="progress-table">(.*?)</table>', body, flags=re.S)
    if note:
        assert table is None
        return _text(note.group(1))
    assert table is not None
    figures = {}
    for cells in _rows(table.group(1))[1:]:
        number = cells[0].split(". ")[0]
        figures[number] = (_int(cells[1]), _int(cells[2]), _pct(cells[3]))
    return figures


def api_figures(client: Client, registration: TargetRegistration, review: Review) -> Any:
    body = client.get(
        "/api/progress/", {"registration": registration.pk, "review": review.pk}
    ).json()
    if body["merged_into"] is not None:
        assert body["criteria"] == []
        return body["note"], body["merged_into"]
    return {
        c["number"]: (c["target"], c["actual"], _pct_of_float(c["percent"]))
        for c in body["criteria"]
    }


def cluster_page(client: Client, cluster: Cluster, review: Review) -> tuple[list[str], str]:
    page = client.get(f"/thi-dua/cum/{cluster.pk}/", {"review": review.pk})
    assert page.status_code == 200
    body = page.content.decode()
    table = re.search(r'id="cluster-table">(.*?)</table>', body, flags=re.S)
    assert table is not None
    head = re.search(r"<thead>(.*?)</thead>", table.group(1), flags=re.S)
    assert head is not None
    numbers = [c.split(". ")[0] for c in _rows(head.group(1))[0][2:-1]]
    return numbers, body


def cluster_page_figures(client: Client, cluster: Cluster, review: Review, name: str) -> Any:
    """{criterion: figure} of the member's row, or the row's note."""
    numbers, body = cluster_page(client, cluster, review)
    tbody = re.search(r'id="cluster-table">.*?<tbody>(.*?)</tbody>', body, flags=re.S)
    assert tbody is not None
    for cells in _rows(tbody.group(1)):
        label, _sep, note = cells[1].partition(" (")
        if label != name:
            continue
        if not cells[2]:
            return note.rstrip(")")
        return {
            number: (_int(cells[2 + 3 * i]), _int(cells[3 + 3 * i]), _pct(cells[4 + 3 * i]))
            for i, number in enumerate(numbers)
        }
    raise AssertionError(f"no row {name!r}")


def cluster_sheet_figures(client: Client, cluster: Cluster, review: Review, name: str) -> Any:
    response = client.get(f"/thi-dua/cum/{cluster.pk}/", {"review": review.pk, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "STT")
    numbers = [str(h).split(". ")[0] for h in header[2:-2:3]]
    for row in rows:
        if row[1] == name:
            if row[2] in (None, ""):
                return str(row[-2])
            return {
                number: (_int(row[2 + 3 * i]), _int(row[3 + 3 * i]), _pct(row[4 + 3 * i]))
                for i, number in enumerate(numbers)
            }
    raise AssertionError(f"no row {name!r}")


def export_figures(client: Client, registration: TargetRegistration, review: Review) -> Any:
    response = client.get(
        f"/thi-dua/dang-ky/{registration.pk}/xuat/", {"review": review.pk, "format": "xlsx"}
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
    figures = {}
    for row in rows[start + 1 :]:
        if isinstance(row[0], int) and row[1]:
            figures[str(row[1]).split(". ")[0]] = (_int(row[2]), _int(row[3]), _pct(row[4]))
    if not figures:
        texts = [str(c) for r in rows for c in r if c and "hợp nhất" in str(c)]
        assert len(texts) == 1
        return texts[0]
    return figures


def nomination_figures(client: Client, award_review: AwardReview, unit_id: int) -> Any:
    results = client.get("/api/nominations/", {"review": award_review.pk}).json()["results"]
    (nomination,) = [n for n in results if n["nominee_unit"] == unit_id]
    figures = {}
    for line in nomination["figures"].splitlines():
        found = re.match(r"^(\S+)\. .*: ([\d.]+)/([\d.]+) \(([\d,]+)\s%\)$", line)
        assert found, line
        number, actual, target, pct = found.groups()
        figures[number] = (_int(target), _int(actual), pct)
    return figures


def _demo() -> dict[str, Any]:
    load_demo()
    registrations = {
        r.unit.code: r for r in TargetRegistration.objects.select_related("unit", "campaign")
    }
    return {
        "client": _client(),
        "cluster": Cluster.objects.get(code="CUM-III"),
        "midterm": Review.objects.get(kind="midterm"),
        "final": Review.objects.get(kind="final"),
        "qt": registrations["QT-BNCTU"],
        "qb": registrations["QB-BNCTU"],
        "award_midterm": AwardReview.objects.get(held_on="2023-11-07"),
        "award_final": AwardReview.objects.get(held_on="2025-11-20"),
    }


def test_before_the_merger_every_surface_gives_the_same_figures() -> None:
    s = _demo()
    client, review = s["client"], s["midterm"]
    for registration, name in ((s["qt"], "Quảng Trị"), (s["qb"], "Quảng Bình")):
        page = page_figures(client, registration, review)
        assert set(page) == {"1", "1.1", "2"}
        assert api_figures(client, registration, review) == page
        assert cluster_page_figures(client, s["cluster"], review, name) == page
        assert cluster_sheet_figures(client, s["cluster"], review, name) == page
        assert export_figures(client, registration, review) == page
    # Quảng Trị alone in 2023: its own target and records, not Quảng Bình's
    assert page_figures(client, s["qt"], review)["1"] == (3, 3, "100,0")
    qb = page_figures(client, s["qb"], review)
    assert qb["1"] == (3, 5, "166,7")
    assert nomination_figures(client, s["award_midterm"], s["qb"].unit_id) == qb


def test_after_the_merger_every_surface_gives_the_same_figures() -> None:
    s = _demo()
    client, review = s["client"], s["final"]
    qt = page_figures(client, s["qt"], review)
    # Quảng Trị's targets and Quảng Bình's, merged into it on 1/7/2025: 17 of 10, not of 5
    assert qt["1"] == (10, 17, "170,0")
    assert api_figures(client, s["qt"], review) == qt
    assert cluster_page_figures(client, s["cluster"], review, "Quảng Trị") == qt
    assert cluster_sheet_figures(client, s["cluster"], review, "Quảng Trị") == qt
    assert export_figures(client, s["qt"], review) == qt
    assert nomination_figures(client, s["award_final"], s["qt"].unit_id) == qt
    # Quảng Bình, closed before the cut-off, has no figures of its own on any surface
    note = "Đã hợp nhất vào Quảng Trị; số liệu tính cho đơn vị đó."
    assert page_figures(client, s["qb"], review) == note
    assert api_figures(client, s["qb"], review) == (note, s["qt"].unit_id)
    assert cluster_page_figures(client, s["cluster"], review, "Quảng Bình") == note
    assert cluster_sheet_figures(client, s["cluster"], review, "Quảng Bình") == note
    assert export_figures(client, s["qb"], review) == note
