"""Vietnamese text and number helpers: folding for diacritic-free search, and number formats."""

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


def format_percent(value: float | Decimal | None, decimals: int = 1) -> str:
    """115.4 -> "115,4 %" (Vietnamese style: comma decimal, space before the sign)."""
    if value is None:
        return ""
    return f"{format_number(value, decimals)} %"
