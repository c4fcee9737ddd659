"""The benchmark: wrk (a separate process) against the production-like stack, every figure a ratio.

    uv run --frozen python bench/run.py          # or `make bench`

Expects the native stack up with STACK_BENCH=1 (deploy/stack/stack.py; bench/bench.mk does it).
Restarts the web tier with the bench environment (raised throttles, long-lived access tokens),
seeds up to BENCH_SALONS salons, then, BENCH_REPEAT times, runs every scenario with the bare
Django baseline measured before and after it. Then: pgbench ceilings, p99 at 70 % of peak
(rate-limited wrk), 1 → 2 workers per replica, memory peaks. Writes bench/results/latest.json
and prints the table. See bench/README.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "bench"
RESULTS = HERE / "results"
LUA = HERE / "lua" / "requests.lua"

# The bench environment of the stack (bench.mk sets the same; running run.py alone works too).
BENCH_STACK_ENV = {
    "STACK_BENCH": "1",
    "STACK_APP_THROTTLE_AUTH": "1000000/min",
    "STACK_APP_THROTTLE_BOOKING": "1000000/min",
    "STACK_APP_JWT_ACCESS_MINUTES": "240",
    "STACK_NGINX_AUTH_RATE": "100000r/s",
    "STACK_NGINX_BOOKING_RATE": "100000r/s",
    # 64 connections start at the same instant: a burst above 40 is a 429, not a booking.
    "STACK_NGINX_AUTH_BURST": "1000",
    "STACK_NGINX_BOOKING_BURST": "1000",
}
for _key, _value in BENCH_STACK_ENV.items():
    os.environ.setdefault(_key, _value)

from deploy.stack import app, nginx, postgres, processes  # noqa: E402
from deploy.stack.config import Stack  # noqa: E402


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DURATION = _env_int("BENCH_DURATION", 10)
REPEAT = _env_int("BENCH_REPEAT", 3)
CONNECTIONS = _env_int("BENCH_CONNECTIONS", 64)
THREADS = _env_int("BENCH_THREADS", 2)
SALONS = _env_int("BENCH_SALONS", 1000)
WARMUP = _env_int("BENCH_WARMUP", 2)
TIMEOUT = os.environ.get("BENCH_TIMEOUT") or "5s"
USERS = 32
CONTENTION_SLOTS = 8
SKIP = set(filter(None, (os.environ.get("BENCH_SKIP") or "").split(",")))  # ceilings,p99,scaling

ALL_SCENARIOS = (
    "health_live",
    "salon_list",
    "salon_detail",
    "availability_hit",
    "availability_miss",
    "booking_create",
    "booking_contention",
    "journey",
)
# BENCH_SCENARIOS=a,b runs a subset (for comparing one setting); the full set otherwise.
_chosen = (os.environ.get("BENCH_SCENARIOS") or "").split(",")
SCENARIOS = tuple(filter(None, _chosen)) or ALL_SCENARIOS
OUTPUT = Path(os.environ.get("BENCH_OUTPUT") or HERE / "results" / "latest.json")
TARGETS = {  # DESIGN.md §7: scenario rps / bare rps
    "health_live": 0.70,
    "availability_hit": 0.80,
    "availability_miss": 0.50,
    "booking_create": 0.30,
}
P99_TARGETS_MS = {"read": ("salon_detail", 50.0), "write": ("booking_create", 100.0)}
PASSWORD = "bench-password-123"  # throwaway users on the local stack


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------- HTTP (setup)


class Api:
    """A tiny JSON client for setting up data (never for measuring)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 - https only
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, json.loads(payload or b"null")
            except ValueError:
                return error.code, payload.decode(errors="replace")

    def get(self, path: str) -> Any:
        status, payload = self.call("GET", path)
        if status != 200:
            raise SystemExit(f"bench: GET {path} -> {status}: {str(payload)[:300]}")
        return payload


# ---------------------------------------------------------------------------------- the data


