"""The verbs of unit reports. Each is atomic, checks the gate on the report it changes and writes
its audit entry in the same transaction.

draft/returned --submit--> submitted --approve--> approved --(parent approved)--> locked
submitted --return (reason)--> returned;  approved/locked --unlock (reason)--> returned
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noichinh.core import scoping
from noichinh.core.audit import audit_record, diff, snapshot
from noichinh.core.counts import count_value
from noichinh.core.models import AuditAction
from noichinh.core.periods import Period
from noichinh.core.permissions import Role
from noichinh.core.services import audit_transition
from noichinh.core.services import person as _actor
from noichinh.core.services import require as _require
from noichinh.units.models import Unit

from . import selectors
from .choices import FINAL, Operator, Severity, Source, Status
from .models import DataValue, Indicator, ReportForm, Submission, ValidationRule


def _transition(user: Any, instance: Any, before: dict[str, Any], message: str = "") -> None:
    audit_transition(user=user, instance=instance, before=before, message=message)


def _require_approver(user: Any, submission: Submission) -> None:
    """The head (or the role the form names) of the report's unit or a unit above it."""
    _require(user, "approve", submission)
    path = submission.unit.path
    role = submission.form.approver_role
    held = scoping.roles_held_on(user, path)
    if role not in held and Role.SYSTEM_ADMIN not in held:
        raise PermissionDenied(_("Only the form's approver may do this."))


def _rounded(value: Decimal | None, indicator: Indicator) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(
        Decimal(1).scaleb(-indicator.decimals), rounding=ROUND_HALF_UP
    )


def _derived(indicator: Indicator, unit: Unit, period: Period) -> Decimal | None:
    """The registry's figure for the unit's subtree in the period (None if the count is gone).
    A system computation: the unit's whole subtree, not the viewer's scope, on the unit tree as
    it was at the period's end (a unit merged into this one later does not count)."""
    try:
        return Decimal(
            count_value(
                indicator.count_key,
                unit=unit,
                start=period.start,
                end=period.end,
                as_of=period.end,
            )
        )
    except KeyError:
        return None


def _recompute_ratios(submission: Submission, rows: dict[int, DataValue]) -> list[DataValue]:
    changed = []
    for row in rows.values():
        indicator = row.indicator
        if indicator.source != Source.RATIO:
            continue
        numerator = rows.get(indicator.numerator_id or 0)
        denominator = rows.get(indicator.denominator_id or 0)
        value = _rounded(
            selectors.ratio(
                numerator.value if numerator else None, denominator.value if denominator else None
            ),
            indicator,
        )
        if row.value != value:
            row.value = value
            changed.append(row)
    return changed


def _rows(submission: Submission) -> dict[int, DataValue]:
    return {v.indicator_id: v for v in submission.values.select_related("indicator").order_by("id")}


def _values_text(rows: dict[int, DataValue]) -> dict[str, str]:
    return {
        r.indicator.code: ("" if r.value is None else f"{r.value.normalize():f}")
        for r in rows.values()
    }


@transaction.atomic
def submission_open(*, user: Any, form: ReportForm, period: str | Period, unit: Unit) -> Submission:
    """The unit's report on the form for the period, created with every item of the form and
    the derived values pre-filled (and refreshed while the report is still editable)."""
    _require(user, "view", form)
    code = period.code if isinstance(period, Period) else period
    value = form.period(code)
    found = Submission.objects.filter(form=form, period=value.code, unit=unit).first()
    if found is not None:
        _require(user, "view", found)
        if found.editable and scoping.can_on(user, "change", found):
            submission_refresh_derived(user=user, submission=found)
        return found
    if not form.active:
        raise ValidationError(_("This form is no longer in use."))
    tree = selectors.tree_on(value.end)
    if unit.pk not in selectors.expected_units(form, tree):
        raise ValidationError(
            _("%(unit)s does not report on this form for %(period)s.")
            % {"unit": unit, "period": value.label}
        )
    submission = Submission(form=form, period=value.code, unit=unit)
    submission.fill_period()
    submission.full_clean()
    _require(user, "add", submission)
    submission.save()
    rows = {}
    for item in selectors.form_items(form):
        indicator = item.indicator
        derived = _derived(indicator, unit, value) if indicator.is_derived else None
        rows[indicator.pk] = DataValue(
            submission=submission, indicator=indicator, derived=derived, value=derived
        )
    _recompute_ratios(submission, rows)
    DataValue.objects.bulk_create(rows.values())
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        instance=submission,
        changes={**diff({}, snapshot(submission)), "values": [None, _values_text(rows)]},
    )
    return submission


