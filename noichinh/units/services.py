"""Reorganising the tree. Each service checks the actor may reorganise the units it touches,
keeps the old state readable (versions and events), repaths moved subtrees and writes audit
entries, all in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from noichinh.core.audit import audit_record, diff, snapshot
from noichinh.core.handover import (
    HandoverPlan,
    closing_units,
    handover_perform,
    handover_preview,
    heir_of,
)
from noichinh.core.models import AuditAction
from noichinh.core.scoping import user_scope
from noichinh.core.text import format_date

from .choices import EventKind, LinkRole
from .models import Unit, UnitEvent, UnitEventLink, UnitVersion, segment


def _require_manage(user: Any, *units: Unit | None) -> None:
    scope = user_scope(user, "manage_units", Unit)
    for unit in units:
        path = unit.path if unit is not None else ""
        if unit is None:
            # A new root needs the right over the whole tree: every root in scope.
            if scope.empty or not all(
                scope.covers(r.path) for r in Unit.objects.filter(parent=None)
            ):
                raise PermissionDenied(
                    _("Only a system administrator of the whole tree may do this.")
                )
        elif not scope.covers(path):
            raise PermissionDenied(_("Unit “%(unit)s” is outside your scope.") % {"unit": unit})


def _require_active(unit: Unit, on: dt.date) -> None:
    if unit.valid_to is not None:
        raise ValidationError(_("Unit “%(unit)s” is already closed.") % {"unit": unit})
    if on < unit.valid_from:
        raise ValidationError(
            _("The date must not be before “%(unit)s” was established (%(date)s).")
            % {"unit": unit, "date": format_date(unit.valid_from)}
        )


def _event(
    kind: str,
    on: dt.date,
    user: Any,
    document: str,
    note: str,
    sources: Sequence[Unit] = (),
    targets: Sequence[Unit] = (),
) -> UnitEvent:
    event = UnitEvent.objects.create(
        kind=kind,
        date=on,
        document=document,
        note=note,
        created_by=user.get_username() if user is not None else "",
    )
    links = [UnitEventLink(event=event, unit=u, role=LinkRole.SOURCE) for u in sources]
    links += [UnitEventLink(event=event, unit=u, role=LinkRole.TARGET) for u in targets]
    UnitEventLink.objects.bulk_create(links)
    return event


def _new_version(unit: Unit, on: dt.date, event: UnitEvent | None) -> None:
    """Close the version in force and open one with the unit's current state from `on`."""
    from .selectors import forget_trees

    # The trees kept by selectors.tree_on would be stale (their fingerprint changes too).
    forget_trees()
    current = unit.versions.filter(valid_to__isnull=True).first()
    if current is not None:
        if current.valid_from >= on:
            current.delete()  # a same-day correction replaces the state instead of stacking
        else:
            current.valid_to = on - dt.timedelta(days=1)
            current.save(update_fields=["valid_to"])
    if unit.valid_to is not None:
        return
    UnitVersion.objects.create(
        unit=unit,
        valid_from=on,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        parent=unit.parent,
        event=event,
    )


def _audit(
    user: Any, unit: Unit, before: dict[str, Any], message: str, transition: bool = True
) -> None:
    audit_record(
        action=AuditAction.TRANSITION if transition else AuditAction.UPDATE,
        user=user,
        instance=unit,
        changes=diff(before, snapshot(unit)),
        message=message,
    )