@dataclass
class Salon:
    id: str
    services: list[dict[str, Any]]
    staff: list[dict[str, Any]]


@dataclass
class Data:
    salons: list[Salon]
    tokens: list[str]
    hit_combos: list[str]  # availability paths kept warm
    miss_combos: list[str]  # availability paths never asked before in this run (consumed)
    slots: list[str]  # JSON bodies of distinct free slots (consumed)
    journey_combos: list[str]
    more_slots: Callable[[int], list[str]] | None = None

    def take_misses(self, n: int) -> list[str]:
        taken, self.miss_combos = self.miss_combos[:n], self.miss_combos[n:]
        if len(taken) < n:
            say(f"only {len(taken)} unasked availability combinations left (wanted {n})")
        return taken

    def take_slots(self, n: int) -> list[str]:
        if len(self.slots) < n and self.more_slots is not None:
            self.slots += self.more_slots(n - len(self.slots))
        taken, self.slots = self.slots[:n], self.slots[n:]
        if len(taken) < n:
            raise SystemExit(f"bench: ran out of free slots (wanted {n}, had {len(taken)})")
        return taken


def availability_path(salon: str, service: str, day: dt.date, days: int) -> str:
    last = day + dt.timedelta(days=days - 1)
    return f"/api/v1/salons/{salon}/availability?service={service}&from={day}&to={last}"


def free_slots(api: Api, salon: Salon, rng: random.Random, first: dt.date) -> list[str]:
    """Non-overlapping free slots (per staff member, end + buffer) of one service over a week."""
    service = rng.choice(salon.services)
    status, payload = api.call("GET", availability_path(salon.id, service["id"], first, 7))
    if status != 200:
        return []
    buffer = dt.timedelta(minutes=service.get("buffer_after_minutes") or 0)
    busy_until: dict[str, dt.datetime] = {}
    bodies = []
    for slot in payload["slots"]:
        start = dt.datetime.fromisoformat(slot["start"])
        end = dt.datetime.fromisoformat(slot["end"]) + buffer
        for staff in slot["staff_ids"]:
            if busy_until.get(staff) is None or start >= busy_until[staff]:
                busy_until[staff] = end
                bodies.append(
                    json.dumps(
                        {"service": service["id"], "start": slot["start"], "staff": staff},
                        separators=(",", ":"),
                    )
                )
                break
    return bodies


def prepare_data(api: Api, slots_needed: int, rng: random.Random) -> Data:
    started = time.monotonic()
    ids: list[str] = []
    page = 1
    while True:
        listing = api.get(f"/api/v1/salons?page_size=100&page={page}")
        ids += [salon["id"] for salon in listing["results"]]
        if not listing.get("next"):
            break
        page += 1
    with ThreadPoolExecutor(8) as pool:
        details = list(pool.map(lambda i: api.get(f"/api/v1/salons/{i}"), ids))
    salons = [
        Salon(d["id"], d["services"], d["staff"]) for d in details if d["services"] and d["staff"]
    ]
    rng.shuffle(salons)
    say(f"{len(salons)} bookable salons of {len(ids)}")
    # Disjoint groups, so bookings never invalidate the availability the hit scenario keeps warm.
    hit, book, miss = salons[:50], salons[50:400], salons[400:]
    today = dt.datetime.now(dt.UTC).date()
    first = today + dt.timedelta(days=2)
    hit_combos = [
        availability_path(s.id, svc["id"], first + dt.timedelta(days=d), 1)
        for s in hit
        for svc in s.services[:2]
        for d in range(2)
    ]
    miss_combos = [
        availability_path(s.id, svc["id"], today + dt.timedelta(days=d), days)
        for s in miss
        for svc in s.services
        for d in range(1, 14)
        for days in (1, 2, 3)
    ]
    rng.shuffle(miss_combos)
    journey_combos = [
        availability_path(s.id, svc["id"], first + dt.timedelta(days=d), 1)
        for s in book
        for svc in s.services[:2]
        for d in range(3)
    ]
    tokens = users(api)
    queue = list(book)

    def more_slots(needed: int) -> list[str]:
        """Free slots from salons not used for slots yet (availability through the API)."""
        found: list[str] = []
        with ThreadPoolExecutor(8) as pool:
            while len(found) < needed and queue:
                batch = [queue.pop() for _ in range(min(16, len(queue)))]
                for slots in pool.map(lambda s: free_slots(api, s, rng, first), batch):
                    found += slots
        rng.shuffle(found)
        return found

    slots = more_slots(slots_needed)
    say(
        f"data ready in {time.monotonic() - started:.0f}s: {len(slots)} free slots, "
        f"{len(miss_combos)} unasked availability combinations, {len(tokens)} users"
    )
    return Data(salons, tokens, hit_combos, miss_combos, slots, journey_combos, more_slots)


