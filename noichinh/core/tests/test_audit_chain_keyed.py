"""Issue 16, "the audit chain can be rewritten": the chain is keyed (HMAC-SHA256 under
NOICHINH_AUDIT_KEY) and anchored outside the database (signed checkpoints in a file), so
truncating the newest entries and recomputing hashes without the key are both caught. Backups
restore into a fresh database with every record and a verifying chain."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from noichinh.core.audit import audit_record, entry_hash, legacy_entry_hash, verify_chain
from noichinh.core.audit_anchor import checkpoint, read_checkpoints
from noichinh.core.models import AuditEntry, AuditHead
from noichinh.core.schedule import schedule
from noichinh.core.scoping import SYSTEM

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table
REHASH = f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s"  # noqa: S608
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def anchor(tmp_path, settings) -> Path:
    settings.NOICHINH_AUDIT_ANCHOR = tmp_path / "audit-anchor.jsonl"
    return settings.NOICHINH_AUDIT_ANCHOR


def _entries(n: int = 6) -> list[AuditEntry]:
    return [
        audit_record(
            action="update",
            user=SYSTEM,
            object_type="x.y",
            object_id=str(i),
            object_repr=f"hồ sơ {i}",
            changes={"status": [f"cũ {i}", f"mới {i}"]},
        )
        for i in range(n)
    ]


def _verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        return 0, out.getvalue() + err.getvalue()
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue() + err.getvalue()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_hash_is_an_hmac_under_the_configured_key(settings):
    entry = _entries(1)[0]
    assert entry.hash != legacy_entry_hash(entry)  # not the plain SHA-256 any more
    settings.NOICHINH_AUDIT_KEY = "another-key-of-sufficient-length-0123456789"
    assert entry_hash(entry) != entry.hash
    assert list(verify_chain())  # under another key the chain does not verify


def test_truncating_the_newest_entries_is_caught_by_the_checkpoint(anchor):
    entries = _entries()
    checkpoint()
    assert _verify()[0] == 0
    # The attacker deletes the newest three entries and moves the head back: the chain alone
    # still verifies (that was the finding) ...
    keep = entries[2]
    _raw(f"DELETE FROM {TABLE} WHERE id > %s", [keep.pk])  # noqa: S608
    AuditHead.objects.filter(pk=1).update(last_id=keep.pk, last_hash=keep.hash)
    assert list(verify_chain(anchor=False)) == []
    # ... the checkpoint outside the database does not.
    code, output = _verify()
    assert code == 1
    assert f"entry {entries[-1].pk}" in output and "removed" in output


@pytest.mark.parametrize(
    "forge",
    [legacy_entry_hash, lambda entry: entry_hash(entry, b"noichinh-development-audit-key?")],
    ids=["plain-sha256", "guessed-key"],
)
def test_recomputing_the_hashes_without_the_key_is_caught(forge):
    entries = _entries()
    checkpoint()
    # Alter one entry and recompute every hash from there on, as the attacker can: plain
    # SHA-256 (the old scheme) or an HMAC under a guessed key.
    _raw(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["giả mạo", entries[1].pk])  # noqa: S608
    previous = entries[0].hash
    for entry in AuditEntry.objects.filter(id__gte=entries[1].pk).order_by("id"):
        entry.prev_hash = previous
        forged = forge(entry)
        _raw(
            REHASH,
            [previous, forged, entry.pk],
        )
        previous = forged
    AuditHead.objects.filter(pk=1).update(last_hash=previous)
    code, output = _verify()
    assert code == 1
    assert f"entry {entries[1].pk}" in output


def test_an_edited_checkpoint_is_caught(anchor):
    _entries(3)
    checkpoint()
    rows = read_checkpoints()
    rows[-1]["count"] = 2
    anchor.write_text(json.dumps(rows[-1]) + "\n")
    code, output = _verify()
    assert code == 1 and "signature" in output


def test_a_log_replaced_after_its_checkpoint_is_caught():
    _entries(3)
    checkpoint()
    _raw(f"DELETE FROM {TABLE}", [])  # noqa: S608
    AuditHead.objects.filter(pk=1).update(last_id=0, last_hash="0" * 64)
    code, output = _verify()
    assert code == 1 and "replaced or emptied" in output


def test_entries_after_the_checkpoint_verify(anchor):
    _entries(3)
    checkpoint()
    _entries(2)
    code, output = _verify()
    assert code == 0, output
    assert "checkpoint" in output


def test_a_checkpoint_is_signed_logged_and_scheduled(anchor, caplog):
    caplog.set_level("INFO", logger="noichinh.audit")
    entries = _entries(2)
    body = checkpoint()
    assert body is not None and body["last_id"] == entries[-1].pk and body["count"] == 2
    assert len(body["mac"]) == 64
    assert any("audit checkpoint" in r.getMessage() for r in caplog.records)
    assert "audit_checkpoint" in {entry.name for entry in schedule()}
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "checkpoint: entry" in out.getvalue() and len(read_checkpoints()) == 2


def test_a_log_hashed_the_old_way_is_rekeyed_once():
    entries = _entries(4)
    previous = "0" * 64
    for entry in AuditEntry.objects.order_by("id"):
        entry.prev_hash = previous
        old = legacy_entry_hash(entry)
        _raw(REHASH, [previous, old, entry.pk])
        previous = old
    AuditHead.objects.filter(pk=1).update(last_hash=previous)
    assert _verify()[0] == 1  # the old hashes do not pass as keyed ones
    out = io.StringIO()
    call_command("audit_rekey", stdout=out)
    assert "re-hashed 4 entries" in out.getvalue()
    assert _verify()[0] == 0
    assert AuditEntry.objects.get(pk=entries[0].pk).hash == entries[0].hash  # same key, same hash


def test_rekey_refuses_a_chain_that_does_not_verify_under_the_old_hash():
    entries = _entries(3)
    _raw(f"UPDATE {TABLE} SET message = %s WHERE id = %s", ["sửa", entries[1].pk])  # noqa: S608
    with pytest.raises(SystemExit):
        call_command("audit_rekey", stdout=io.StringIO(), stderr=io.StringIO())


# -- backup and restore ---------------------------------------------------------------------------


def _counts_here() -> dict[str, int]:
    tables = connection.introspection.table_names()
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _audit_verify_in(database_url: str, anchor: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "NOICHINH_AUDIT_ANCHOR": str(anchor)}
    env["NOICHINH_AUDIT_KEY"] = str(django_settings.NOICHINH_AUDIT_KEY)
    return subprocess.run(
        [sys.executable, "manage.py", "audit_verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_every_record(tmp_path, anchor):
    from noichinh.core.backup import BackupError, backup, restore
    from noichinh.core.testkit import build_tree, make_user

    tree = build_tree()
    make_user("sao.luu", tree["prov_a"], ["specialist"])
    _entries(5)
    checkpoint()
    before = _counts_here()
    assert before[TABLE] >= 5
    path = backup(tmp_path / "backups")
    assert (
        Path(f"{path}.sha256").read_text().split()[0]
        == hashlib.sha256(path.read_bytes()).hexdigest()
    )

    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        restore(path, database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)})
        with sqlite3.connect(target) as restored:
            after = {
                table: restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in before
            }
        url = f"sqlite:///{target}"
        with pytest.raises(BackupError):  # never over a database that holds data
            restore(path, database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)})
    else:
        import psycopg
        from psycopg import sql

        db = dict(connection.settings_dict)
        name = f"{db['NAME']}_restore"[:63]
        admin = psycopg.connect(
            dbname="postgres",
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            autocommit=True,
        )
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        target_db = {**db, "NAME": name}
        try:
            restore(path, database=target_db)
            with psycopg.connect(
                dbname=name,
                host=db["HOST"] or None,
                port=db["PORT"] or None,
                user=db["USER"] or None,
                password=db["PASSWORD"] or None,
            ) as restored:
                after = {
                    table: restored.execute(
                        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                    ).fetchone()[0]
                    for table in before
                }
            user = f"{db['USER']}@" if db["USER"] else ""
            url = f"postgres://{user}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
            result = _audit_verify_in(url, anchor)
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            admin.close()
        assert after == before
        assert result.returncode == 0, result.stderr
        assert "matches the checkpoint" in result.stdout
        return

    assert after == before
    result = _audit_verify_in(url, anchor)
    assert result.returncode == 0, result.stderr
    assert "matches the checkpoint" in result.stdout


def test_a_damaged_backup_is_refused(tmp_path):
    from noichinh.core.backup import BackupError, backup, restore

    _entries(2)
    path = backup(tmp_path)
    with path.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage\x00")
    with pytest.raises(BackupError, match="checksum"):
        restore(
            path, database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x")}
        )
