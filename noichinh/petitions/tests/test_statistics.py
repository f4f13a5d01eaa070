"""The inspectorate's petition statistics (selectors.statistics): generated petitions against a
plain-Python reading of the definitions, and the identities of the form: to be resolved =
carried over + accepted in the period; resolved = on time + late <= to be resolved; the rate
never above 100 %; what a window carries forward is what the next window carries over."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noichinh.core.counts import count_value
from noichinh.petitions import aggregates, selectors
from noichinh.petitions.models import Petition, PetitionPause

pytestmark = pytest.mark.django_db
D = dt.date
FIRST, LAST = D(2023, 1, 1), D(2024, 12, 31)
SPAN = (LAST - FIRST).days
CLASSIFIED = ("forwarded", "guided", "rejected", "duplicate")


@st.composite
def petitions(draw):
    """One petition's dates and status as the services leave them: accepted on or after the
    receipt, resolved on or after the acceptance, a stored deadline after the acceptance (or
    none), and perhaps a pause (closed or still open) after the acceptance."""
    received = FIRST + dt.timedelta(days=draw(st.integers(0, SPAN)))
    status = draw(st.sampled_from(["received", *CLASSIFIED, "accepted", "resolved"]))
    row = {"received_on": received, "status": status, "unit": draw(st.sampled_from(["a", "a1"]))}
    if status in ("accepted", "resolved"):
        accepted = received + dt.timedelta(days=draw(st.integers(0, 40)))
        row["accepted_on"] = accepted
        due = draw(st.none() | st.integers(0, 90))
        row["resolve_due_on"] = None if due is None else accepted + dt.timedelta(days=due)
        if status == "resolved":
            row["resolved_on"] = accepted + dt.timedelta(days=draw(st.integers(0, 150)))
        pause = draw(st.none() | st.tuples(st.integers(0, 60), st.none() | st.integers(0, 60)))
        if pause is not None:
            start = accepted + dt.timedelta(days=pause[0])
            end = None if pause[1] is None else start + dt.timedelta(days=pause[1])
            if status == "resolved" and (end is None or end > row["resolved_on"]):
                end = max(start, row["resolved_on"])  # resolved only once resumed
                if start > end:
                    pause = None
            if pause is not None:
                row["pause"] = (start, end)
                if end is None:
                    row["paused_since"] = start
    elif status != "received":
        row["classified_on"] = received + dt.timedelta(days=draw(st.integers(0, 20)))
    return row


def window(data, rows):
    """A window whose edges often fall on, just before or just after a record's date (where a
    wrong `<` or `<=` shows), else anywhere."""
    edges = sorted(
        {
            day + dt.timedelta(days=shift)
            for r in rows
            for key in ("accepted_on", "resolved_on", "resolve_due_on", "received_on")
            if (day := r.get(key)) is not None
            for shift in (-1, 0, 1)
        }
    )
    anywhere = st.integers(0, SPAN).map(lambda n: FIRST + dt.timedelta(days=n))
    day = st.sampled_from(edges) | anywhere if edges else anywhere
    start, end = sorted([data.draw(day), data.draw(day)])
    return start, end


def expected(rows, start, end):
    """The definitions, read plainly over the generated rows."""

    def pending(r, day):  # accepted before `day`, not resolved before it
        return (
            r.get("accepted_on") is not None
            and r["accepted_on"] < day
            and (r.get("resolved_on") is None or r["resolved_on"] >= day)
        )

    def paused(r, day):
        pause = r.get("pause")
        return pause is not None and pause[0] <= day and (pause[1] is None or pause[1] >= day)

    resolved = [r for r in rows if r.get("resolved_on") and start <= r["resolved_on"] <= end]
    late = [r for r in resolved if r["resolve_due_on"] and r["resolved_on"] > r["resolve_due_on"]]
    forward = [r for r in rows if pending(r, end + dt.timedelta(days=1))]
    return {
        "received": sum(start <= r["received_on"] <= end for r in rows),
        "carried_over": sum(pending(r, start) for r in rows),
        "new": sum(
            r.get("accepted_on") is not None and start <= r["accepted_on"] <= end for r in rows
        ),
        "resolved": len(resolved),
        "resolved_late": len(late),
        "resolved_on_time": len(resolved) - len(late),
        "carried_forward_overdue": sum(
            r["resolve_due_on"] is not None and r["resolve_due_on"] < end and not paused(r, end)
            for r in forward
        ),
        "carried_forward": len(forward),
    }


def store(rows, tree):
    units = {"a": tree["prov_a"], "a1": tree["dept_a"]}
    created = Petition.objects.bulk_create(
        Petition(
            unit=units[r["unit"]],
            channel="post",
            kind="denunciation",
            field="land",
            subject="Đơn sinh ngẫu nhiên",
            **{k: v for k, v in r.items() if k not in ("unit", "pause")},
        )
        for r in rows
    )
    PetitionPause.objects.bulk_create(
        PetitionPause(
            unit=p.unit, petition=p, start=r["pause"][0], end=r["pause"][1], reason="Giám định"
        )
        for p, r in zip(created, rows, strict=True)
        if "pause" in r
    )
    # A bulk insert sends no signal: count the rows into the kept aggregate (aggregates.py).
    aggregates.count_created([p.pk for p in created])


@settings(
    max_examples=50,
    deadline=None,
    database=None,  # no .hypothesis folder in the project
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(petitions(), max_size=25), data=st.data())
def test_statistics_of_generated_petitions(tree, rows, data):
    start, end = window(data, rows)
    unit = tree["prov_a"]
    # Each example in a savepoint rolled back: the next one starts from the empty registry.
    with transaction.atomic():
        store(rows, tree)
        queryset = Petition.objects.all()
        stats = selectors.statistics(queryset, start, end)
        following = selectors.statistics(
            queryset, end + dt.timedelta(days=1), end + dt.timedelta(days=90)
        )
        want = expected(rows, start, end)
        got = {name: getattr(stats, name) for name in want}
        assert got == want
        assert stats.to_resolve == stats.carried_over + stats.new
        assert stats.resolved <= stats.to_resolve
        assert stats.rate is None or 0 <= stats.rate <= 100
        assert (stats.rate is None) == (stats.to_resolve == 0)
        assert stats.resolved_on_time + stats.resolved_late == stats.resolved
        assert stats.carried_forward == following.carried_over
        assert stats.carried_forward_overdue <= stats.carried_forward
        # The same numbers with the unit's subtree, by unit, and from the derived counts.
        assert selectors.statistics(queryset, start, end, unit=unit) == stats
        by_unit = selectors.breakdown(queryset, "unit", start, end, end, unit=unit)
        for name in ("carried_over", "new", "resolved", "resolved_late", "to_resolve"):
            assert sum(getattr(r["stats"], name) for r in by_unit) == getattr(stats, name)
        window_args = {"unit": unit, "start": start, "end": end, "as_of": end}
        assert count_value("petitions.accepted", **window_args) == stats.new
        assert count_value("petitions.resolved", **window_args) == stats.resolved
        assert count_value("petitions.resolved_on_time", **window_args) == stats.resolved_on_time
        assert count_value("petitions.overdue_resolved", **window_args) == stats.resolved_late
        transaction.set_rollback(True)
