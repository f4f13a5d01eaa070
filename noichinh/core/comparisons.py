"""One catalogue of comparisons: a figure against the same period last year (or any earlier
figure), told the same way on every page, table and export.

A `Comparison` is a value: the two figures, the indicator's polarity and, when the figures are
sums of unit reports, the coverage of each side as (reports counted, reports expected). It
knows

- `change` (current - previous) and `change_percent` (None when the previous figure is 0 or
  the figure is itself a rate, which changes by percentage points);
- `direction` ("up", "down", "same") and its `arrow` (▲, ▼, =);
- `tone` from the polarity: for "higher is better" (resolved cases) up is "good"; for "higher
  is worse" (overdue petitions, traffic accidents) up is "bad"; a neutral indicator (cases
  accepted) is never coloured, nor is a comparison of unlike coverage (its change may come
  from the reports missing on one side). `css` is the Bootstrap text class of the tone;
- `comparable`: both sides cover the same units (both complete, or `same_units` said so), or
  no coverage was given (a single unit's own figure). When not, `coverage_note` says so in
  the interface language: "so sánh không cùng phạm vi: kỳ này 3/8 đơn vị báo cáo, cùng kỳ
  5/8";
- `text`: "tăng 639 vụ việc so với cùng kỳ (tăng 7,98 %)" and `tone_text` ("better" / "worse",
  so the colour is never the only signal).

    from noichinh.core.comparisons import Comparison, Polarity

    c = Comparison(Decimal(98), Decimal(91), Polarity.HIGHER_WORSE,
                   current_coverage=(3, 5), previous_coverage=(5, 5), measure="vụ")
    c.arrow, c.tone, c.comparable, c.coverage_note

Rendering: `{% load comparisons %}{% comparison c %}` (noichinh/core/templatetags/
comparisons.py) gives the arrow with its colour class, the change, the tone in words for
screen readers and the coverage note; `Comparison.plain()` gives the same as one line of text
for exports. A model that carries a polarity uses `Polarity.choices`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import format_number, format_percent

HUNDRED = Decimal(100)


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", gettext_lazy("Higher is better")
    HIGHER_WORSE = "higher_worse", gettext_lazy("Higher is worse")
    NEUTRAL = "neutral", gettext_lazy("Neutral")


ARROWS = {"up": "▲", "down": "▼", "same": "="}
CSS = {"good": "text-success", "bad": "text-danger", "neutral": "text-muted"}

Coverage = tuple[int, int]


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def change_words(change: Decimal | None, percent: Decimal | None, measure: str) -> str:
    """ "tăng 35 đơn so với cùng kỳ (tăng 4,12 %)", "giảm 9 vụ", "không đổi"."""
    if change is None:
        return ""
    if change == 0:
        return _("unchanged from the same period last year")
    amount = format_number(abs(change), 0 if change == change.to_integral_value() else 2)
    words = {"amount": amount, "measure": measure or ""}
    text = (_("up %(amount)s %(measure)s") if change > 0 else _("down %(amount)s %(measure)s")) % (
        words
    )
    text = " ".join(text.split())
    if percent is not None:
        share = format_percent(abs(percent), 2)
        text += (
            " ("
            + (_("up %(share)s") if percent > 0 else _("down %(share)s")) % {"share": share}
            + ")"
        )
    return text


@dataclass(frozen=True)
class Comparison:
    """A figure against an earlier one (see the module docstring)."""

    current: Decimal | None
    previous: Decimal | None
    polarity: str = Polarity.NEUTRAL
    current_coverage: Coverage | None = None
    previous_coverage: Coverage | None = None
    measure: str = ""
    # A rate (a percentage) changes by percentage points, never by a percent of a percent.
    rate: bool = False
    # True when both sides are known to be the same units (not only the same counts).
    same_units: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "current", _decimal(self.current))
        object.__setattr__(self, "previous", _decimal(self.previous))

    # -- figures ----------------------------------------------------------------------------

    @property
    def change(self) -> Decimal | None:
        """current - previous; for a rate, in percentage points rounded to two decimals (so a
        rate that moved by 0,004 points is "unchanged", not a falling arrow)."""
        if self.current is None or self.previous is None:
            return None
        change = self.current - self.previous
        return round(change, 2) if self.rate else change

    @property
    def change_percent(self) -> Decimal | None:
        change = self.change
        if change is None or not self.previous or self.rate:
            return None
        return change * HUNDRED / self.previous

    @property
    def direction(self) -> str:
        """ "up", "down", "same", or "" when a side is missing."""
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction, "")

    @property
    def tone(self) -> str:
        """ "good", "bad", "neutral" (or "" when there is no change to judge). A comparison of
        unlike coverage is not judged: its change may come from the missing reports."""
        direction = self.direction
        if not direction:
            return ""
        if (
            direction == "same"
            or not self.comparable
            or self.polarity
            not in (
                Polarity.HIGHER_BETTER,
                Polarity.HIGHER_WORSE,
            )
        ):
            return "neutral"
        better = (direction == "up") == (self.polarity == Polarity.HIGHER_BETTER)
        return "good" if better else "bad"

    @property
    def css(self) -> str:
        return CSS.get(self.tone, "")

    @property
    def tone_text(self) -> str:
        """The tone in words, for readers who do not see the colour."""
        if self.tone == "good":
            return _("better than the same period last year")
        if self.tone == "bad":
            return _("worse than the same period last year")
        return ""

    # -- coverage ---------------------------------------------------------------------------

    @staticmethod
    def _complete(coverage: Coverage | None) -> bool:
        return coverage is not None and coverage[1] > 0 and coverage[0] == coverage[1]

    @property
    def comparable(self) -> bool:
        """Both sides cover the same units: both complete, or known to be the same units, or
        no coverage was given."""
        if self.current_coverage is None and self.previous_coverage is None:
            return True
        if self.same_units:
            return True
        return self._complete(self.current_coverage) and self._complete(self.previous_coverage)

    @property
    def coverage_note(self) -> str:
        """ "" when comparable, else what each side covers."""
        if self.comparable:
            return ""
        now = self.current_coverage or (0, 0)
        before = self.previous_coverage or (0, 0)
        return _(
            "not like for like: this period %(now)s/%(now_of)s units reported, "
            "same period last year %(before)s/%(before_of)s"
        ) % {"now": now[0], "now_of": now[1], "before": before[0], "before_of": before[1]}

    # -- words ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        if self.rate:
            return change_words(self.change, None, str(_("percentage points")))
        return change_words(self.change, self.change_percent, self.measure)

    def plain(self) -> str:
        """Arrow, change, tone and coverage note as one line (for exports)."""
        parts = [f"{self.arrow} {self.text}".strip()]
        if self.tone_text:
            parts.append(f"({self.tone_text})")
        text = " ".join(p for p in parts if p)
        if self.coverage_note:
            text = f"{text}; {self.coverage_note}" if text else self.coverage_note
        return text

    def as_dict(self) -> dict[str, Any]:
        """For the API: the same facts the page shows."""

        def number(value: Decimal | None) -> str | None:
            return None if value is None else f"{value.normalize():f}"

        percent = self.change_percent
        return {
            "change": number(self.change),
            "change_percent": number(round(percent, 2) if percent is not None else None),
            "direction": self.direction,
            "tone": self.tone,
            "comparable": self.comparable,
            "current_coverage": list(self.current_coverage) if self.current_coverage else None,
            "previous_coverage": list(self.previous_coverage) if self.previous_coverage else None,
            "coverage_note": self.coverage_note,
        }
