"""No report is requested from a unit closed before the period starts (issue 13): a 2026
period expects no unit closed in 2025, and a report cannot be opened for one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from noichinh.core.periods import parse_period
from noichinh.core.scoping import SYSTEM
from noichinh.reports import selectors, services
from noichinh.reports.models import ReportForm, Submission
from noichinh.units.models import Unit


@pytest.mark.django_db
def test_no_request_to_a_unit_closed_before_the_period(demo: None) -> None:
    closed = list(Unit.objects.filter(valid_to__year=2025))
    assert closed, "the demo closes units in 2025"
    closed_ids = {u.pk for u in closed}
    for form in ReportForm.objects.all():
        latest = Submission.objects.filter(form=form).order_by("-period").first()
        assert latest is not None
        period = form.period("2026" + latest.period[4:])  # the same kind of period, in 2026
        tree = selectors.tree_on(period.end)
        assert not closed_ids & set(selectors.expected_units(form, tree)), form
        with pytest.raises(ValidationError):
            services.submission_open(user=SYSTEM, form=form, period=period, unit=closed[0])
    # And no stored report of the demo is for a period that starts after its unit closed.
    for s in Submission.objects.filter(unit__valid_to__isnull=False).select_related("unit"):
        assert parse_period(s.period).start <= s.unit.valid_to, (s.unit, s.period)
