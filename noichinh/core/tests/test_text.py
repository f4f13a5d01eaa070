"""Folding and Vietnamese number formats (table-driven)."""

import unicodedata

import pytest

from noichinh.core.text import fold, format_number, format_percent


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ĐỒNG CHÍ", "dong chi"),
        ("Tham nhũng, tiêu cực", "tham nhung, tieu cuc"),
        ("Nghệ An", "nghe an"),
        ("Đắk Lắk", "dak lak"),
        (unicodedata.normalize("NFD", "Quảng Bình"), "quang binh"),  # decomposed input
        ("  nhiều   khoảng  trắng ", "nhieu khoang trang"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (8651, 0, "8.651"),
        (7187, 0, "7.187"),
        (1234567, 0, "1.234.567"),
        (72, 0, "72"),
        (115.4, 1, "115,4"),
        (216.66, 1, "216,7"),
        (-1500, 0, "-1.500"),
        (0.5, 2, "0,50"),
        (None, 0, ""),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_percent():
    assert format_percent(115.4) == "115,4\u00a0%"
    assert format_percent(83) == "83,0\u00a0%"
