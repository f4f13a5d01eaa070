"""Issue 18's load test: N users signed in to a real gunicorn at once, for a while.

    DATABASE_URL=... python manage.py bench_load                   # 50 users, 60 s
    python manage.py bench_load --users 10 --seconds 20 --think 0.5 --workers 5

Starts gunicorn on 127.0.0.1 (a free port, `--workers`, default 2 x cores + 1, `--timeout 30`,
NOICHINH_DEBUG=0) against the same DATABASE_URL, signs the users in through the sign-in page
(one fresh session each), then each user loops over a mix of pages (noichinh.benchmarks.load.MIX:
home, the petition and case lists with filters and page 2, record pages, both summaries, the
inbox, search, and the API lists with token authentication) with a think time between clicks.
Stops by itself after --seconds (hard stop 30 s later) and prints the number of requests, the
throughput, the errors by kind, and p50/p95/p99 overall and per page kind. gunicorn is shut down
(its whole process group) on any exit.

Accounts: the demo accounts that sign in with the password alone (never `admin`, whose role
requires two-factor), then throwaway users `bench.load.NN` with roles over the provinces in force
(specialist, viewer, head; every tenth a head of the root, who sees the whole tree) and a password
derived from SECRET_KEY (never printed). The command refuses to create users unless the demo is
loaded or `--create-users` is given; it creates one API token per account.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.urls import reverse

from noichinh.benchmarks import load

BENCH_PREFIX = "bench.load."
# Demo words found in petitions and cases (search and the list's `q`).
SEARCH_WORDS = ("đất đai", "bồi thường", "tham nhũng", "khiếu nại")
RECORDS_PER_USER = 20
API_PAGE_SIZE = int(str(settings.REST_FRAMEWORK.get("PAGE_SIZE", 50)))


def bench_password(username: str) -> str:
    """The throwaway users' password: derived from SECRET_KEY, so a rerun signs in without
    rewriting the hash, and nobody can guess it from the code."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"bench_load:{username}".encode(), "sha256")
    return digest.hexdigest()[:32]


def demo_loaded() -> bool:
    from noichinh.accounts.demo import DEMO_ACCOUNTS
    from noichinh.accounts.models import User
    from noichinh.units.models import Unit

    names = [row[0] for row in DEMO_ACCOUNTS]
    return Unit.objects.filter(code="BNCTW").exists() and User.objects.filter(
        username__in=names
    ).count() == len(names)


def signs_in_with_password(user: Any) -> bool:
    from noichinh.accounts.services import user_requires_two_factor
    from noichinh.accounts.views import confirmed_device

    return user.is_active and confirmed_device(user) is None and not user_requires_two_factor(user)


def demo_accounts() -> list[tuple[Any, str]]:
    """The demo accounts that sign in with the demo password alone, in the demo's order."""
    from noichinh.accounts.demo import DEMO_ACCOUNTS
    from noichinh.accounts.models import User

    password = settings.NOICHINH_DEMO_PASSWORD
    found = []
    for username, *_rest in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is not None and signs_in_with_password(user) and user.check_password(password):
            found.append((user, password))
    return found


def bench_accounts(count: int) -> list[tuple[Any, str]]:
    """Create or reuse `count` throwaway users over the provinces in force."""
    from noichinh.accounts.models import RoleAssignment, User, roles_requiring_two_factor
    from noichinh.core.permissions import Role
    from noichinh.core.scoping import forget
    from noichinh.units.choices import UnitKind
    from noichinh.units.models import Unit

    provinces = list(
        Unit.objects.active().filter(kind=UnitKind.PROVINCIAL).order_by("path")
    ) or list(Unit.objects.active().filter(parent__isnull=False).order_by("path")[:40])
    root = Unit.objects.active().filter(parent__isnull=True).order_by("path").first()
    if root is None or not provinces:
        raise CommandError("No units in force to give the bench users roles over.")
    allowed = [
        role
        for role in (Role.SPECIALIST, Role.VIEWER, Role.HEAD, Role.SPECIALIST)
        if role not in roles_requiring_two_factor()
    ]
    if not allowed:
        raise CommandError("Every role requires two-factor sign-in: no bench user can sign in.")
    accounts = []
    for number in range(1, count + 1):
        username = f"{BENCH_PREFIX}{number:02d}"
        unit = root if number % 10 == 0 else provinces[(number - 1) % len(provinces)]
        if number % 10 == 0:  # the whole tree: a head where the policy lets heads sign in
            role = Role.HEAD if Role.HEAD in allowed else allowed[0]
        else:
            role = allowed[(number - 1) % len(allowed)]
        password = bench_password(username)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=f"Benchmark ({username})", home_unit=unit)
            user.set_password(password)
            user.save()
        else:
            if not user.check_password(password):
                user.set_password(password)
            user.home_unit = unit
            user.is_active = True
            user.save()
        RoleAssignment.objects.filter(user=user).exclude(unit=unit, role=role).delete()
        RoleAssignment.objects.get_or_create(
            user=user, unit=unit, role=role, defaults={"valid_from": dt.date(2021, 1, 1)}
        )
        forget(user)
        accounts.append((user, password))
    return accounts


