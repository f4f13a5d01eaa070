"""Generic writes for resources without special rules. Pages and the API both call these.

Each write validates the record, saves it, checks the saved record is still inside the user's
scope for the action (a save that would move it out rolls back), and writes its audit entry in
the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import audit_change, audit_record, snapshot
from .models import AuditAction
from .resources import registry
from .scoping import can_on


def _check_scope(user: Any, action: str, instance: models.Model) -> None:
    if not can_on(user, action, instance):
        raise PermissionDenied(_("This unit is outside your scope."))
    resource = registry.for_model(type(instance))
    if resource is not None:
        resource.check_write(user, instance, action)


@transaction.atomic
def object_create(*, user: Any, instance: models.Model, message: str = "") -> models.Model:
    instance.full_clean()
    _check_scope(user, "add", instance)
    instance.save()
    audit_change(user=user, instance=instance, before=None, message=message)
    return instance


@transaction.atomic
def object_update(
    *, user: Any, instance: models.Model, before: dict[str, Any], message: str = ""
) -> models.Model:
    instance.full_clean()
    _check_scope(user, "change", instance)
    instance.save()
    audit_change(user=user, instance=instance, before=before, message=message)
    return instance


@transaction.atomic
def object_delete(*, user: Any, instance: models.Model, reason: str = "") -> None:
    _check_scope(user, "delete", instance)
    before = snapshot(instance)
    pk = instance.pk
    label = instance._meta.label_lower
    text = str(instance)
    unit = getattr(instance, "unit", None)
    instance.delete()
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
