"""The engine of `manage.py bench_load` (issue 18's load test): the simulated users, the page
mix, the statistics and the gunicorn process. The command (management/commands/bench_load.py)
prepares the accounts and prints; this module runs the load.

Each simulated user is a thread with its own `requests.Session` (its own cookies, so its own
sign-in and CSRF token) and, for the API, a second session without cookies that sends
`Authorization: Token ...` only (so the token authentication is what answers, not the session).
Every request is expected to answer 200 without a redirect; anything else is an error of one
kind: `5xx`, `4xx`, `3xx` (a redirect, e.g. to the sign-in page when a session was lost),
`timeout` or `connection`.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

# The page mix: (kind, weight). Lists and record pages are what users open most; the summaries
# are the heavy pages of issue 18. A kind a user has no URL for (no visible case) is skipped.
MIX: tuple[tuple[str, int], ...] = (
    ("home", 8),
    ("petition_list", 7),
    ("petition_list_filter", 7),
    ("petition_list_page2", 4),
    ("case_list", 6),
    ("case_list_filter", 5),
    ("case_list_page2", 3),
    ("petition_record", 12),
    ("case_record", 8),
    ("petitions_summary", 6),
    ("cases_summary", 5),
    ("inbox", 6),
    ("search", 6),
    ("api_petitions", 6),
    ("api_cases", 4),
)
API_KINDS = frozenset({"api_petitions", "api_cases"})
SIGN_IN_TIMEOUT = 120.0
OUTCOMES = ("ok", "5xx", "4xx", "3xx", "timeout", "connection")


class SignInError(Exception):
    pass


@dataclass
class Actor:
    """One simulated user: an account (never printed with its secrets) and its URLs by kind."""

    username: str
    password: str = field(repr=False)
    token: str = field(repr=False)
    pages: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def mix(self) -> tuple[list[str], list[int]]:
        kinds = [(kind, weight) for kind, weight in MIX if self.pages.get(kind)]
        return [kind for kind, _ in kinds], [weight for _, weight in kinds]


@dataclass(frozen=True)
class Sample:
    kind: str
    started: float  # perf_counter
    seconds: float
    outcome: str  # one of OUTCOMES
    status: int = 0


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    sign_ins: list[float] = field(default_factory=list)
    sign_in_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


# Statistics ---------------------------------------------------------------------------------


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (the smallest value with at least
    `fraction` of the values at or below it), as bench_scoping computes its p95."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    # round() first: 0.95 * 100 is 95.00000000000001 in binary floating point.
    rank = max(1, math.ceil(round(fraction * len(sorted_values), 9)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass(frozen=True)
class Line:
    """The figures of one page kind (or of all): latencies over the answered requests (any
    status), errors by kind."""

    name: str
    requests: int
    p50: float
    p95: float
    p99: float
    max: float
    errors: dict[str, int]


def line(name: str, samples: Iterable[Sample]) -> Line:
    rows = list(samples)
    answered = sorted(s.seconds for s in rows if s.outcome not in ("timeout", "connection"))
    errors = Counter(s.outcome for s in rows if s.outcome != "ok")
    if not answered:
        return Line(name, len(rows), 0.0, 0.0, 0.0, 0.0, dict(errors))
    return Line(
        name,
        len(rows),
        percentile(answered, 0.50),
        percentile(answered, 0.95),
        percentile(answered, 0.99),
        answered[-1],
        dict(errors),
    )


def summarize(samples: Sequence[Sample]) -> tuple[Line, list[Line]]:
    """The overall line and one line per page kind, in the order of MIX."""
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    order = [kind for kind, _ in MIX if kind in by_kind] + sorted(
        set(by_kind) - {kind for kind, _ in MIX}
    )
    return line("all", samples), [line(kind, by_kind[kind]) for kind in order]


def format_line(item: Line, width: int = 22) -> str:
    def ms(value: float) -> str:
        return f"{value * 1000:7.0f} ms"

    errors = ", ".join(f"{kind} {n}" for kind, n in sorted(item.errors.items())) or "-"
    return (
        f"{item.name.ljust(width)} n {item.requests:6d}  p50 {ms(item.p50)}  p95 {ms(item.p95)}"
        f"  p99 {ms(item.p99)}  max {ms(item.max)}  errors: {errors}"
    )


# The simulated user -------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


def sign_in(session: requests.Session, base: str, actor: Actor, timeout: float) -> None:
    """The browser's way: GET the sign-in page (CSRF cookie and form token), POST the form,
    expect the redirect that follows a successful sign-in and a session cookie."""
    url = f"{base}/tai-khoan/dang-nhap/"
    page = session.get(url, timeout=timeout)
    found = CSRF_INPUT.search(page.text)
    if page.status_code != 200 or not found:
        raise SignInError(f"sign-in page answered {page.status_code}")
    answer = session.post(
        url,
        data={
            "csrfmiddlewaretoken": found.group(1),
            "username": actor.username,
            "password": actor.password,
            "otp_token": "",
        },
        headers={"Referer": url},
        allow_redirects=False,
        timeout=timeout,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise SignInError(f"sign-in answered {answer.status_code} for {actor.username}")


def classify(status: int) -> str:
    if status == 200:
        return "ok"
    if status >= 500:
        return "5xx"
    if status >= 400:
        return "4xx"
    return "3xx"


def fetch(
    session: requests.Session, url: str, kind: str, timeout: float, recorder: Recorder
) -> None:
    started = time.perf_counter()
    try:
        response = session.get(url, timeout=timeout, allow_redirects=False)
        response.content  # noqa: B018  (read the whole body inside the timing)
        outcome, status = classify(response.status_code), response.status_code
    except requests.Timeout:
        outcome, status = "timeout", 0
    except requests.ConnectionError:
        outcome, status = "connection", 0
    recorder.add(Sample(kind, started, time.perf_counter() - started, outcome, status))


@dataclass
class Run:
    base: str
    seconds: float
    think: float
    timeout: float
    seed: int
    sign_in_slots: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(5))
    recorder: Recorder = field(default_factory=Recorder)
    ready: threading.Barrier | None = None
    go: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    window: list[float] = field(default_factory=list)  # [start, end] perf_counter

    def user(self, index: int, actor: Actor) -> None:
        """A simulated user's thread: sign in, wait for everyone, then loop until the end."""
        rng = random.Random(self.seed * 1000 + index)  # noqa: S311  (think times, not secrets)
        web = requests.Session()
        api = requests.Session()
        api.headers["Authorization"] = f"Token {actor.token}"
        signed_in = False
        # Hashing a password is the costliest request there is (PBKDF2): at most `workers`
        # sign-ins at a time, with a longer time-out and one retry, so that the sign-in of 50
        # users at once does not time out on a busy machine. It is not part of the figures.
        with self.sign_in_slots:
            for attempt in (1, 2):
                try:
                    started = time.perf_counter()
                    sign_in(web, self.base, actor, max(self.timeout, SIGN_IN_TIMEOUT))
                    self.recorder.sign_ins.append(time.perf_counter() - started)
                    signed_in = True
                    break
                except (SignInError, requests.RequestException) as error:
                    if attempt == 2:
                        self.recorder.sign_in_errors.append(f"{actor.username}: {error}")
        if self.ready is not None:
            with contextlib.suppress(threading.BrokenBarrierError):
                self.ready.wait()
        self.go.wait()
        if not signed_in:
            return
        kinds, weights = actor.mix()
        # Users do not all click in the same instant.
        if self.stop.wait(rng.uniform(0, self.think)):
            return
        while not self.stop.is_set():
            kind = rng.choices(kinds, weights)[0]
            url = self.base + rng.choice(actor.pages[kind])
            fetch(api if kind in API_KINDS else web, url, kind, self.timeout, self.recorder)
            if self.stop.wait(rng.uniform(0.5 * self.think, 1.5 * self.think)):
                break

    def run(self, actors: Sequence[Actor], hard_stop: float, out: Any) -> list[Sample]:
        """Start one thread per actor, run `seconds` after every user signed in, and return
        the requests that started inside that window. Waits for the requests in flight at
        most until `hard_stop` seconds after the window opened."""
        self.ready = threading.Barrier(len(actors) + 1)
        threads = [
            threading.Thread(target=self.user, args=(i, a), daemon=True, name=f"load-{i}")
            for i, a in enumerate(actors)
        ]
        sign_in_started = time.perf_counter()
        for thread in threads:
            thread.start()
        try:
            self.ready.wait(timeout=max(120.0, 4.0 * len(actors)))
        except threading.BrokenBarrierError:
            out("sign-in: not everyone signed in within the limit; going on")
        out(
            f"sign-in: {len(self.recorder.sign_ins)}/{len(actors)} users in "
            f"{time.perf_counter() - sign_in_started:.1f} s"
        )
        start = time.perf_counter()
        self.window = [start, start + self.seconds]
        self.go.set()
        self.stop.wait(self.seconds)
        self.stop.set()
        deadline = start + hard_stop
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.perf_counter()))
        still = sum(thread.is_alive() for thread in threads)
        if still:
            out(f"hard stop: {still} users were still waiting for an answer")
        with self.recorder.lock:
            samples = [s for s in self.recorder.samples if s.started <= self.window[1]]
        self.window[1] = max(
            self.window[1], max((s.started + s.seconds for s in samples), default=0)
        )
        return samples


# gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Gunicorn:
    """gunicorn on 127.0.0.1 in its own process group; `stop()` ends the whole group."""

    root: Path
    workers: int
    timeout: int
    log: Path
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
            "--error-logfile",
            str(self.log),
        ]

    def settings(self) -> str:
        return (
            f"gunicorn: bind 127.0.0.1:{self.port}, workers {self.workers} (sync), "
            f"timeout {self.timeout} s, graceful-timeout 10 s, NOICHINH_DEBUG=0, "
            f"cores {os.cpu_count()}"
        )

    def start(self, ready_within: float = 90.0) -> None:
        self.port = self.port or free_port()
        self.process = subprocess.Popen(  # noqa: S603  (fixed command, our interpreter)
            self.command(),
            cwd=self.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}: {self.log_tail()}"
                )
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base}/healthz", timeout=5).status_code == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within {ready_within:.0f} s")

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after 15 s."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@contextlib.contextmanager
def terminate_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit in the main thread, so `finally` blocks (the
    gunicorn shutdown) run; SIGINT already raises KeyboardInterrupt."""

    def leave(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
