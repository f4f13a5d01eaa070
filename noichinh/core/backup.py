"""Backups of the database and their restore, for SQLite and PostgreSQL (`make backup`,
`make restore FILE=...`, docs/deployment.md and docs/security.md).

SQLite: the online backup API of Python's sqlite3 (a consistent copy while the site runs).
PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`. Every backup file gets a
`<file>.sha256` beside it (sha256sum's format); a restore refuses a file whose checksum differs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

CHUNK = 1 << 20


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_checksum(path: Path) -> Path:
    target = path.with_name(path.name + ".sha256")
    target.write_text(f"{sha256_of(path)}  {path.name}\n", encoding="ascii")
    return target


def check_checksum(path: Path) -> None:
    sums = path.with_name(path.name + ".sha256")
    if not sums.exists():
        raise BackupError(f"{sums.name} is missing: the backup cannot be checked")
    expected = sums.read_text(encoding="ascii").split()[0]
    if sha256_of(path) != expected:
        raise BackupError(f"{path.name} does not match its checksum: damaged or altered")


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found (apt-get install postgresql-client)")
    return found


def backup(directory: Path | None = None) -> Path:
    """Back the default database up into `directory` (NOICHINH_BACKUP_DIR); returns the file."""
    target_dir = Path(directory or settings.NOICHINH_BACKUP_DIR)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = target_dir / f"noichinh-sqlite-{stamp}.sqlite3"
        connection.ensure_connection()
        raw: Any = connection.connection
        destination = sqlite3.connect(path)
        try:
            if connection.in_atomic_block or connection.is_in_memory_db():  # type: ignore[attr-defined]
                # Inside a transaction, or the tests' shared in-memory database, the backup API
                # waits for a lock this very connection holds: copy by SQL instead.
                destination.executescript("\n".join(raw.iterdump()))
            else:
                raw.backup(destination)
        finally:
            destination.close()
    elif connection.vendor == "postgresql":
        path = target_dir / f"noichinh-postgresql-{stamp}.dump"
        args, env = _pg_env(db)
        # pg_dump/pg_restore found on PATH, an argument list, never a shell.
        subprocess.run(  # noqa: S603  # nosec B603
            [_tool("pg_dump"), *args, "--format=custom", "--file", str(path), str(db["NAME"])],
            check=True,
            env=env,
            capture_output=True,
        )
    else:
        raise BackupError(f"no backup for the {connection.vendor} backend")
    path.chmod(0o600)
    write_checksum(path).chmod(0o600)
    return path


def restore(path: Path, *, database: dict[str, Any] | None = None, replace: bool = False) -> None:
    """Restore `path` into `database` (a Django DATABASES entry; default: the configured one).
    Refuses a database that already holds tables unless `replace`."""
    path = Path(path)
    check_checksum(path)
    db = database or connection.settings_dict
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        if not path.name.endswith(".sqlite3"):
            raise BackupError("this is not a SQLite backup")
        target = Path(str(db["NAME"]))
        if target.exists() and target.stat().st_size and not replace:
            raise BackupError(f"{target} exists: restore into a fresh database, or --replace")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
        return
    if "postgresql" in engine:
        if not path.name.endswith(".dump"):
            raise BackupError("this is not a PostgreSQL backup")
        args, env = _pg_env(db)
        name = str(db["NAME"])
        _pg_create_if_missing(db)
        if _pg_has_tables(db) and not replace:
            raise BackupError(
                f"database {name} holds tables: restore into a fresh one, or --replace"
            )
        clean = ["--clean", "--if-exists"] if replace else []
        # pg_dump/pg_restore found on PATH, an argument list, never a shell.
        subprocess.run(  # noqa: S603  # nosec B603
            [
                _tool("pg_restore"),
                *args,
                *clean,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                name,
                str(path),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        return
    raise BackupError(f"no restore for {engine}")


def _pg_connect(db: dict[str, Any], name: str) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=name,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    )


def _pg_create_if_missing(db: dict[str, Any]) -> None:
    from psycopg import sql

    with _pg_connect(db, "postgres") as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(db["NAME"]))))


def _pg_has_tables(db: dict[str, Any]) -> bool:
    with _pg_connect(db, str(db["NAME"])) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return bool(row and row[0])
