"""What a closing unit's petition registry hands over to its heir (core.handover): petitions
still to classify or to resolve, with their legal clocks (the deadlines do not change: the
heir answers within the time the law gave the unit that received them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noichinh.core.handover import (
    HandoverContext,
    HandoverKind,
    move_unit,
    register_handover,
    register_part,
    register_record_date,
    short_date,
)

from . import aggregates
from .choices import OPEN_STATUSES
from .models import Petition, PetitionExtension, PetitionPause, ReceptionSession


def _clock(petition: Any) -> str:
    due = petition.current_due()
    if due is None:
        return str(petition.get_status_display())
    return _("%(status)s, due %(date)s") % {
        "status": petition.get_status_display(),
        "date": short_date(due),
    }


def _move(petition: Any, ctx: HandoverContext) -> None:
    """The default move (core.handover.move_unit: an `update` of the unit, which no signal
    sees), then the petition's kept counts move with it (aggregates), in the same transaction."""
    source_id = petition.unit_id
    move_unit(petition, ctx)
    aggregates.moved(petition.pk, source_id)


register_handover(
    HandoverKind(
        key="petitions.petition",
        label=gettext_lazy("Open petitions"),
        model=Petition,
        held=lambda ids, on: Petition.objects.filter(
            unit_id__in=ids, status__in=OPEN_STATUSES
        ).order_by("received_on", "id"),
        describe=_clock,
        date_field="received_on",
        order=30,
        move=_move,
    )
)
register_part(PetitionExtension, "petition")
register_part(PetitionPause, "petition")
register_record_date(ReceptionSession, "held_on")
