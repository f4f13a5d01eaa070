"""Many audit entries in one pass: the bulk import writes one entry per record it creates.

The chain stays the one `audit_record` keeps: the AuditHead row is locked once, each entry gets
the previous entry's hash and its own (`audit.entry_hash`, whatever keying that applies), and
the entries are inserted with bulk_create in order, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import audit, request_context
from .audit import _json_value_tree, _unit_of, entry_hash
from .models import AuditEntry, AuditHead


@transaction.atomic
def audit_record_many(*, user: Any, entries: Iterable[dict[str, Any]], batch: int = 2000) -> int:
    """Write the entries (each a dict of `audit_record`'s keyword arguments except `user`:
    action, instance, changes, message, object_type, object_id, object_repr, unit), chained
    after the newest entry. Returns how many were written."""
    info = request_context.current()
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    user_id = user.pk if authenticated else None
    username = user.get_username() if authenticated else ""
    home = getattr(user, "home_unit", None)
    request_id = info.request_id if info else ""
    ip = (info.ip or "") if info else ""
    previous = head.last_hash
    keyed = getattr(audit, "audit_key", None)  # the keyed chain (HMAC), where audit.py has it
    key = keyed() if keyed is not None else None
    last_id = head.last_id
    pending: list[AuditEntry] = []
    written = 0

    def flush() -> None:
        nonlocal last_id, written
        if not pending:
            return
        AuditEntry.objects.bulk_create(pending)
        if pending[-1].pk is None:  # a backend without RETURNING: read the ids back
            by_hash = dict(
                AuditEntry.objects.filter(hash__in=[e.hash for e in pending]).values_list(
                    "hash", "pk"
                )
            )
            for entry in pending:
                entry.pk = by_hash[entry.hash]
        last_id = pending[-1].pk
        written += len(pending)
        pending.clear()

    for spec in entries:
        instance = spec.get("instance")
        unit = spec.get("unit")
        if unit is not None:
            unit_id, unit_path = unit.pk, unit.path
        else:
            unit_id, unit_path = _unit_of(instance)
        if not unit_path and home is not None:
            unit_id, unit_path = home.pk, home.path
        entry = AuditEntry(
            created_at=timezone.now(),
            user_id=user_id,
            username=username,
            request_id=request_id,
            ip=ip,
            action=spec["action"],
            object_type=spec.get("object_type")
            or (instance._meta.label_lower if instance is not None else ""),
            object_id=spec.get("object_id") or (str(instance.pk) if instance is not None else ""),
            object_repr=(
                spec.get("object_repr") or (str(instance) if instance is not None else "")
            )[:300],
            unit_id=unit_id,
            unit_path=unit_path,
            changes=_json_value_tree(spec.get("changes") or {}),
            message=spec.get("message", ""),
            prev_hash=previous,
        )
        entry.hash = entry_hash(entry, key) if key is not None else entry_hash(entry)  # type: ignore[call-arg,unused-ignore]
        previous = entry.hash
        pending.append(entry)
        if len(pending) >= batch:
            flush()
    flush()
    if written:
        head.last_id = last_id
        head.last_hash = previous
        head.save(update_fields=["last_id", "last_hash"])
    return written
