"""The verbs of target registration. Each is atomic, checks the gate and writes its audit
entry in the same transaction.

- A unit registers (draft), sets its targets, submits; the level above approves or returns it
  with a reason. Only a draft or returned registration's targets change freely.
- An approved target changes only by an amendment with a reason, kept as history.
- A committee asks the units below it (departments) to register: their draft registrations are
  created with the proposed targets, to be adjusted and submitted by each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noichinh.core.audit import snapshot
from noichinh.core.scoping import user_scope
from noichinh.core.services import audit_transition, object_create, object_update, person
from noichinh.core.services import require as _require
from noichinh.units.models import Unit

from .choices import CampaignState, RegistrationStatus
from .models import Criterion, Review, Target, TargetChange, TargetRegistration


def _require_level_above(user: Any, registration: TargetRegistration) -> None:
    """Approval belongs to the level above: the approver's scope covers the parent unit."""
    parent = registration.unit.parent
    scope = user_scope(user, "approve", TargetRegistration)
    if parent is None or not scope.covers(parent.path):
        raise PermissionDenied(_("Only the level above may approve or return this registration."))


def _transition(user: Any, instance: Any, before: dict[str, Any], message: str = "") -> None:
    audit_transition(user=user, instance=instance, before=before, message=message, save=True)


@transaction.atomic
def target_set(
    *,
    user: Any,
    registration: TargetRegistration,
    criterion: Criterion,
    review: Review | None,
    value: int,
) -> Target:
    """Set a target of a draft or returned registration (creates or changes it)."""
    _require(user, "change", registration)
    if not registration.editable:
        raise ValidationError(
            _("The registration is %(status)s: amend its targets with a reason.")
            % {"status": registration.get_status_display().lower()}
        )
    target = Target.objects.filter(
        registration=registration, criterion=criterion, review=review
    ).first()
    if target is None:
        created = object_create(
            user=user,
            instance=Target(
                unit=registration.unit,
                registration=registration,
                criterion=criterion,
                review=review,
                value=value,
            ),
        )
        assert isinstance(created, Target)
        return created
    before = snapshot(target)
    target.value = value
    updated = object_update(user=user, instance=target, before=before)
    assert isinstance(updated, Target)
    return updated


def amend_refusal(registration: TargetRegistration, today: dt.date | None = None) -> str | None:
    """Why the registration's targets cannot be amended now (None: they can). A campaign
    that has ended is judged on the targets it had: nothing is amended after it. The
    registration page asks this before offering "Amend a target"."""
    if registration.campaign.state_on(today) == CampaignState.ENDED:
        return _("The campaign has ended: its targets can no longer be amended.")
    return None


@transaction.atomic
def target_amend(
    *, user: Any, target: Target, value: int, reason: str, on: dt.date | None = None
) -> TargetChange:
    """Change an approved (or submitted) target; the reason and old value are kept."""
    _require(user, "change", target.registration)
    refusal = amend_refusal(target.registration, on)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    if value == target.value:
        raise ValidationError({"value": _("The new target is the same as the current one.")})
    before = snapshot(target)
    change = TargetChange(
        unit=target.unit,
        target=target,
        old_value=target.value,
        new_value=value,
        reason=reason.strip(),
        changed_on=on or timezone.localdate(),
        changed_by=user,
    )
    target.value = value
    target._amending = True  # type: ignore[attr-defined]  # the resource lets amendments through
    object_update(user=user, instance=target, before=before, message=reason.strip())
    created = object_create(user=user, instance=change)
    assert isinstance(created, TargetChange)
    return created


@transaction.atomic
def registration_submit(
    *, user: Any, registration: TargetRegistration, on: dt.date | None = None
) -> TargetRegistration:
    _require(user, "change", registration)
    if not registration.editable:
        raise ValidationError(_("Only a draft or returned registration can be submitted."))
    if not registration.targets.exists():
        raise ValidationError(_("Register at least one target before submitting."))
    before = snapshot(registration)
    registration.status = RegistrationStatus.SUBMITTED
    registration.submitted_on = on or timezone.localdate()
    registration.return_reason = ""
    _transition(user, registration, before, _("Registration submitted"))
    return registration


@transaction.atomic
def registration_approve(
    *, user: Any, registration: TargetRegistration, on: dt.date | None = None
) -> TargetRegistration:
    _require_level_above(user, registration)
    if registration.status != RegistrationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted registration can be approved."))
    before = snapshot(registration)
    registration.status = RegistrationStatus.APPROVED
    registration.decided_on = on or timezone.localdate()
    registration.decided_by = person(user)
    _transition(user, registration, before, _("Registration approved"))
    return registration


@transaction.atomic
def registration_return(
    *, user: Any, registration: TargetRegistration, reason: str
) -> TargetRegistration:
    _require_level_above(user, registration)
    if registration.status != RegistrationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted registration can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    before = snapshot(registration)
    registration.status = RegistrationStatus.RETURNED
    registration.decided_on = timezone.localdate()
    registration.decided_by = person(user)
    registration.return_reason = reason.strip()
    _transition(user, registration, before, reason.strip())
    return registration


@transaction.atomic
def registration_request_children(
    *,
    user: Any,
    registration: TargetRegistration,
    proposals: dict[tuple[Criterion, Review | None], int],
) -> list[TargetRegistration]:
    """Ask every active unit directly below to register, with the proposed targets (e.g. each
    department at least 3 and 2; by the midterm at least 2 and 1). Units that already have a
    registration are left as they are."""
    _require(user, "change", registration)
    if not proposals:
        raise ValidationError(_("Propose at least one target."))
    created: list[TargetRegistration] = []
    for child in Unit.objects.filter(parent=registration.unit).active().order_by("code"):
        if TargetRegistration.objects.filter(campaign=registration.campaign, unit=child).exists():
            continue
        new = object_create(
            user=user,
            instance=TargetRegistration(unit=child, campaign=registration.campaign),
            message=_("Requested by %(unit)s") % {"unit": registration.unit},
        )
        assert isinstance(new, TargetRegistration)
        for (criterion, review), value in proposals.items():
            object_create(
                user=user,
                instance=Target(
                    unit=child, registration=new, criterion=criterion, review=review, value=value
                ),
            )
        created.append(new)
    return created
