"""From an extraction to a report form: which figure is which indicator, for which period, and
what an approved report already says. Reads only; the writes are in services.py.

Rows are numbered from the extraction itself (`f3` is the fourth figure, `r1p`/`r1t` the part
and the total of the second ratio), so re-reading the same text gives the same keys: the
confirm step carries the text, never the figures.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from noichinh.core.counts import count_value
from noichinh.core.periods import Period
from noichinh.core.text import fold, format_money, format_number
from noichinh.reports import selectors as report_selectors
from noichinh.reports.choices import FINAL, Source
from noichinh.reports.models import DataValue, Indicator, ReportForm, Submission

from .extract import Extraction, PeriodItem

# Words that say nothing about what is counted.
STOPWORDS = frozenset(
    [
        "va",
        "cac",
        "da",
        "duoc",
        "cua",
        "cho",
        "trong",
        "so",
        "voi",
        "nam",
        "la",
        "co",
        "tong",
        "xay",
        "ra",
        "lam",
        "bi",
        "nhung",
        "mot",
        "tren",
        "toan",
        "dat",
        "chiem",
        "gom",
        "o",
        "tai",
        "theo",
        "ve",
        "nay",
        "do",
        "the",
        "hien",
        "trong",
        "ky",
        "qua",
        "tu",
        "den",
    ]
)
# How far a figure's clause reaches back and forward (characters).
BEFORE, AFTER = 90, 50
_CLAUSE_END = re.compile(r"[.;:!?\n()]|,\s")
_WORD = re.compile(r"[a-z0-9]+")
# Money written in đồng by the extraction, stored in the indicator's own measure.
MONEY_SCALE = {"dong": 1, "nghin dong": 10**3, "trieu dong": 10**6, "ty dong": 10**9}


# At most this many numbers of one text are offered for mapping (a report has a few dozen;
# a megabyte of text may have thousands, and a page of thousands of selects helps nobody).
MAX_ROWS = 300


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


@functools.lru_cache(maxsize=4096)
def _grams(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words and the pairs of neighbouring words of a text (folded, stopwords out)."""
    words = _words(text)
    return frozenset(words), frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


@dataclass
class Row:
    """One number of the text that may become an indicator's value."""

    key: str
    text: str
    value: int | float
    unit: str
    counts: str
    start: int
    end: int
    context: str = ""
    suggested: int | None = None
    chosen: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def shown(self) -> str:
        if self.unit == "đồng":
            return format_money(self.value)
        return format_number(self.value, 0 if self.value == int(self.value) else 2)


def context_of(source: str, start: int, end: int) -> str:
    """The words around a number within its clause: from the last clause break before it
    (at most BEFORE characters back) to the next one after it (at most AFTER forward)."""
    head = source[max(0, start - BEFORE) : start]
    breaks = list(_CLAUSE_END.finditer(head))
    if breaks:
        head = head[breaks[-1].end() :]
    tail = source[end : end + AFTER]
    stop = _CLAUSE_END.search(tail)
    if stop:
        tail = tail[: stop.start()]
    return " ".join(f"{head} {tail}".split())


def rows_of(found: Extraction) -> list[Row]:
    """Every figure and the part and the total of every ratio, in text order (the first
    MAX_ROWS)."""
    rows = [
        Row(
            key=f"f{i}",
            text=f.text,
            value=f.value,
            unit=f.unit,
            counts=f.counts,
            start=f.start,
            end=f.end,
        )
        for i, f in enumerate(found.figures)
    ]
    for i, r in enumerate(found.ratios):
        for suffix, value in (("p", r.part), ("t", r.total)):
            rows.append(
                Row(
                    key=f"r{i}{suffix}",
                    text=r.text,
                    value=value,
                    unit=r.unit,
                    counts=r.unit,
                    start=r.start,
                    end=r.end,
                )
            )
    rows.sort(key=lambda row: (row.start, row.key))
    rows = rows[:MAX_ROWS]
    for row in rows:
        row.context = context_of(found.text, row.start, row.end)
    return rows


def form_indicators(form: ReportForm) -> list[Indicator]:
    """The indicators of the form a figure can fill (percentages are computed from parts)."""
    return [
        item.indicator
        for item in report_selectors.form_items(form)
        if item.indicator.source != Source.RATIO
    ]


def _measure_matches(row: Row, indicator: Indicator) -> bool:
    measure, unit = fold(indicator.measure), fold(row.unit)
    if not measure or not unit:
        return False
    if measure.endswith("dong") and unit.endswith("dong"):
        return True
    return measure == unit or measure.split()[0] == unit.split()[0]


def score(row: Row, indicator: Indicator) -> int:
    """How well the words around a number name an indicator: two points per shared pair of
    words, one per shared word, three if the measure agrees. Zero without a shared word
    (a measure alone, "20 người", does not tell the dead from the injured)."""
    if row.unit == "%":
        return 0
    near_one, near_two = _grams(f"{row.context} {row.counts}")
    named_one, named_two = _grams(f"{indicator.name} {indicator.code.replace('-', ' ')}")
    shared = near_one & named_one
    if not shared - _grams(row.unit)[0]:
        return 0
    points = len(shared) + 2 * len(near_two & named_two)
    if _measure_matches(row, indicator):
        points += 3
    elif row.unit and indicator.measure:
        points -= 2
    return max(points, 0)


