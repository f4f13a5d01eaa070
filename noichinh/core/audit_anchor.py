"""The audit chain's anchor outside the database: signed checkpoints appended to a file.

A checkpoint names the newest entry (id and hash), the number of entries, the chain it belongs
to (the hash of its first entry), the database it was taken from and the time, signed with
HMAC-SHA256 under NOICHINH_AUDIT_KEY. It is appended to NOICHINH_AUDIT_ANCHOR (one JSON object
a line, default var/audit-anchor.jsonl) and written to the log (logger `noichinh.audit`), so a
copy also leaves the machine with the log stream.

Whoever can write the database can delete the newest entries and move AuditHead back: the chain
alone still verifies. The newest checkpoint cannot be moved back with it: `audit_verify` fails
when the entry it names is gone or carries another hash, or when fewer entries lead up to it.
Entries written after the newest checkpoint are not covered: the schedule takes one every hour
(`manage.py audit_checkpoint` takes one now).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task

from .audit import ChainProblem, audit_key
from .models import AuditEntry

logger = logging.getLogger("noichinh.audit")
VERSION = 1


def anchor_path() -> Path:
    return Path(settings.NOICHINH_AUDIT_ANCHOR)


def database_label() -> str:
    """Which database a checkpoint was taken from (engine, host, name), never a password."""
    db = connection.settings_dict
    return f"{connection.vendor}:{db.get('HOST') or ''}:{db.get('PORT') or ''}:{db.get('NAME')}"


def _signature(body: dict[str, Any], key: bytes) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint(path: Path | None = None) -> dict[str, Any] | None:
    """Append a signed checkpoint of the current log; None when the log is empty."""
    first = AuditEntry.objects.order_by("id").values("hash", "created_at").first()
    last = AuditEntry.objects.order_by("-id").values("id", "hash").first()
    if first is None or last is None:
        return None
    body: dict[str, Any] = {
        "v": VERSION,
        "db": database_label(),
        "chain": first["hash"],
        "chain_started": first["created_at"].astimezone(dt.UTC).isoformat(),
        "last_id": last["id"],
        "last_hash": last["hash"],
        "count": AuditEntry.objects.filter(id__lte=last["id"]).count(),
        "time": timezone.now().astimezone(dt.UTC).isoformat(),
    }
    body["mac"] = _signature(body, audit_key())
    target = path or anchor_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(body, sort_keys=True, ensure_ascii=False) + "\n"
    with target.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line)
        handle.flush()
    logger.info(
        "audit checkpoint: entry %s hash %s, %s entries, chain %s",
        body["last_id"],
        body["last_hash"],
        body["count"],
        body["chain"][:16],
    )
    return body


def read_checkpoints(path: Path | None = None) -> list[dict[str, Any]]:
    target = path or anchor_path()
    if not target.exists():
        return []
    rows = []
    for number, line in enumerate(target.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            row = {"unreadable": number}
        if isinstance(row, dict):
            rows.append(row)
    return rows


def _signed(row: dict[str, Any], key: bytes) -> bool:
    body = {k: v for k, v in row.items() if k != "mac"}
    return hmac.compare_digest(str(row.get("mac", "")), _signature(body, key))


def verify_anchor(path: Path | None = None) -> Iterator[ChainProblem]:
    """Compare the log with the newest checkpoint of its chain (see the module's docstring)."""
    rows = read_checkpoints(path)
    if not rows:
        return
    key = audit_key()
    first = AuditEntry.objects.order_by("id").values("hash", "created_at").first()
    chain = first["hash"] if first else None
    label = database_label()
    mine = [row for row in rows if chain is not None and row.get("chain") == chain]
    for row in mine:
        if not _signed(row, key):
            yield ChainProblem(
                row.get("last_id"), "a checkpoint's signature is wrong: the anchor file was edited"
            )
            return
    if not mine:
        # A log replaced wholesale (or emptied) after a checkpoint of this database was taken.
        later = [
            row
            for row in rows
            if row.get("db") == label
            and _signed(row, key)
            and (first is None or str(row.get("time", "")) > _iso(first["created_at"]))
        ]
        if later:
            newest = max(later, key=lambda row: str(row.get("time", "")))
            yield ChainProblem(
                None,
                f"checkpoint of {newest.get('time')} names a log of {newest.get('count')} "
                "entries that is no longer there: the log was replaced or emptied",
            )
        return
    newest = max(mine, key=lambda row: (int(row.get("last_id", 0)), str(row.get("time", ""))))
    entry = AuditEntry.objects.filter(pk=newest["last_id"]).values("hash").first()
    if entry is None:
        yield ChainProblem(
            newest["last_id"],
            f"entry {newest['last_id']} named by the checkpoint of {newest['time']} is gone: "
            "the newest entries were removed",
        )
        return
    if not hmac.compare_digest(entry["hash"], str(newest["last_hash"])):
        yield ChainProblem(
            newest["last_id"],
            f"entry {newest['last_id']} differs from the checkpoint of {newest['time']}: "
            "the log was rewritten",
        )
        return
    count = AuditEntry.objects.filter(id__lte=newest["last_id"]).count()
    if count != newest["count"]:
        yield ChainProblem(
            newest["last_id"],
            f"{count} entries lead up to entry {newest['last_id']}, the checkpoint of "
            f"{newest['time']} counted {newest['count']}: entries removed",
        )


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def newest_checkpoint(path: Path | None = None) -> dict[str, Any] | None:
    first = AuditEntry.objects.order_by("id").values("hash").first()
    if first is None:
        return None
    mine = [row for row in read_checkpoints(path) if row.get("chain") == first["hash"]]
    return max(mine, key=lambda row: int(row.get("last_id", 0)), default=None)


@task()
def audit_checkpoint_task() -> dict[str, Any]:
    """Take a signed checkpoint of the audit log (scheduled hourly from accounts.apps)."""
    body = checkpoint()
    return {"last_id": body["last_id"], "count": body["count"]} if body else {}