def submission_refresh_derived(*, user: Any, submission: Submission) -> int:
    """Recompute the derived values of an editable report; a value still equal to the old
    derived one (or empty) follows it. Returns how many derived values changed. The change of
    a derived figure is data, not a user's edit: it is written without an audit entry."""
    if not submission.editable:
        return 0
    period = submission.period_value
    changed = 0
    for row in submission.values.select_related("indicator").filter(
        indicator__source=Source.DERIVED
    ):
        derived = _derived(row.indicator, submission.unit, period)
        if derived != row.derived:
            if row.value is None or row.value == row.derived:
                row.value = derived
            row.derived = derived
            row.save(update_fields=["value", "derived"])
            changed += 1
    return changed


@transaction.atomic
def submission_save_values(
    *,
    user: Any,
    submission: Submission,
    values: Mapping[int, Decimal | None],
    comments: Mapping[int, str] | None = None,
    message: str = "",
) -> Submission:
    """Save the figures (by indicator id) and comments of an editable report; percentages are
    recomputed from their parts."""
    _require(user, "change", submission)
    if not submission.editable:
        raise ValidationError(_("Only a draft or returned report can be changed."))
    rows = _rows(submission)
    before = _values_text(rows)
    before_comments = {r.indicator.code: r.comment for r in rows.values()}
    changed: set[int] = set()
    for indicator_id, value in values.items():
        row = rows.get(int(indicator_id))
        if row is None:
            raise ValidationError(_("This indicator is not on the form."))
        if row.indicator.source == Source.RATIO:
            continue
        if value is not None and value < 0:
            raise ValidationError(
                {
                    "values": _("%(name)s: a figure cannot be negative.")
                    % {"name": row.indicator.name}
                }
            )
        value = _rounded(value, row.indicator)
        if row.value != value:
            row.value = value
            changed.add(row.pk)
    for indicator_id, comment in (comments or {}).items():
        row = rows.get(int(indicator_id))
        if row is not None and row.comment != comment.strip():
            row.comment = comment.strip()[:500]
            changed.add(row.pk)
    changed.update(r.pk for r in _recompute_ratios(submission, rows))
    to_save = [r for r in rows.values() if r.pk in changed]
    for row in to_save:
        row.full_clean(exclude=["submission", "indicator"])
    DataValue.objects.bulk_update(to_save, ["value", "comment"])
    after = _values_text(rows)
    after_comments = {r.indicator.code: r.comment for r in rows.values()}
    changes: dict[str, Any] = {
        k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)
    }
    changes.update(
        {
            f"{k} ({_('comment')})": [before_comments.get(k), v]
            for k, v in after_comments.items()
            if before_comments.get(k) != v
        }
    )
    if changes:
        submission.save(update_fields=["updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            instance=submission,
            changes=changes,
            message=message,
        )
    return submission


# -- validation --------------------------------------------------------------------------------


COMPARE: dict[str, Any] = {
    Operator.LE: lambda a, b: a <= b,
    Operator.LT: lambda a, b: a < b,
    Operator.EQ: lambda a, b: a == b,
    Operator.GE: lambda a, b: a >= b,
    Operator.GT: lambda a, b: a > b,
}


def rule_holds(rule: ValidationRule, values: Mapping[int, Decimal | None]) -> bool | None:
    """True, False, or None when a figure it needs is missing."""
    left = values.get(rule.left_id)
    if left is None:
        return None
    if rule.operator in COMPARE:
        right = values.get(rule.right_id or 0)
        return None if right is None else COMPARE[rule.operator](left, right)
    if rule.operator == Operator.SUM:
        parts = [values.get(p.pk) for p in rule.parts.all()]
        known = [p for p in parts if p is not None]
        if len(known) != len(parts):
            return None
        return left == sum(known, Decimal(0))
    numerator = values.get(rule.right_id or 0)
    denominator = values.get(rule.denominator_id or 0)
    computed = selectors.ratio(numerator, denominator)
    if computed is None:
        return None
    return abs(left - computed) <= rule.tolerance


def rule_message(rule: ValidationRule) -> str:
    if rule.message:
        return rule.message
    right = rule.right.name if rule.right else ""
    if rule.operator == Operator.SUM:
        return _("%(left)s must equal the sum of its parts.") % {"left": rule.left.name}
    if rule.operator == Operator.PERCENT:
        return _("%(left)s must equal %(right)s / %(denominator)s x 100.") % {
            "left": rule.left.name,
            "right": right,
            "denominator": rule.denominator.name if rule.denominator else "",
        }
    return f"{rule.left.name} {rule.get_operator_display()} {right}"


def submission_check(submission: Submission) -> tuple[list[str], list[str]]:
    """(errors that block submission, warnings) of the report's figures."""
    rows = _rows(submission)
    values = {i: r.value for i, r in rows.items()}
    errors: list[str] = []
    warnings: list[str] = []
    missing = [r.indicator.name for r in rows.values() if r.value is None]
    if missing:
        errors.append(_("Enter every figure: %(names)s.") % {"names": "; ".join(missing)})
    for rule in submission.form.rules.select_related(
        "left", "right", "denominator"
    ).prefetch_related("parts"):
        if rule_holds(rule, values) is False:
            (errors if rule.severity == Severity.BLOCK else warnings).append(rule_message(rule))
    return errors, warnings


# -- transitions -------------------------------------------------------------------------------


@transaction.atomic
def submission_submit(
    *, user: Any, submission: Submission, at: dt.datetime | None = None
) -> list[str]:
    """Send the report for approval; blocking rules refuse it. Returns the warnings."""
    _require(user, "change", submission)
    if not submission.editable:
        raise ValidationError(_("Only a draft or returned report can be submitted."))
    # The registry's figures as of the submission: what the approver compares with.
    submission_refresh_derived(user=user, submission=submission)
    errors, warnings = submission_check(submission)
    if errors:
        raise ValidationError(errors)
    before = snapshot(submission)
    at = at or timezone.now()
    submission.status = Status.SUBMITTED
    submission.submitted_at = at
    submission.submitted_by = _actor(user)
    submission.on_time = timezone.localdate(at) <= submission.due_on
    submission.return_reason = ""
    submission.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "on_time",
            "return_reason",
            "updated_at",
        ]
    )
    _transition(user, submission, before, "; ".join(warnings) or _("Submitted"))
    return warnings


