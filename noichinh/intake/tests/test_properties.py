"""Never a crash, never an offset outside the text, on random text and on mutated real passages.

No timing here (docs/intake.md gives the 1 MB figure from `manage.py evaluate_intake`); the
adversarial inputs below would hang a pattern with catastrophic backtracking.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noichinh.intake.evaluate import load_passages
from noichinh.intake.extract import Extraction, extract

PASSAGES = [p["text"] for p in load_passages()]
# The characters the patterns care about, so random text reaches them often.
PIECES = [
    *"0123456789.,/-%():;\n \t",
    *["vụ", "đơn", "tỷ đồng", "tăng ", "giảm ", "ngày ", "tháng ", "năm ", "quý ", "Quý I/"],
    *["-KH/", "/QĐ-", "Ban Nội chính ", "Tỉnh ủy ", "đồng chí ", "Một là, ", "(1) ", "đạt "],
    *["trong đó ", "gồm ", "so với cùng kỳ", "Đ", "ủ", "ạ", "\u0301", "\u00a0"],
]
ALPHABET = st.sampled_from(PIECES)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str, found: Extraction) -> None:
    assert len(found.text) <= len(text) + len(text)  # NFC never grows much
    for _kind, item in found.items():
        assert 0 <= item.start <= item.end <= len(found.text)
        assert found.text[item.start : item.end] == item.text
    for warning in found.warnings:
        for (start, end), quote in zip(warning.offsets, warning.quotes, strict=True):
            assert found.text[start:end] == quote
    found.as_json(include_text=True)


@FAST
@given(st.text())
def test_any_unicode_text(text):
    check(text, extract(text))


@FAST
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_text_made_of_the_patterns_pieces(text):
    check(text, extract(text))


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(PASSAGES))
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        piece = draw(ALPHABET)
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif action == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        else:
            text = text[:at] + text[at : at + 40] + text[at:]
    return text


@FAST
@given(mutated())
def test_mutated_real_passages(text):
    check(text, extract(text))


def test_adversarial_inputs_finish():
    """Inputs that make nested or overlapping quantifiers explode (each would take minutes)."""
    nasty = [
        "1" * 100_000,
        "1." * 50_000,
        "1.000" * 20_000,
        "1,1," * 25_000,
        "1/" * 50_000,
        "(1) " * 20_000,
        "Ban " * 20_000,
        "Ban Nội chính Tỉnh ủy " + "Nghệ " * 20_000,
        "đồng chí " + "A " * 30_000,
        "đồng chí Nguyễn Văn A" + ", Trưởng" * 10_000,
        "tăng " * 20_000,
        "15-KH/" * 20_000,
        "ngày " * 20_000 + "1/1",
        " " * 100_000 + "tăng 5 vụ",
        "\n1. " * 20_000,
        "Một là, " * 10_000,
        "122 đảng viên, trong đó " + "1 đảng viên, " * 10_000,
        "7.187/8.651 " * 10_000 + "đạt 83%",
    ]
    for text in nasty:
        check(text, extract(text))