def _repath(unit: Unit, new_parent: Unit | None) -> None:
    """Move a unit and its whole subtree under a new parent (one UPDATE for the subtree)."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValidationError(
            _("“%(unit)s” cannot be placed under its own subunit “%(parent)s”.")
            % {"unit": unit, "parent": new_parent}
        )
    old_path = unit.path
    new_path = (new_parent.path if new_parent else "") + segment(unit.pk)
    delta = (new_parent.depth + 1 if new_parent else 0) - unit.depth
    unit.parent = new_parent
    if old_path != new_path:
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + delta,
        )
        unit.path = new_path
        unit.depth += delta
    unit.save(update_fields=["parent", "updated_at", "search_text"])


@transaction.atomic
def unit_create(
    *,
    user: Any,
    parent: Unit | None,
    code: str,
    name: str,
    kind: str,
    valid_from: dt.date,
    short_name: str = "",
    document: str = "",
    note: str = "",
) -> Unit:
    _require_manage(user, parent)
    if parent is not None:
        _require_active(parent, valid_from)
    unit = Unit(
        code=code.strip(),
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        path="~pending",
        depth=0,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = (parent.path if parent else "") + segment(unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    event = _event(EventKind.CREATED, valid_from, user, document, note, targets=[unit])
    _new_version(unit, valid_from, event)
    audit_record(
        action=AuditAction.CREATE,
        user=user,
        instance=unit,
        changes=diff({}, snapshot(unit)),
        message=note,
    )
    return unit


@transaction.atomic
def unit_rename(
    *,
    user: Any,
    unit: Unit,
    name: str,
    on: dt.date,
    short_name: str | None = None,
    document: str = "",
    note: str = "",
) -> Unit:
    _require_manage(user, unit)
    _require_active(unit, on)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the new name.")})
    if name == unit.name and (short_name is None or short_name == unit.short_name):
        raise ValidationError({"name": _("The new name is the same as the current one.")})
    before = snapshot(unit)
    unit.name = name
    if short_name is not None:
        unit.short_name = short_name.strip()
    unit.full_clean(exclude=["path"])
    unit.save()
    event = _event(EventKind.RENAMED, on, user, document, note, sources=[unit], targets=[unit])
    _new_version(unit, on, event)
    _audit(user, unit, before, _("Renamed on %(date)s") % {"date": format_date(on)})
    return unit


@transaction.atomic
def unit_move(
    *, user: Any, unit: Unit, new_parent: Unit, on: dt.date, document: str = "", note: str = ""
) -> Unit:
    _require_manage(user, unit, new_parent)
    _require_active(unit, on)
    _require_active(new_parent, on)
    if unit.parent_id == new_parent.pk:
        raise ValidationError(_("The unit is already under “%(parent)s”.") % {"parent": new_parent})
    before = snapshot(unit)
    _repath(unit, new_parent)
    event = _event(EventKind.MOVED, on, user, document, note, sources=[unit], targets=[unit])
    _new_version(unit, on, event)
    _audit(user, unit, before, _("Moved under %(parent)s") % {"parent": new_parent})
    return unit


def _close(
    user: Any,
    unit: Unit,
    on: dt.date,
    successor: Unit | None,
    event: UnitEvent,
    why: str,
    before: dict[str, Any] | None = None,
) -> None:
    before = before if before is not None else snapshot(unit)
    unit.valid_to = on - dt.timedelta(days=1) if on > unit.valid_from else on
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor", "updated_at", "search_text"])
    _new_version(unit, on, event)
    _audit(user, unit, before, why)


def close_heir(unit: Unit, successor: Unit | None = None) -> Unit | None:
    """Who takes over what a closing unit holds: the successor named, else the unit above it
    in force (the heir rule of the tree of a day, core.counts.tree_on)."""
    if successor is not None:
        return successor
    return heir_of(unit.parent) if unit.parent is not None else None


def unit_close_preview(*, unit: Unit, on: dt.date, successor: Unit | None = None) -> HandoverPlan:
    """What closing `unit` (and its subunits in force) from `on` hands over, and to whom."""
    return handover_preview(sources=closing_units(unit), heir=close_heir(unit, successor), on=on)


@transaction.atomic
def unit_close(
    *,
    user: Any,
    unit: Unit,
    on: dt.date,
    document: str = "",
    note: str = "",
    successor: Unit | None = None,
    carry_roles: bool = False,
) -> Unit:
    """Close a unit and its active subunits from `on` (the last day in force is the day before).
    What they still hold (open cases, petitions, tasks, roles...) goes to `successor`, or to the
    unit above in force, in the same transaction (core.handover)."""
    _require_manage(user, unit)
    _require_active(unit, on)
    if successor is not None:
        _require_manage(user, successor)
        _require_active(successor, on)
        if successor.path.startswith(unit.path):
            raise ValidationError(
                {"successor": _("The successor cannot be the unit or one of its subunits.")}
            )
    sources = closing_units(unit)
    event = _event(EventKind.CLOSED, on, user, document, note, sources=[unit])
    for child in unit.descendants().active().order_by("-depth"):
        _close(user, child, on, None, event, _("Closed with %(unit)s") % {"unit": unit})
    _close(user, unit, on, successor, event, _("Closed"))
    handover_perform(
        user=user,
        sources=sources,
        heir=close_heir(unit, successor),
        on=on,
        carry_roles=carry_roles,
    )
    return unit


@transaction.atomic
def unit_merge(
    *,
    user: Any,
    sources: Sequence[Unit],
    target: Unit,
    on: dt.date,
    document: str = "",
    note: str = "",
    new_name: str = "",
    carry_roles: bool = False,
) -> UnitEvent:
    """Merge `sources` into `target` from `on`.

    The sources close (their last day is the day before), name the target as what they became,
    and move under it, so the target's users inherit their records and history; their active
    subunits continue under the target. The target may be renamed in the same decision. What
    the sources still hold is handed over to the target (core.handover); their role
    assignments end, or go to the target with `carry_roles`.
    """
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise ValidationError(_("Choose at least one unit to merge into the target."))
    _require_manage(user, target, *sources)
    _require_active(target, on)
    for source in sources:
        _require_active(source, on)
        if target.path.startswith(source.path):
            raise ValidationError(
                _("“%(source)s” contains “%(target)s”: merging would create a cycle.")
                % {"source": source, "target": target}
            )
    event = _event(
        EventKind.MERGED, on, user, document, note, sources=[*sources, target], targets=[target]
    )
    for source in sources:
        for child in source.children.active().order_by("path"):
            child_before = snapshot(child)
            _repath(child, target)
            _new_version(child, on, event)
            _audit(
                user, child, child_before, _("Moved to %(target)s in a merger") % {"target": target}
            )
        source.refresh_from_db()
        before = snapshot(source)
        _repath(source, target)
        source.refresh_from_db()
        _close(
            user,
            source,
            on,
            target,
            event,
            _("Merged into %(target)s") % {"target": target},
            before=before,
        )
    if new_name and new_name.strip() != target.name:
        target_before = snapshot(target)
        target.name = new_name.strip()
        target.save()
        _audit(user, target, target_before, _("Renamed in a merger"))
    _new_version(target, on, event)
    handover_perform(user=user, sources=sources, heir=target, on=on, carry_roles=carry_roles)
    return event


def unit_merge_preview(*, sources: Sequence[Unit], target: Unit, on: dt.date) -> HandoverPlan:
    """What merging `sources` into `target` from `on` hands over to the target."""
    return handover_preview(sources=[s for s in sources if s.pk != target.pk], heir=target, on=on)


@transaction.atomic
def unit_split(
    *,
    user: Any,
    source: Unit,
    parts: Sequence[tuple[str, str]],
    on: dt.date,
    close_source: bool = True,
    document: str = "",
    note: str = "",
    receiver: int = 0,
    carry_roles: bool = False,
) -> list[Unit]:
    """Split `source` into new units (code, name) beside it; the source closes unless kept.
    A closing source hands over what it holds to the part numbered `receiver` (the first by
    default), in the same transaction (core.handover)."""
    if len(parts) < (2 if close_source else 1):
        raise ValidationError(_("A split needs at least two new units (or one if the unit stays)."))
    if not 0 <= receiver < len(parts):
        raise ValidationError({"receiver": _("Choose one of the new units.")})
    _require_manage(user, source)
    _require_active(source, on)
    created = [
        unit_create(
            user=user,
            parent=source.parent,
            code=code,
            name=name,
            kind=source.kind,
            valid_from=on,
            note=_("Split from %(unit)s") % {"unit": source},
        )
        for code, name in parts
    ]
    event = _event(EventKind.SPLIT, on, user, document, note, sources=[source], targets=created)
    if close_source:
        _close(
            user,
            source,
            on,
            None,
            event,
            ngettext("Split into %(n)d unit", "Split into %(n)d units", len(created))
            % {"n": len(created)},
        )
        handover_perform(
            user=user,
            sources=[source],
            heir=created[receiver],
            on=on,
            carry_roles=carry_roles,
        )
    return created


def unit_split_preview(*, source: Unit, on: dt.date) -> HandoverPlan:
    """What a closing split source hands over (to the receiving part, not created yet)."""
    return handover_preview(sources=[source], heir=None, on=on, pending=True)
