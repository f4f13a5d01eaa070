"""Deadlines, as pure functions of dates: recurrences, overdue and due soon, programme
timeliness. No database, no clock: the caller passes the day it asks about."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

DUE_SOON_DAYS = 7

# Recurrence value -> months between two occurrences (values of choices.Recurrence).
STEP_MONTHS = {"monthly": 1, "quarterly": 3, "six_monthly": 6, "yearly": 12}


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int, anchor_day: int | None = None) -> dt.date:
    """`day` moved by `months`, on `anchor_day` (default: day's own) or the month's last day
    when the month is shorter (31/1 + 1 month = 28/2 or 29/2)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    wanted = anchor_day or day.day
    return dt.date(year, month + 1, min(wanted, calendar.monthrange(year, month + 1)[1]))


def next_occurrence(first_due: dt.date, recurrence: str, after: dt.date) -> dt.date:
    """The first deadline of the series that starts on `first_due` strictly after `after`.
    Every occurrence keeps the day of the first one (31/1 monthly: 28/2, 31/3, 30/4...)."""
    step = STEP_MONTHS.get(recurrence)
    if step is None:
        raise ValueError(f"not a recurrence: {recurrence!r}")
    count = 0
    if after >= first_due:
        months_between = (after.year - first_due.year) * 12 + after.month - first_due.month
        count = max(months_between // step - 1, 0)
    while True:
        candidate = add_months(first_due, count * step, first_due.day)
        if candidate > after:
            return candidate
        count += 1


def is_overdue(due_on: dt.date | None, on: dt.date, done: bool = False) -> bool:
    return due_on is not None and not done and due_on < on


def is_due_soon(
    due_on: dt.date | None, on: dt.date, days: int = DUE_SOON_DAYS, done: bool = False
) -> bool:
    """Due today or within the next `days` days, and not done."""
    return due_on is not None and not done and on <= due_on <= on + dt.timedelta(days=days)


def month_deadline(year: int, month: int) -> dt.date:
    """A programme item due in a month is due on that month's last day."""
    if not 1 <= month <= 12:
        raise ValueError(f"not a month: {month}")
    return last_day(year, month)


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"  # not issued, and the due date has passed
    PENDING = "pending"  # not issued, not yet due


@dataclass(frozen=True)
class ProgrammeTimeliness:
    state: Timeliness
    days_late: int = 0


def programme_timeliness(
    due_on: dt.date, issued_on: dt.date | None, on: dt.date
) -> ProgrammeTimeliness:
    """Issued on time, late by N days, not issued and N days overdue, or not yet due."""
    if issued_on is not None:
        if issued_on <= due_on:
            return ProgrammeTimeliness(Timeliness.ON_TIME)
        return ProgrammeTimeliness(Timeliness.LATE, (issued_on - due_on).days)
    if on > due_on:
        return ProgrammeTimeliness(Timeliness.OVERDUE, (on - due_on).days)
    return ProgrammeTimeliness(Timeliness.PENDING)
