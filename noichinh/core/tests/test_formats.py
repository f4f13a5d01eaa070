"""Vietnamese number and date rules, defined once (core.text, config.formats) and used by the
template filters, the record pages, the history and the date inputs (docs/ui.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from noichinh.core.text import (
    format_date,
    format_days,
    format_money,
    format_number,
    format_percent,
)

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (8651, 0, "8.651"),
        (1920, 0, "1.920"),
        (0, 0, "0"),
        (-1234567, 0, "-1.234.567"),
        (115.4, 1, "115,4"),
        (Decimal("4.1234"), 2, "4,12"),
        (999, 0, "999"),
    ],
)
def test_numbers(value: Any, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (115.4, 1, f"115,4{NB}%"),
        (183.333, 1, f"183,3{NB}%"),
        (83, 0, f"83{NB}%"),
        (Decimal("1234.5"), 1, f"1.234,5{NB}%"),
        (None, 1, ""),
    ],
)
def test_percent_has_a_non_breaking_space(value: Any, decimals: int, expected: str) -> None:
    text = format_percent(value, decimals)
    assert text == expected
    assert " %" not in text  # never an ordinary (breakable) space before the sign


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1920, f"1.920{NB}ngày"), (7, f"7{NB}ngày"), (0, f"0{NB}ngày"), (None, "")],
)
def test_day_counts(value: Any, expected: str) -> None:
    assert format_days(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (6_061_000_000_000, f"6.061{NB}tỷ đồng"),
        (850_000_000, f"850{NB}triệu đồng"),
        (1_500_000_000, f"1,5{NB}tỷ đồng"),
        (130_000_000_000, f"130{NB}tỷ đồng"),
        (12_340_000_000, f"12,3{NB}tỷ đồng"),
        (1_234_567_890, f"1,23{NB}tỷ đồng"),
        (2_000_000, f"2{NB}triệu đồng"),
        (250_000, f"250.000{NB}đồng"),
        (Decimal("6061000000000"), f"6.061{NB}tỷ đồng"),
        ("850000000", f"850{NB}triệu đồng"),
        (0, f"0{NB}đồng"),
        (None, ""),
    ],
)
def test_money_in_the_units_leaders_use(value: Any, expected: str) -> None:
    assert format_money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2021, 5, 25), "25/5/2021"),
        (dt.date(2023, 4, 5), "5/4/2023"),
        (dt.date(2025, 12, 1), "1/12/2025"),
        (None, ""),
    ],
)
def test_dates_without_zero_padding(value: Any, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ('{{ d|date:"SHORT_DATE_FORMAT" }}', {"d": dt.date(2023, 4, 5)}, "5/4/2023"),
        ('{{ d|date:"DATE_FORMAT" }}', {"d": dt.date(2021, 5, 25)}, "25/5/2021"),
        ("{{ d }}", {"d": dt.date(2023, 4, 5)}, "5/4/2023"),
        ("{{ n|vn_number }}", {"n": 8651}, "8.651"),
        ("{{ p|vn_percent }}", {"p": 183.33}, f"183,3{NB}%"),
        ("{{ n|vn_days }}", {"n": 1920}, f"1.920{NB}ngày"),
        ("{{ m|vn_money }}", {"m": Decimal("6061000000000")}, f"6.061{NB}tỷ đồng"),
        ("{{ m|vn_money }}", {"m": None}, ""),
    ],
)
def test_template_filters_and_date_formats(source: str, context: dict[str, Any], expected: str):
    with translation.override("vi"):
        html = Template("{% load noichinh %}" + source).render(Context(context))
    assert html == expected


def test_date_inputs_show_vietnamese_placeholder_and_unpadded_value() -> None:
    from noichinh.core.forms import DateInput

    with translation.override("vi"):
        html = DateInput().render("d", dt.date(2023, 4, 5))
    assert 'placeholder="ngày/tháng/năm"' in html
    assert 'value="5/4/2023"' in html
    assert "dd/mm/yyyy" not in html


def test_typed_dates_are_read_with_or_without_padding() -> None:
    from django import forms

    from noichinh.core.forms import DateInput

    class F(forms.Form):
        d = forms.DateField(widget=DateInput())

    with translation.override("vi"):
        for typed in ("5/4/2023", "05/04/2023"):
            form = F({"d": typed})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["d"] == dt.date(2023, 4, 5)


def test_a_stalled_case_counts_its_days_with_the_separator() -> None:
    from noichinh.cases.rules import StallVerdict, verdict_text

    with translation.override("vi"):
        text = verdict_text(StallVerdict(stalled=True, suspended=False, days=1920))
    assert "1.920 ngày" in text and "1920" not in text


@pytest.mark.django_db
def test_a_record_page_shows_amounts_in_ty_dong() -> None:
    from noichinh.cases.models import Case
    from noichinh.core.display import display_value

    case = Case(title="x", damage_amount=Decimal("6061000000000"), recovered_amount=None)
    with translation.override("vi"):
        assert display_value(case, "damage_amount") == (f"6.061{NB}tỷ đồng", None)
        assert display_value(case, "recovered_amount") == ("", None)
