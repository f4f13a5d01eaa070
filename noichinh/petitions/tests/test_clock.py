"""The legal clock, row by row from the law. Each row's id names the article it comes from."""

import datetime as dt

import pytest

from noichinh.petitions import clock

D = dt.date
# Public holidays used by the rows (from the 2024 calendar): Tết, 30/4 and 1/5, National Day.
H2024 = frozenset(
    [
        *(D(2024, 2, d) for d in range(8, 15)),
        D(2024, 4, 29),
        D(2024, 4, 30),
        D(2024, 5, 1),
        D(2024, 9, 2),
        D(2024, 9, 3),
    ]
)

CASES = [
    # (kind, step, round, start, complexity, remote, extensions, pauses, expected)
    pytest.param(
        "complaint",
        "classify",
        "first",
        D(2024, 3, 1),
        "normal",
        False,
        [],
        [],
        D(2024, 3, 15),
        id="LKN2011-Art27-accept-first-complaint-10-working-days",
    ),
    pytest.param(
        "complaint",
        "classify",
        "first",
        D(2024, 2, 5),
        "normal",
        False,
        [],
        [],
        D(2024, 2, 26),
        id="LKN2011-Art27-working-days-skip-Tet-holidays",
    ),
    pytest.param(
        "complaint",
        "classify",
        "second",
        D(2024, 3, 1),
        "normal",
        False,
        [],
        [],
        D(2024, 3, 15),
        id="LKN2011-Art36-accept-second-complaint-10-working-days",
    ),
    pytest.param(
        "denunciation",
        "classify",
        "",
        D(2024, 4, 26),
        "normal",
        False,
        [],
        [],
        D(2024, 5, 10),
        id="LTC2018-Art24-classify-7-working-days-skip-30-4-and-1-5",
    ),
    pytest.param(
        "denunciation",
        "classify",
        "",
        D(2024, 3, 4),
        "complex",
        False,
        [],
        [],
        D(2024, 3, 18),
        id="LTC2018-Art24-classify-complex-10-working-days",
    ),
    pytest.param(
        "recommendation",
        "classify",
        "",
        D(2024, 3, 1),
        "normal",
        False,
        [],
        [],
        D(2024, 3, 15),
        id="TT05-2021-TTCP-handle-recommendation-10-working-days",
    ),
    pytest.param(
        "feedback",
        "classify",
        "",
        D(2024, 3, 1),
        "normal",
        False,
        [],
        [],
        D(2024, 3, 15),
        id="TT05-2021-TTCP-handle-feedback-10-working-days",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "first",
        D(2024, 7, 1),
        "normal",
        False,
        [],
        [],
        D(2024, 8, 12),
        id="LKN2011-Art28-first-complaint-30-days",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "first",
        D(2024, 7, 1),
        "complex",
        False,
        [],
        [],
        D(2024, 9, 4),
        id="LKN2011-Art28-first-complaint-complex-45-days-skip-2-9",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "first",
        D(2024, 7, 1),
        "normal",
        True,
        [],
        [],
        D(2024, 9, 4),
        id="LKN2011-Art28-first-complaint-remote-45-days",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "first",
        D(2024, 7, 1),
        "complex",
        True,
        [],
        [],
        D(2024, 9, 25),
        id="LKN2011-Art28-first-complaint-remote-complex-60-days",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "second",
        D(2024, 7, 1),
        "normal",
        False,
        [],
        [],
        D(2024, 9, 4),
        id="LKN2011-Art37-second-complaint-45-days",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "second",
        D(2024, 7, 1),
        "complex",
        False,
        [],
        [],
        D(2024, 9, 25),
        id="LKN2011-Art37-second-complaint-complex-60-days",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "second",
        D(2024, 7, 1),
        "normal",
        True,
        [],
        [],
        D(2024, 9, 25),
        id="LKN2011-Art37-second-complaint-remote-60-days",
    ),
    pytest.param(
        "complaint",
        "resolve",
        "second",
        D(2024, 7, 1),
        "very_complex",
        True,
        [],
        [],
        D(2024, 10, 9),
        id="LKN2011-Art37-second-complaint-remote-complex-70-days",
    ),
    pytest.param(
        "denunciation",
        "resolve",
        "",
        D(2024, 3, 1),
        "normal",
        False,
        [],
        [],
        D(2024, 4, 1),
        id="LTC2018-Art30-30-days-last-day-Sunday-moves-to-Monday-BLDS2015-Art148",
    ),
    pytest.param(
        "denunciation",
        "resolve",
        "",
        D(2024, 3, 31),
        "normal",
        False,
        [],
        [],
        D(2024, 5, 2),
        id="LTC2018-Art30-30-days-last-day-on-30-4-moves-past-holidays-BLDS2015-Art148",
    ),
    pytest.param(
        "denunciation",
        "resolve",
        "",
        D(2024, 3, 1),
        "complex",
        False,
        [30],
        [],
        D(2024, 5, 2),
        id="LTC2018-Art30-complex-one-extension-of-30-days",
    ),
    pytest.param(
        "denunciation",
        "resolve",
        "",
        D(2024, 3, 1),
        "very_complex",
        False,
        [30, 30],
        [],
        D(2024, 5, 30),
        id="LTC2018-Art30-especially-complex-two-extensions-of-30-days",
    ),
    pytest.param(
        "denunciation",
        "resolve",
        "",
        D(2024, 3, 1),
        "normal",
        False,
        [],
        [(D(2024, 3, 10), D(2024, 3, 19))],
        D(2024, 4, 10),
        id="LTC2018-Art30-pause-of-10-calendar-days-extends-the-deadline",
    ),
    pytest.param(
        "complaint",
        "classify",
        "first",
        D(2024, 3, 1),
        "normal",
        False,
        [],
        [(D(2024, 3, 4), D(2024, 3, 8))],
        D(2024, 3, 22),
        id="LKN2011-Art27-pause-of-5-working-days-extends-the-deadline",
    ),
]


