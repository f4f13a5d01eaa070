"""`manage.py bench_load`: the statistics on known inputs, the accounts it uses or creates (and
its refusal on a database without the demo), the page mix answering 200 for every demo account
through the real stack, and one short run against a real gunicorn on a copy of the test
database (SQLite only: the copy is a file gunicorn's workers can open)."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from noichinh.accounts.models import RoleAssignment, User
from noichinh.benchmarks import load
from noichinh.benchmarks.management.commands import bench_load
from noichinh.core.permissions import Role
from noichinh.core.testkit import build_tree


def sample(kind: str, ms: float, outcome: str = "ok", status: int = 200) -> load.Sample:
    return load.Sample(kind, 0.0, ms / 1000, outcome, status)


def test_percentile_is_nearest_rank() -> None:
    hundred = [float(n) for n in range(1, 101)]
    assert load.percentile(hundred, 0.50) == 50
    assert load.percentile(hundred, 0.95) == 95  # not 96: 0.95 * 100 is 95.000...01
    assert load.percentile(hundred, 0.99) == 99
    assert load.percentile(hundred, 1.0) == 100
    assert load.percentile([7.0], 0.99) == 7
    assert load.percentile([1.0, 2.0], 0.5) == 1
    assert load.percentile([1.0, 2.0, 3.0], 0.5) == 2
    assert load.percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.95) == 10
    with pytest.raises(ValueError):
        load.percentile([], 0.5)


def test_summarize_counts_errors_and_leaves_unanswered_requests_out_of_the_latencies() -> None:
    samples = [sample("home", ms) for ms in range(10, 110, 10)]  # 10..100 ms
    samples += [
        sample("search", 500, "5xx", 502),
        sample("search", 40, "4xx", 404),
        sample("search", 30_000, "timeout", 0),
        sample("search", 1, "connection", 0),
        sample("search", 20),
    ]
    overall, lines = load.summarize(samples)
    assert overall.requests == 15
    assert overall.errors == {"5xx": 1, "4xx": 1, "timeout": 1, "connection": 1}
    # 12 answered requests (the time-out and the refused connection have no latency).
    assert overall.max == 0.5
    assert overall.p50 == 0.05
    assert [item.name for item in lines] == ["home", "search"]  # the order of MIX
    home, search = lines
    assert (home.requests, home.p50, home.p95, home.p99, home.max) == (10, 0.05, 0.1, 0.1, 0.1)
    assert home.errors == {}
    assert search.requests == 5
    assert (search.p50, search.max) == (0.04, 0.5)
    assert "errors: 4xx 1, 5xx 1, connection 1, timeout 1" in load.format_line(search)


def test_classify() -> None:
    assert [load.classify(s) for s in (200, 302, 403, 404, 500, 502)] == [
        "ok",
        "3xx",
        "4xx",
        "4xx",
        "5xx",
        "5xx",
    ]


@pytest.mark.django_db
def test_refuses_to_create_users_without_the_demo() -> None:
    build_tree()
    with pytest.raises(CommandError, match="no demo data"):
        bench_load.prepare_actors(2, create_users=False)
    assert not User.objects.filter(username__startswith=bench_load.BENCH_PREFIX).exists()
    actors = bench_load.prepare_actors(2, create_users=True)
    assert [a.username for a in actors] == ["bench.load.01", "bench.load.02"]


def test_demo_accounts_first_then_bench_users(demo: None) -> None:
    actors = bench_load.prepare_actors(12, create_users=False)
    names = [actor.username for actor in actors]
    # The demo accounts that need no second factor (never `admin`), then the bench users.
    assert names[:5] == ["trunguong", "nghean", "quangbinh", "quantri.nghean", "quangtri"]
    assert names[5:] == [f"bench.load.{n:02d}" for n in range(1, 8)]
    created = User.objects.filter(username__startswith=bench_load.BENCH_PREFIX)
    assert created.count() == 7
    # Roles over provinces in force, never one that requires two-factor.
    roles = RoleAssignment.objects.filter(user__in=created)
    assert roles.count() == 7
    assert {r.role for r in roles} <= {Role.SPECIALIST, Role.VIEWER, Role.HEAD}
    assert all(r.unit.valid_to is None for r in roles)
    assert len({r.unit_id for r in roles}) == 7
    # A second run reuses them and their password still signs in (it is never printed).
    again = bench_load.prepare_actors(12, create_users=False)
    assert [a.username for a in again] == names
    assert created.count() == 7
    assert User.objects.get(username="bench.load.03").check_password(again[7].password)
    assert again[7].password not in repr(again[7])


def test_every_page_of_the_mix_answers_200_for_the_demo_accounts(demo: None) -> None:
    actors = bench_load.prepare_actors(5, create_users=False)
    assert len(actors) == 5
    for actor in actors:
        kinds, _weights = actor.mix()
        assert set(kinds) == {kind for kind, _ in load.MIX}, actor.username
        web = Client()
        web.force_login(User.objects.get(username=actor.username))
        api = Client(HTTP_AUTHORIZATION=f"Token {actor.token}")
        for kind, urls in actor.pages.items():
            for url in urls:
                client = api if kind in load.API_KINDS else web
                response = client.get(url)
                assert response.status_code == 200, (actor.username, kind, url)
                if kind in load.API_KINDS:
                    assert "results" in response.json()


ON_SQLITE = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="copies the SQLite test database to a file for gunicorn",
)


def database_copy(path: Path) -> dict[str, str]:
    """A file copy of this test's SQLite database; the environment that points at it."""
    connection.ensure_connection()
    # Read through this test's connection, so the copy holds its (uncommitted) demo rows; the
    # backup API would wait for ever on the shared-cache lock this transaction holds.
    script = "\n".join(connection.connection.iterdump())
    target = sqlite3.connect(path)
    try:
        target.executescript(script)
    finally:
        target.close()
    return {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}


