"""Opening a report (derived pre-fill), saving values (difference flag), validation (block and
warn), and the approval chain with its locks."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noichinh.core.models import AuditAction, AuditEntry
from noichinh.core.permissions import Role
from noichinh.core.scoping import SYSTEM
from noichinh.core.testkit import make_user
from noichinh.reports import services
from noichinh.reports.choices import Reporting, Status
from noichinh.reports.models import Submission

from .conftest import make_document, make_form

pytestmark = pytest.mark.django_db
D = dt.date


def fill(submission, form, accepted, resolved, inspected, docs=None, user=SYSTEM):
    values = {form.ind["TL"].pk: Decimal(accepted), form.ind["GQ"].pk: Decimal(resolved)}
    values[form.ind["KT"].pk] = Decimal(inspected)
    if docs is not None:
        values[form.ind["VB"].pk] = Decimal(docs)
    services.submission_save_values(user=user, submission=submission, values=values)
    submission.refresh_from_db()
    return submission


def values_of(submission):
    return {
        v.indicator.code.split("-")[-1]: v for v in submission.values.select_related("indicator")
    }


def test_open_prefills_derived_values_and_flags_a_different_hand_value(tree, specialist_a):
    form = make_form(tree["root"])
    make_document(tree["dept_a"], D(2024, 5, 1))
    make_document(tree["prov_a"], D(2024, 9, 30))
    make_document(tree["prov_a"], D(2024, 10, 1))  # after the period
    make_document(tree["prov_b"], D(2024, 5, 1))  # another subtree
    submission = services.submission_open(
        user=specialist_a, form=form, period="2024-9M", unit=tree["prov_a"]
    )
    row = values_of(submission)["VB"]
    assert (row.derived, row.value, row.difference) == (2, 2, None)
    assert submission.due_on == D(2024, 10, 5)
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_id=str(submission.pk), object_type="reports.submission"
    ).exists()
    fill(submission, form, 100, 83, 5, docs=5, user=specialist_a)
    values = values_of(submission)
    assert values["VB"].difference == 3
    assert values["TLGQ"].value == 83  # the percentage is recomputed from its parts
    # Opening again returns the same report and keeps the hand value.
    again = services.submission_open(
        user=specialist_a, form=form, period="2024-9M", unit=tree["prov_a"]
    )
    assert again.pk == submission.pk
    assert values_of(again)["VB"].value == 5


def test_only_expected_units_report_and_only_in_scope(tree, specialist_a):
    form = make_form(tree["root"])
    with pytest.raises(ValidationError):
        services.submission_open(user=SYSTEM, form=form, period="2024-9M", unit=tree["dept_a"])
    with pytest.raises(ValidationError):
        services.submission_open(user=SYSTEM, form=form, period="2024-Q1", unit=tree["prov_a"])
    with pytest.raises(PermissionDenied):
        services.submission_open(
            user=specialist_a, form=form, period="2024-9M", unit=tree["prov_b"]
        )


def test_blocking_rule_stops_submission_and_warning_does_not(tree, specialist_a):
    form = make_form(tree["root"])
    submission = services.submission_open(
        user=specialist_a, form=form, period="2024-9M", unit=tree["prov_a"]
    )
    with pytest.raises(ValidationError):  # figures missing
        services.submission_submit(user=specialist_a, submission=submission)
    fill(submission, form, 100, 120, 5, user=specialist_a)
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(user=specialist_a, submission=submission)
    assert "Số đã giải quyết không vượt số đã thụ lý." in refused.value.messages
    assert Submission.objects.get(pk=submission.pk).status == Status.DRAFT
    fill(submission, form, 100, 83, 150, user=specialist_a)
    warnings = services.submission_submit(user=specialist_a, submission=submission)
    assert warnings == ["Số tổ chức được kiểm tra lớn bất thường."]
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert submission.submitted_by == specialist_a
    with pytest.raises(ValidationError):  # no change after submission
        fill(submission, form, 1, 1, 1, user=specialist_a)


def test_percent_rule_recomputes_within_rounding(tree):
    from noichinh.reports.models import Indicator, ValidationRule

    form = make_form(tree["root"])
    typed = Indicator.objects.create(unit=tree["root"], code="TYPED", name="Tỷ lệ (nhập)")
    form.items.create(unit=tree["root"], indicator=typed, order=9)
    ValidationRule.objects.create(
        unit=tree["root"],
        form=form,
        left=typed,
        operator="percent",
        right=form.ind["GQ"],
        denominator=form.ind["TL"],
        tolerance=Decimal("0.5"),
    )
    submission = services.submission_open(
        user=SYSTEM, form=form, period="2024-9M", unit=tree["prov_a"]
    )
    fill(submission, form, 8651, 7187, 5)
    services.submission_save_values(user=SYSTEM, submission=submission, values={typed.pk: 90})
    errors, _warnings = services.submission_check(submission)
    assert len(errors) == 1
    services.submission_save_values(user=SYSTEM, submission=submission, values={typed.pk: 83})
    assert services.submission_check(submission) == ([], [])


def test_approval_chain_parent_after_children_and_locks(tree):
    form = make_form(tree["root"], reporting=Reporting.SELECTED)
    form.reporting_units.set([tree["prov_a"], tree["dept_a"], tree["prov_b"]])
    head_a = make_user("head.a", tree["prov_a"], [Role.HEAD])
    specialist = make_user("cv.a", tree["prov_a"], [Role.SPECIALIST])
    reports = {}
    for key in ("prov_a", "dept_a"):
        reports[key] = services.submission_open(
            user=specialist, form=form, period="2024-9M", unit=tree[key]
        )
        fill(reports[key], form, 10, 5, 1, user=specialist)
        services.submission_submit(user=specialist, submission=reports[key])
    with pytest.raises(PermissionDenied):  # a specialist does not approve
        services.submission_approve(user=specialist, submission=reports["dept_a"])
    with pytest.raises(ValidationError):  # the department's report first
        services.submission_approve(user=head_a, submission=reports["prov_a"])
    services.submission_return(user=head_a, submission=reports["dept_a"], reason="Thiếu số liệu")
    reports["dept_a"].refresh_from_db()
    assert reports["dept_a"].status == Status.RETURNED
    assert reports["dept_a"].return_reason == "Thiếu số liệu"
    services.submission_submit(user=specialist, submission=reports["dept_a"])
    services.submission_approve(user=head_a, submission=reports["dept_a"])
    services.submission_approve(user=head_a, submission=reports["prov_a"])
    for report in reports.values():
        report.refresh_from_db()
    assert reports["prov_a"].status == Status.APPROVED
    assert reports["dept_a"].status == Status.LOCKED
    with pytest.raises(ValidationError):  # approved = locked for editing
        fill(reports["prov_a"], form, 1, 1, 1, user=specialist)
    # Unlock: a reason, the parent first, audited.
    with pytest.raises(ValidationError):
        services.submission_unlock(user=head_a, submission=reports["dept_a"], reason="Sửa số")
    with pytest.raises(ValidationError):
        services.submission_unlock(user=head_a, submission=reports["prov_a"], reason=" ")
    services.submission_unlock(user=head_a, submission=reports["prov_a"], reason="Sửa số liệu")
    reports["prov_a"].refresh_from_db()
    assert reports["prov_a"].status == Status.RETURNED
    entry = AuditEntry.objects.filter(
        action=AuditAction.TRANSITION, object_id=str(reports["prov_a"].pk)
    ).first()
    assert "Sửa số liệu" in entry.message
    assert entry.changes["status"] == ["approved", "returned"]
    services.submission_unlock(user=head_a, submission=reports["dept_a"], reason="Sửa số")
    reports["dept_a"].refresh_from_db()
    assert reports["dept_a"].status == Status.RETURNED


def test_on_time_flag(tree):
    form = make_form(tree["root"])
    submission = services.submission_open(
        user=SYSTEM, form=form, period="2024-9M", unit=tree["prov_a"]
    )
    fill(submission, form, 10, 5, 1)
    from django.utils import timezone

    late = timezone.make_aware(dt.datetime(2024, 10, 6, 9, 0))
    services.submission_submit(user=SYSTEM, submission=submission, at=late)
    submission.refresh_from_db()
    assert submission.on_time is False
