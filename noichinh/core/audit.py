"""Writing and verifying the audit log.

`audit_record` is the one writer. It runs inside the caller's transaction, so a change and its
entry commit or roll back together. Writers serialise on the AuditHead row (SELECT ... FOR UPDATE
on PostgreSQL; SQLite has a single writer anyway), which keeps the hash chain linear.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from . import request_context
from .models import AuditAction, AuditEntry, AuditHead

GENESIS = "0" * 64
SKIP_FIELDS = {"search_text", "created_at", "updated_at", "password", "path"}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def snapshot(instance: models.Model | None) -> dict[str, Any]:
    """The record's stored fields as JSON-safe values (foreign keys by id).

    Fields a model lists in `audit_redact` (a denouncer's identity, protected by law) enter the
    log only as a fingerprint: a change still shows, the value never does. The fingerprint is
    keyed (a list of names cannot be hashed to find the one behind it) and bound to the record
    and the field (model label, primary key, field name), so the same name on two records gives
    two unrelated fingerprints: the log cannot link a denunciation to a complaint of the same
    person."""
    if instance is None:
        return {}
    data: dict[str, Any] = {}
    redact = set(getattr(instance, "audit_redact", ()))
    for field in instance._meta.concrete_fields:
        if field.name in SKIP_FIELDS:
            continue
        value = _json_value(getattr(instance, field.attname))
        if field.name in redact and value not in (None, ""):
            bound = json.dumps(
                [instance._meta.label, str(instance.pk), field.attname, value], ensure_ascii=False
            )
            digest = hmac.new(settings.SECRET_KEY.encode(), bound.encode(), "sha256").hexdigest()
            value = f"[{digest[:8]}]"
        data[field.attname] = value
    if instance.pk is not None:
        for m2m in instance._meta.many_to_many:
            if m2m.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
                ids = getattr(instance, m2m.name).order_by("pk").values_list("pk", flat=True)
                data[m2m.name] = list(ids)
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _entry_text(entry: AuditEntry) -> bytes:
    payload = [
        entry.prev_hash,
        entry.created_at.astimezone(dt.UTC).isoformat(),
        entry.user_id,
        entry.username,
        entry.request_id,
        entry.ip,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.unit_id,
        entry.unit_path,
        entry.changes,
        entry.message,
    ]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def audit_key() -> bytes:
    """The chain's HMAC key (NOICHINH_AUDIT_KEY): whoever can write the database but does not
    hold the key cannot recompute a hash after altering, removing or inserting an entry."""
    return str(settings.NOICHINH_AUDIT_KEY).encode("utf-8")


def entry_hash(entry: AuditEntry, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the entry's content and the previous entry's hash."""
    return hmac.new(key or audit_key(), _entry_text(entry), hashlib.sha256).hexdigest()


def legacy_entry_hash(entry: AuditEntry) -> str:
    """The unkeyed SHA-256 of logs written before the key (read by `audit_rekey` only)."""
    return hashlib.sha256(_entry_text(entry)).hexdigest()


def _unit_of(instance: models.Model | None) -> tuple[int | None, str]:
    if instance is None:
        return None, ""
    unit: Any = (
        instance if instance._meta.label == "units.Unit" else getattr(instance, "unit", None)
    )
    if unit is None:
        unit = getattr(instance, "home_unit", None)
    if unit is None:
        return None, ""
    return unit.pk, unit.path


@transaction.atomic
def audit_record(
    *,
    action: str,
    user: Any = None,
    instance: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    message: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit: Any = None,
) -> AuditEntry:
    info = request_context.current()
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    if unit is not None:
        unit_id, unit_path = unit.pk, unit.path
    else:
        unit_id, unit_path = _unit_of(instance)
    home = getattr(user, "home_unit", None) if not unit_path else None
    if home is not None:
        # Exports, imports, sign-ins: the entry belongs to the actor's unit.
        unit_id, unit_path = home.pk, home.path
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    entry = AuditEntry(
        created_at=timezone.now(),
        user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else "",
        request_id=info.request_id if info else "",
        ip=(info.ip or "") if info else "",
        action=action,
        object_type=object_type or (instance._meta.label_lower if instance is not None else ""),
        object_id=object_id or (str(instance.pk) if instance is not None else ""),
        object_repr=(object_repr or (str(instance) if instance is not None else ""))[:300],
        unit_id=unit_id,
        unit_path=unit_path,
        changes=_json_value_tree(changes or {}),
        message=message,
        prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    head.last_id = entry.pk
    head.last_hash = entry.hash
    head.save(update_fields=["last_id", "last_hash"])
    return entry


def _json_value_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_value_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value_tree(v) for v in value]
    return _json_value(value)


def audit_change(
    *, user: Any, instance: models.Model, before: dict[str, Any] | None, message: str = ""
) -> AuditEntry:
    """Create (before is None) or update entry with the field-by-field before/after."""
    after = snapshot(instance)
    if before is None:
        return audit_record(
            action=AuditAction.CREATE,
            user=user,
            instance=instance,
            changes=diff({}, after),
            message=message,
        )
    return audit_record(
        action=AuditAction.UPDATE,
        user=user,
        instance=instance,
        changes=diff(before, after),
        message=message,
    )


def history_for(instance: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).order_by("-id")


@dataclass
class ChainProblem:
    entry_id: int | None
    reason: str


def verify_chain(
    batch: int = 5000, *, hasher: Any = None, anchor: bool = True
) -> Iterator[ChainProblem]:
    """Walk the log in order; yield every break (altered, removed or reordered entries), then
    compare the log with the newest signed checkpoint kept outside the database
    (core.audit_anchor): entries removed from the end, or a log recomputed wholesale, show there.
    `hasher` checks another hash function (audit_rekey verifies the unkeyed chain with it)."""
    key = audit_key()
    compute = hasher or (lambda entry: entry_hash(entry, key))
    previous_hash = GENESIS
    previous_id = 0
    last_seen_id = 0
    queryset = AuditEntry.objects.order_by("id")
    while True:
        chunk = list(queryset.filter(id__gt=last_seen_id)[:batch])
        if not chunk:
            break
        for entry in chunk:
            if entry.prev_hash != previous_hash:
                yield ChainProblem(
                    entry.pk,
                    f"prev_hash does not match entry {previous_id or 'genesis'}: "
                    "an entry before it was removed or altered",
                )
            expected = compute(entry)
            if not hmac.compare_digest(expected, entry.hash):
                yield ChainProblem(
                    entry.pk,
                    "content does not match its hash: entry altered (or hashed without the key)",
                )
            previous_hash = entry.hash
            previous_id = entry.pk
        last_seen_id = chunk[-1].pk
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != previous_id or head.last_hash != previous_hash):
        yield ChainProblem(
            head.last_id or None,
            f"the newest entry should be {head.last_id}, found {previous_id}: entries removed",
        )
    if anchor:
        from .audit_anchor import verify_anchor

        yield from verify_anchor()
