"""Periods are values: table-driven tests of dates, labels, codes and arithmetic."""

import datetime as dt

import pytest

from noichinh.core.periods import Period, PeriodType, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2024-M03", D(2024, 3, 1), D(2024, 3, 31), "Tháng 3/2024"),
        ("2024-M02", D(2024, 2, 1), D(2024, 2, 29), "Tháng 2/2024"),
        ("2023-M02", D(2023, 2, 1), D(2023, 2, 28), "Tháng 2/2023"),
        ("2023-Q1", D(2023, 1, 1), D(2023, 3, 31), "Quý I/2023"),
        ("2024-Q4", D(2024, 10, 1), D(2024, 12, 31), "Quý IV/2024"),
        ("2023-H1", D(2023, 1, 1), D(2023, 6, 30), "6 tháng đầu năm 2023"),
        ("2023-H2", D(2023, 7, 1), D(2023, 12, 31), "6 tháng cuối năm 2023"),
        ("2024-9M", D(2024, 1, 1), D(2024, 9, 30), "9 tháng đầu năm 2024"),
        ("2024-Y", D(2024, 1, 1), D(2024, 12, 31), "Năm 2024"),
        ("2024-Q2C", D(2024, 1, 1), D(2024, 6, 30), "Lũy kế đến hết quý II/2024"),
        ("2024-M02C", D(2024, 1, 1), D(2024, 2, 29), "Lũy kế đến hết tháng 2/2024"),
        ("2024-H2C", D(2024, 1, 1), D(2024, 12, 31), "Lũy kế đến hết 6 tháng cuối năm 2024"),
        (
            "2024-02-10_2024-03-09",
            D(2024, 2, 10),
            D(2024, 3, 9),
            "Từ 10/2/2024 đến 9/3/2024",
        ),
    ],
)
def test_dates_labels_and_round_trip(code, start, end, label):
    period = Period.parse(code)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.code == code
    assert Period.parse(period.code) == period
    assert period.contains(start) and period.contains(end)
    assert not period.contains(start - dt.timedelta(days=1))
    assert not period.contains(end + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("code", "last_year", "last_year_end"),
    [
        ("2024-M02", "2023-M02", D(2023, 2, 28)),
        ("2025-M02", "2024-M02", D(2024, 2, 29)),
        ("2024-9M", "2023-9M", D(2023, 9, 30)),
        ("2024-Q2C", "2023-Q2C", D(2023, 6, 30)),
        ("2024-Y", "2023-Y", D(2023, 12, 31)),
        ("2024-02-01_2024-02-29", "2023-02-01_2023-02-28", D(2023, 2, 28)),
    ],
)
def test_same_period_last_year(code, last_year, last_year_end):
    previous = Period.parse(code).same_period_last_year()
    assert previous.code == last_year
    assert previous.end == last_year_end


@pytest.mark.parametrize(
    ("code", "previous", "following"),
    [
        ("2024-M01", "2023-M12", "2024-M02"),
        ("2024-Q1", "2023-Q4", "2024-Q2"),
        ("2024-Q1C", "2023-Q4C", "2024-Q2C"),
        ("2024-H2", "2024-H1", "2025-H1"),
        ("2024-9M", "2023-9M", "2025-9M"),
        ("2024-Y", "2023-Y", "2025-Y"),
        ("2024-03-01_2024-03-10", "2024-02-20_2024-02-29", "2024-03-11_2024-03-20"),
    ],
)
def test_previous_and_next(code, previous, following):
    period = Period.parse(code)
    assert period.previous().code == previous
    assert period.next().code == following


def test_periods_of_a_type_in_a_year():
    assert [p.code for p in Period.of_type("quarter", 2023)] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
    ]
    assert len(list(Period.of_type(PeriodType.MONTH, 2024))) == 12
    assert [p.label for p in Period.of_type("nine_months", 2024)] == ["9 tháng đầu năm 2024"]
    assert [p.code for p in Period.of_type("half", 2024, cumulative=True)] == [
        "2024-H1C",
        "2024-H2C",
    ]


@pytest.mark.parametrize(
    ("kind", "day", "containing", "last_ended"),
    [
        ("quarter", D(2024, 2, 29), "2024-Q1", "2023-Q4"),
        ("month", D(2024, 12, 31), "2024-M12", "2024-M11"),
        ("nine_months", D(2024, 10, 5), "2024-9M", "2024-9M"),
        ("nine_months", D(2024, 9, 30), "2024-9M", "2023-9M"),
        ("year", D(2025, 1, 10), "2025-Y", "2024-Y"),
    ],
)
def test_containing_and_last_ended(kind, day, containing, last_ended):
    assert Period.containing(kind, day).code == containing
    assert Period.last_ended(kind, day).code == last_ended


@pytest.mark.parametrize(
    "code",
    [
        "",
        "2024",
        "2024-Q5",
        "2024-M13",
        "2024-M00",
        "2024-9MC",
        "2024-YC",
        "x-Q1",
        "2024-03-10_2024-03-01",
        "2024-02-30_2024-03-01",
    ],
)
def test_bad_codes_are_refused(code):
    with pytest.raises(ValueError):
        Period.parse(code)
    assert parse_period(code) is None


def test_lower_case_codes_are_read():
    assert Period.parse("2024-q1").code == "2024-Q1"
    assert Period.parse("2024-9m").code == "2024-9M"