def users(api: Api) -> list[str]:
    def token(i: int) -> str:
        email = f"bench-{i}@bench.example.com"
        api.call(
            "POST",
            "/api/v1/auth/register",
            {"email": email, "password": PASSWORD, "first_name": "Bench", "last_name": str(i)},
        )
        status, payload = api.call(
            "POST", "/api/v1/auth/token", {"email": email, "password": PASSWORD}
        )
        if status != 200:
            raise SystemExit(f"bench: token for {email} -> {status}: {payload}")
        return str(payload["access"])

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(token, range(USERS)))


# ------------------------------------------------------------------------------- scenarios


def line(path: str, method: str = "GET", bearer: str = "-", body: str = "-") -> str:
    return f"{method}\t{path}\t{bearer}\t{body}"


class Workload:
    """The request lines of each scenario, sized from the rates seen so far."""

    def __init__(self, data: Data, rng: random.Random) -> None:
        self.data = data
        self.rng = rng
        self.peak: dict[str, float] = {}
        self.contention: list[list[str]] = []  # the slots each contention run fought over

    def size(self, name: str, default_rps: float, duration: int = DURATION) -> int:
        rps = self.peak.get(name, default_rps)
        return int(max(rps * 1.5, 50) * duration) + CONNECTIONS

    def lines(self, name: str, duration: int = DURATION) -> list[str]:
        d, rng = self.data, self.rng
        tokens = d.tokens
        if name == "bare":
            return [line("/__bench/bare")]
        if name == "health_live":
            return [line("/health/live")]
        if name == "salon_list":
            pages = [line(f"/api/v1/salons?page_size=20&page={p}") for p in range(1, 51)]
            rng.shuffle(pages)
            return pages
        if name == "salon_detail":
            return [line(f"/api/v1/salons/{s.id}") for s in rng.sample(d.salons, len(d.salons))]
        if name == "availability_hit":
            warm(d.hit_combos)
            return [line(p) for p in rng.sample(d.hit_combos, len(d.hit_combos))]
        if name == "availability_miss":
            return [line(p) for p in d.take_misses(self.size(name, 600, duration))]
        if name == "booking_create":
            bodies = d.take_slots(self.size(name, 300, duration))
            return [
                line("/api/v1/appointments", "POST", tokens[i % len(tokens)], body)
                for i, body in enumerate(bodies)
            ]
        if name == "booking_contention":
            few = d.take_slots(CONTENTION_SLOTS)
            self.contention.append(few)
            return [
                line("/api/v1/appointments", "POST", tokens[i % len(tokens)], few[i % len(few)])
                for i in range(len(tokens) * len(few))
            ]
        if name == "journey":
            return self.journey(self.size(name, 600, duration))
        raise ValueError(name)

    def journey(self, n: int) -> list[str]:
        """Browse (list, detail, availability), then one in four books and looks at the result."""
        d, rng = self.data, self.rng
        out: list[str] = []
        visit = 0
        while len(out) < n:
            salon = rng.choice(d.salons)
            token = d.tokens[visit % len(d.tokens)]
            out.append(line(f"/api/v1/salons?page_size=20&page={rng.randint(1, 50)}"))
            out.append(line(f"/api/v1/salons/{salon.id}"))
            out.append(line(rng.choice(d.journey_combos)))
            if visit % 4 == 0:
                out.append(line("/api/v1/appointments", "POST", token, d.take_slots(1)[0]))
                out.append(line("/api/v1/appointments?page_size=10", "GET", token))
            visit += 1
        return out


