"""The demo data for tests, loaded once per process and restored in milliseconds.

`manage.py load_demo` takes 12-35 s; dozens of tests (and every browser test) need its data.
`load_demo()` runs the real command once per process (per pytest-xdist worker) on the migrated
database, copies every table's rows into memory, rolls the load back, and from then on writes
those rows into the current database instead: the test sees exactly the rows a fresh
`load_demo` would have made (ids, audit chain, hashes included), in about 0.1 s.

Inside a test's transaction (pytest-django's `db`) the restored rows roll back with the test,
so the next test starts from its own state again; with `transactional_db` (the browser tests)
they are committed and pytest-django's flush removes them afterwards.

The copy is taken from the *baseline*: the rows that migrations put in the fresh test
database (content types, permissions, holidays), captured by the root conftest.py right after
pytest-django creates the database, so a flush by an earlier transactional test cannot change
what the demo is loaded onto. Works on SQLite (plain SELECT/INSERT of the stored values) and
PostgreSQL (COPY, then the sequences are moved past the restored ids); on another backend it
simply runs `load_demo`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

# Table and column names in the SQL below come from the database's own catalogue, quoted.
# Never copied: the migration history is the schema's, not the data's.
SKIPPED_TABLES = frozenset({"django_migrations"})
SQLITE_SEQUENCE = "sqlite_sequence"


@dataclass
class Snapshot:
    """Every table's rows: (columns, rows) on SQLite, COPY text on PostgreSQL."""

    vendor: str
    rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)
    copies: dict[str, bytes] = field(default_factory=dict)

    def __len__(self) -> int:
        if self.vendor == "sqlite":
            return sum(len(rows) for _, rows in self.rows.values())
        return sum(data.count(b"\n") for data in self.copies.values())


# Set by the root conftest.py once pytest-django has created and migrated the test database.
baseline: Snapshot | None = None
_demo: tuple[dt.date, Snapshot] | None = None


def supported() -> bool:
    return connection.vendor in {"sqlite", "postgresql"}


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor, include_views=False)
    return sorted(
        n for n in names if n not in SKIPPED_TABLES and not n.lower().startswith("sqlite_")
    )


def dump() -> Snapshot:
    """Every row of every table of the default database, as stored."""
    snapshot = Snapshot(connection.vendor)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tables = _tables()
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [SQLITE_SEQUENCE])
            if cursor.fetchone():
                tables.append(SQLITE_SEQUENCE)  # last: the AUTOINCREMENT counters as they were
            for table in tables:
                cursor.execute(f"SELECT * FROM {quote(table)} LIMIT 0")  # noqa: S608
                columns = [c[0] for c in cursor.description]
                # `+column` is an expression, so the driver applies no converter (date, bool):
                # the values come back exactly as SQLite stores them and go back the same way.
                values = ", ".join(f"+{quote(c)}" for c in columns)
                cursor.execute(f"SELECT {values} FROM {quote(table)}")  # noqa: S608
                snapshot.rows[table] = (columns, [tuple(row) for row in cursor.fetchall()])
        else:
            raw = cursor.cursor
            for table in _tables():
                with raw.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                    snapshot.copies[table] = b"".join(bytes(block) for block in copy)
    return snapshot


def restore(snapshot: Snapshot) -> None:
    """Make the default database hold exactly the snapshot's rows (call inside a transaction:
    Django's foreign keys are deferred, so the order of the tables does not matter)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if snapshot.vendor == "sqlite":
            for table, (columns, rows) in snapshot.rows.items():
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
                if rows:
                    names = ", ".join(quote(c) for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                        rows,
                    )
        else:
            raw = cursor.cursor
            for table in snapshot.copies:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
            for table, data in snapshot.copies.items():
                if data:
                    with raw.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(data)
            models = apps.get_models(include_auto_created=True)
            statements = connection.ops.sequence_reset_sql(no_style(), models)
            if statements:
                cursor.execute("\n".join(statements))
    forget_caches()


def forget_caches() -> None:
    """Caches filled from the previous rows: content types by id, the per-process caches."""
    ContentType.objects.clear_cache()
    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()


def _build() -> Snapshot:
    """Run the real `load_demo` on the baseline and keep its rows; the load itself is rolled
    back (a savepoint when called inside a test's transaction)."""
    with transaction.atomic():
        if baseline is not None:
            restore(baseline)
        call_command("load_demo", stdout=io.StringIO())
        snapshot = dump()
        transaction.set_rollback(True)
    forget_caches()
    return snapshot


def load_demo() -> None:
    """Give the current database exactly the demo data `manage.py load_demo` makes on a freshly
    migrated database (replacing whatever rows it holds)."""
    global _demo
    if not supported():
        call_command("load_demo", stdout=io.StringIO())
        return
    today = timezone.localdate()  # the demo may depend on today's date: one copy per day
    if _demo is None or _demo[0] != today:
        _demo = (today, _build())
    with transaction.atomic():
        restore(_demo[1])
