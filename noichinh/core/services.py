"""Generic writes for resources without special rules. Pages and the API both call these.

Each write validates the record, saves it, checks the saved record is still inside the user's
scope for the action (a save that would move it out rolls back), and writes its audit entry in
the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from .audit import audit_change, audit_record, diff, snapshot
from .models import AuditAction
from .resources import registry
from .scoping import can_on


def require(user: Any, action: str, instance: models.Model) -> None:
    """The gate for a verb: the user holds `action` on the record's unit, else 403."""
    if not can_on(user, action, instance):
        raise PermissionDenied(_("This unit is outside your scope."))


def audit_transition(
    *,
    user: Any,
    instance: models.Model,
    before: dict[str, Any],
    message: str = "",
    save: bool = False,
) -> None:
    """A state change of a verb (thụ lý, phê duyệt, đóng phiếu...): optionally save the record,
    then write its audit entry with what changed since `before` (`snapshot` taken first)."""
    if save:
        instance.save()
    audit_record(
        action=AuditAction.TRANSITION,
        user=user,
        instance=instance,
        changes=diff(before, snapshot(instance)),
        message=message,
    )


def person(user: Any) -> Any:
    """The user to name on a record (None for the system actor of management commands)."""
    return user if getattr(user, "pk", None) is not None else None


def _check_scope(user: Any, action: str, instance: models.Model) -> None:
    if not can_on(user, action, instance):
        raise PermissionDenied(_("This unit is outside your scope."))
    resource = registry.for_model(type(instance))
    if resource is not None:
        resource.check_write(user, instance, action)


def _set_m2m(instance: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> None:
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)


@transaction.atomic
def object_create(
    *,
    user: Any,
    instance: models.Model,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    message: str = "",
) -> models.Model:
    """Validate, check scope, save, set many-to-many values, then audit (so the entry holds
    them too)."""
    resource = registry.for_model(type(instance))
    if resource is not None:
        resource.prepare_write(instance)
    instance.full_clean(exclude=list(m2m or ()))
    _check_scope(user, "add", instance)
    instance.save()
    _set_m2m(instance, m2m)
    if resource is not None:
        resource.after_write(instance, None)
    audit_change(user=user, instance=instance, before=None, message=message)
    return instance


@transaction.atomic
def object_update(
    *,
    user: Any,
    instance: models.Model,
    before: dict[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    message: str = "",
) -> models.Model:
    """`before` is `snapshot(instance)` taken before the caller changed it."""
    resource = registry.for_model(type(instance))
    if resource is not None:
        resource.prepare_write(instance)
    instance.full_clean(exclude=list(m2m or ()))
    _check_scope(user, "change", instance)
    instance.save()
    _set_m2m(instance, m2m)
    if resource is not None:
        resource.after_write(instance, before)
    audit_change(user=user, instance=instance, before=before, message=message)
    return instance


@transaction.atomic
def _cascaded(instance: models.Model) -> list[tuple[models.Model, dict[str, Any]]]:
    """Records that deleting `instance` removes too (CASCADE), with their snapshots; rows of
    automatic many-to-many tables are left out (the record's own entry holds those ids)."""
    collector = Collector(using=router.db_for_write(type(instance)))
    collector.collect([instance])
    found: list[models.Model] = []
    for model, objects in collector.data.items():
        found.extend(o for o in objects if not model._meta.auto_created)
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created:
            found.extend(queryset)
    return [
        (o, snapshot(o)) for o in found if not (type(o) is type(instance) and o.pk == instance.pk)
    ]


def object_delete(*, user: Any, instance: models.Model, reason: str = "") -> None:
    """Delete with a reason; the records removed with it (CASCADE) get their own entries."""
    _check_scope(user, "delete", instance)
    before = snapshot(instance)
    pk = instance.pk
    label = instance._meta.label_lower
    text = str(instance)
    unit = getattr(instance, "unit", None)
    cascaded = _cascaded(instance)
    instance.delete()
    for child, child_before in cascaded:
        audit_record(
            action=AuditAction.DELETE,
            user=user,
            instance=child,
            object_id=str(child_before.get("id", "")),
            changes={k: [v, None] for k, v in child_before.items()},
            message=_("Deleted with %(label)s #%(pk)s: %(reason)s")
            % {"label": label, "pk": pk, "reason": reason},
        )
    resource = registry.for_model(type(instance))
    if resource is not None:
        instance.pk = pk  # after_write may need the old identity (e.g. to recompute a group)
        resource.after_write(instance, before)
    audit_record(
        action=AuditAction.DELETE,
        user=user,
        object_type=label,
        object_id=str(pk),
        object_repr=text,
        changes={k: [v, None] for k, v in before.items()},
        message=reason,
        unit=unit,
    )
