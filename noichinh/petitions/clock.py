"""The legal clock of petitions: pure functions of dates, no database, no "today".

The rules are data (`RULES`): a change in the law is a change of a row, not of code. Each row
says for a kind of petition and a step (classify a received petition, resolve an accepted one)
how many days the law gives, whether they are calendar or working days, the longer limits for a
complex case and for remote and difficult areas, how many extensions a decision may grant and
how long each may be, and the article it comes from.

How days are counted (Civil Code 2015, Art. 147 and 148, which the petition laws follow):

- The day of the event (receipt, acceptance) is not counted; the period starts the next day.
- **Working days** skip Saturdays, Sundays and public holidays (passed in as a set of dates);
  the deadline is the N-th working day after the event, so it is always a working day.
- **Calendar days** count every day. When the last day falls on a Saturday, Sunday or public
  holiday, the period ends on the next working day (Civil Code 2015, Art. 148(5)).
- A **pause** (the clock suspended, e.g. waiting for an expert assessment) pushes the deadline
  back by its length: its calendar days for a calendar rule, its working days for a working-day
  rule. Pauses are closed periods [start, end], both days included.
- An **extension** by decision adds its days (in the rule's day type) to the deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

# Marks the citations for translation (the page shows them in Vietnamese); no Django at run time.
from django.utils.translation import gettext_noop

DUE_SOON_DAYS = 5

CALENDAR = "calendar"
WORKING = "working"

CLASSIFY = "classify"
RESOLVE = "resolve"

# Kinds and rounds as stored by the models (choices.PetitionKind, choices.ComplaintRound).
COMPLAINT = "complaint"
DENUNCIATION = "denunciation"
RECOMMENDATION = "recommendation"
FEEDBACK = "feedback"
FIRST = "first"
SECOND = "second"

# Complexity values (choices.Complexity).
NORMAL = "normal"
COMPLEX = "complex"
VERY_COMPLEX = "very_complex"


@dataclass(frozen=True)
class Rule:
    kind: str
    step: str
    days: int
    day_type: str = CALENDAR
    complaint_round: str = ""
    complex_days: int | None = None
    remote_days: int | None = None
    remote_complex_days: int | None = None
    # How many extensions a decision may grant, by complexity, and the longest each may be.
    extensions: tuple[tuple[str, int], ...] = ()
    extension_max_days: int = 0
    citation: str = ""

    def base_days(self, complexity: str = NORMAL, remote: bool = False) -> int:
        complex_case = complexity in (COMPLEX, VERY_COMPLEX)
        if remote and complex_case and self.remote_complex_days is not None:
            return self.remote_complex_days
        if remote and self.remote_days is not None:
            return self.remote_days
        if complex_case and self.complex_days is not None:
            return self.complex_days
        return self.days

    def extensions_allowed(self, complexity: str) -> int:
        return dict(self.extensions).get(complexity, 0)


# The Law on Complaints says "ngày" without qualifying it; the inspectorates' guidance counts
# complaint time limits in working days, which is encoded here. If the reading differs, change
# the day type of the four complaint rows (a data change).
RULES: tuple[Rule, ...] = (
    # -- classify / accept a received petition --------------------------------------------
    Rule(
        COMPLAINT,
        CLASSIFY,
        10,
        WORKING,
        complaint_round=FIRST,
        citation=gettext_noop(
            "Law on Complaints 2011, Art. 27 (accept a first complaint within 10 days)"
        ),
    ),
    Rule(
        COMPLAINT,
        CLASSIFY,
        10,
        WORKING,
        complaint_round=SECOND,
        citation=gettext_noop(
            "Law on Complaints 2011, Art. 36 (accept a second complaint within 10 days)"
        ),
    ),
    Rule(
        DENUNCIATION,
        CLASSIFY,
        7,
        WORKING,
        complex_days=10,
        citation=gettext_noop(
            "Law on Denunciations 2018, Art. 24(1) (enter, classify and handle within "
            "7 working days; up to 10 where verification is needed in several places)"
        ),
    ),
    Rule(
        RECOMMENDATION,
        CLASSIFY,
        10,
        WORKING,
        citation=gettext_noop(
            "Circular 05/2021/TT-TTCP (handle a received petition within 10 working days)"
        ),
    ),
    Rule(
        FEEDBACK,
        CLASSIFY,
        10,
        WORKING,
        citation=gettext_noop(
            "Circular 05/2021/TT-TTCP (handle a received petition within 10 working days)"
        ),
    ),
    # -- resolve an accepted petition -------------------------------------------------------
    Rule(
        COMPLAINT,
        RESOLVE,
        30,
        WORKING,
        complaint_round=FIRST,
        complex_days=45,
        remote_days=45,
        remote_complex_days=60,
        citation=gettext_noop(
            "Law on Complaints 2011, Art. 28 (first complaint: 30 days, complex 45; "
            "remote and difficult areas 45, complex 60)"
        ),
    ),
    Rule(
        COMPLAINT,
        RESOLVE,
        45,
        WORKING,
        complaint_round=SECOND,
        complex_days=60,
        remote_days=60,
        remote_complex_days=70,
        citation=gettext_noop(
            "Law on Complaints 2011, Art. 37 (second complaint: 45 days, complex 60; "
            "remote and difficult areas 60, complex 70)"
        ),
    ),
    Rule(
        DENUNCIATION,
        RESOLVE,
        30,
        CALENDAR,
        extensions=((COMPLEX, 1), (VERY_COMPLEX, 2)),
        extension_max_days=30,
        citation=gettext_noop(
            "Law on Denunciations 2018, Art. 30 (30 days from acceptance; complex: one "
            "extension of up to 30 days; especially complex: two, each up to 30 days)"
        ),
    ),
)


class ClockError(ValueError):
    """A request the law does not allow (an extension too long or one too many)."""


def find_rule(kind: str, step: str, complaint_round: str = "") -> Rule | None:
    """The rule for a kind and step (complaints by round; a complaint without a round is a
    first complaint). None when the law sets no time limit for that step."""
    wanted_round = (complaint_round or FIRST) if kind == COMPLAINT else ""
    for rule in RULES:
        if rule.kind == kind and rule.step == step and rule.complaint_round == wanted_round:
            return rule
    return None


def is_working_day(day: dt.date, holidays: Collection[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: dt.date, holidays: Collection[dt.date]) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


def add_days(
    start: dt.date, days: int, day_type: str, holidays: Collection[dt.date] = frozenset()
) -> dt.date:
    """The last day of a period of `days` days starting the day after `start`."""
    if days < 0:
        raise ValueError("days must not be negative")
    if day_type == CALENDAR:
        return start + dt.timedelta(days=days)
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def pause_length(
    start: dt.date, end: dt.date, day_type: str, holidays: Collection[dt.date] = frozenset()
) -> int:
    """Days of a pause [start, end] (both included) in the rule's day type."""
    if end < start:
        raise ValueError("a pause cannot end before it starts")
    total = (end - start).days + 1
    if day_type == CALENDAR:
        return total
    return sum(1 for i in range(total) if is_working_day(start + dt.timedelta(days=i), holidays))


