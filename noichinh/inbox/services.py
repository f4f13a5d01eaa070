"""Writes of the inbox. `notify` is the one way a notification is made (scans, the background
exports and imports); marking read is a service that writes its audit entry."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from noichinh.core.audit import audit_record
from noichinh.core.models import AuditAction

from .models import Digest, Notification, NotificationKind, NotificationPreference

logger = logging.getLogger("noichinh.inbox")


def _unit_for(user: Any, obj: Any, unit: Any) -> Any:
    if unit is not None:
        return unit
    if obj is not None and getattr(obj, "unit_id", None):
        return obj.unit
    if getattr(user, "home_unit_id", None):
        return user.home_unit
    from noichinh.units.models import Unit

    return Unit.objects.order_by("path").first()


def notify(
    *,
    user: Any,
    kind: str,
    title: str,
    url: str = "",
    key: str = "",
    obj: Any = None,
    unit: Any = None,
    due_on: dt.date | None = None,
    body: str = "",
) -> Notification | None:
    """Idempotent: a second call with the same (user, key) creates nothing and returns None.
    `kind` is one of NotificationKind (include "export_ready" and "import_done").

    Without a key, one is made from the kind and the record (or the title). `obj` gives the
    unit and the link when they are not passed. A user whose preference is "immediate" gets
    the e-mail now (after the transaction commits)."""
    if kind not in NotificationKind.values:
        raise ValueError(f"not a notification kind: {kind!r}")
    if not key:
        ref = f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else title
        key = f"{kind}:{ref}"
    key = key[:200]
    if not url and obj is not None and hasattr(obj, "get_absolute_url"):
        try:
            url = obj.get_absolute_url()
        except Exception:
            url = ""
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    unit_obj = _unit_for(user, obj, unit)
    if unit_obj is None:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                title=title[:300],
                body=body,
                url=url[:500],
                key=key,
                unit=unit_obj,
                due_on=due_on,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
            )
    except IntegrityError:  # a concurrent scan made it first
        return None
    if preference_of(user) == Digest.IMMEDIATE:
        transaction.on_commit(lambda: _mail_now(notification.pk))
    return notification


def _mail_now(notification_id: int) -> None:
    """An e-mail that fails is logged; the notification stays unmailed for the next digest
    run of "immediate" users (`send_digests(digest="immediate")`)."""
    from .digest import send_immediate

    try:
        send_immediate(notification_id)
    except Exception:
        logger.exception("inbox: e-mail of notification %s failed", notification_id)


def preference_of(user: Any) -> str:
    pref = NotificationPreference.objects.filter(user=user).values_list("digest", flat=True)
    return next(iter(pref), Digest.DAILY)


@transaction.atomic
def set_preference(*, user: Any, digest: str) -> NotificationPreference:
    pref, _created = NotificationPreference.objects.get_or_create(user=user)
    before = pref.digest
    if before != digest or _created:
        pref.digest = digest
        pref.save(update_fields=["digest"])
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            instance=pref,
            changes={"digest": [before, digest]},
        )
    return pref


@transaction.atomic
def mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (audited)."""
    if notification.user_id != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            instance=notification,
            changes={"read_at": [None, notification.read_at.isoformat()]},
            message="read",
        )
    return notification


@transaction.atomic
def mark_all_read(*, user: Any, queryset: models.QuerySet[Notification] | None = None) -> int:
    """Mark every unread notification of the user read; one audit entry names how many."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if queryset is not None:
        rows = rows.filter(pk__in=queryset.values("pk"))
    now = timezone.now()
    count = rows.update(read_at=now, updated_at=now)
    if count:
        audit_record(
            action=AuditAction.UPDATE,
            user=user,
            instance=None,
            changes={"read_at": [None, now.isoformat()], "count": [0, count]},
            object_type="inbox.notification",
            object_repr=f"{count}",
            message=f"inbox: {count} read",
        )
    return count
