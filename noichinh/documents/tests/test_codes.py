"""The number-and-symbol parser on a table of real-format codes."""

import datetime as dt
import unicodedata

import pytest

from noichinh.documents.codes import (
    PARTY,
    STATE,
    CodeError,
    find_cited,
    normalise,
    parse_code,
)

TYPES = ["KH", "HD", "QĐ", "QĐi", "CT", "V", "NQ", "KL", "TB", "BC", "CV", "NĐ", "TT"]
ISSUERS = ["BNCTW", "BNCTU", "TW", "TU", "HU", "BCĐ", "CP", "UBND", "TTg"]


@pytest.mark.parametrize(
    ("text", "fmt", "number", "type_code", "issuer", "year", "canonical"),
    [
        ("15-KH/BNCTW", PARTY, "15", "KH", "BNCTW", None, "15-KH/BNCTW"),
        ("06-KH/BNCTU", PARTY, "06", "KH", "BNCTU", None, "06-KH/BNCTU"),
        ("01-HD/BNCTU", PARTY, "01", "HD", "BNCTU", None, "01-HD/BNCTU"),
        ("67-QĐ/TW", PARTY, "67", "QĐ", "TW", None, "67-QĐ/TW"),
        ("11-QĐi/TW", PARTY, "11", "QĐi", "TW", None, "11-QĐi/TW"),  # Quy định, lower-case i
        ("19-CT/TU", PARTY, "19", "CT", "TU", None, "19-CT/TU"),
        ("6615-V/TU", PARTY, "6615", "V", "TU", None, "6615-V/TU"),
        ("47/2021/NĐ-CP", STATE, "47", "NĐ", "CP", 2021, "47/2021/NĐ-CP"),
        ("15/QĐ-UBND", STATE, "15", "QĐ", "UBND", None, "15/QĐ-UBND"),
        ("36/2018/QH14", STATE, "36", "", "QH14", 2018, "36/2018/QH14"),  # a law
        # spaces, case, dashes and decomposed accents
        ("  15 - kh / bnctw ", PARTY, "15", "KH", "BNCTW", None, "15-KH/BNCTW"),
        ("11-qđi/tw", PARTY, "11", "QĐi", "TW", None, "11-QĐi/TW"),
        ("11-QDI/TW", PARTY, "11", "QĐi", "TW", None, "11-QĐi/TW"),
        ("67\u2013QĐ/TW", PARTY, "67", "QĐ", "TW", None, "67-QĐ/TW"),  # en dash
        (unicodedata.normalize("NFD", "67-QĐ/TW"), PARTY, "67", "QĐ", "TW", None, "67-QĐ/TW"),
        ("47 / 2021 / nđ - cp", STATE, "47", "NĐ", "CP", 2021, "47/2021/NĐ-CP"),
        ("12a-TB/TU", PARTY, "12a", "TB", "TU", None, "12a-TB/TU"),
    ],
)
def test_real_formats(text, fmt, number, type_code, issuer, year, canonical):
    parsed = parse_code(text, types=TYPES, issuers=ISSUERS)
    assert (parsed.format, parsed.number, parsed.type_code, parsed.issuer_code, parsed.year) == (
        fmt,
        number,
        type_code,
        issuer,
        year,
    )
    assert parsed.canonical == canonical
    assert parsed.warnings == ()


def test_unknown_abbreviations_are_kept_with_a_warning():
    parsed = parse_code("3-ĐA/BCĐTW", types=TYPES, issuers=ISSUERS)
    assert parsed.canonical == "3-ĐA/BCĐTW"
    assert len(parsed.warnings) == 2
    assert "ĐA" in parsed.warnings[0] and "BCĐTW" in parsed.warnings[1]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "KH/BNCTW",
        "15-KH",
        "15/KH",
        "abc-KH/BNCTW",
        "0-KH/TW",
        "15-KH/",
        "15--KH/TW",
        "15-K H/TW x",
        "47/21/NĐ-CP",
        "15-12/TW",
        "<script>-KH/TW",
        "1234567-KH/TW",
    ],
)
def test_bad_input_is_a_clear_error(bad):
    with pytest.raises(CodeError) as error:
        parse_code(bad, types=TYPES, issuers=ISSUERS)
    assert str(error.value)


def test_number_value_ignores_leading_zeros():
    assert parse_code("06-KH/BNCTU").number_value == parse_code("6-KH/BNCTU").number_value == 6


def test_normalise():
    assert normalise(" 15 — KH / BNCTW ") == "15-KH/BNCTW"
    assert normalise("15\u2044KH") == "15/KH"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "theo Hướng dẫn số 01-HD/BNCTU ngày 9/5/2023 của Ban Nội chính Tỉnh ủy",
            [("01-HD/BNCTU", dt.date(2023, 5, 9), "01-HD/BNCTU ngày 9/5/2023")],
        ),
        (
            "Chỉ thị số 19-CT/TU ngày 26/5/2021 và Công văn số 6615-V/TU, ngày 28/08/2023",
            [
                ("19-CT/TU", dt.date(2021, 5, 26), "19-CT/TU ngày 26/5/2021"),
                ("6615-V/TU", dt.date(2023, 8, 28), "6615-V/TU, ngày 28/08/2023"),
            ],
        ),
        (
            "Nghị quyết 202/2025/QH15 ngày 12/6/2025; Nghị định 47/2021/NĐ-CP ngày 01.4.2021",
            [
                ("202/2025/QH15", dt.date(2025, 6, 12), "202/2025/QH15 ngày 12/6/2025"),
                ("47/2021/NĐ-CP", dt.date(2021, 4, 1), "47/2021/NĐ-CP ngày 01.4.2021"),
            ],
        ),
        ("quy định 11-qđi/tw ngày 18/2/2019", [("11-QĐi/TW", dt.date(2019, 2, 18), None)]),
        ("Quy định số 67-QĐ/TW về Ban Chỉ đạo cấp tỉnh", []),  # no date given: nothing to check
        ("01-HD/BNCTU ngày 31/2/2023", []),  # not a date
        ("ngày 9/5/2023 theo 01-HD/BNCTU", []),  # the date must follow the code
    ],
)
def test_find_cited_reads_code_and_date_in_text(text, expected):
    found = find_cited(text, types=TYPES, issuers=ISSUERS)
    assert [(c.code, c.day) for c in found] == [(code, day) for code, day, _ in expected]
    for cited, (_code, _day, excerpt) in zip(found, expected, strict=True):
        assert excerpt is None or cited.excerpt == excerpt
