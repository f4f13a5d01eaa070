"""The stalled rule and suspension durations, case by case (pure functions)."""

import datetime as dt

import pytest

from noichinh.cases.rules import DEFAULT_RULES, Rule, rule_for, stall_verdict, suspended_days

D = dt.date
RULE = Rule(no_event_days=90, suspended_days=180)


@pytest.mark.parametrize(
    ("stage", "last", "suspended", "on", "stalled", "days"),
    [
        ("investigation", D(2024, 1, 1), None, D(2024, 3, 31), False, 90),  # exactly N: not yet
        ("investigation", D(2024, 1, 1), None, D(2024, 4, 1), True, 91),  # N + 1 (leap year)
        ("investigation", D(2023, 1, 1), D(2024, 1, 1), D(2024, 6, 29), False, 180),
        ("investigation", D(2023, 1, 1), D(2024, 1, 1), D(2024, 6, 30), True, 181),
        # a suspended case is judged by its suspension, not by its idle days
        ("investigation", D(2020, 1, 1), D(2024, 6, 1), D(2024, 7, 1), False, 30),
        ("closed", D(2020, 1, 1), None, D(2026, 1, 1), False, 0),
    ],
)
def test_stall_verdict(stage, last, suspended, on, stalled, days) -> None:
    verdict = stall_verdict(
        stage=stage, last_activity=last, suspended_since=suspended, on=on, rule=RULE
    )
    assert (verdict.stalled, verdict.days) == (stalled, days)


@pytest.mark.parametrize(
    ("intervals", "on", "since", "expected"),
    [
        ([(D(2024, 3, 1), D(2024, 3, 11))], D(2024, 12, 31), None, 10),
        ([(D(2024, 3, 1), None)], D(2024, 3, 11), None, 10),  # still open: up to `on`
        ([(D(2024, 2, 1), D(2024, 3, 1))], D(2024, 12, 31), None, 29),  # leap February
        ([(D(2023, 2, 1), D(2023, 3, 1))], D(2023, 12, 31), None, 28),
        ([(D(2024, 3, 1), D(2024, 3, 11))], D(2024, 3, 5), None, 4),  # read mid-suspension
        ([(D(2024, 3, 1), D(2024, 3, 11))], D(2024, 2, 1), None, 0),  # before it began
        # across a year end, counted within a period from 1/1/2024
        ([(D(2023, 12, 1), D(2024, 1, 31))], D(2024, 12, 31), D(2024, 1, 1), 30),
        # overlapping records count once; separate ones add up
        (
            [(D(2024, 1, 1), D(2024, 1, 21)), (D(2024, 1, 11), D(2024, 1, 31))],
            D(2025, 1, 1),
            None,
            30,
        ),
        ([(D(2024, 1, 1), D(2024, 1, 11)), (D(2024, 2, 1), None)], D(2024, 2, 11), None, 20),
    ],
)
def test_suspended_days(intervals, on, since, expected) -> None:
    assert suspended_days(intervals, on, since) == expected


def test_the_most_specific_unit_rule_wins_and_defaults_fill_the_rest() -> None:
    rules = {
        ("0000001.", "investigation"): Rule(100, 200),
        ("0000001.0000002.", "investigation"): Rule(30, 60),
    }
    assert rule_for("investigation", "0000001.0000002.0000005.", rules) == Rule(30, 60)
    assert rule_for("investigation", "0000001.0000003.", rules) == Rule(100, 200)
    assert rule_for("prosecution", "0000001.0000002.", rules) == DEFAULT_RULES["prosecution"]
