"""The demo is alive on whatever day it is loaded: loaded with a frozen "today" on two days far
apart, the current period is populated (petitions received and resolved this quarter, some
overdue and some due soon, tasks overdue and due soon, a handful of stalled cases with their
reasons), nothing of a unit closed before that day is still asked for, no ballot stays open after
its conference and no campaign that has ended still awaits a decision; and the history of the
source reports (../shared/domain.md, 2023-2025) is exactly the same on both days.

The clock is frozen by patching `django.utils.timezone.now` (every `timezone.localdate()` and
`timezone.now()` of the product reads it), and the day is given to the command (`--today`)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from noichinh.accounts.models import User
from noichinh.awards import services as award_services
from noichinh.awards.models import AwardReview, Ballot
from noichinh.campaigns.choices import RegistrationStatus
from noichinh.campaigns.models import TargetRegistration
from noichinh.cases.models import Case
from noichinh.cases.rules import stalled_q
from noichinh.core.counts import count_queryset
from noichinh.core.models import AuditEntry
from noichinh.core.periods import Period
from noichinh.petitions import demo as petitions_demo
from noichinh.petitions.models import Petition
from noichinh.petitions.selectors import due_soon_q, overdue_q, resolved_late_q
from noichinh.reports import selectors as report_selectors
from noichinh.reports.models import DataValue, ReportForm, Submission
from noichinh.units.models import Cluster, Unit
from noichinh.work import selectors as work_selectors
from noichinh.work.choices import TaskStatus
from noichinh.work.models import Task

D = dt.date
DAYS = [D(2026, 12, 1), D(2028, 3, 15)]


def _frozen(day: dt.date) -> Any:
    instant = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))
    return mock.patch("django.utils.timezone.now", return_value=instant)


def _load(day: dt.date) -> None:
    call_command("load_demo", f"--today={day.day}/{day.month}/{day.year}", stdout=io.StringIO())


@pytest.fixture(params=DAYS, ids=[d.isoformat() for d in DAYS])
def today(request: pytest.FixtureRequest, db: None) -> Iterator[dt.date]:
    day: dt.date = request.param
    with _frozen(day):
        _load(day)
        yield day


def _quarter_start(day: dt.date) -> dt.date:
    return D(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _current_period_is_alive(today: dt.date) -> None:
    start = _quarter_start(today)
    quarter = Petition.objects.filter(received_on__gte=start, received_on__lte=today)
    assert quarter.count() > 30
    resolved = Petition.objects.filter(resolved_on__gte=start, resolved_on__lte=today)
    assert resolved.count() > 20
    # within the last twelve months: accepted, resolved on time and late
    year_ago = today - dt.timedelta(days=365)
    assert Petition.objects.filter(accepted_on__gt=year_ago).count() > 200
    assert Petition.objects.filter(resolved_late_q(), resolved_on__gt=year_ago).exists()
    # nothing happens after the load day
    assert not Petition.objects.filter(received_on__gt=today).exists()
    assert not Petition.objects.filter(resolved_on__gt=today).exists()
    # the specialist's queue: some overdue, some due within five days (never a pile of
    # petitions forgotten for years)
    overdue = Petition.objects.filter(overdue_q(today))
    assert 5 <= overdue.count() <= 60
    assert Petition.objects.filter(due_soon_q(today)).count() >= 5
    assert not overdue.filter(received_on__lt=today - dt.timedelta(days=400)).exists()
    # tasks: overdue, due soon and done ones, around the load day
    admin = User.objects.get(username="admin")
    assert work_selectors.task_list_overdue(admin, today).exists()
    assert work_selectors.task_list_due_soon(admin, today).exists()
    assert Task.objects.filter(
        status=TaskStatus.DONE, completed_on__gt=today - dt.timedelta(days=90)
    ).exists()
    assert not Task.objects.filter(
        status=TaskStatus.OPEN, due_on__lt=today - dt.timedelta(days=180)
    ).exists()
    # cases: running ones with recent news, some detected this year, a handful stalled
    assert Case.objects.filter(detected_on__year=today.year).count() >= 5
    assert (
        Case.objects.exclude(stage="closed")
        .filter(last_event_on__gt=today - dt.timedelta(days=60))
        .count()
        > 40
    )
    stalled = list(Case.objects.filter(stalled_q(today)).select_related("unit"))
    assert 1 <= len(stalled) <= 10
    for case in stalled:
        assert case.stall(today).stalled
        assert case.stall_text().split(":")[0] in ("Stalled", "Chậm tiến độ")
    # suspended for months, with the reason the registry gives
    assert any(case.suspension_reason for case in stalled)


def _nothing_stale(today: dt.date) -> None:
    closed = Unit.objects.filter(valid_to__lt=today)
    assert closed.exists()  # the 2025 reorganisation closed units before any load day
    assert not Task.objects.filter(status=TaskStatus.OPEN, unit__in=closed).exists()
    open_reports = Submission.objects.exclude(status="approved")
    assert open_reports.exists()
    assert not open_reports.filter(unit__in=closed).exists()
    for form in ReportForm.objects.filter(active=True):
        assert form.unit.valid_to is None or form.unit.valid_to >= today, form.code
        period = Period.last_ended(form.period_type, today, form.cumulative)
        tree = report_selectors.tree_on(period.end)
        expected = report_selectors.expected_units(form, tree)
        assert expected, form.code
        assert not closed.filter(pk__in=expected).exists(), form.code
        # the current period: some reported, some not
        reported = Submission.objects.filter(form=form, period=period.code)
        assert 0 < reported.count() < len(expected)
        assert reported.filter(status="approved").exists()
        assert reported.exclude(status="approved").exists()
    # ballots and campaigns whose day has passed
    assert not Ballot.objects.filter(status="open", review__held_on__lt=today).exists()
    final = AwardReview.objects.get(held_on=D(2025, 11, 20))
    results = award_services.ballot_results(final)
    assert results and all(r.passed for r in results)
    assert final.ballots.get().status == "closed"
    assert not TargetRegistration.objects.filter(
        campaign__end_on__lt=today,
        status__in=[RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED],
    ).exists()


def _history() -> dict[str, object]:
    """The source reports' figures (../shared/domain.md) and the history's shape."""
    members = list(Cluster.objects.get(code="CUM-III").members.all())
    cut = D(2023, 10, 31)

    def union(key: str) -> int:
        ids: set[int] = set()
        for unit in members:
            found = count_queryset(key, unit=unit, start=D(2021, 5, 25), end=cut, as_of=cut)
            ids |= set(found.values_list("pk", flat=True))
        return len(ids)

    nine_months = {
        code: DataValue.objects.filter(
            submission__form__code="QB-GB-9T",
            submission__period="2024-9M",
            indicator__code=code,
        ).aggregate(total=Sum("value"))["total"]
        for code in ("VB-CD", "TP-TL", "TP-GQ", "TG-TB", "KT-TC", "KT-DV")
    }
    midterm = AwardReview.objects.get(held_on=D(2023, 11, 7))
    votes = {
        r.nomination.nominee_label(): (r.percent, r.passed)
        for r in award_services.ballot_results(midterm)
    }
    districts = Petition.objects.filter(unit__code__in=petitions_demo.QB_DISTRICTS)
    window = {"resolved_on__gte": D(2024, 1, 1), "resolved_on__lte": D(2024, 9, 30)}
    history = Petition.objects.filter(received_on__lte=petitions_demo.HISTORY_END)
    return {
        "corruption_midterm": union("cases.corruption"),
        "security_midterm": union("security.advised"),
        "nine_months": nine_months,
        "votes": votes,
        "quarterly_2024": sorted(
            Submission.objects.filter(period__startswith="2024-Q").values_list(
                "period", "unit__code", "status"
            )
        ),
        "district_resolved": districts.filter(**window).count(),
        "district_late": districts.filter(resolved_late_q(), **window).count(),
        "history_petitions": history.count(),
        "history_resolved_2024": history.filter(resolved_on__year=2024).count(),
        "nghe_an_cases": sorted(
            Case.objects.filter(unit__code="NA-BNCTU").values_list("title", "detected_on")
        ),
    }


# Each day's history, to compare the two days (the test runs once per day, in order).
_SEEN: dict[dt.date, dict[str, object]] = {}


def test_the_demo_is_alive_on_its_load_day_and_keeps_its_history(today: dt.date) -> None:
    assert timezone.localdate() == today
    _current_period_is_alive(today)
    _nothing_stale(today)
    history = _history()
    assert history["corruption_midterm"] == 45 and history["security_midterm"] == 39
    assert history["nine_months"] == {
        "VB-CD": Decimal(72),
        "TP-TL": Decimal(8651),
        "TP-GQ": Decimal(7187),
        "TG-TB": Decimal(1703),
        "KT-TC": Decimal(75),
        "KT-DV": Decimal(122),
    }
    votes = history["votes"]
    assert isinstance(votes, dict)
    assert set(votes) == {"Quảng Bình", "Đà Nẵng", "Phú Yên", "Kon Tum"}
    assert all(vote == (100, True) for vote in votes.values())
    resolved, late = history["district_resolved"], history["district_late"]
    assert isinstance(resolved, int) and isinstance(late, int)
    assert resolved and late / resolved > 0.25
    # the same history whatever the load day
    _SEEN[today] = history
    for other, seen in _SEEN.items():
        assert seen == history, (other, today)
    # deterministic for its day: loading again on the same day creates nothing
    entries = AuditEntry.objects.count()
    _load(today)
    assert AuditEntry.objects.count() == entries
