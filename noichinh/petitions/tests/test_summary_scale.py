"""What keeps the summaries fast at a country's volume (issue 18), on a small tree: the table
by unit shows the branches below the unit (not the flattened tree) and adds up to the summary,
kept and raw alike; the tree of a day is read once and never stale; the stored current
deadline follows every change of the petition's clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from lxml import html

from noichinh.core.counts import tree_on as tree_on_uncached
from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import make_user
from noichinh.petitions import selectors, services
from noichinh.petitions.models import Petition
from noichinh.units.choices import UnitKind
from noichinh.units.models import UnitVersion
from noichinh.units.selectors import tree_on
from noichinh.units.services import unit_create

from .conftest import register

D = dt.date
FIGURES = ("received", "carried_over", "new", "resolved", "resolved_late", "to_resolve")


@pytest.fixture
def petitions(tree):
    made = []
    for unit, n in (
        (tree["root"], 1),
        (tree["prov_a"], 2),
        (tree["dept_a"], 3),
        (tree["prov_b"], 1),
    ):
        for i in range(n):
            p = register(unit, received_on=D(2024, 2, 1 + i))
            services.petition_classify(user=SYSTEM, petition=p, decision="accept", on=D(2024, 2, 5))
            made.append(p)
    return made


def _sums(rows, name):
    return sum(getattr(r["stats"], name) for r in rows)


@pytest.mark.parametrize("source", ["kept", "raw"])
def test_the_table_by_unit_lists_the_branches_and_adds_up(tree, petitions, source):
    start, end, on = D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 10)
    queryset = Petition.objects.all()
    root = tree["root"]
    rows = selectors.breakdown(queryset, "branch", start, end, on, unit=root, source=source)
    assert [r["unit"].code for r in rows] == ["T-ROOT", "T-A", "T-B"]  # itself first, no T-A1
    assert [r["own"] for r in rows] == [True, False, False]
    assert [r["received"] for r in rows] == [1, 5, 1]  # T-A holds its department's 3
    total = selectors.summary(queryset, start, end, on, unit=root, source=source)
    for name in FIGURES:
        assert _sums(rows, name) == getattr(total.current, name), name
    assert sum(r["overdue"] for r in rows) == total.overdue
    # A province: itself and its department.
    rows_a = selectors.breakdown(
        queryset, "branch", start, end, on, unit=tree["prov_a"], source=source
    )
    assert [(r["unit"].code, r["received"]) for r in rows_a] == [("T-A", 2), ("T-A1", 3)]


def test_kept_and_raw_tables_by_branch_are_equal(tree, petitions):
    start, end, on = D(2024, 1, 1), D(2024, 6, 30), D(2024, 7, 1)
    queryset = Petition.objects.all()
    kept = selectors.breakdown(queryset, "branch", start, end, on, unit=tree["root"])
    raw = selectors.breakdown(queryset, "branch", start, end, on, unit=tree["root"], source="raw")

    def plain(rows):
        return [(r["unit"].pk, r["stats"], r["stats_ly"], r["overdue"]) for r in rows]

    assert plain(kept) == plain(raw)


def test_a_unit_closed_before_the_period_with_no_figure_in_it_is_no_row(tree):
    gone = unit_create(
        user=SYSTEM,
        parent=tree["root"],
        code="T-C",
        name="Ban thử Tỉnh C",
        kind=UnitKind.PROVINCIAL,
        valid_from=D(2020, 1, 1),
    )
    # Received and guided back in 2023: a figure of last year, nothing to resolve or overdue.
    old = register(gone, received_on=D(2023, 3, 1))
    services.petition_classify(user=SYSTEM, petition=old, decision="guide", on=D(2023, 3, 5))
    gone.valid_to = D(2023, 12, 31)
    gone.save(update_fields=["valid_to"])
    UnitVersion.objects.filter(unit=gone).update(valid_to=D(2023, 12, 31))
    register(tree["prov_b"], received_on=D(2024, 3, 1))
    queryset = Petition.objects.all()
    rows = selectors.breakdown(
        queryset, "branch", D(2024, 1, 1), D(2024, 12, 31), D(2025, 1, 10), unit=tree["root"]
    )
    codes = [r["unit"].code for r in rows]
    assert "T-C" not in codes  # last year it received one; this year it no longer exists
    assert "T-B" in codes


def test_the_summary_page_drills_down_branch_by_branch(client, tree, petitions):
    head = make_user("truongban.goc", tree["root"], [Role.HEAD])
    client.force_login(head)
    url = reverse("petitions:dashboard")
    response = client.get(url, {"start": "01/01/2024", "end": "31/12/2024"})
    assert response.status_code == 200
    table = html.fromstring(response.content).get_element_by_id("by-unit")
    names = [a.text_content().strip() for a in table.xpath(".//tbody/tr/td[1]")]
    assert len(names) == 3 and not any("Phòng thử A1" in n for n in names)
    links = table.xpath(".//tbody/tr/td[1]/a/@href")
    assert any(f"trong={tree['prov_a'].pk}" in link and link.startswith(url) for link in links)
    # One level down: the province's page lists itself and its department.
    below = client.get(
        url, {"start": "01/01/2024", "end": "31/12/2024", "trong": tree["prov_a"].pk}
    )
    table = html.fromstring(below.content).get_element_by_id("by-unit")
    names = [td.text_content() for td in table.xpath(".//tbody/tr/td[1]")]
    assert len(names) == 2 and "Phòng thử A1" in names[1]


def test_the_tree_of_a_day_is_read_once_and_never_stale(tree):
    day = D(2024, 6, 30)
    first = tree_on(day)
    assert tree_on(day) is first  # kept
    assert first == tree_on_uncached(day)
    added = unit_create(
        user=SYSTEM,
        parent=tree["prov_b"],
        code="T-B1",
        name="Phòng thử B1",
        kind=UnitKind.DEPARTMENT,
        valid_from=D(2021, 1, 1),
    )
    assert added.pk in tree_on(day)[tree["prov_b"].pk]  # the service changed the tree
    # A change that bypasses the services (a bulk generator): the fingerprint changes too.
    UnitVersion.objects.filter(unit=added).update(valid_to=D(2022, 1, 1))
    assert added.pk not in tree_on(day).get(tree["prov_b"].pk, [])
    assert tree_on(day) == tree_on_uncached(day)


def test_the_current_deadline_follows_the_clock(tree):
    def stored(p):
        return Petition.objects.values_list("current_due_on", flat=True).get(pk=p.pk)

    p = register(tree["prov_a"], received_on=D(2024, 3, 1))
    assert stored(p) == p.classify_due_on is not None
    services.petition_classify(user=SYSTEM, petition=p, decision="accept", on=D(2024, 3, 5))
    p.refresh_from_db()
    assert stored(p) == p.resolve_due_on is not None
    services.petition_pause(user=SYSTEM, petition=p, start=D(2024, 3, 10), reason="Giám định")
    assert stored(p) is None  # paused: no clock runs
    services.petition_resume(user=SYSTEM, petition=p, end=D(2024, 3, 20))
    p.refresh_from_db()
    assert stored(p) == p.resolve_due_on
    on = p.resolve_due_on + dt.timedelta(days=1)
    assert list(Petition.objects.filter(selectors.overdue_q(on))) == [p]
    services.petition_resolve(
        user=SYSTEM, petition=p, resolved_on=on, outcome="correct", note="Đã giải quyết"
    )
    assert stored(p) is None
    assert not Petition.objects.filter(selectors.overdue_q(on)).exists()


def test_bulk_inserted_petitions_get_their_deadline_from_count_created(tree):
    from noichinh.petitions import aggregates

    made = Petition.objects.bulk_create(
        [
            Petition(
                unit=tree["prov_a"],
                received_on=D(2024, 1, 2),
                classify_due_on=D(2024, 1, 12),
                status="received",
                channel="post",
                kind="complaint",
                field="land",
                subject="Đơn nhập hàng loạt",
            )
        ]
    )
    aggregates.count_created([p.pk for p in made])
    assert Petition.objects.get(pk=made[0].pk).current_due_on == D(2024, 1, 12)