def suggest(rows: list[Row], indicators: list[Indicator]) -> None:
    """Each row's best indicator, each indicator given to one row at most: the best-scoring
    pairs first, ties to the earlier row and the earlier indicator of the form."""
    pairs = []
    for r, row in enumerate(rows):
        for i, indicator in enumerate(indicators):
            points = score(row, indicator)
            if points >= 2:
                pairs.append((-points, r, i))
    taken_rows: set[int] = set()
    taken: set[int] = set()
    for _points, r, i in sorted(pairs):
        if r in taken_rows or i in taken:
            continue
        rows[r].suggested = indicators[i].pk
        taken_rows.add(r)
        taken.add(i)


def value_for(row: Row, indicator: Indicator) -> Decimal:
    """The row's number in the indicator's measure (money is read in đồng)."""
    value = Decimal(str(row.value))
    if fold(row.unit) == "dong":
        scale = MONEY_SCALE.get(fold(indicator.measure))
        if scale:
            value = value / scale
    return value


def suggest_form(forms: list[ReportForm], rows: list[Row]) -> ReportForm | None:
    """The form whose indicators the figures name best (the first form on a tie)."""
    best, best_points = None, -1
    for form in forms:
        indicators = form_indicators(form)
        test = [Row(**{**row.__dict__, "warnings": []}) for row in rows]
        suggest(test, indicators)
        points = sum(1 for row in test if row.suggested)
        if points > best_points:
            best, best_points = form, points
    return best


def period_for(form: ReportForm, item: PeriodItem | None, today: dt.date | None = None) -> Period:
    """The form's period that holds the end of the period the text covers; without one, the
    form's last period ended (the one being reported on)."""
    today = today or timezone.localdate()
    if item is not None and item.end_date:
        try:
            return Period.containing(
                form.period_type, dt.date.fromisoformat(item.end_date), form.cumulative
            )
        except ValueError:
            pass
    return Period.last_ended(form.period_type, today, form.cumulative)


def period_choices(
    form: ReportForm, suggested: Period, today: dt.date | None = None
) -> list[Period]:
    """The form's periods from the year before the suggested one to this year, latest first."""
    today = today or timezone.localdate()
    years = range(min(suggested.year - 1, today.year - 1), max(suggested.year, today.year) + 1)
    found = [p for y in years for p in Period.of_type(form.period_type, y, form.cumulative)]
    return found[::-1]


def approved_warnings(
    *, user: Any, unit: Any, period: Period, rows: list[Row], indicators: list[Indicator]
) -> None:
    """A warning on each row whose chosen (or suggested) indicator has another figure in an
    approved report of the same unit and period that the user may see."""
    by_id = {i.pk: i for i in indicators}
    wanted = {row.chosen or row.suggested for row in rows} - {None}
    if not wanted or unit is None:
        return
    values = (
        DataValue.objects.filter(
            submission__in=Submission.objects.restrict(user, "view").filter(
                unit=unit, period=period.code, status__in=FINAL
            ),
            indicator_id__in=wanted,
            value__isnull=False,
        )
        .select_related("submission__form", "indicator")
        .order_by("submission__form__code")
    )
    known: dict[int, list[DataValue]] = {}
    for value in values:
        known.setdefault(value.indicator_id, []).append(value)
    for row in rows:
        pick = row.chosen or row.suggested
        indicator = by_id.get(pick or 0)
        if indicator is None:
            continue
        mine = value_for(row, indicator)
        for stored in known.get(indicator.pk, []):
            if stored.value is not None and stored.value != mine:
                decimals = indicator.decimals
                row.warnings.append(
                    _approved_text(
                        form=stored.submission.form.code,
                        period=period.label,
                        stored=format_number(stored.value, decimals),
                        text=row.text,
                    )
                )


def _approved_text(**parts: str) -> str:
    return (
        _("The approved report %(form)s · %(period)s says %(stored)s; the text says “%(text)s”.")
        % parts
    )


def registry_warnings(
    *, user: Any, unit: Any, period: Period, rows: list[Row], indicators: list[Indicator]
) -> None:
    """A warning on each row whose chosen (or suggested) indicator is counted from a registry
    (cases, petitions...) and the count for the unit and period differs. Counted within what
    the user may see (the gate), on the unit tree as it was at the period's end."""
    by_id = {i.pk: i for i in indicators}
    counted: dict[int, int | None] = {}
    for row in rows:
        indicator = by_id.get(row.chosen or row.suggested or 0)
        if indicator is None or not indicator.is_derived or unit is None:
            continue
        if indicator.pk not in counted:
            try:
                counted[indicator.pk] = count_value(
                    indicator.count_key,
                    unit=unit,
                    start=period.start,
                    end=period.end,
                    user=user,
                    as_of=period.end,
                )
            except KeyError:  # a count that no registry provides any more
                counted[indicator.pk] = None
        count = counted[indicator.pk]
        if count is not None and Decimal(count) != value_for(row, indicator):
            row.warnings.append(
                _(
                    "The registry counts %(count)s for %(indicator)s in %(period)s; the text "
                    "says “%(text)s”."
                )
                % {
                    "count": format_number(count),
                    "indicator": indicator.code,
                    "period": period.label,
                    "text": row.text,
                }
            )
