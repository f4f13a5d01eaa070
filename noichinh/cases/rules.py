"""When a case is stalled, and how long it has been suspended: pure functions over dates.

A case is **stalled** (chậm tiến độ) when, at its current stage,
- it is not suspended and has had no event for more than the stage's `no_event_days`, or
- it has been suspended (an open suspension) for more than the stage's `suspended_days`.
A closed case is never stalled. The days are settings (`StallRule` rows): a rule of a unit
applies to the cases of its subtree, the most specific unit's rule wins (a province may be
stricter than the national rule), and a stage without any rule uses `DEFAULT_RULES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from noichinh.core.text import format_number

from .choices import Stage


@dataclass(frozen=True)
class Rule:
    no_event_days: int
    suspended_days: int


# Practice of the internal-affairs committees, not law: verification of a crime report takes
# up to 2 months (Criminal Procedure Code 2015, art. 147), an investigation stage 2-4 months.
DEFAULT_RULES: dict[str, Rule] = {
    Stage.REGISTERED: Rule(60, 90),
    Stage.INSPECTION: Rule(90, 180),
    Stage.VERIFICATION: Rule(60, 90),
    Stage.INVESTIGATION: Rule(120, 180),
    Stage.PROSECUTION: Rule(60, 90),
    Stage.FIRST_TRIAL: Rule(90, 120),
    Stage.APPEAL: Rule(90, 120),
    Stage.ENFORCEMENT: Rule(180, 180),
}

CACHE_KEY = "cases:stall-rules"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class StallVerdict:
    stalled: bool
    suspended: bool
    days: int  # idle days, or days suspended when suspended
    closed: bool = False


# (unit path, stage) -> rule
RuleSet = Mapping[tuple[str, str], Rule]


def rule_for(stage: str, path: str = "", overrides: RuleSet | None = None) -> Rule:
    """The rule of the most specific unit above (or at) `path` that has one for the stage."""
    best: tuple[int, Rule] | None = None
    for (rule_path, rule_stage), rule in (overrides or {}).items():
        matches = rule_stage == stage and path.startswith(rule_path)
        if matches and (best is None or len(rule_path) > best[0]):
            best = (len(rule_path), rule)
    if best is not None:
        return best[1]
    return DEFAULT_RULES.get(stage, DEFAULT_RULES[Stage.REGISTERED])


def stall_verdict(
    *,
    stage: str,
    last_activity: dt.date,
    suspended_since: dt.date | None,
    on: dt.date,
    rule: Rule,
) -> StallVerdict:
    if stage == Stage.CLOSED:
        return StallVerdict(False, False, 0, closed=True)
    if suspended_since is not None:
        days = max((on - suspended_since).days, 0)
        return StallVerdict(days > rule.suspended_days, True, days)
    days = max((on - last_activity).days, 0)
    return StallVerdict(days > rule.no_event_days, False, days)


def verdict_text(verdict: StallVerdict, reason: str = "") -> str:
    if verdict.closed:
        return pgettext("case", "Closed")
    if verdict.suspended:
        text = ngettext(
            "Suspended for %(days)s day", "Suspended for %(days)s days", verdict.days
        ) % {"days": format_number(verdict.days)}
        if reason:
            text = f"{text}: {reason}"
    else:
        text = ngettext("No event for %(days)s day", "No event for %(days)s days", verdict.days) % {
            "days": format_number(verdict.days)
        }
    if verdict.stalled:
        return f"{_('Stalled')}: {text}"
    return text


def _stalled_by(rule: Rule, on: dt.date) -> Q:
    idle_before = on - dt.timedelta(days=rule.no_event_days)
    suspended_before = on - dt.timedelta(days=rule.suspended_days)
    return Q(suspended_since__isnull=True, last_event_on__lt=idle_before) | Q(
        suspended_since__lt=suspended_before
    )


def stalled_q(on: dt.date, overrides: RuleSet | None = None, lookup: str = "unit__path") -> Q:
    """The stalled rule as one query condition over the case's derived fields: per stage, each
    unit's rule over its subtree minus the subtrees of more specific rules, then the default
    over the rest."""
    overrides = overrides or {}
    condition = Q(pk__in=[])
    for stage in Stage.values:
        if stage == Stage.CLOSED:
            continue
        paths = sorted((p for p, s in overrides if s == stage), key=len, reverse=True)
        covered: Q | None = None
        for path in paths:
            area = Q(**{f"{lookup}__startswith": path})
            here = area if covered is None else area & ~covered
            condition |= Q(stage=stage) & here & _stalled_by(overrides[(path, stage)], on)
            covered = area if covered is None else covered | area
        rest = Q(stage=stage) if covered is None else Q(stage=stage) & ~covered
        condition |= rest & _stalled_by(rule_for(stage), on)
    return condition


def suspended_days(
    intervals: Iterable[tuple[dt.date, dt.date | None]],
    on: dt.date,
    since: dt.date | None = None,
) -> int:
    """Days suspended between `since` (or the beginning) and `on`.

    A suspension counts from its first day up to, not including, the day the case resumed (or
    the day `on`): suspended on 1/3 and resumed on 11/3 is 10 days; still open on 11/3, also
    10. Suspensions after `on` do not count; overlapping suspensions count once."""
    clipped: list[tuple[dt.date, dt.date]] = []
    for start, end in intervals:
        stop = min(end, on) if end is not None else on
        if since is not None:
            start = max(start, since)
        if stop > start:
            clipped.append((start, stop))
    clipped.sort()
    total = 0
    current_start: dt.date | None = None
    current_end: dt.date | None = None
    for start, stop in clipped:
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                total += (current_end - current_start).days
            current_start, current_end = start, stop
        else:
            current_end = max(current_end, stop)
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days
    return total


def cached_rules() -> dict[tuple[str, str], Rule]:
    """Every unit's rules, read at most once a minute per process (list pages need them per
    row); a change through the stalled rules pages clears them at once in that process."""
    rules = cache.get(CACHE_KEY)
    if rules is None:
        from .models import StallRule

        rules = {
            (r.unit.path, r.stage): Rule(r.no_event_days, r.suspended_days)
            for r in StallRule.objects.select_related("unit")
        }
        cache.set(CACHE_KEY, rules, CACHE_SECONDS)
    return dict(rules)


def forget_rules() -> None:
    cache.delete(CACHE_KEY)
