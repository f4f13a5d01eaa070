"""The number-and-symbol parser on a table of real-format codes."""

import unicodedata

import pytest

from noichinh.documents.codes import PARTY, STATE, CodeError, normalise, parse_code

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
