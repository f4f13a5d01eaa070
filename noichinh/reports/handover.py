"""What a closing unit's reporting hands over to its heir (core.handover): the forms in use
that name the unit among the units that must report (the heir reports in its place from the
hand-over on). A unit's own report of a period that ended before its closing may still be
entered late (a report is dated by the last day of its period)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noichinh.core.audit import audit_record
from noichinh.core.handover import (
    HandoverContext,
    HandoverKind,
    register_handover,
    register_record_date,
)
from noichinh.core.models import AuditAction

from .choices import Reporting
from .models import ReportForm, Submission


def _held(ids: Any, on: Any) -> Any:
    return (
        ReportForm.objects.filter(active=True, reporting=Reporting.SELECTED)
        .filter(reporting_units__in=ids)
        .distinct()
        .order_by("code")
    )


def _move(form: Any, ctx: HandoverContext) -> None:
    before = sorted(form.reporting_units.values_list("pk", flat=True))
    closed = [pk for pk in before if pk in ctx.source_ids]
    form.reporting_units.remove(*closed)
    form.reporting_units.add(ctx.heir)
    after = sorted(form.reporting_units.values_list("pk", flat=True))
    audit_record(
        action=AuditAction.TRANSITION,
        user=ctx.user,
        instance=form,
        changes={"reporting_units": [before, after]},
        message=ctx.message,
    )


def _holder(form: Any, ids: Any) -> Any:
    return next((pk for pk in form.reporting_units.values_list("pk", flat=True) if pk in ids), None)


register_handover(
    HandoverKind(
        key="reports.reportform",
        label=gettext_lazy("Report obligations"),
        model=ReportForm,
        held=_held,
        move=_move,
        holder=_holder,
        guarded=False,
        describe=lambda form: (
            _("Reports every %(period)s") % {"period": form.get_period_type_display().lower()}
        ),
        order=60,
    )
)
register_record_date(Submission, "period_end")
