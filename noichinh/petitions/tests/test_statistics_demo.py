"""The demo's petition statistics: one number on the summary page, in the API, in the derived
counts and in the list behind it, for the same unit and window, before and after the 2025
merger of Quảng Bình into Quảng Trị; the resolution rate never above 100 %; the page a fixed
handful of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from noichinh.accounts.models import User
from noichinh.core.counts import count_value
from noichinh.core.demo_snapshot import load_demo
from noichinh.petitions import selectors
from noichinh.petitions.models import Petition
from noichinh.units.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date
DASHBOARD = "petitions:dashboard"
# Figures of the page that are derived counts of the catalogue (the others are not counts of
# records dated in a window: see resources.py).
COUNTS = {
    "received": "petitions.received",
    "new": "petitions.accepted",
    "resolved": "petitions.resolved",
    "resolved_on_time": "petitions.resolved_on_time",
    "resolved_late": "petitions.overdue_resolved",
}
WINDOWS = [
    (D(2024, 1, 1), D(2024, 9, 30)),  # before the merger
    (D(2025, 1, 1), D(2025, 6, 30)),  # Quảng Bình's last half-year
    (D(2025, 7, 1), D(2025, 12, 31)),  # the merged province
    (D(2025, 1, 1), D(2025, 12, 31)),  # across the merger
]


@pytest.fixture
def loaded():
    load_demo()


def _d(day):
    return f"{day:%d/%m/%Y}"


def test_page_api_counts_and_lists_agree_across_the_merger(loaded):
    quangtri, quangbinh = Unit.objects.get(code="QT-BNCTU"), Unit.objects.get(code="QB-BNCTU")
    client = Client()
    for username in ("admin", "quangtri"):
        client.force_login(User.objects.get(username=username))
        for unit in (quangtri, quangbinh):
            for start, end in WINDOWS:
                where = f"{username} {unit.code} {start}..{end}"
                page = client.get(
                    reverse(DASHBOARD), {"start": _d(start), "end": _d(end), "trong": unit.pk}
                )
                stats = page.context["statistics"]
                api = client.get(
                    "/api/petitions/statistics/",
                    {"unit": unit.pk, "start": start.isoformat(), "end": end.isoformat()},
                )
                assert api.status_code == 200, where
                body = api.json()
                assert {k: body[k] for k in stats.as_dict()} == stats.as_dict(), where
                assert body["as_of"] == end.isoformat()
                for name, key in COUNTS.items():
                    value = count_value(key, unit=unit, start=start, end=end, as_of=end)
                    assert value == getattr(stats, name), (where, name)
                # Each figure of the page links to exactly the petitions behind it.
                for cell in [page.context["received"], *page.context["columns"]]:
                    listing = client.get(cell["url"])
                    assert listing.context["total"] == cell["value"], (where, cell["label"])
                assert stats.rate is None or stats.rate <= 100
                # Across the merger the two sides of the comparison are not the same units,
                # and the page and the API say so.
                unlike = unit == quangtri and end >= D(2025, 7, 1)
                assert body["same_units"] is not unlike, where
                assert (page.context["unlike"] is not None) is unlike, where
    # Before the merger Quảng Trị's figures are its own: Quảng Bình's petitions count for
    # Quảng Bình, and the two together are today's subtree of Quảng Trị.
    start, end = WINDOWS[0]
    before = selectors.statistics(Petition.objects.all(), start, end, unit=quangtri)
    qb = selectors.statistics(Petition.objects.all(), start, end, unit=quangbinh)
    today = selectors.statistics(Petition.objects.within(quangtri), start, end)
    assert qb.new > 0 and before.new > 0
    for name in ("received", "carried_over", "new", "resolved", "resolved_late"):
        assert getattr(before, name) + getattr(qb, name) == getattr(today, name), name
    # After it, Quảng Bình holds nothing new and Quảng Trị carries what Quảng Bình carried.
    start, end = WINDOWS[2]
    after_qb = selectors.statistics(Petition.objects.all(), start, end, unit=quangbinh)
    assert (after_qb.new, after_qb.received) == (0, 0)


def test_demo_rates_never_above_100_and_the_page_stays_a_few_queries(loaded):
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    windows = []
    for year in (2023, 2024, 2025, 2026):
        quarters = [(D(year, m, 1), D(year, m + 2, 30 if m in (4, 7) else 31)) for m in (1, 10)]
        quarters += [(D(year, 4, 1), D(year, 6, 30)), (D(year, 7, 1), D(year, 9, 30))]
        windows += quarters
        windows += [(D(year, 1, 1), D(year, 6, 30)), (D(year, 1, 1), D(year, 9, 30))]
        windows += [(D(year, 1, 1), D(year, 12, 31))]
    checked = 0
    for start, end in windows:
        page = client.get(reverse(DASHBOARD), {"start": _d(start), "end": _d(end)})
        context = page.context
        for rate in (context["rate"], context["rate_last"]):
            assert rate is None or 0 <= rate <= 100, (start, end)
        for name in ("by_unit", "by_kind", "by_field"):
            for row in context[name]:
                for stats in (row["stats"], row["stats_ly"]):
                    assert stats.rate is None or stats.rate <= 100, (start, end, name)
                    assert stats.resolved <= stats.to_resolve
                    checked += 1
    assert checked > 500
    # A fixed handful of aggregate queries, however many units, kinds and fields: the
    # summary (this period and last year in one), today's overdue, one grouped query per
    # breakdown, the units of the by-unit rows, and the page's own (session, user, menu).
    # The figures come from the kept aggregate (petitions/aggregates.py): once per page the
    # recorded tree and, per window, whether petitions were handed over or paused after it;
    # then one query of kept rows per figure group, and today's overdue per breakdown.
    for username, params in (
        ("admin", {"start": "01/01/2024", "end": "30/09/2024"}),
        ("quangtri", {"start": "01/01/2025", "end": "31/12/2025"}),
    ):
        client.force_login(User.objects.get(username=username))
        client.get(reverse(DASHBOARD), params)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(DASHBOARD), params).status_code == 200
        # 29 since the top bar counts the unread notifications (one COUNT, inbox/bell).
        assert len(queries) <= 29, [q["sql"][:120] for q in queries.captured_queries]
