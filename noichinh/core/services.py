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
from .models import AuditAction, AuditEntry, Versioned
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


class StaleVersion(Exception):
    """A change made from an older version of a `Versioned` record: someone saved it meanwhile.

    `changed` maps each field saved by others since `expected` (field names, as the audit log
    has them) to its current stored value; `current` is the record's version now."""

    def __init__(self, instance: models.Model, expected: int, current: int) -> None:
        super().__init__(_("This record was changed by someone else meanwhile."))
        self.instance = instance
        self.expected = expected
        self.current = current
        self.changed = changed_since(instance, expected)


def changed_since(instance: models.Model, version: int) -> list[str]:
    """Fields (attnames) the audit log shows changed after `version` of the record, in order of
    first change; the audit entries carry the version in their diff."""
    entries = AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).order_by("-id")
    names: list[str] = []
    for entry in entries[:200]:
        changes = entry.changes or {}
        step = changes.get("version")
        if not isinstance(step, list) or len(step) != 2:
            continue
        if not isinstance(step[1], int) or step[1] <= version:
            break
        for key in changes:
            if key not in ("version", "id") and key not in names:
                names.append(key)
    return names


def claim_version(instance: models.Model, expected: int | None) -> None:
    """Move a `Versioned` record from `expected` (the version the editor saw; None: the one
    loaded) to the next in one conditional UPDATE, so two saves of the same version cannot both
    pass; raise StaleVersion otherwise. Other records pass untouched."""
    if not isinstance(instance, Versioned) or instance.pk is None:
        return
    model = type(instance)
    seen = instance.version if expected is None else expected
    moved = model._default_manager.filter(pk=instance.pk, version=seen).update(version=seen + 1)
    if not moved:
        current = (
            model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        )
        raise StaleVersion(instance, seen, int(current or 0))
    instance.version = seen + 1
    instance._version_claimed = True


def stale_changes(error: StaleVersion, user: Any) -> list[tuple[str, str, str]]:
    """(field name, label, current value as shown to `user`) of each field changed meanwhile;
    a field whose value is protected (`audit_redact`) is named without its value."""
    from .display import display_value, field_label

    model = type(error.instance)
    fresh = model._default_manager.filter(pk=error.instance.pk).first()
    redact = set(getattr(model, "audit_redact", ()))
    rows: list[tuple[str, str, str]] = []
    for key in error.changed:
        field = next(
            (f for f in model._meta.get_fields() if getattr(f, "attname", None) == key), None
        ) or next((f for f in model._meta.get_fields() if f.name == key), None)
        if field is None or fresh is None:
            continue
        name = field.name
        if name in redact:
            rows.append((name, field_label(model, name), _("(protected)")))
            continue
        text, _link = display_value(fresh, name, user)
        rows.append((name, field_label(model, name), text or _("(empty)")))
    return rows


def stale_message(error: StaleVersion, user: Any, page: bool = True) -> str:
    """The refusal in words: who may read the record learns which fields changed and to what."""
    rows = stale_changes(error, user)
    text = _(
        "Someone else saved this record while you were editing it, so your changes were not saved."
    )
    if rows:
        text += " " + _("Changed meanwhile: %(changes)s.") % {
            "changes": "; ".join(f"{label}: {value}" for _name, label, value in rows)
        }
    if not page:
        return text
    return text + " " + _("Your input is kept below: check it against these values and save again.")


@transaction.atomic
def object_update(
    *,
    user: Any,
    instance: models.Model,
    before: dict[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    message: str = "",
    expected_version: int | None = None,
) -> models.Model:
    """`before` is `snapshot(instance)` taken before the caller changed it. For a `Versioned`
    record, `expected_version` is the version the editor started from (None: the one loaded
    with `instance`); a save from an older version raises StaleVersion and changes nothing."""
    resource = registry.for_model(type(instance))
    if resource is not None:
        resource.prepare_write(instance)
    instance.full_clean(exclude=list(m2m or ()))
    _check_scope(user, "change", instance)
    claim_version(instance, expected_version)
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
