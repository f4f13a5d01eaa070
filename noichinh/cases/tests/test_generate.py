"""The case generator (bench data): the derived fields on each case are what case_refresh
computes from its events and suspensions."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from noichinh.cases.choices import Stage
from noichinh.cases.management.commands.generate_cases import DERIVED
from noichinh.cases.models import Case, CaseEvent, CaseSuspension, SecurityIssue
from noichinh.cases.resources import (
    CaseEventResource,
    CaseResource,
    CaseSuspensionResource,
    SecurityIssueResource,
)
from noichinh.cases.services import case_refresh
from noichinh.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    out = io.StringIO()
    call_command("generate_units", provinces=2, communes_per_province=3, departments=2, stdout=out)
    entries = AuditEntry.objects.count()
    call_command("generate_cases", count=600, issues=100, batch=250, seed=5, stdout=out)
    return entries


def test_derived_fields_match_case_refresh(generated) -> None:
    assert Case.objects.count() == 600
    assert SecurityIssue.objects.count() == 100
    assert AuditEntry.objects.count() == generated  # no audit entries for generated data
    assert CaseEvent.objects.count() > 600
    assert CaseSuspension.objects.filter(ended_on__isnull=True).exists()
    assert CaseSuspension.objects.filter(ended_on__isnull=False).exists()
    assert Case.objects.filter(stage=Stage.CLOSED).exists()
    assert Case.objects.filter(people_prosecuted__isnull=False).exists()
    for case in Case.objects.select_related("unit", "department"):
        stored = {name: getattr(case, name) for name in DERIVED}
        case_refresh(case)
        assert {name: getattr(case, name) for name in DERIVED} == stored, case.title
        assert case.search_text == CaseResource.build_search_text(case)
        if case.department_id:
            assert case.department.path.startswith(case.unit.path)
    for event in CaseEvent.objects.select_related("case")[:500]:
        assert event.unit_id == event.case.unit_id
        assert event.occurred_on >= event.case.detected_on
        assert event.search_text == CaseEventResource.build_search_text(event)
    for suspension in CaseSuspension.objects.select_related("case"):
        assert suspension.search_text == CaseSuspensionResource.build_search_text(suspension)
    for issue in SecurityIssue.objects.all():
        issue.full_clean()
        assert issue.search_text == SecurityIssueResource.build_search_text(issue)


def test_refuses_to_generate_twice_without_replace(generated) -> None:
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_cases", count=5, issues=1, stdout=io.StringIO())
    call_command("generate_cases", count=5, issues=1, replace=True, stdout=io.StringIO())
    assert Case.objects.count() == 5
    assert SecurityIssue.objects.count() == 1
