"""The cluster's table on dated membership: the members and names of the review's cut-off day,
the organising unit's rule for a member merged into a unit outside the cluster (stated under
the table), "x of y committees met or exceeded every target" on the page and in the exports,
and the demo's 2023 and 2025 tables (Thừa Thiên Huế in 2023, a total of 65 in 2025)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as WordDocument
from openpyxl import load_workbook

from noichinh.accounts.models import User
from noichinh.campaigns import progress
from noichinh.campaigns.models import Review, Target, TargetRegistration
from noichinh.campaigns.tests.test_resources import campaign_for, criterion_for, review_for
from noichinh.campaigns.tests.test_surfaces import _rows, _text
from noichinh.cases.tests.test_resources import case_for
from noichinh.core.demo_snapshot import load_demo
from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import build_tree, make_user
from noichinh.units.choices import UnitKind
from noichinh.units.clusters import cluster_members_set
from noichinh.units.models import Cluster, ClusterMembership, MergedOutsideRule, Unit
from noichinh.units.services import unit_create, unit_merge, unit_rename

D = dt.date


@pytest.fixture
def setup(db) -> dict[str, Any]:
    tree = build_tree()
    c = unit_create(
        user=SYSTEM,
        parent=tree["root"],
        code="T-C",
        name="Ban thử Tỉnh C",
        short_name="Tỉnh C",
        kind=UnitKind.PROVINCIAL,
        valid_from=D(2020, 1, 1),
    )
    outside = unit_create(
        user=SYSTEM,
        parent=tree["root"],
        code="T-X",
        name="Ban thử Tỉnh X",
        short_name="Tỉnh X",
        kind=UnitKind.PROVINCIAL,
        valid_from=D(2020, 1, 1),
    )
    campaign = campaign_for(tree["root"])
    cases = criterion_for(campaign, "1", "cases.corruption")
    midterm = review_for(campaign, "midterm", D(2023, 10, 31))
    final = review_for(campaign, "final", D(2025, 10, 31))
    for unit in (tree["prov_a"], tree["prov_b"], c):
        registration = TargetRegistration.objects.create(unit=unit, campaign=campaign)
        Target.objects.create(
            unit=unit, registration=registration, criterion=cases, review=None, value=4
        )
        Target.objects.create(
            unit=unit, registration=registration, criterion=cases, review=midterm, value=2
        )
    cluster = Cluster.objects.create(unit=tree["root"], code="C-T", name="Cụm thử")
    cluster_members_set(user=SYSTEM, cluster=cluster, units=[tree["prov_a"], c], on=D(2020, 1, 1))
    return {
        **tree,
        "c": c,
        "outside": outside,
        "campaign": campaign,
        "cases": cases,
        "midterm": midterm,
        "final": final,
        "cluster": cluster,
        "admin": make_user("qt.cum", tree["root"], [Role.SYSTEM_ADMIN, Role.HEAD]),
    }


def _codes(table: progress.ClusterTable) -> list[str]:
    return sorted(r.unit.code for r in table.rows)


def test_a_past_table_reads_the_members_and_names_of_its_cut_off(setup) -> None:
    s = setup
    cluster_members_set(
        user=SYSTEM,
        cluster=s["cluster"],
        units=[s["prov_a"], s["c"], s["prov_b"]],
        on=D(2024, 1, 1),
    )
    unit_rename(
        user=SYSTEM,
        unit=s["prov_a"],
        name="Ban thử Thành phố A",
        short_name="TP A",
        on=D(2025, 1, 1),
    )
    on = D(2026, 1, 1)
    midterm = progress.cluster_table(s["cluster"], s["campaign"], s["midterm"], on=on)
    final = progress.cluster_table(s["cluster"], s["campaign"], s["final"], on=on)
    assert _codes(midterm) == ["T-A", "T-C"]  # B joined in 2024
    assert _codes(final) == ["T-A", "T-B", "T-C"]
    assert {r.unit.code: r.name for r in midterm.rows}["T-A"] == "Ban thử Tỉnh A"
    assert {r.unit.code: r.name for r in final.rows}["T-A"] == "TP A"
    # B leaves on 1/3/2025: the final table no longer has it, the history is kept
    cluster_members_set(
        user=SYSTEM, cluster=s["cluster"], units=[s["prov_a"], s["c"]], on=D(2025, 3, 1)
    )
    final = progress.cluster_table(s["cluster"], s["campaign"], s["final"], on=on)
    assert _codes(final) == ["T-A", "T-C"]
    ended = ClusterMembership.objects.get(cluster=s["cluster"], unit=s["prov_b"])
    assert (ended.valid_from, ended.valid_to) == (D(2024, 1, 1), D(2025, 2, 28))
    # The member scope rule still reads through the dated membership
    member = make_user("tv.b", s["prov_b"], [Role.HEAD])
    assert list(Cluster.objects.restrict(member, "view")) == [s["cluster"]]


def test_the_edit_form_dates_member_changes_instead_of_erasing_them(setup, client) -> None:
    s = setup
    client.force_login(s["admin"])
    data = {
        "unit": s["root"].pk,
        "code": "C-T",
        "name": "Cụm thử",
        "region": "",
        "members": [s["prov_a"].pk],  # C taken out today
        "merged_outside_rule": MergedOutsideRule.EXCLUDE,
    }
    response = client.post(f"/don-vi/cum-thi-dua/{s['cluster'].pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    left = ClusterMembership.objects.get(cluster=s["cluster"], unit=s["c"])
    assert left.valid_to is not None and left.valid_to < dt.date.today()
    table = progress.cluster_table(s["cluster"], s["campaign"], s["midterm"], on=D(2024, 1, 1))
    assert _codes(table) == ["T-A", "T-C"]  # still a member in 2023
    s["cluster"].refresh_from_db()
    assert s["cluster"].merged_outside_rule == MergedOutsideRule.EXCLUDE


def _merge_c_outside(s: dict[str, Any]) -> None:
    case_for(s["c"], "C trước sáp nhập", detected_on=D(2024, 5, 1))
    case_for(s["outside"], "X sau sáp nhập", detected_on=D(2025, 8, 1))
    case_for(s["prov_a"], "A", detected_on=D(2022, 5, 1))
    unit_merge(user=SYSTEM, sources=[s["c"]], target=s["outside"], on=D(2025, 7, 1), note="thử")
    s["c"].refresh_from_db()


def test_a_member_merged_outside_follows_the_clusters_rule(setup, client) -> None:
    s = setup
    _merge_c_outside(s)
    on = D(2026, 1, 1)
    table = progress.cluster_table(s["cluster"], s["campaign"], s["final"], on=on)
    rows = {r.unit.code: r for r in table.rows}
    # counted until its closing: its own whole-period target, its records up to 30/6/2025
    cell = rows["T-C"].cells[s["cases"].pk]
    assert (cell.target, cell.actual) == (4, 1)
    assert rows["T-C"].counted_until == D(2025, 6, 30)
    assert table.totals[s["cases"].pk][:2] == (2, 8)
    assert "30/6/2025" in rows["T-C"].note and "Tỉnh X" in rows["T-C"].note
    s["cluster"].merged_outside_rule = MergedOutsideRule.EXCLUDE
    s["cluster"].save()
    table = progress.cluster_table(s["cluster"], s["campaign"], s["final"], on=on)
    rows = {r.unit.code: r for r in table.rows}
    assert rows["T-C"].excluded and not rows["T-C"].cells
    assert table.totals[s["cases"].pk][:2] == (1, 4)
    assert (table.met_all, table.counted) == (0, 1)
    # the rule is stated under the table of the page
    client.force_login(s["admin"])
    page = client.get(f"/thi-dua/cum/{s['cluster'].pk}/", {"review": s["final"].pk})
    body = page.content.decode()
    rule = re.search(r'id="merged-outside-rule">(.*?)</p>', body, flags=re.S)
    assert rule and "không được đưa vào bảng" in _text(rule.group(1))
    assert "ngoài cụm: không tính" in _text(body)


def test_met_every_target_above_the_table_and_in_the_exports(setup, client) -> None:
    s = setup
    for i in range(2):
        case_for(s["prov_a"], f"A{i}", detected_on=D(2022, 5, 1))
    case_for(s["c"], "C", detected_on=D(2022, 5, 1))
    client.force_login(s["admin"])
    url = f"/thi-dua/cum/{s['cluster'].pk}/"
    page = client.get(url, {"review": s["midterm"].pk}).content.decode()
    met = re.search(r'id="met-all">(.*?)</p>', page, flags=re.S)
    expected = "1/2 ban đạt và vượt tất cả các chỉ tiêu."
    assert met and _text(met.group(1)) == expected
    sheet = load_workbook(
        io.BytesIO(client.get(url, {"review": s["midterm"].pk, "format": "xlsx"}).content)
    ).active
    assert expected in [c for r in sheet.iter_rows(values_only=True) for c in r]
    word = WordDocument(
        io.BytesIO(client.get(url, {"review": s["midterm"].pk, "format": "docx"}).content)
    )
    assert expected in [p.text for p in word.paragraphs]


@pytest.mark.django_db
def test_the_demo_tables_of_2023_and_2025() -> None:
    from django.test import Client

    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="trunguong"))
    cluster = Cluster.objects.get(code="CUM-III")
    url = f"/thi-dua/cum/{cluster.pk}/"
    midterm, final = Review.objects.get(kind="midterm"), Review.objects.get(kind="final")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"review": midterm.pk}).content.decode()
    assert len(queries.captured_queries) <= 75  # 82 before the table read its units in bulk
    names = [
        r[1].split(" (")[0]
        for r in _rows(page.split('id="cluster-table">')[1].split("</table>")[0])[2:-1]
    ]
    assert len(names) == 13
    assert "Thừa Thiên Huế" in names and "Huế" not in names  # its name in 2023
    # 9 since the demo draws each case's whole run whatever the load day (11 before)
    assert "9/13 ban đạt và vượt tất cả các chỉ tiêu." in _text(page)
    page = client.get(url, {"review": final.pk}).content.decode()
    text = _text(page)
    names = [
        r[1].split(" (")[0]
        for r in _rows(page.split('id="cluster-table">')[1].split("</table>")[0])[2:-1]
    ]
    assert "Huế" in names and "Thừa Thiên Huế" not in names
    footer = _rows(page.split("<tfoot>")[1].split("</tfoot>")[0])[0]
    assert footer[1] == "65"  # Đắk Nông's target counted until its closing (not 60)
    assert "Đắk Nông (Đã hợp nhất vào Lâm Đồng, ngoài cụm: tính theo chỉ tiêu" in text
    assert "đến ngày kết thúc hoạt động (quy tắc do Ban Nội chính Trung ương lựa chọn)" in text
    # the 2023 conference's minutes name the committees as they were then
    from noichinh.awards.models import AwardReview

    review = AwardReview.objects.get(held_on=D(2023, 11, 7))
    minutes = client.get(f"/khen-thuong/binh-xet/{review.pk}/bien-ban/", {"format": "docx"})
    paragraphs = [p.text for p in WordDocument(io.BytesIO(minutes.content)).paragraphs]
    assert any("(Thừa Thiên Huế)" in p for p in paragraphs)
    assert not any("(Huế)" in p for p in paragraphs)
    assert Unit.objects.get(code="TTH-BNCTU").short_name == "Huế"  # today's name
