"""What a closing unit holds in emulation (core.handover): its target registrations in
campaigns still running on the hand-over day. They are listed and kept: a registration is the
commitment of the unit that made it, and the reviews add a merged unit's targets and records to
its successor's (campaigns.progress reads the predecessors' registrations), so moving it would
count it twice or drop it from its cluster. The preview says so for each."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noichinh.core.handover import HandoverContext, HandoverKind, register_handover

from .models import TargetRegistration


def _kept(registration: Any, ctx: HandoverContext) -> str:
    return _("Kept: its targets count towards “%(heir)s” at the campaign's reviews.") % {
        "heir": ctx.heir
    }


register_handover(
    HandoverKind(
        key="campaigns.targetregistration",
        label=gettext_lazy("Target registrations of running campaigns"),
        model=TargetRegistration,
        held=lambda ids, on: (
            TargetRegistration.objects.filter(unit_id__in=ids, campaign__end_on__gte=on)
            .select_related("campaign")
            .order_by("campaign__start_on", "id")
        ),
        describe=lambda registration: str(registration.get_status_display()),
        blocked=_kept,
        # A registration is dated by its campaign: a closed unit's registration in a
        # campaign that began before the closing may be entered late.
        date_field="campaign__start_on",
        order=70,
    )
)
