"""The verbs of petitions. Each is atomic, keyword-only, checks the gate on the petition it
changes and writes its audit entry (a state change) in the same transaction.

Deadlines are derived: `refresh_deadlines` recomputes them from the legal clock (clock.py), the
holiday calendar, the extensions and the closed pauses; every verb and every generic write
(resources.PetitionResource.prepare_write) calls it, so the stored dates are always the clock's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from noichinh.core.audit import audit_record, diff, snapshot
from noichinh.core.models import AuditAction
from noichinh.core.scoping import can_on
from noichinh.core.services import audit_transition, object_create
from noichinh.core.services import require as _require

from . import clock
from .choices import (
    DECISION_STATUS,
    OUTCOMES_BY_KIND,
    Decision,
    FollowUp,
    PetitionStatus,
)
from .models import Holiday, Petition, PetitionExtension, PetitionPause


def holidays_between(start: dt.date, end: dt.date) -> frozenset[dt.date]:
    return frozenset(
        Holiday.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True)
    )


def holiday_set() -> frozenset[dt.date]:
    return frozenset(Holiday.objects.values_list("day", flat=True))


def compute_deadlines(
    petition: Petition,
    holidays: frozenset[dt.date],
    extensions: list[int] | None = None,
    pauses: list[tuple[dt.date, dt.date]] | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """(classify_due_on, resolve_due_on) of a petition by the clock; pure given its inputs."""
    classify_rule = clock.find_rule(petition.kind, clock.CLASSIFY, petition.complaint_round)
    classify_due = None
    if classify_rule is not None and petition.received_on is not None:
        classify_due = clock.due_date(
            classify_rule,
            petition.received_on,
            complexity=petition.complexity,
            remote=petition.remote_area,
            holidays=holidays,
        )
    resolve_due = None
    resolve_rule = clock.find_rule(petition.kind, clock.RESOLVE, petition.complaint_round)
    if resolve_rule is not None and petition.accepted_on is not None:
        resolve_due = clock.due_date(
            resolve_rule,
            petition.accepted_on,
            complexity=petition.complexity,
            remote=petition.remote_area,
            holidays=holidays,
            extensions=extensions or [],
            pauses=pauses or [],
        )
    return classify_due, resolve_due


def refresh_deadlines(petition: Petition) -> None:
    """Set the stored deadlines from the clock (not saved)."""
    extensions: list[int] = []
    pauses: list[tuple[dt.date, dt.date]] = []
    if petition.pk is not None:
        extensions = list(
            petition.extensions.order_by("decided_on", "id").values_list("days", flat=True)
        )
        pauses = [
            (p.start, p.end)
            for p in petition.pauses.filter(end__isnull=False).order_by("start")
            if p.end is not None
        ]
    try:
        petition.classify_due_on, petition.resolve_due_on = compute_deadlines(
            petition, holiday_set(), extensions, pauses
        )
    except clock.ClockError as error:
        raise ValidationError({"complexity": str(error)}) from error


def petition_register(*, user: Any, **fields: Any) -> Petition:
    """Register a received petition (the generic create: validation, scope, audit)."""
    petition = Petition(**fields)
    created = object_create(user=user, instance=petition, message=_("Registered"))
    assert isinstance(created, Petition)
    return created


def _transition(user: Any, instance: Any, before: dict[str, Any], message: str = "") -> None:
    audit_transition(user=user, instance=instance, before=before, message=message, save=False)


@transaction.atomic
def petition_classify(
    *,
    user: Any,
    petition: Petition,
    decision: str,
    on: dt.date,
    reason: str = "",
    forwarded_to: str = "",
    duplicate_of: Petition | None = None,
) -> Petition:
    """Accept (thụ lý), forward, guide back, reject with a reason, or mark as a duplicate."""
    _require(user, "change", petition)
    _refuse(petition, "classify")
    if decision not in DECISION_STATUS:
        raise ValidationError({"decision": _("Choose how the petition is handled.")})
    if on < petition.received_on:
        raise ValidationError({"on": _("The date cannot be before the petition was received.")})
    reason = reason.strip()
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": _("Give the reason for not accepting the petition.")})
    if decision == Decision.FORWARD and not forwarded_to.strip():
        raise ValidationError({"forwarded_to": _("Name the body the petition is forwarded to.")})
    if decision == Decision.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": _("Choose the earlier petition.")})
        if duplicate_of.pk == petition.pk:
            raise ValidationError({"duplicate_of": _("A petition cannot duplicate itself.")})
        if not can_on(user, "view", duplicate_of):
            raise PermissionDenied(_("This unit is outside your scope."))
    before = snapshot(petition)
    petition.status = DECISION_STATUS[Decision(decision)]
    petition.classified_on = on
    petition.route_note = reason
    if decision == Decision.FORWARD:
        petition.forwarded_to = forwarded_to.strip()
    if decision == Decision.DUPLICATE:
        petition.duplicate_of = duplicate_of
    if decision == Decision.ACCEPT:
        petition.accepted_on = on
    refresh_deadlines(petition)
    petition.save()
    _transition(
        user, petition, before, Decision(decision).label + (f": {reason}" if reason else "")
    )
    return petition


def petition_refusal(petition: Petition, verb: str) -> str | None:
    """Why `verb` ("classify", "extend", "pause", "resume", "resolve", "follow_up") cannot be
    done to the petition in its present state (None: it can). Each service below raises it; the
    petition's page asks it before offering the verb, so the two never disagree."""
    status = petition.status
    paused = petition.paused_since is not None
    if verb == "classify":
        ok = status == PetitionStatus.RECEIVED
        return None if ok else _("Only a received petition can be classified.")
    if verb == "follow_up":
        ok = status == PetitionStatus.RESOLVED
        return None if ok else _("Only a resolved petition has a follow-up.")
    if verb == "resume":
        return None if paused else _("The petition is not paused.")
    if status != PetitionStatus.ACCEPTED:
        return _("Only an accepted petition can be extended, paused or resolved.")
    if verb == "pause" and paused:
        return _("The petition is already paused.")
    if verb == "resolve" and paused:
        return _("Resume the petition before resolving it.")
    return None


