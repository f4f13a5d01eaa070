"""The one catalogue of comparisons: change, arrow, tone from the polarity, coverage, and the
tag that renders it (colour and words, never colour only)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from noichinh.core.comparisons import Comparison, Polarity


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "arrow", "tone", "css"),
    [
        (98, 91, Polarity.HIGHER_WORSE, "▲", "bad", "text-danger"),  # more accidents
        (52, 58, Polarity.HIGHER_WORSE, "▼", "good", "text-success"),  # fewer deaths
        (7187, 6452, Polarity.HIGHER_BETTER, "▲", "good", "text-success"),  # more resolved
        (122, 131, Polarity.HIGHER_BETTER, "▼", "bad", "text-danger"),
        (8651, 8012, Polarity.NEUTRAL, "▲", "neutral", "text-muted"),  # accepted: no verdict
        (5, 5, Polarity.HIGHER_WORSE, "=", "neutral", "text-muted"),
        (None, 5, Polarity.HIGHER_WORSE, "", "", ""),
        (5, None, Polarity.HIGHER_BETTER, "", "", ""),
    ],
)
def test_arrow_and_tone_follow_the_polarity(current, previous, polarity, arrow, tone, css):
    comparison = Comparison(current, previous, polarity)
    assert (comparison.arrow, comparison.tone, comparison.css) == (arrow, tone, css)


def test_change_and_percent_in_vietnamese_words():
    comparison = Comparison(Decimal(8651), Decimal(8012), measure="vụ việc")
    assert comparison.change == 639
    assert round(comparison.change_percent, 2) == Decimal("7.98")
    assert comparison.text == "tăng 639 vụ việc so với cùng kỳ (tăng 7,98\u00a0%)"
    assert Comparison(2, 0, measure="vụ").change_percent is None  # no percent of nothing
    assert Comparison(2, 0, measure="vụ").text == "tăng 2 vụ so với cùng kỳ"


def test_a_rate_changes_by_percentage_points_rounded():
    rate = Comparison(Decimal("83.0771"), Decimal("80.5292"), Polarity.HIGHER_BETTER, rate=True)
    assert rate.change == Decimal("2.55")
    assert rate.change_percent is None
    assert rate.text == "tăng 2,55 điểm phần trăm so với cùng kỳ"
    # A move below a hundredth of a point is no move: no falling arrow for "unchanged".
    still = Comparison(Decimal("82.0667"), Decimal("82.0701"), Polarity.HIGHER_BETTER, rate=True)
    assert (still.direction, still.arrow, still.tone) == ("same", "=", "neutral")


def test_unlike_coverage_is_said_next_to_the_change():
    comparison = Comparison(
        Decimal(7316),
        Decimal(9671),
        Polarity.NEUTRAL,
        current_coverage=(3, 8),
        previous_coverage=(5, 8),
    )
    assert not comparison.comparable
    assert comparison.coverage_note == (
        "so sánh không cùng phạm vi: kỳ này 3/8 đơn vị báo cáo, cùng kỳ 5/8"
    )
    assert comparison.plain().endswith(comparison.coverage_note)
    assert comparison.as_dict()["comparable"] is False
    assert comparison.as_dict()["current_coverage"] == [3, 8]


@pytest.mark.parametrize(
    ("now", "before", "same_units", "comparable"),
    [
        ((8, 8), (8, 8), None, True),  # both complete
        ((1, 1), (2, 2), None, True),  # a merged unit against the two it came from
        ((3, 5), (5, 5), None, False),
        ((3, 5), (3, 5), None, False),  # the same counts need not be the same units
        ((3, 5), (3, 5), True, True),  # ...unless the caller knows they are
        ((0, 0), (0, 0), None, False),  # nothing expected: nothing to compare
        (None, None, None, True),  # a single figure without coverage
    ],
)
def test_comparable_only_on_the_same_coverage(now, before, same_units, comparable):
    comparison = Comparison(
        1, 2, current_coverage=now, previous_coverage=before, same_units=same_units
    )
    assert comparison.comparable is comparable
    assert (comparison.coverage_note == "") is comparable


def render(comparison):
    return Template("{% load comparisons %}{% comparison c %}").render(Context({"c": comparison}))


def test_tag_shows_colour_and_words():
    html = render(
        Comparison(
            98,
            91,
            Polarity.HIGHER_WORSE,
            current_coverage=(5, 5),
            previous_coverage=(5, 5),
            measure="vụ",
        )
    )
    assert 'class="comparison comparison-bad text-danger"' in html
    assert '<span aria-hidden="true">▲</span>' in html  # the arrow is decoration
    assert "tăng 7 vụ so với cùng kỳ" in html  # the change in words
    assert '<span class="visually-hidden">(kém hơn cùng kỳ)</span>' in html  # not colour only
    assert "không cùng phạm vi" not in html


def test_unlike_coverage_is_shown_and_not_judged():
    """3 of 5 reports against 5 of 5: the rise may come from the missing reports, so the tag
    states the coverage and colours nothing."""
    comparison = Comparison(
        98,
        91,
        Polarity.HIGHER_WORSE,
        current_coverage=(3, 5),
        previous_coverage=(5, 5),
        measure="vụ",
    )
    assert (comparison.arrow, comparison.tone, comparison.tone_text) == ("▲", "neutral", "")
    html = render(comparison)
    assert "comparison-neutral text-muted" in html and "text-danger" not in html
    assert "tăng 7 vụ so với cùng kỳ" in html
    assert "⚠ so sánh không cùng phạm vi: kỳ này 3/5 đơn vị báo cáo, cùng kỳ 5/5" in html


def test_tag_without_a_note_when_like_for_like_and_empty_without_figures():
    html = render(
        Comparison(
            7187, 6452, Polarity.HIGHER_BETTER, current_coverage=(8, 8), previous_coverage=(8, 8)
        )
    )
    assert "text-success" in html and "tốt hơn cùng kỳ" in html
    assert "không cùng phạm vi" not in html
    assert render(Comparison(None, 5)) == ""
    assert render(None) == ""
    # A missing side with unlike coverage still says why.
    assert "không cùng phạm vi" in render(
        Comparison(5, None, current_coverage=(1, 1), previous_coverage=(0, 1))
    )
