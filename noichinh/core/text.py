"""Vietnamese text and number helpers: folding for diacritic-free search, and number formats.

The one place of the product's number rules (docs/ui.md): thousands ".", decimals ",", a
non-breaking space before "%" (a percent sign never wraps onto its own line), day counts with
the separator ("1.920 ngày"), money in the units leaders use ("6.061 tỷ đồng", "850 triệu
đồng"). Dates are d/m/yyyy without zero padding: config/formats/vi/formats.py.
"""

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str | None) -> str:
    """Lower-case text without tones or marks, so "tham nhung" matches "tham nhũng".

    NFD splits every mark off its letter; đ has no decomposition, so it is mapped by hand.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", stripped).lower().split())


def format_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """8651 -> "8.651"; 115.4 with decimals=1 -> "115,4". None -> ""."""
    if value is None:
        return ""
    quant = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    number = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    integer, _, fraction = f"{abs(number):f}".partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = sign + ".".join(groups)
    if decimals:
        result += "," + fraction.ljust(decimals, "0")[:decimals]
    return result


NBSP = "\u00a0"


def format_date(value: dt.date | None) -> str:
    """25/5/2021: day and month without zero padding (the DATE_FORMAT "j/n/Y" of config.formats),
    for text built in Python (messages, exports' labels, date inputs)."""
    if value is None:
        return ""
    return f"{value.day}/{value.month}/{value.year}"


def format_percent(value: float | Decimal | None, decimals: int = 1) -> str:
    """115.4 -> "115,4\u00a0%" (comma decimal, a non-breaking space before the sign)."""
    if value is None:
        return ""
    return f"{format_number(value, decimals)}{NBSP}%"


def format_days(value: int | None) -> str:
    """1920 -> "1.920 ngày" (the number and its unit never split across lines)."""
    if value is None:
        return ""
    return f"{format_number(value)}{NBSP}ngày"


_MONEY_UNITS = ((Decimal(10) ** 9, "tỷ"), (Decimal(10) ** 6, "triệu"))


def format_money(value: int | float | Decimal | str | None) -> str:
    """An amount in đồng in the units leaders use: 6061000000000 -> "6.061 tỷ đồng",
    850000000 -> "850 triệu đồng", 1500000000 -> "1,5 tỷ đồng", 250000 -> "250.000 đồng".

    Below 10 units two decimals at most, below 100 one, else none; trailing zeros dropped."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    for size, unit in _MONEY_UNITS:
        if abs(amount) >= size:
            scaled = amount / size
            decimals = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            text = format_number(scaled, decimals)
            if "," in text:
                text = text.rstrip("0").rstrip(",")
            return f"{text}{NBSP}{unit} đồng"
    return f"{format_number(amount)}{NBSP}đồng"