def api_token(user: Any) -> str:
    from rest_framework.authtoken.models import Token

    from noichinh.accounts.authentication import token_expired

    token, _created = Token.objects.get_or_create(user=user)
    if token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return str(token.key)


def pages_for(user: Any) -> dict[str, tuple[str, ...]]:
    """The URLs of each page kind for this user (record pages: records the gate lets them see)."""
    from noichinh.cases.choices import Stage, StalledState
    from noichinh.cases.models import Case
    from noichinh.petitions.choices import DeadlineState, PetitionKind, PetitionStatus
    from noichinh.petitions.models import Petition

    petitions = reverse("petitions:petition_list")
    cases = reverse("cases:case_list")

    def query(base: str, **params: str) -> str:
        return f"{base}?{urlencode(params)}"

    visible_petitions = Petition.objects.restrict(user, "view")
    petition_ids = list(
        visible_petitions.order_by("-received_on", "-id").values_list("pk", flat=True)[
            :RECORDS_PER_USER
        ]
    )
    case_ids = list(
        Case.objects.restrict(user, "view")
        .order_by("-detected_on", "-id")
        .values_list("pk", flat=True)[:RECORDS_PER_USER]
    )
    return {
        "home": (reverse("dashboards:home"),),
        "petition_list": (petitions,),
        "petition_list_filter": (
            query(petitions, status=PetitionStatus.ACCEPTED),
            query(petitions, deadline=DeadlineState.OVERDUE),
            query(petitions, kind=PetitionKind.COMPLAINT),
            *(query(petitions, q=word) for word in SEARCH_WORDS[:2]),
        ),
        "petition_list_page2": (query(petitions, page="2"),),
        "case_list": (cases,),
        "case_list_filter": (
            query(cases, state=StalledState.STALLED),
            query(cases, state=StalledState.ONGOING),
            query(cases, stage=Stage.INVESTIGATION),
        ),
        "case_list_page2": (query(cases, page="2"),),
        "petition_record": tuple(
            reverse("petitions:petition_detail", args=[pk]) for pk in petition_ids
        ),
        "case_record": tuple(reverse("cases:case_detail", args=[pk]) for pk in case_ids),
        "petitions_summary": (reverse("petitions:dashboard"),),
        "cases_summary": (reverse("cases:dashboard"),),
        "inbox": (reverse("inbox:list"),),
        "search": tuple(query(reverse("core:search"), q=word) for word in SEARCH_WORDS),
        # The API answers 404 for a page past the last (its page size is 50).
        "api_petitions": ("/api/petitions/",)
        + (("/api/petitions/?page=2",) if visible_petitions.count() > API_PAGE_SIZE else ()),
        "api_cases": ("/api/cases/",),
    }


def prepare_actors(count: int, *, create_users: bool) -> list[load.Actor]:
    """`count` accounts: the demo ones first, then bench users (created only on a demo
    database or with --create-users), each with its API token and its pages."""
    demo = demo_loaded()
    accounts = demo_accounts()[:count] if demo else []
    missing = count - len(accounts)
    if missing > 0:
        if not (demo or create_users):
            raise CommandError(
                "This database has no demo data: bench_load creates throwaway users "
                f"({BENCH_PREFIX}NN) only on a demo or bench database. Load the demo "
                "(manage.py load_demo) or pass --create-users if this is a bench database."
            )
        accounts += bench_accounts(missing)
    return [
        load.Actor(user.username, password, api_token(user), pages_for(user))
        for user, password in accounts
    ]


def loadavg() -> str:
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


