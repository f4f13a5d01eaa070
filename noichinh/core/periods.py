"""Reporting periods as values: a month, a quarter, a half-year, the first nine months, the year,
or a custom span; optionally cumulative from the start of the year.

    Period.parse("2024-9M").label          -> "9 tháng đầu năm 2024"
    Period.parse("2023-Q1").label          -> "Quý I/2023"
    Period.parse("2024-Q2C").label         -> "Lũy kế đến hết quý II/2024" (1/1 - 30/6/2024)
    Period.parse("2024-M02").same_period_last_year().end -> date(2023, 2, 28)

Codes (for URLs and storage): "2024-M03", "2024-Q1", "2024-H1", "2024-9M", "2024-Y", the
cumulative forms "2024-M03C", "2024-Q2C", and custom spans "2024-01-15_2024-03-10".
Labels are Vietnamese by construction: they are the data format of the reports, not interface
text. No domain knowledge lives here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from .text import format_date


class PeriodType(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    CUSTOM = "custom"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_COUNT = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.HALF: 2}
_MONTHS_PER = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.HALF: 6}
# Types that may be cumulative (the others already start on 1 January or are custom spans).
_CUMULABLE = {PeriodType.MONTH, PeriodType.QUARTER, PeriodType.HALF}

_CODE = re.compile(
    r"^(?P<year>\d{4})-(?:M(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<nine>9M)|"
    r"(?P<year_only>Y))(?P<cum>C?)$"
)
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_year(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29/2 becomes 28/2 in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    type: PeriodType
    year: int
    index: int = 0  # month 1-12, quarter 1-4, half 1-2; 0 for nine months, year and custom
    cumulative: bool = False
    custom_start: dt.date | None = None
    custom_end: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", PeriodType(self.type))
        if self.type in _COUNT:
            if not 1 <= self.index <= _COUNT[self.type]:
                raise ValueError(f"Index {self.index} is out of range for {self.type}.")
        elif self.index != 0:
            raise ValueError(f"A {self.type} period has no index.")
        if self.cumulative and self.type not in _CUMULABLE:
            raise ValueError(f"A {self.type} period cannot be cumulative.")
        if self.type == PeriodType.CUSTOM:
            if self.custom_start is None or self.custom_end is None:
                raise ValueError("A custom period needs its first and last day.")
            if self.custom_end < self.custom_start:
                raise ValueError("A custom period ends before it starts.")
            if self.custom_start.year != self.year:
                raise ValueError("A custom period's year is the year of its first day.")
        elif self.custom_start is not None or self.custom_end is not None:
            raise ValueError("Only a custom period has its own dates.")
        if not 1900 <= self.year <= 2999:
            raise ValueError(f"Year {self.year} is out of range.")

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int, cumulative: bool = False) -> Period:
        return cls(PeriodType.MONTH, year, month, cumulative)

    @classmethod
    def quarter(cls, year: int, quarter: int, cumulative: bool = False) -> Period:
        return cls(PeriodType.QUARTER, year, quarter, cumulative)

    @classmethod
    def half(cls, year: int, half: int, cumulative: bool = False) -> Period:
        return cls(PeriodType.HALF, year, half, cumulative)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(PeriodType.NINE_MONTHS, year)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(PeriodType.YEAR, year)

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        return cls(PeriodType.CUSTOM, start.year, 0, False, start, end)

    @classmethod
    def parse(cls, code: str) -> Period:
        """A period from its code; ValueError for anything else."""
        text = (code or "").strip()
        custom = _CUSTOM.match(text)
        if custom:
            start, end = (dt.date.fromisoformat(part) for part in custom.groups())
            return cls.custom(start, end)
        match = _CODE.match(text.upper())
        if not match:
            raise ValueError(f"Not a period code: {code!r}.")
        year = int(match["year"])
        cumulative = bool(match["cum"])
        if match["month"]:
            return cls.month(year, int(match["month"]), cumulative)
        if match["quarter"]:
            return cls.quarter(year, int(match["quarter"]), cumulative)
        if match["half"]:
            return cls.half(year, int(match["half"]), cumulative)
        if cumulative:
            raise ValueError(f"Not a period code: {code!r}.")
        if match["nine"]:
            return cls.nine_months(year)
        return cls.whole_year(year)

    @classmethod
    def of_type(cls, period_type: str, year: int, cumulative: bool = False) -> Iterator[Period]:
        """The periods of a type in a year, in order (one for nine months and the year)."""
        kind = PeriodType(period_type)
        if kind in _COUNT:
            for index in range(1, _COUNT[kind] + 1):
                yield cls(kind, year, index, cumulative)
        elif kind == PeriodType.NINE_MONTHS:
            yield cls.nine_months(year)
        elif kind == PeriodType.YEAR:
            yield cls.whole_year(year)
        else:
            raise ValueError("Custom periods cannot be listed.")

    @classmethod
    def containing(cls, period_type: str, day: dt.date, cumulative: bool = False) -> Period:
        """The period of a type holding `day` (for nine months: the year's, whatever the day)."""
        kind = PeriodType(period_type)
        if kind in _MONTHS_PER:
            index = (day.month - 1) // _MONTHS_PER[kind] + 1
            return cls(kind, day.year, index, cumulative)
        if kind == PeriodType.NINE_MONTHS:
            return cls.nine_months(day.year)
        if kind == PeriodType.YEAR:
            return cls.whole_year(day.year)
        raise ValueError("Custom periods have no natural container.")

    @classmethod
    def last_ended(cls, period_type: str, day: dt.date, cumulative: bool = False) -> Period:
        """The latest period of a type that ended before `day` (the one being reported on)."""
        kind = PeriodType(period_type)
        if kind == PeriodType.NINE_MONTHS:
            year = day.year if day > dt.date(day.year, 9, 30) else day.year - 1
            return cls.nine_months(year)
        if kind == PeriodType.YEAR:
            return cls.whole_year(day.year - 1)
        return cls.containing(kind, day, cumulative).previous()

    # -- dates ----------------------------------------------------------------------------
    @property
    def start(self) -> dt.date:
        if self.type == PeriodType.CUSTOM:
            assert self.custom_start is not None
            return self.custom_start
        if self.cumulative or self.type in (PeriodType.NINE_MONTHS, PeriodType.YEAR):
            return dt.date(self.year, 1, 1)
        months = _MONTHS_PER[self.type]
        return dt.date(self.year, (self.index - 1) * months + 1, 1)

    @property
    def end(self) -> dt.date:
        if self.type == PeriodType.CUSTOM:
            assert self.custom_end is not None
            return self.custom_end
        if self.type == PeriodType.NINE_MONTHS:
            return dt.date(self.year, 9, 30)
        if self.type == PeriodType.YEAR:
            return dt.date(self.year, 12, 31)
        return _last_day(self.year, self.index * _MONTHS_PER[self.type])

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    # -- text -----------------------------------------------------------------------------
    @property
    def code(self) -> str:
        suffix = "C" if self.cumulative else ""
        if self.type == PeriodType.MONTH:
            return f"{self.year}-M{self.index:02d}{suffix}"
        if self.type == PeriodType.QUARTER:
            return f"{self.year}-Q{self.index}{suffix}"
        if self.type == PeriodType.HALF:
            return f"{self.year}-H{self.index}{suffix}"
        if self.type == PeriodType.NINE_MONTHS:
            return f"{self.year}-9M"
        if self.type == PeriodType.YEAR:
            return f"{self.year}-Y"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def label(self) -> str:
        year = self.year
        if self.type == PeriodType.MONTH:
            if self.cumulative:
                return f"Lũy kế đến hết tháng {self.index}/{year}"
            return f"Tháng {self.index}/{year}"
        if self.type == PeriodType.QUARTER:
            if self.cumulative:
                return f"Lũy kế đến hết quý {ROMAN[self.index]}/{year}"
            return f"Quý {ROMAN[self.index]}/{year}"
        if self.type == PeriodType.HALF:
            if self.cumulative and self.index == 2:
                return f"Lũy kế đến hết 6 tháng cuối năm {year}"
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {year}"
        if self.type == PeriodType.NINE_MONTHS:
            return f"9 tháng đầu năm {year}"
        if self.type == PeriodType.YEAR:
            return f"Năm {year}"
        return f"Từ {format_date(self.start)} đến {format_date(self.end)}"

    def __str__(self) -> str:
        return self.label

    # -- arithmetic -----------------------------------------------------------------------
    def same_period_last_year(self) -> Period:
        if self.type == PeriodType.CUSTOM:
            return Period.custom(_shift_year(self.start, -1), _shift_year(self.end, -1))
        return Period(self.type, self.year - 1, self.index, self.cumulative)

    def previous(self) -> Period:
        """The period just before, of the same type (the cumulative first quarter's previous
        is last year's cumulative fourth quarter; nine months and years step a year)."""
        if self.type in _COUNT:
            if self.index > 1:
                return Period(self.type, self.year, self.index - 1, self.cumulative)
            return Period(self.type, self.year - 1, _COUNT[self.type], self.cumulative)
        if self.type == PeriodType.CUSTOM:
            end = self.start - dt.timedelta(days=1)
            return Period.custom(end - dt.timedelta(days=self.days - 1), end)
        return self.same_period_last_year()

    def next(self) -> Period:
        if self.type in _COUNT:
            if self.index < _COUNT[self.type]:
                return Period(self.type, self.year, self.index + 1, self.cumulative)
            return Period(self.type, self.year + 1, 1, self.cumulative)
        if self.type == PeriodType.CUSTOM:
            start = self.end + dt.timedelta(days=1)
            return Period.custom(start, start + dt.timedelta(days=self.days - 1))
        return Period(self.type, self.year + 1, 0)


def parse_period(code: str) -> Period | None:
    """The period of a code, or None when the code is not one."""
    try:
        return Period.parse(code)
    except ValueError:
        return None
