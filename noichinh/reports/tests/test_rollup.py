"""Roll-up over the tree as it was, completeness, and the same period last year across a merge."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from noichinh.core.periods import Period
from noichinh.core.scoping import SYSTEM
from noichinh.reports import selectors, services
from noichinh.reports.selectors import change_text
from noichinh.units.services import unit_merge

from .conftest import make_form

pytestmark = pytest.mark.django_db
D = dt.date


def report(form, unit, period, accepted, resolved, inspected, approve=True):
    submission = services.submission_open(user=SYSTEM, form=form, period=period, unit=unit)
    services.submission_save_values(
        user=SYSTEM,
        submission=submission,
        values={
            form.ind["VB"].pk: Decimal(1),
            form.ind["TL"].pk: Decimal(accepted),
            form.ind["GQ"].pk: Decimal(resolved),
            form.ind["KT"].pk: Decimal(inspected),
        },
    )
    services.submission_submit(user=SYSTEM, submission=submission)
    if approve:
        services.submission_approve(user=SYSTEM, submission=submission)
    return submission


def test_rollup_sums_approved_reports_with_completeness(tree):
    form = make_form(tree["root"])
    report(form, tree["prov_a"], "2024-9M", 100, 80, 3)
    report(form, tree["prov_b"], "2024-9M", 50, 20, 2, approve=False)
    result = selectors.rollup(form, Period.parse("2024-9M"), tree["root"])
    assert (result.expected, result.sent, result.approved, result.on_time) == (
        2,
        2,
        1,
        0,
    )  # submitted today: late
    assert result.totals["BM-9T-TL"] == 100  # only approved reports are added up
    services.submission_approve(user=SYSTEM, submission=form.submissions.get(unit=tree["prov_b"]))
    result = selectors.rollup(form, Period.parse("2024-9M"), tree["root"])
    assert result.totals["BM-9T-TL"] == 150
    assert result.totals["BM-9T-GQ"] == 100
    assert round(result.totals["BM-9T-TLGQ"], 2) == Decimal("66.67")  # recomputed, not summed
    assert [line.unit for line in result.lines] == [tree["prov_a"], tree["prov_b"]]
    assert result.lines[0].values[form.ind["TL"].pk] == 100


def test_rollup_follows_the_tree_as_it_was_and_last_year_across_a_merge(tree):
    form = make_form(tree["root"], code="BM-Q", period_type="quarter")
    report(form, tree["prov_a"], "2024-Q1", 100, 80, 3)
    report(form, tree["prov_b"], "2024-Q1", 40, 30, 2)
    unit_merge(user=SYSTEM, sources=[tree["prov_b"]], target=tree["prov_a"], on=D(2024, 7, 1))
    for unit in tree.values():
        unit.refresh_from_db()
    # The past period keeps its shape: two provinces under the root.
    past = selectors.rollup(form, Period.parse("2024-Q1"), tree["root"])
    assert past.expected == 2
    assert past.totals["BM-Q-TL"] == 140
    assert {line.unit.code for line in past.lines} == {"T-A", "T-B"}
    # A year later only the merged province reports; its last year is A + B.
    report(form, tree["prov_a"], "2025-Q1", 175, 150, 4)
    now = selectors.rollup(form, Period.parse("2025-Q1"), tree["prov_a"])
    assert now.expected == 1
    assert now.totals["BM-Q-TL"] == 175
    assert [u.code for u in now.last_year_units] == ["T-A", "T-B"]
    assert now.last_year["BM-Q-TL"] == 140
    figure = next(f for f in now.figures if f.indicator.code == "BM-Q-TL")
    assert figure.change == 35
    assert round(figure.change_percent, 2) == Decimal("25.00")
    # At the root nothing is lost either.
    root = selectors.rollup(form, Period.parse("2025-Q1"), tree["root"])
    assert root.expected == 1
    assert root.last_year["BM-Q-TL"] == 140


def test_rollup_queries_do_not_grow_with_units(tree):
    form = make_form(tree["root"])
    report(form, tree["prov_a"], "2024-9M", 100, 80, 3)
    with CaptureQueriesContext(connection) as small:
        selectors.rollup(form, Period.parse("2024-9M"), tree["root"])
    report(form, tree["prov_b"], "2024-9M", 50, 20, 2)
    with CaptureQueriesContext(connection) as large:
        selectors.rollup(form, Period.parse("2024-9M"), tree["root"])
    assert len(small) == len(large) <= 10


@pytest.mark.parametrize(
    ("change", "percent", "measure", "expected"),
    [
        (Decimal(35), Decimal("4.1234"), "đơn", ("35", "đơn", "4,12\u00a0%")),
        (Decimal(-9), None, "vụ", ("9", "vụ")),
        (Decimal(1235), Decimal(10), "", ("1.235", "10,00\u00a0%")),
    ],
)
def test_change_text_has_vietnamese_numbers(change, percent, measure, expected):
    text = change_text(change, percent, measure)
    for part in expected:
        assert part in text


def test_selected_units_merged_away_still_count_for_their_past_periods(tree):
    """A hand-over gives a closed unit's obligation to its heir (the form then names only the
    heir); the periods before the merger still expect, and add up, the closed unit's report."""
    form = make_form(tree["root"], code="BM-QS", period_type="quarter", reporting="selected")
    form.reporting_units.set([tree["prov_a"], tree["prov_b"]])
    report(form, tree["prov_a"], "2024-Q1", 100, 80, 3)
    report(form, tree["prov_b"], "2024-Q1", 40, 30, 2)
    unit_merge(user=SYSTEM, sources=[tree["prov_b"]], target=tree["prov_a"], on=D(2024, 7, 1))
    form.reporting_units.remove(tree["prov_b"])  # what the hand-over does
    past = selectors.rollup(form, Period.parse("2024-Q1"), tree["root"])
    assert (past.expected, past.approved) == (2, 2)
    assert past.totals["BM-QS-TL"] == 140
    now = selectors.rollup(form, Period.parse("2024-Q4"), tree["root"])
    assert now.expected == 1  # from the merger on, only the heir