def _refuse(petition: Petition, verb: str) -> None:
    refusal = petition_refusal(petition, verb)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def petition_extend(
    *,
    user: Any,
    petition: Petition,
    decided_on: dt.date,
    days: int,
    decision_number: str = "",
    document: Any = None,
    reason: str = "",
) -> PetitionExtension:
    """Extend the time to resolve by decision, within what the law allows."""
    _require(user, "change", petition)
    _refuse(petition, "extend")
    if document is not None and not can_on(user, "view", document):
        raise PermissionDenied(_("This document is outside your scope."))
    rule = clock.find_rule(petition.kind, clock.RESOLVE, petition.complaint_round)
    if rule is None or not rule.extension_max_days:
        raise ValidationError(_("The law allows no extension for this kind of petition."))
    existing = list(petition.extensions.values_list("days", flat=True))
    try:
        clock.check_extensions(rule, petition.complexity, [*existing, days])
    except clock.ClockError:
        allowed = rule.extensions_allowed(petition.complexity)
        raise ValidationError(
            {
                "days": _(
                    "Not allowed: %(allowed)d extension(s) of up to %(max)d days for this "
                    "complexity (%(citation)s)."
                )
                % {"allowed": allowed, "max": rule.extension_max_days, "citation": _(rule.citation)}
            }
        ) from None
    extension = PetitionExtension(
        unit=petition.unit,
        petition=petition,
        decided_on=decided_on,
        days=days,
        decision_number=decision_number,
        document=document,
        reason=reason,
    )
    extension.full_clean()
    extension.save()
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        instance=extension,
        changes=diff({}, snapshot(extension)),
        message=str(petition),
    )
    before = snapshot(petition)
    refresh_deadlines(petition)
    petition.save()
    _transition(user, petition, before, _("Extended by %(days)d days") % {"days": days})
    return extension


@transaction.atomic
def petition_pause(*, user: Any, petition: Petition, start: dt.date, reason: str) -> PetitionPause:
    """Stop the clock from `start` until the petition is resumed."""
    _require(user, "change", petition)
    _refuse(petition, "pause")
    if petition.accepted_on and start < petition.accepted_on:
        raise ValidationError({"start": _("A pause cannot start before the acceptance.")})
    pause = PetitionPause(unit=petition.unit, petition=petition, start=start, reason=reason)
    pause.full_clean()
    pause.save()
    before = snapshot(petition)
    petition.paused_since = start
    petition.save()
    _transition(user, petition, before, _("Paused: %(reason)s") % {"reason": reason})
    return pause


@transaction.atomic
def petition_resume(*, user: Any, petition: Petition, end: dt.date) -> Petition:
    """Restart the clock; the deadline moves back by the length of the pause."""
    _require(user, "change", petition)
    _refuse(petition, "resume")
    pause = petition.pauses.filter(end__isnull=True).order_by("-start").first()
    if pause is None:
        raise ValidationError(_("The petition is not paused."))
    if end < pause.start:
        raise ValidationError({"end": _("A pause cannot end before it starts.")})
    pause.end = end
    pause.save(update_fields=["end", "updated_at"])
    before = snapshot(petition)
    petition.paused_since = None
    refresh_deadlines(petition)
    petition.save()
    _transition(user, petition, before, _("Resumed"))
    return petition


@transaction.atomic
def petition_resolve(
    *, user: Any, petition: Petition, resolved_on: dt.date, outcome: str, note: str = ""
) -> Petition:
    """Record the resolution; the outcomes differ for complaints and denunciations."""
    _require(user, "change", petition)
    _refuse(petition, "resolve")
    if outcome not in OUTCOMES_BY_KIND.get(petition.kind, ()):
        raise ValidationError(
            {"outcome": _("This outcome does not apply to this kind of petition.")}
        )
    if petition.accepted_on and resolved_on < petition.accepted_on:
        raise ValidationError({"resolved_on": _("The resolution cannot be before the acceptance.")})
    before = snapshot(petition)
    petition.status = PetitionStatus.RESOLVED
    petition.resolved_on = resolved_on
    petition.outcome = outcome
    petition.resolution_note = note
    petition.save()
    _transition(user, petition, before, _("Resolved"))
    return petition


@transaction.atomic
def petition_record_follow_up(
    *, user: Any, petition: Petition, follow_up: str, note: str = ""
) -> Petition:
    """Record how the resolution decision is being carried out."""
    _require(user, "change", petition)
    _refuse(petition, "follow_up")
    if follow_up not in FollowUp.values or not follow_up:
        raise ValidationError({"follow_up": _("Choose the state of the follow-up.")})
    before = snapshot(petition)
    petition.follow_up = follow_up
    petition.follow_up_note = note
    petition.save()
    _transition(user, petition, before, _("Follow-up recorded"))
    return petition