def check_extensions(rule: Rule, complexity: str, days: Iterable[int]) -> None:
    """Raise ClockError when the extensions (days of each, in order) break the rule."""
    granted = list(days)
    allowed = rule.extensions_allowed(complexity)
    if len(granted) > allowed:
        raise ClockError(
            f"{len(granted)} extension(s) requested, {allowed} allowed ({rule.citation})"
        )
    for value in granted:
        if value <= 0 or value > rule.extension_max_days:
            raise ClockError(
                f"an extension may be 1 to {rule.extension_max_days} days ({rule.citation})"
            )


def due_date(
    rule: Rule,
    start: dt.date,
    *,
    complexity: str = NORMAL,
    remote: bool = False,
    holidays: Collection[dt.date] = frozenset(),
    extensions: Iterable[int] = (),
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
) -> dt.date:
    """The deadline of a step that started on `start` (receipt or acceptance)."""
    extension_days = list(extensions)
    check_extensions(rule, complexity, extension_days)
    days = rule.base_days(complexity, remote) + sum(extension_days)
    days += sum(pause_length(a, b, rule.day_type, holidays) for a, b in pauses)
    due = add_days(start, days, rule.day_type, holidays)
    if rule.day_type == CALENDAR:
        due = next_working_day(due, holidays)  # Civil Code 2015, Art. 148(5)
    return due


class State(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    NO_DEADLINE = "no_deadline"


def deadline_state(
    due: dt.date | None, on: dt.date, done_on: dt.date | None = None, soon: int = DUE_SOON_DAYS
) -> State:
    if due is None:
        return State.NO_DEADLINE
    if done_on is not None:
        return State.DONE_ON_TIME if done_on <= due else State.DONE_LATE
    if on > due:
        return State.OVERDUE
    if (due - on).days <= soon:
        return State.DUE_SOON
    return State.ON_TIME


def days_overdue(due: dt.date | None, on: dt.date, done_on: dt.date | None = None) -> int:
    """Calendar days past the deadline on `on` (or on the day it was done); 0 if not late."""
    if due is None:
        return 0
    end = done_on or on
    return max((end - due).days, 0)
