"""The verbs of the case registry. Each is atomic, checks the gate on the case it changes and
writes its audit entry in the same transaction; the case's derived fields (stage, last
activity, open suspension, figures) are recomputed by `case_refresh`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from noichinh.core.audit import snapshot
from noichinh.core.services import object_create, object_update
from noichinh.core.services import require as _require

from .choices import Stage
from .models import Case, CaseEvent, CaseSuspension


def case_refresh(case: Case) -> None:
    """Recompute the case's derived fields from its events and suspensions (derived data,
    written with update(); the event or suspension that changed them is audited)."""
    events = list(case.events.order_by("occurred_on", "id"))
    open_suspensions = list(
        case.suspensions.filter(ended_on__isnull=True).order_by("started_on", "id")
    )
    last = events[-1] if events else None
    latest: dict[str, Any] = {"people_prosecuted": None, "damage_amount": None}
    latest["recovered_amount"] = None
    for event in events:
        for name in latest:
            value = getattr(event, name)
            if value is not None:
                latest[name] = value
    values = {
        "stage": last.stage if last else Stage.REGISTERED,
        "last_event_on": last.occurred_on if last else case.detected_on,
        "closed_on": last.occurred_on if last and last.stage == Stage.CLOSED else None,
        "suspended_since": open_suspensions[0].started_on if open_suspensions else None,
        "suspension_reason": open_suspensions[0].reason if open_suspensions else "",
        **latest,
    }
    Case.objects.filter(pk=case.pk).update(**values)
    for name, value in values.items():
        setattr(case, name, value)


@transaction.atomic
def case_record_event(
    *,
    user: Any,
    case: Case,
    occurred_on: dt.date,
    stage: str,
    description: str = "",
    people_prosecuted: int | None = None,
    damage_amount: Decimal | None = None,
    recovered_amount: Decimal | None = None,
    document: Any = None,
) -> CaseEvent:
    _require(user, "change", case)
    if case.closed and stage != Stage.CLOSED:
        raise ValidationError(_("The case is closed; reopen it by correcting its last event."))
    event = CaseEvent(
        unit=case.unit,
        case=case,
        occurred_on=occurred_on,
        stage=stage,
        description=description,
        people_prosecuted=people_prosecuted,
        damage_amount=damage_amount,
        recovered_amount=recovered_amount,
        document=document,
    )
    created = object_create(user=user, instance=event)  # the resource refreshes the case
    assert isinstance(created, CaseEvent)
    return created


def suspend_refusal(case: Case) -> str | None:
    """Why the case cannot be suspended now (None: it can). The record page asks this too."""
    if case.closed:
        return _("A closed case cannot be suspended.")
    if case.suspensions.filter(ended_on__isnull=True).exists():
        return _("The case is already suspended.")
    return None


def resume_refusal(case: Case) -> str | None:
    """Why the case cannot be resumed now (None: it can)."""
    if not case.suspensions.filter(ended_on__isnull=True).exists():
        return _("The case is not suspended.")
    return None


@transaction.atomic
def case_suspend(
    *,
    user: Any,
    case: Case,
    reason: str,
    started_on: dt.date,
    note: str = "",
    document: Any = None,
) -> CaseSuspension:
    _require(user, "change", case)
    refusal = suspend_refusal(case)
    if refusal:
        raise ValidationError(refusal)
    suspension = CaseSuspension(
        unit=case.unit,
        case=case,
        reason=reason,
        started_on=started_on,
        note=note,
        document=document,
    )
    created = object_create(user=user, instance=suspension)
    assert isinstance(created, CaseSuspension)
    return created


@transaction.atomic
def case_resume(*, user: Any, case: Case, ended_on: dt.date, note: str = "") -> CaseSuspension:
    _require(user, "change", case)
    refusal = resume_refusal(case)
    if refusal:
        raise ValidationError(refusal)
    suspension = case.suspensions.filter(ended_on__isnull=True).first()
    assert suspension is not None
    if ended_on < suspension.started_on:
        raise ValidationError({"ended_on": _("The case cannot resume before it was suspended.")})
    before = snapshot(suspension)
    suspension.ended_on = ended_on
    if note:
        suspension.note = f"{suspension.note}\n{note}".strip()
    updated = object_update(
        user=user, instance=suspension, before=before, message=_("Case resumed")
    )
    assert isinstance(updated, CaseSuspension)
    return updated


@transaction.atomic
def case_split(
    *, user: Any, case: Case, title: str, detected_on: dt.date, summary: str = ""
) -> Case:
    """Split a part of the case off into its next phase (giai đoạn II), linked to its origin;
    it inherits the origin's classification and directing documents."""
    _require(user, "change", case)
    root = case.origin or case
    phase = max([p.phase for p in root.phases.all()] + [root.phase]) + 1
    if detected_on < case.detected_on:
        raise ValidationError(
            {"detected_on": _("A split-off phase cannot precede its origin's detection date.")}
        )
    part = Case(
        unit=case.unit,
        department=case.department,
        title=title,
        kind=case.kind,
        conduct=case.conduct,
        field=case.field,
        detected_on=detected_on,
        detection=case.detection,
        public_concern=case.public_concern,
        monitoring=case.monitoring,
        confidentiality=case.confidentiality,
        summary=summary,
        origin=root,
        phase=phase,
    )
    created = object_create(
        user=user,
        instance=part,
        m2m={"documents": list(case.documents.all())},
        message=_("Split off from %(case)s") % {"case": case},
    )
    assert isinstance(created, Case)
    return created