def bench_load_command(*args: str) -> list[str]:
    return [sys.executable, "manage.py", "bench_load", "--workers", "2", *args]


def assert_nothing_listens(output: str) -> None:
    port = int(re.search(r"bind 127\.0\.0\.1:(\d+)", output).group(1))  # type: ignore[union-attr]
    with socket.socket() as probe, pytest.raises(OSError):
        probe.connect(("127.0.0.1", port))


@ON_SQLITE
def test_two_users_for_three_seconds_against_gunicorn(demo: None, tmp_path: Path) -> None:
    """The whole command in a subprocess, on a file copy of this test's database."""
    result = subprocess.run(  # noqa: S603  (our interpreter, fixed arguments)
        bench_load_command("--users", "2", "--seconds", "3", "--think", "0.2"),
        cwd=settings.BASE_DIR,
        env=database_copy(tmp_path / "load.sqlite3"),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "sign-in: 2/2 users" in output, output
    assert "NOICHINH_DEBUG=0" in output
    requests_made = int(re.search(r"^requests: (\d+)", output, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert requests_made >= 4, output
    assert "errors: 0 " in output, output
    assert re.search(r"^all +n +\d+ +p50 .* p95 .* p99 ", output, re.MULTILINE), output
    assert settings.NOICHINH_DEMO_PASSWORD not in output
    assert_nothing_listens(output)  # gunicorn is gone


@ON_SQLITE
def test_sigterm_during_the_run_stops_gunicorn(demo: None, tmp_path: Path) -> None:
    process = subprocess.Popen(  # noqa: S603  (our interpreter, fixed arguments)
        bench_load_command("--users", "1", "--seconds", "120"),
        cwd=settings.BASE_DIR,
        env=database_copy(tmp_path / "load.sqlite3"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        assert process.stdout is not None
        for text in process.stdout:  # up to the start of the run
            lines.append(text)
            if text.startswith("sign-in:"):
                break
        output = "".join(lines)
        assert "sign-in: 1/1 users" in output, output
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert_nothing_listens(output)