class Command(BaseCommand):
    help = "Load test: N signed-in users against a real gunicorn (issue 18)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50, help="simulated users (50)")
        parser.add_argument("--seconds", type=float, default=60, help="length of the run (60)")
        parser.add_argument(
            "--think", type=float, default=0.5, help="mean think time between clicks, s (0.5)"
        )
        parser.add_argument(
            "--workers", type=int, default=0, help="gunicorn workers (default 2 x cores + 1)"
        )
        parser.add_argument(
            "--timeout", type=int, default=30, help="gunicorn worker timeout, s (30)"
        )
        parser.add_argument(
            "--request-timeout",
            type=float,
            default=0,
            help="client time-out per request, s (default: gunicorn's timeout + 5)",
        )
        parser.add_argument("--seed", type=int, default=1, help="seed of the clicks (1)")
        parser.add_argument(
            "--create-users",
            action="store_true",
            help=f"allow creating {BENCH_PREFIX}NN users on a database without the demo",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        users = options["users"]
        if users < 1 or options["seconds"] <= 0:
            raise CommandError("--users and --seconds must be positive.")
        workers = options["workers"] or 2 * (os.cpu_count() or 1) + 1
        timeout = options["timeout"]
        request_timeout = options["request_timeout"] or timeout + 5

        actors = prepare_actors(users, create_users=options["create_users"])
        demo = sum(not a.username.startswith(BENCH_PREFIX) for a in actors)
        self.stdout.write(
            f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
            f"accounts: {len(actors)} ({demo} demo, {len(actors) - demo} {BENCH_PREFIX}NN)"
        )
        connection.close()  # gunicorn's workers write (sessions, audit): no lock held here

        env = {
            **os.environ,
            "NOICHINH_DEBUG": "0",
            "NOICHINH_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
        with tempfile.TemporaryDirectory(prefix="bench_load-") as tmp:
            server = load.Gunicorn(
                root=Path(settings.BASE_DIR),
                workers=workers,
                timeout=timeout,
                log=Path(tmp) / "gunicorn.log",
                env=env,
            )
            with load.terminate_on_signals():
                try:
                    self._run(server, actors, options, request_timeout)
                finally:
                    server.stop()

    def _run(
        self, server: load.Gunicorn, actors: list[load.Actor], options: Any, timeout: float
    ) -> None:
        started = time.perf_counter()
        try:
            server.start()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(server.settings())
        self.stdout.write(f"started in {time.perf_counter() - started:.1f} s; load {loadavg()}")
        self.stdout.write(
            f"{len(actors)} users, {options['seconds']:g} s, think {options['think']:g} s "
            f"(uniform 0.5-1.5 x), client time-out {timeout:g} s"
        )
        run = load.Run(
            base=server.base,
            seconds=options["seconds"],
            think=options["think"],
            timeout=timeout,
            seed=options["seed"],
            sign_in_slots=threading.Semaphore(server.workers),
        )
        samples = run.run(actors, options["seconds"] + 30, self.stdout.write)
        self._report(run, samples, server)

    def _report(self, run: load.Run, samples: list[load.Sample], server: load.Gunicorn) -> None:
        out = self.stdout.write
        recorder = run.recorder
        for error in recorder.sign_in_errors:
            out(f"sign-in failed: {error}")
        if recorder.sign_ins:
            ordered = sorted(recorder.sign_ins)
            out(
                f"sign-in time: p50 {load.percentile(ordered, 0.5) * 1000:.0f} ms, "
                f"max {ordered[-1] * 1000:.0f} ms"
            )
        elapsed = run.window[1] - run.window[0]
        overall, lines = load.summarize(samples)
        errors = sum(overall.errors.values())
        out(f"load average after the run: {loadavg()}")
        out("")
        out(
            f"users active: {len(recorder.sign_ins)} "
            f"(sign-in failed: {len(recorder.sign_in_errors)})"
        )
        out(
            f"requests: {overall.requests}  in {elapsed:.1f} s  "
            f"throughput {overall.requests / elapsed if elapsed else 0:.1f} req/s"
        )
        out(
            f"errors: {errors}  ("
            + ", ".join(f"{kind} {overall.errors.get(kind, 0)}" for kind in load.OUTCOMES[1:])
            + ")"
        )
        statuses = sorted({s.status for s in samples if s.outcome != "ok" and s.status})
        if statuses:
            out(f"error statuses: {', '.join(str(status) for status in statuses)}")
        out(load.format_line(overall))
        for item in lines:
            out(load.format_line(item))
        tail = server.log_tail()
        if errors and tail.strip():
            out("")
            out("gunicorn log (last lines):")
            out(tail)