@pytest.mark.parametrize(
    ("kind", "step", "round_", "start", "complexity", "remote", "extensions", "pauses", "expected"),
    CASES,
)
def test_deadline(kind, step, round_, start, complexity, remote, extensions, pauses, expected):
    rule = clock.find_rule(kind, step, round_)
    assert rule is not None
    due = clock.due_date(
        rule,
        start,
        complexity=complexity,
        remote=remote,
        holidays=H2024,
        extensions=extensions,
        pauses=pauses,
    )
    assert due == expected
    assert clock.is_working_day(due, H2024)


REFUSED = [
    pytest.param("denunciation", "normal", [30], id="LTC2018-Art30-no-extension-for-a-normal-case"),
    pytest.param("denunciation", "complex", [30, 30], id="LTC2018-Art30-complex-only-once"),
    pytest.param(
        "denunciation", "very_complex", [30, 30, 10], id="LTC2018-Art30-especially-complex-twice"
    ),
    pytest.param("denunciation", "complex", [31], id="LTC2018-Art30-at-most-30-days-each"),
    pytest.param("complaint", "complex", [10], id="LKN2011-Art28-no-extension-by-decision"),
]


@pytest.mark.parametrize(("kind", "complexity", "extensions"), REFUSED)
def test_extensions_the_law_does_not_allow(kind, complexity, extensions):
    rule = clock.find_rule(kind, "resolve", "first")
    assert rule is not None
    with pytest.raises(clock.ClockError):
        clock.due_date(rule, D(2024, 3, 1), complexity=complexity, extensions=extensions)


def test_every_rule_cites_its_source_and_no_limit_for_recommendations():
    assert all(rule.citation for rule in clock.RULES)
    assert clock.find_rule("recommendation", "resolve") is None
    assert clock.find_rule("complaint", "classify", "") is clock.find_rule(
        "complaint", "classify", "first"
    )


def test_counting_helpers():
    assert clock.add_days(D(2024, 3, 1), 0, clock.WORKING) == D(2024, 3, 1)
    assert clock.pause_length(D(2024, 3, 1), D(2024, 3, 4), clock.WORKING) == 2
    with pytest.raises(ValueError):
        clock.pause_length(D(2024, 3, 4), D(2024, 3, 1), clock.CALENDAR)
    assert clock.deadline_state(D(2024, 3, 10), D(2024, 3, 11)) == clock.State.OVERDUE
    assert clock.deadline_state(D(2024, 3, 10), D(2024, 3, 7)) == clock.State.DUE_SOON
    assert clock.deadline_state(D(2024, 3, 10), D(2024, 2, 1)) == clock.State.ON_TIME
    assert clock.deadline_state(D(2024, 3, 10), D(2024, 4, 1), D(2024, 3, 12)) == (
        clock.State.DONE_LATE
    )
    assert clock.deadline_state(None, D(2024, 3, 1)) == clock.State.NO_DEADLINE
    assert clock.days_overdue(D(2024, 3, 10), D(2024, 3, 20)) == 10
    assert clock.days_overdue(D(2024, 3, 10), D(2024, 3, 20), D(2024, 3, 12)) == 2
    assert clock.days_overdue(None, D(2024, 3, 20)) == 0