def _reports_below(submission: Submission) -> tuple[list[int], dict[int, Submission]]:
    """Expected reporters under the report's unit at the period's end, and their reports."""
    tree = selectors.tree_on(submission.period_end)
    expected = set(selectors.expected_units(submission.form, tree))
    below = [u for u in tree.below(submission.unit_id) if u in expected]
    found = {
        s.unit_id: s
        for s in Submission.objects.filter(
            form=submission.form, period=submission.period, unit_id__in=below
        ).select_related("unit")
    }
    return below, found


@transaction.atomic
def submission_approve(
    *, user: Any, submission: Submission, at: dt.datetime | None = None
) -> Submission:
    """Approve a submitted report (after every report of the units under it); it is then
    locked for editing, and the reports under it become locked."""
    _require_approver(user, submission)
    if submission.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    below, found = _reports_below(submission)
    waiting = [u for u in below if u not in found or found[u].status not in FINAL]
    if waiting:
        raise ValidationError(
            _("Approve the reports of the units under it first (%(count)s waiting).")
            % {"count": len(waiting)}
        )
    before = snapshot(submission)
    submission.status = Status.APPROVED
    submission.approved_at = at or timezone.now()
    submission.approved_by = _actor(user)
    submission.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    _transition(user, submission, before, _("Approved"))
    for child in found.values():
        if child.status == Status.APPROVED:
            child_before = snapshot(child)
            child.status = Status.LOCKED
            child.save(update_fields=["status", "updated_at"])
            _transition(
                user, child, child_before, _("Locked with %(report)s") % {"report": submission}
            )
    return submission


@transaction.atomic
def submission_return(*, user: Any, submission: Submission, reason: str) -> Submission:
    _require_approver(user, submission)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the report.")})
    if submission.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."))
    before = snapshot(submission)
    submission.status = Status.RETURNED
    submission.return_reason = reason.strip()
    submission.save(update_fields=["status", "return_reason", "updated_at"])
    _transition(user, submission, before, reason.strip())
    return submission


@transaction.atomic
def submission_unlock(*, user: Any, submission: Submission, reason: str) -> Submission:
    """Reopen an approved or locked report for correction (it goes back as returned). A report
    inside an approved report of a unit above is unlocked only after that one."""
    _require_approver(user, submission)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for unlocking the report.")})
    if submission.status not in FINAL:
        raise ValidationError(_("Only an approved or locked report can be unlocked."))
    tree = selectors.tree_on(submission.period_end)
    above = tree.chain(submission.unit_id)[1:]
    parent = (
        Submission.objects.filter(
            form=submission.form, period=submission.period, unit_id__in=above, status__in=FINAL
        )
        .select_related("unit")
        .first()
    )
    if parent is not None:
        raise ValidationError(
            _("Unlock the report of %(unit)s first: it includes this one.") % {"unit": parent.unit}
        )
    before = snapshot(submission)
    submission.status = Status.RETURNED
    submission.return_reason = reason.strip()
    submission.save(update_fields=["status", "return_reason", "updated_at"])
    _transition(user, submission, before, _("Unlocked: %(reason)s") % {"reason": reason.strip()})
    return submission
