"""What a closing unit's case registry hands over to its heir (core.handover): open cases and
security issues not yet resolved for good. A case's parts (events, suspensions) follow it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from noichinh.core.handover import HandoverKind, register_handover, register_part

from .choices import IssueStatus, Stage
from .models import Case, CaseEvent, CaseSuspension, SecurityIssue

register_handover(
    HandoverKind(
        key="cases.case",
        label=_("Open cases and matters"),
        model=Case,
        held=lambda ids, on: (
            Case.objects.filter(unit_id__in=ids)
            .exclude(stage=Stage.CLOSED)
            .order_by("detected_on", "id")
        ),
        describe=lambda case: str(case.get_stage_display()),
        date_field="detected_on",
        order=10,
    )
)
register_handover(
    HandoverKind(
        key="cases.securityissue",
        label=_("Security issues being followed"),
        model=SecurityIssue,
        held=lambda ids, on: (
            SecurityIssue.objects.filter(unit_id__in=ids)
            .exclude(status=IssueStatus.RESOLVED)
            .order_by("started_on", "id")
        ),
        describe=lambda issue: str(issue.get_status_display()),
        date_field="started_on",
        order=20,
    )
)
register_part(CaseEvent, "case")
register_part(CaseSuspension, "case")
