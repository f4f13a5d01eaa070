"""Closed units and the hand-over of what they hold.

Two rules of the reorganisation live here, in one place, because core knows no domain app:

1. **A closed unit takes no new record.** A unit's `valid_to` is its last day in force (a unit
   closed or merged "from 1/7/2025" has `valid_to` = 30/6/2025). A new record (or a record moved
   to another unit) is refused when its owner unit's last day is before the record's own date;
   a record without its own date is dated today. The registries say which of their models
   are guarded and by which date (`register_record_date`, and every hand-over kind); forms,
   indicators and other definitions are not. So a 2024 petition of Quảng Bình entered late
   is accepted (back-entry of the past), a 2026 case on Quảng Bình is not. `check_unit_open`
   is called by `UnitOwned.full_clean`, which every write path runs (pages, API, Excel import,
   domain services); the refusal is attached to the `unit` field and names the heir.
   Parts of an existing record (an event of a case, an extension of a petition's clock:
   `register_part` or a resource's `owner_via`) follow their owner and are not refused.

2. **Hand-over.** Each domain app registers the kinds of records a unit may still hold when it
   closes (open cases, open petitions with their legal clocks, open tasks, role assignments,
   report obligations, target registrations of running campaigns) with `register_handover`.
   `handover_preview` lists them; `handover_perform` moves them to the heir in the caller's
   transaction with one audit entry per record. A moved record changes its `unit`, and a
   `Handover` row keeps who held it until when: the derived counts (core.counts, `as_of`)
   attribute a record to the unit that held it on the count's day, so a 2023 figure of Quảng
   Bình is the same before and after its records go to Quảng Trị.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record, diff, snapshot
from .models import AuditAction, Handover


def short_date(day: dt.date) -> str:
    """25/5/2021 (the Vietnamese short date, no leading zeros)."""
    return f"{day.day}/{day.month}/{day.year}"


# -- heirs -----------------------------------------------------------------------------------
def heir_of(unit: Any) -> Any:
    """The unit in force that takes over what a closed unit held: its successor (named by a
    merger), else the unit it hung under, followed until a unit in force (a district group of
    Quảng Bình goes to Quảng Trị). None when the chain ends in closed units."""
    seen: set[int] = set()
    current = unit
    while current is not None and current.valid_to is not None and current.pk not in seen:
        seen.add(current.pk)
        current = current.successor if current.successor_id else current.parent
    return current if current is not None and current.valid_to is None else None


# -- the closed-unit guard -------------------------------------------------------------------
_record_dates: dict[type[models.Model], str] = {}


def register_record_date(model: type[models.Model], date_field: str = "") -> None:
    """Put `model` under the closed-unit guard, dated by `date_field` (a petition's day of
    receipt): a closed unit still takes records dated up to its last day (entering the past
    late). Without a field the record is dated today. Every hand-over kind is guarded."""
    _record_dates[model] = date_field


def record_date(instance: models.Model) -> dt.date | None:
    name = _record_dates.get(type(instance))
    value: Any = instance if name else None
    for part in (name or "").split("__"):
        value = getattr(value, part, None) if part else None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def closed_unit_message(unit: Any) -> str:
    heir = heir_of(unit)
    data = {"unit": unit.name, "date": short_date(unit.valid_to + dt.timedelta(days=1))}
    if heir is None:
        return _("Unit “%(unit)s” was dissolved from %(date)s and takes no new record.") % data
    return _("Unit “%(unit)s” was dissolved from %(date)s; new records belong to “%(heir)s”.") % {
        **data,
        "heir": heir.name,
    }


def unit_refusal(unit: Any, on: dt.date | None = None) -> str | None:
    """Why `unit` cannot own a record dated `on` (today when None), or None if it can."""
    if unit is None or unit.valid_to is None:
        return None
    day = on or timezone.localdate()
    if day <= unit.valid_to:
        return None
    return closed_unit_message(unit)


def require_unit_open(unit: Any, on: dt.date | None = None, field_name: str = "unit") -> None:
    """For services that give a new record its unit: refuse a closed unit (the same rule and
    message as every form, the API and the import)."""
    reason = unit_refusal(unit, on)
    if reason:
        raise ValidationError({field_name: reason})


_parts: dict[type[models.Model], str] = {}


def register_part(model: type[models.Model], owner_field: str) -> None:
    """Records of `model` are parts of the record named by `owner_field` (an extension of a
    petition's clock, a progress report of a task): they belong to their owner's unit and are
    not new records of it, so an old petition still with a closed unit can be extended."""
    _parts[model] = owner_field


def _follows_owner(instance: models.Model) -> bool:
    """A part of an existing record of the same unit (a registered part, or a resource's
    `owner_via`)."""
    from .resources import registry

    name = _parts.get(type(instance))
    if not name:
        resource = registry.for_model(type(instance))
        name = resource.owner_via if resource is not None else ""
    if not name or not getattr(instance, f"{name}_id", None):
        return False
    owner = getattr(instance, name)
    return bool(owner.pk and getattr(owner, "unit_id", None) == getattr(instance, "unit_id", None))


def check_unit_open(instance: models.Model) -> None:
    """The guard run by `UnitOwned.full_clean`: a new record, or a record given another
    unit, may not be owned by a unit closed before the record's date."""
    unit_id = getattr(instance, "unit_id", None)
    if unit_id is None or type(instance) not in _record_dates:
        return
    unit = instance.unit  # type: ignore[attr-defined]
    if unit.valid_to is None:
        return  # a unit in force (no further query)
    if not instance._state.adding:
        manager = type(instance)._default_manager
        stored = manager.filter(pk=instance.pk).values_list("unit_id", flat=True).first()
        if stored == unit_id:
            return  # an existing record of its unit: history stays editable
    if _follows_owner(instance):
        return
    reason = unit_refusal(unit, record_date(instance))
    if reason:
        raise ValidationError({"unit": reason})


# -- the hand-over registry ------------------------------------------------------------------
@dataclass
class HandoverContext:
    user: Any
    source: Any
    heir: Any
    on: dt.date  # the first day the heir holds the records
    carry_roles: bool = False
    message: str = ""
    source_ids: tuple[int, ...] = ()


Move = Callable[[models.Model, HandoverContext], None]


@dataclass(frozen=True)
class HandoverKind:
    """Records a closing unit may still hold.

    `held(unit_ids, on)` returns them (the records of those units open on `on`); `move` hands
    one over (by default: its `unit` becomes the heir, with its parts, audited and logged for
    the counts); `describe(record)` adds a line to the preview (a petition's legal clock);
    `date_field` dates a record for the closed-unit guard."""

    key: str
    label: Any
    model: type[models.Model]
    held: Callable[[Sequence[int], dt.date], models.QuerySet[Any]]
    move: Move | None = None
    describe: Callable[[Any], str] | None = None
    date_field: str = ""
    order: int = 100
    # The records are not moved in some cases: the reason, or "" when it moves.
    blocked: Callable[[Any, HandoverContext], str] | None = None
    # The unit a record is held by, when it is not its owner (a form's reporting units).
    holder: Callable[[Any, Sequence[int]], int | None] | None = None
    # Put the model under the closed-unit guard (not when the unit holds it another way).
    guarded: bool = True


_kinds: dict[str, HandoverKind] = {}


def register_handover(kind: HandoverKind) -> HandoverKind:
    if kind.key in _kinds and _kinds[kind.key] != kind:
        raise ValueError(f"Hand-over kind {kind.key!r} is registered twice.")
    _kinds[kind.key] = kind
    if kind.guarded and (kind.model not in _record_dates or kind.date_field):
        register_record_date(kind.model, kind.date_field)
    return kind


def handover_kinds() -> list[HandoverKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def move_unit(record: Any, ctx: HandoverContext) -> None:
    """The default move: the record (and its parts, through its resource) goes to the heir;
    one audit entry; a `Handover` row keeps the former holder for the counts of past days."""
    from .resources import registry

    before = snapshot(record)
    source_id = record.unit_id
    record.unit = ctx.heir
    type(record)._default_manager.filter(pk=record.pk).update(unit=ctx.heir)
    resource = registry.for_model(type(record))
    if resource is not None:
        resource.after_write(record, before)
    Handover.objects.create(
        object_type=record._meta.label_lower,
        object_id=record.pk,
        from_unit_id=source_id,
        to_unit_id=ctx.heir.pk,
        on=ctx.on,
    )
    audit_record(
        action=AuditAction.TRANSITION,
        user=ctx.user,
        instance=record,
        changes=diff(before, snapshot(record)),
        message=ctx.message,
    )


@dataclass
class HandoverItem:
    record: Any
    detail: str = ""
    blocked: str = ""


@dataclass
class HandoverGroup:
    kind: HandoverKind
    items: list[HandoverItem]

    @property
    def moving(self) -> list[HandoverItem]:
        return [i for i in self.items if not i.blocked]

    @property
    def staying(self) -> list[HandoverItem]:
        return [i for i in self.items if i.blocked]


@dataclass
class HandoverPlan:
    """What a closing unit (and its closing subunits) holds, by kind, and where it goes."""

    sources: list[Any]
    heir: Any
    on: dt.date
    groups: list[HandoverGroup]

    @property
    def total(self) -> int:
        return sum(len(g.moving) for g in self.groups)

    @property
    def staying_total(self) -> int:
        return sum(len(g.staying) for g in self.groups)


def _holder_id(kind: HandoverKind, record: Any, ids: Sequence[int]) -> Any:
    if kind.holder is not None:
        return kind.holder(record, ids)
    return getattr(record, "unit_id", None)


def closing_units(unit: Any) -> list[Any]:
    """The unit and its subunits in force (a closure closes them all)."""
    unit_model = apps.get_model("units", "Unit")
    return list(
        unit_model.objects.filter(path__startswith=unit.path)
        .filter(models.Q(valid_to__isnull=True) | models.Q(pk=unit.pk))
        .order_by("path")
    )


def handover_preview(
    *,
    sources: Sequence[Any],
    heir: Any,
    on: dt.date,
    carry_roles: bool = False,
    pending: bool = False,
) -> HandoverPlan:
    """What will move from `sources` to `heir` on `on` (nothing is written). `pending`: the
    heir is created by the same step (a split), so nothing is refused for want of one."""
    ids = [s.pk for s in sources]
    groups = []
    for kind in handover_kinds():
        ctx = HandoverContext(
            user=None,
            source=None,
            heir=heir,
            on=on,
            carry_roles=carry_roles,
            source_ids=tuple(ids),
        )
        items = []
        for record in kind.held(ids, on):
            blocked = kind.blocked(record, ctx) if kind.blocked and heir is not None else ""
            items.append(
                HandoverItem(
                    record=record,
                    detail=kind.describe(record) if kind.describe else "",
                    blocked=blocked or ("" if heir is not None or pending else _("No successor")),
                )
            )
        groups.append(HandoverGroup(kind=kind, items=items))
    return HandoverPlan(sources=list(sources), heir=heir, on=on, groups=groups)


def handover_perform(
    *, user: Any, sources: Sequence[Any], heir: Any, on: dt.date, carry_roles: bool = False
) -> HandoverPlan:
    """Move what the preview lists to `heir`, in the caller's transaction (the reorganisation
    service is atomic): one audit entry per moved record. Returns the plan that was carried out
    (its `moving` items moved; `staying` items and why)."""
    plan = handover_preview(sources=sources, heir=heir, on=on, carry_roles=carry_roles)
    if heir is None:
        return plan
    by_id = {s.pk: s for s in sources}
    for group in plan.groups:
        move = group.kind.move or move_unit
        for item in group.moving:
            source = by_id.get(_holder_id(group.kind, item.record, list(by_id)))
            ctx = HandoverContext(
                user=user,
                source=source,
                heir=heir,
                on=on,
                carry_roles=carry_roles,
                source_ids=tuple(by_id),
                message=_("Handed over from “%(source)s” to “%(heir)s” from %(date)s")
                % {"source": source or "", "heir": heir, "date": short_date(on)},
            )
            move(item.record, ctx)
    return plan


def handover_pending(*, user: Any, today: dt.date | None = None) -> list[HandoverPlan]:
    """Hand over what units closed before `today` still hold, each to its heir from the day
    after its last day (used by the demo after its data is loaded; safe to run again)."""
    today = today or timezone.localdate()
    unit_model = apps.get_model("units", "Unit")
    plans = []
    for unit in unit_model.objects.filter(valid_to__lt=today).order_by("-depth", "path"):
        heir = heir_of(unit)
        if heir is None:
            continue
        on = unit.valid_to + dt.timedelta(days=1)
        plan = handover_preview(sources=[unit], heir=heir, on=on)
        if plan.total:
            plans.append(handover_perform(user=user, sources=[unit], heir=heir, on=on))
    return plans


def holder_on(record: Any, day: dt.date) -> int | None:
    """The id of the unit that held `record` on `day` (its first hand-over after that day
    names it; else the unit it has now)."""
    first = (
        Handover.objects.filter(
            object_type=record._meta.label_lower, object_id=record.pk, on__gt=day
        )
        .order_by("on", "id")
        .first()
    )
    return first.from_unit_id if first is not None else record.unit_id


def held_on_q(model: type[models.Model], unit_ids: Sequence[int], day: dt.date) -> models.Q:
    """Records of `model` held on `day` by one of `unit_ids` (for the counts of past days)."""
    label = model._meta.label_lower
    later = Handover.objects.filter(object_type=label, on__gt=day)
    earlier = Handover.objects.filter(
        object_type=label, object_id=models.OuterRef("object_id"), on__gt=day
    ).filter(
        # two hand-overs the same day (a district group to its province, the province to its
        # heir): the first written is the first
        models.Q(on__lt=models.OuterRef("on"))
        | models.Q(on=models.OuterRef("on"), id__lt=models.OuterRef("id"))
    )
    first_moves = later.filter(from_unit_id__in=list(unit_ids)).exclude(models.Exists(earlier))
    return (
        models.Q(unit_id__in=list(unit_ids)) & ~models.Q(pk__in=later.values("object_id"))
    ) | models.Q(pk__in=first_moves.values("object_id"))


def ever_held_by_q(model: type[models.Model], unit: Any) -> models.Q:
    """Records of `model` that `unit` holds or handed over (a demo loaded twice finds the
    records its first load created, wherever the hand-over put them)."""
    moved = Handover.objects.filter(object_type=model._meta.label_lower, from_unit=unit)
    return models.Q(unit=unit) | models.Q(pk__in=moved.values("object_id"))