API: Api | None = None


def warm(paths: list[str]) -> None:
    assert API is not None
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda p: API.call("GET", p), paths))


# ------------------------------------------------------------------------------------ wrk


def wrk(base: str, lines: list[str], duration: int, rate: float | None = None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    env = {**os.environ, "BENCH_REQUESTS": handle.name, "BENCH_THREADS": str(THREADS)}
    if rate:
        env["BENCH_RATE"] = f"{rate:.1f}"
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        f"--timeout={TIMEOUT}",
        "-s",
        str(LUA),
        base,
    ]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    finally:
        os.unlink(handle.name)
    found = re.search(r"^BENCH_RESULT (.*)$", done.stdout, re.M)
    if done.returncode != 0 or not found:
        raise SystemExit(f"bench: wrk failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(found.group(1))


def figures(raw: dict[str, Any], expected_409: bool) -> dict[str, Any]:
    statuses = {int(k): v for k, v in raw["statuses"].items()}
    socket = raw["socket_errors"]
    unexpected = sum(
        n for s, n in statuses.items() if not (200 <= s < 300 or (s == 409 and expected_409))
    )
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["latency_us"]["p50"] / 1000,
        "p95_ms": raw["latency_us"]["p95"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        "requests": raw["requests"],
        "errors": unexpected + sum(socket.values()),
        "conflicts_409": statuses.get(409, 0),
        "statuses": raw["statuses"],
        "socket_errors": socket,
        "wrapped": raw["wrapped"] > 0 and raw["lines"] > 1,
        "max_schedule_lag_ms": raw["max_schedule_lag_ms"],
    }


WRITE_SCENARIOS = ("booking_create", "booking_contention", "journey")


class Runner:
    def __init__(self, base: str, workload: Workload, broker: Any) -> None:
        self.base = base
        self.workload = workload
        self.broker = broker
        self.runs: dict[str, list[dict[str, Any]]] = {}
        self.drain_s: dict[str, list[float]] = {}

    def run(self, name: str, duration: int = DURATION, record: bool = True) -> dict[str, Any]:
        lines = self.workload.lines(name, duration)
        result = figures(wrk(self.base, lines, duration), expected_409=name == "booking_contention")
        if result["wrapped"] and name in ("availability_miss", "booking_create", "journey"):
            say(f"  {name}: the request file wrapped around (re-asked combinations or slots)")
        if record:
            self.runs.setdefault(name, []).append(result)
            peak = statistics.median(r["rps"] for r in self.runs[name])
            self.workload.peak[name] = max(self.workload.peak.get(name, 0), peak)
        say(
            f"  {name:<20} {result['rps']:8.1f} rps  p99 {result['p99_ms']:7.1f} ms  "
            f"errors {result['errors']}  409 {result['conflicts_409']}"
        )
        if name in WRITE_SCENARIOS:
            self.drain_s.setdefault(name, []).append(self.drain_notifications())
        return result

    def drain_notifications(self, timeout: float = 300) -> float:
        """Wait for the worker to send what the bookings queued, so the next run starts quiet.

        The worker shares the machine's cores: measured while it drains a backlog, the next
        scenario (and its baseline) would pay for this one's notifications.
        """
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.broker.llen("notifications") == 0 and not self.broker.hlen("unacked"):
                break
            time.sleep(0.2)
        return round(time.monotonic() - started, 1)


# ------------------------------------------------------------------------------ the stack


def restart_web(workers: int) -> None:
    """The web tier, the bare baseline and Celery, started afresh with this run's environment."""
    stack = Stack(web_workers=workers)
    with contextlib.redirect_stdout(sys.stderr):
        app.web_up(stack)
        app.bare_up(stack)
        app.celery_up(stack)
    wait_ready()


def wait_ready(timeout: float = 90) -> None:
    """Until both replicas answer a database-backed request (workers boot after the port opens)."""
    assert API is not None
    deadline = time.monotonic() + timeout
    ok = 0
    while ok < 8:
        if time.monotonic() > deadline:
            raise SystemExit("bench: the web tier did not become ready")
        status, _ = API.call("GET", "/api/v1/salons?page_size=1")
        ok = ok + 1 if status == 200 else 0
        if status != 200:
            time.sleep(0.5)


def ensure_stack(api: Api) -> Stack:
    stack = Stack()
    if not all(processes.alive(stack, n) for n in ("web1", "web2", "nginx", "worker")):
        raise SystemExit("bench: the stack is not up (STACK_BENCH=1 deploy/stack/stack.py up)")
    with contextlib.redirect_stdout(sys.stderr):
        nginx.nginx_up(stack)  # renders the bench rates and the /__bench/bare location
    say(f"restarting the app processes with the bench environment ({stack.web_workers} workers)")
    restart_web(stack.web_workers)
    count = int(api.get("/api/v1/salons?page_size=1")["count"])
    if count < SALONS:
        # A second seed tops the data set up (seed_demo plans ids from the seed, and one seed
        # with a larger --salons collides with the ids it wrote before).
        say(f"{count} salons; seeding {SALONS - count} more (seed_demo)")
        with contextlib.redirect_stdout(sys.stderr):
            app.manage(
                stack, "seed_demo", "--salons", str(SALONS - count), "--seed", str(1000 + count)
            )
    return stack


def psql(stack: Stack, sql: str, database: str = "booking") -> str:
    return postgres.psql(stack, sql, database)


def verify_contention(stack: Stack, rounds: list[list[str]]) -> dict[str, Any]:
    """Every slot fought over has exactly one booking that holds the staff member's time."""
    counts = []
    for bodies in rounds:
        for body in bodies:
            slot = json.loads(body)
            staff = uuid.UUID(slot["staff"])  # typed values only in the SQL below
            start = dt.datetime.fromisoformat(slot["start"]).isoformat()
            counts.append(
                int(
                    psql(
                        stack,
                        "SELECT count(*) FROM appointments_appointment WHERE staff_id = "  # noqa: S608
                        f"'{staff}' AND start = '{start}' "
                        "AND status IN ('confirmed', 'completed', 'no_show')",
                    )
                )
            )
    return {
        "slots": len(counts),
        "slots_with_exactly_one_booking": sum(1 for c in counts if c == 1),
        "ok": bool(counts) and all(c == 1 for c in counts),
    }


# ----------------------------------------------------------------------------------- memory


class MemorySampler(threading.Thread):
    """Peak resident memory (VmHWM) of gunicorn worker children and Celery pool children."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.stop_event = threading.Event()
        self.peak_kb: dict[str, dict[int, int]] = {"web": {}, "bare": {}, "celery": {}}

    @staticmethod
    def children() -> dict[int, list[int]]:
        tree: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
        return tree

    @staticmethod
    def hwm_kb(pid: int) -> int | None:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(found.group(1)) if found else None

    def sample(self) -> None:
        tree = self.children()
        roles = {"web": ("web1", "web2"), "bare": ("bare",), "celery": ("worker",)}
        for role, names in roles.items():
            for name in names:
                master = processes.pid_of(self.stack, name)
                for pid in tree.get(master or -1, []):
                    kb = self.hwm_kb(pid)
                    if kb:
                        self.peak_kb[role][pid] = max(kb, self.peak_kb[role].get(pid, 0))

    def run(self) -> None:
        while not self.stop_event.wait(1.0):
            self.sample()

    def report(self) -> dict[str, Any]:
        self.sample()
        out: dict[str, Any] = {
            "method": "VmHWM of each gunicorn worker / Celery pool child, sampled every second "
            "during the run and once after it; the largest process is reported",
        }
        for role, label in (
            ("web", "web_worker"),
            ("bare", "bare_worker"),
            ("celery", "celery_child"),
        ):
            values = self.peak_kb[role].values()
            out[f"{label}_peak_mb"] = round(max(values) / 1024, 1) if values else None
            out[f"{label}_processes_seen"] = len(values)
        return out


# --------------------------------------------------------------------------------- ceilings


def pgbench(stack: Stack, mode: str, duration: int) -> float:
    args = ["pgbench", "-h", "127.0.0.1", "-p", str(stack.ports.primary), "-U", "postgres"]
    extra = ["-S"] if mode == "select_only" else []
    output = processes.run(
        *args, *extra, "-c", "16", "-j", str(THREADS), "-T", str(duration), "-n", "bench_pgbench"
    )
    found = re.search(r"tps = ([\d.]+)", output)
    if not found:
        raise SystemExit(f"bench: pgbench said:\n{output}")
    return float(found.group(1))


def ceilings(stack: Stack) -> dict[str, Any]:
    exists = psql(stack, "SELECT 1 FROM pg_database WHERE datname = 'bench_pgbench'", "postgres")
    if not exists:
        psql(stack, "CREATE DATABASE bench_pgbench", "postgres")
        processes.run(
            "pgbench",
            "-h",
            "127.0.0.1",
            "-p",
            str(stack.ports.primary),
            "-U",
            "postgres",
            "-i",
            "-s",
            "10",
            "-q",
            "bench_pgbench",
        )
    duration = min(DURATION, 5)
    out: dict[str, Any] = {"clients": 16, "scale": 10, "duration_s": duration}
    for mode in ("select_only", "tpcb_like"):
        runs = [pgbench(stack, mode, duration) for _ in range(min(REPEAT, 3))]
        out[f"pgbench_{mode}_tps"] = round(statistics.median(runs), 1)
        out[f"pgbench_{mode}_runs"] = [round(r, 1) for r in runs]
        say(f"  pgbench {mode:<12} {out[f'pgbench_{mode}_tps']:9.1f} tps")
    return out


# ---------------------------------------------------------------------------------- summary


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    def med(key: str) -> float:
        return round(statistics.median(r[key] for r in runs), 2)

    return {
        "rps": med("rps"),
        "p50_ms": med("p50_ms"),
        "p95_ms": med("p95_ms"),
        "p99_ms": med("p99_ms"),
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "conflicts_409": sum(r["conflicts_409"] for r in runs),
        "runs_rps": [round(r["rps"], 1) for r in runs],
        "statuses": dict(sum((Counter(r["statuses"]) for r in runs), Counter())),
        "socket_errors": dict(sum((Counter(r["socket_errors"]) for r in runs), Counter())),
    }


def table(result: dict[str, Any]) -> str:
    head = (
        f"{'scenario':<20}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'requests':>10}{'errors':>8}{'409':>7}{'ratio':>8}  target"
    )
    out = [head, "-" * len(head)]
    for name, s in result["scenarios"].items():
        ratio = result["ratios"].get(name)
        target = TARGETS.get(name)
        verdict = ""
        if target is not None and ratio is not None:
            verdict = f">= {target:.2f} {'ok' if ratio >= target else 'MISSED'}"
        out.append(
            f"{name:<20}{s['rps']:>9.1f}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['p99_ms']:>9.1f}"
            f"{s['requests']:>10}{s['errors']:>8}{s['conflicts_409']:>7}"
            f"{'' if ratio is None else f'{ratio:.2f}':>8}  {verdict}"
        )
    c = result.get("contention")
    if c:
        out.append(
            f"booking_contention: {c['slots_with_exactly_one_booking']}/{c['slots']} slots with "
            f"exactly one booking, {c['created_201']} × 201 — {'ok' if c['ok'] else 'FAILED'}"
        )
    for kind, p in result.get("p99_at_70pct", {}).items():
        out.append(
            f"p99 at 70% of peak ({kind}, {p['scenario']}, {p['target_rps']:.0f} rps target, "
            f"{p['achieved_rps']:.0f} achieved, {CONNECTIONS} conn): p99 {p['p99_ms']:.1f} ms "
            f"(< {p['bar_ms']:.0f} ms {'ok' if p['ok'] else 'MISSED'}), max schedule lag "
            f"{p['max_schedule_lag_ms']:.0f} ms, errors {p['errors']}"
        )
    s = result.get("scaling")
    if s:
        out.append(
            f"scaling ({s['scenario']}): {s['rps_by_workers_per_replica']} rps by workers per "
            f"replica (x{s['replicas']} replicas) -> x{s['speedup']:.2f}"
        )
    ceil = result.get("ceilings") or {}
    if ceil:
        out.append(
            f"ceilings: pgbench select-only {ceil['pgbench_select_only_tps']:.0f} tps, tpcb-like "
            f"{ceil['pgbench_tpcb_like_tps']:.0f} tps ({ceil['clients']} clients)"
        )
    drain = result.get("notification_drain_s")
    if drain:
        out.append(
            "notifications drained after: "
            + ", ".join(f"{name} {seconds:g} s" for name, seconds in drain.items())
            + " (median; the next run starts after)"
        )
    m = result.get("memory") or {}
    if m:
        out.append(
            f"memory peak (VmHWM): web worker {m['web_worker_peak_mb']} MB, celery child "
            f"{m['celery_child_peak_mb']} MB, bare worker {m['bare_worker_peak_mb']} MB"
        )
    cap = result.get("capacity")
    if cap:
        out.append(
            f"capacity: {cap['rps_per_vcpu']:.0f} rps per vCPU ({cap['scenario']}, "
            f"{cap['vcpus']} vCPUs shared by the whole stack and wrk)"
        )
    return "\n".join(out)


# ------------------------------------------------------------------------------------- main


def main() -> int:
    global API
    started = time.monotonic()
    stack = Stack()
    base = f"https://127.0.0.1:{stack.ports.https}"
    API = api = Api(base)
    stack = ensure_stack(api)
    rng = random.Random(int.from_bytes(os.urandom(8), "big"))  # fresh combinations every run
    # enough for the first booking_create run; later runs top up from the API (take_slots)
    slots_needed = DURATION * 300 + 4 * CONNECTIONS
    data = prepare_data(api, slots_needed, rng)
    workload = Workload(data, rng)
    runner = Runner(base, workload, redis.Redis(port=stack.ports.redis, db=1))
    sampler = MemorySampler(stack)
    sampler.start()

    say(f"warm-up ({WARMUP}s per read scenario)")
    for name in ("bare", "health_live", "salon_list", "salon_detail", "availability_hit"):
        runner.run(name, WARMUP, record=False)

    ratios_by_run: dict[str, list[float]] = {}
    for rep in range(1, REPEAT + 1):
        say(f"repetition {rep}/{REPEAT}")
        before = runner.run("bare")["rps"]
        for name in SCENARIOS:
            rps = runner.run(name)["rps"]
            after = runner.run("bare")["rps"]
            ratios_by_run.setdefault(name, []).append(rps / ((before + after) / 2))
            before = after

    result: dict[str, Any] = {
        "scenarios": {name: median_of(runner.runs[name]) for name in ("bare", *SCENARIOS)},
        "ratios": {name: round(statistics.median(v), 3) for name, v in ratios_by_run.items()},
        "targets": TARGETS,
    }
    if "booking_contention" in SCENARIOS:
        contention = verify_contention(stack, workload.contention)
        contention["created_201"] = sum(
            r["statuses"].get("201", 0) for r in runner.runs["booking_contention"]
        )
        contention["ok"] = contention["ok"] and contention["created_201"] == contention["slots"]
        result["contention"] = contention

    if "p99" not in SKIP:
        say("p99 at 70% of peak (rate-limited wrk)")
        result["p99_at_70pct"] = {}
        for kind, (name, bar) in P99_TARGETS_MS.items():
            if name not in result["scenarios"]:
                continue  # BENCH_SCENARIOS left its peak unmeasured
            target = 0.7 * result["scenarios"][name]["rps"]
            raw = wrk(base, workload.lines(name), DURATION, rate=target)
            f = figures(raw, expected_409=False)
            result["p99_at_70pct"][kind] = {
                "scenario": name,
                "target_rps": round(target, 1),
                "achieved_rps": round(f["rps"], 1),
                "p50_ms": f["p50_ms"],
                "p95_ms": f["p95_ms"],
                "p99_ms": f["p99_ms"],
                "errors": f["errors"],
                "max_schedule_lag_ms": round(f["max_schedule_lag_ms"], 1),
                "bar_ms": bar,
                "ok": f["p99_ms"] < bar and f["errors"] == 0,
            }
            say(f"  {kind}: {name} at {target:.0f} rps -> p99 {f['p99_ms']:.1f} ms")

    result["notification_drain_s"] = {
        name: statistics.median(v) for name, v in runner.drain_s.items()
    }
    sampler.stop_event.set()
    result["memory"] = sampler.report()

    if "ceilings" not in SKIP:
        say("ceilings (pgbench against the stack's primary)")
        result["ceilings"] = ceilings(stack)

    vcpus = os.cpu_count() or 1
    journey = result["scenarios"].get("journey", {}).get("rps", 0.0)
    result["capacity"] = {
        "scenario": "journey",
        "rps": journey,
        "vcpus": vcpus,
        "rps_per_vcpu": round(journey / vcpus, 1),
        "note": "the machine's vCPUs also run nginx, PostgreSQL, Redis, Celery and wrk",
    }

    if "scaling" not in SKIP:
        say("scaling: the web tier restarted with 1, then 2 workers per replica")
        by_workers: dict[int, float] = {}
        try:
            for workers in (1, 2):
                restart_web(workers)
                runner.run("salon_detail", WARMUP, record=False)
                runs = [runner.run("salon_detail", record=False)["rps"] for _ in range(REPEAT)]
                by_workers[workers] = round(statistics.median(runs), 1)
        finally:
            restart_web(stack.web_workers)
        result["scaling"] = {
            "scenario": "salon_detail",
            "replicas": len(stack.ports.web),
            "rps_by_workers_per_replica": by_workers,
            "speedup": round(by_workers[2] / by_workers[1], 2),
            "rps_per_vcpu_at_2": round(by_workers[2] / vcpus, 1),
        }

    result["config"] = {
        "duration_s": DURATION,
        "repeat": REPEAT,
        "connections": CONNECTIONS,
        "wrk_threads": THREADS,
        "wrk_timeout": TIMEOUT,
        "url": base,
        "web_replicas": len(stack.ports.web),
        "web_workers_per_replica": stack.web_workers,
        "gunicorn_threads": int(os.environ.get("GUNICORN_THREADS") or 4),
        "bare_workers": stack.web_workers * len(stack.ports.web),
        "salons": int(api.get("/api/v1/salons?page_size=1")["count"]),
        "vcpus": vcpus,
        "machine": platform.platform(),
        "commit": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "availability_miss": "every request asks a salon/service/date-range combination not "
        "asked before in this run (fresh random order each run); no cache flush",
        "ratio": "scenario rps / mean of the bare runs just before and after it, median over "
        "repetitions",
        "elapsed_s": round(time.monotonic() - started),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    say(f"wrote {OUTPUT} in {time.monotonic() - started:.0f}s")
    failed = result.get("contention", {}).get("ok") is False
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
