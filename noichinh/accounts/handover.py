"""Role assignments end with their unit (core.handover): a hand-over ends every assignment
still running on the closing unit on its last day, and, when the reorganisation says so,
gives the same role on the heir from the hand-over day (the people moved to the new unit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noichinh.core.audit import audit_change, snapshot
from noichinh.core.handover import HandoverContext, HandoverKind, register_handover

from .models import RoleAssignment


def _held(ids: Any, on: dt.date) -> Any:
    return (
        RoleAssignment.objects.filter(unit_id__in=ids)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("user")
        .order_by("user__username", "role")
    )


def _describe(assignment: Any) -> str:
    return f"{assignment.user} · {assignment.get_role_display()}"


def _move(assignment: Any, ctx: HandoverContext) -> None:
    before = snapshot(assignment)
    last_day = ctx.on - dt.timedelta(days=1)
    assignment.valid_to = max(last_day, assignment.valid_from)
    assignment.save(update_fields=["valid_to", "updated_at", "search_text"])
    audit_change(
        user=ctx.user,
        instance=assignment,
        before=before,
        message=_("Ended with the unit: %(message)s") % {"message": ctx.message},
    )
    if not ctx.carry_roles:
        return
    held = RoleAssignment.objects.filter(user=assignment.user, unit=ctx.heir, role=assignment.role)
    if held.exists():
        return
    carried = RoleAssignment.objects.create(
        user=assignment.user,
        unit=ctx.heir,
        role=assignment.role,
        valid_from=max(ctx.on, assignment.valid_from),
        note=str(ctx.message)[:255],
    )
    audit_change(user=ctx.user, instance=carried, before=None, message=ctx.message)


register_handover(
    HandoverKind(
        key="accounts.roleassignment",
        label=gettext_lazy("Role assignments"),
        model=RoleAssignment,
        held=_held,
        move=_move,
        describe=_describe,
        date_field="valid_from",
        order=80,
    )
)
