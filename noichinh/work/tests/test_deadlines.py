"""deadlines.py, table-driven: each row one case."""

import datetime as dt

import pytest

from noichinh.work import deadlines
from noichinh.work.deadlines import Timeliness

D = dt.date


@pytest.mark.parametrize(
    ("first_due", "recurrence", "after", "expected"),
    [
        (D(2023, 1, 31), "monthly", D(2023, 1, 31), D(2023, 2, 28)),  # month end, common year
        (D(2024, 1, 31), "monthly", D(2024, 1, 31), D(2024, 2, 29)),  # leap year
        (D(2024, 1, 31), "monthly", D(2024, 2, 29), D(2024, 3, 31)),  # back to the 31st
        (D(2024, 1, 31), "monthly", D(2024, 3, 31), D(2024, 4, 30)),
        (D(2024, 1, 15), "monthly", D(2024, 1, 14), D(2024, 1, 15)),  # first one still ahead
        (D(2024, 1, 15), "monthly", D(2024, 6, 20), D(2024, 7, 15)),  # skips missed months
        (D(2023, 12, 31), "monthly", D(2023, 12, 31), D(2024, 1, 31)),  # over the year end
        (D(2023, 11, 30), "quarterly", D(2023, 11, 30), D(2024, 2, 29)),  # leap February
        (D(2024, 3, 31), "quarterly", D(2024, 3, 31), D(2024, 6, 30)),
        (D(2024, 3, 31), "quarterly", D(2024, 6, 30), D(2024, 9, 30)),
        (D(2023, 8, 31), "six_monthly", D(2023, 8, 31), D(2024, 2, 29)),
        (D(2023, 6, 30), "six_monthly", D(2023, 6, 30), D(2023, 12, 30)),  # keeps the 30th
        (D(2024, 2, 29), "yearly", D(2024, 2, 29), D(2025, 2, 28)),
        (D(2024, 2, 29), "yearly", D(2027, 3, 1), D(2028, 2, 29)),  # the next leap year
        (D(2023, 12, 15), "yearly", D(2023, 12, 15), D(2024, 12, 15)),
    ],
)
def test_next_occurrence(first_due, recurrence, after, expected):
    assert deadlines.next_occurrence(first_due, recurrence, after) == expected


def test_next_occurrence_needs_a_recurrence():
    with pytest.raises(ValueError):
        deadlines.next_occurrence(D(2024, 1, 1), "", D(2024, 1, 1))


@pytest.mark.parametrize(
    ("due_on", "on", "done", "overdue", "due_soon"),
    [
        (D(2024, 3, 10), D(2024, 3, 11), False, True, False),  # a day late
        (D(2024, 3, 10), D(2024, 3, 10), False, False, True),  # due today: not yet overdue
        (D(2024, 3, 17), D(2024, 3, 10), False, False, True),  # seven days ahead: due soon
        (D(2024, 3, 18), D(2024, 3, 10), False, False, False),  # eight days ahead
        (D(2024, 3, 1), D(2024, 3, 10), True, False, False),  # done: neither
        (D(2024, 3, 12), D(2024, 3, 10), True, False, False),
        (None, D(2024, 3, 10), False, False, False),  # no deadline
        (D(2024, 3, 1), D(2024, 2, 28), False, False, True),  # leap day between: 2 days out
    ],
)
def test_overdue_and_due_soon(due_on, on, done, overdue, due_soon):
    assert deadlines.is_overdue(due_on, on, done) is overdue
    assert deadlines.is_due_soon(due_on, on, done=done) is due_soon


@pytest.mark.parametrize(
    ("due_on", "on", "days", "expected"),
    [
        (D(2024, 3, 1), D(2024, 2, 28), 1, False),
        (D(2024, 3, 1), D(2024, 2, 28), 2, True),
        (D(2024, 3, 31), D(2024, 3, 1), 30, True),
        (D(2024, 3, 31), D(2024, 3, 1), 29, False),
    ],
)
def test_due_soon_window(due_on, on, days, expected):
    assert deadlines.is_due_soon(due_on, on, days) is expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2023, 1, D(2023, 1, 31)),
        (2023, 2, D(2023, 2, 28)),
        (2024, 2, D(2024, 2, 29)),
        (1900, 2, D(1900, 2, 28)),  # not a leap year
        (2000, 2, D(2000, 2, 29)),  # a leap year
        (2024, 4, D(2024, 4, 30)),
        (2024, 12, D(2024, 12, 31)),
    ],
)
def test_month_deadline(year, month, expected):
    assert deadlines.month_deadline(year, month) == expected


@pytest.mark.parametrize("month", [0, 13])
def test_month_deadline_refuses_a_bad_month(month):
    with pytest.raises(ValueError):
        deadlines.month_deadline(2024, month)


@pytest.mark.parametrize(
    ("issued_on", "on", "state", "days"),
    [
        (D(2023, 1, 20), D(2023, 3, 1), Timeliness.ON_TIME, 0),
        (D(2023, 1, 31), D(2023, 3, 1), Timeliness.ON_TIME, 0),  # on the due date itself
        (D(2023, 2, 1), D(2023, 3, 1), Timeliness.LATE, 1),
        (D(2023, 3, 15), D(2023, 4, 1), Timeliness.LATE, 43),
        (None, D(2023, 1, 31), Timeliness.PENDING, 0),
        (None, D(2023, 1, 10), Timeliness.PENDING, 0),
        (None, D(2023, 2, 1), Timeliness.OVERDUE, 1),
        (None, D(2023, 3, 1), Timeliness.OVERDUE, 29),
    ],
)
def test_programme_timeliness(issued_on, on, state, days):
    result = deadlines.programme_timeliness(D(2023, 1, 31), issued_on, on)
    assert (result.state, result.days_late) == (state, days)
