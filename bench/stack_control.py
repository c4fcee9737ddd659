"""The stack under the benchmark: brought up in bench mode, restarted, checked for readiness,
topped up with salons; the contention check in PostgreSQL, pgbench ceilings, and the memory
sampler. The stack reads its settings from os.environ (deploy/stack/config.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from deploy.stack import app, postgres, processes, verbs
from deploy.stack.config import Stack

from bench.api import Api
from bench.config import BenchConfig
from bench.cpu import parent_of, processes_ticks, read_stats
from bench.log import say


def ensure_stack(config: BenchConfig, api: Api) -> Stack:
    """`python -m deploy.stack up` in bench mode (idempotent: migrates, restarts the web tier,
    the baseline and Celery with this environment, renders nginx's bench limits), then data."""
    stack = Stack()
    say(f"bringing the stack up in bench mode ({stack.web_workers} workers per replica)")
    with contextlib.redirect_stdout(sys.stderr):
        verbs.up(stack)
    wait_ready(api)
    top_up_salons(stack, api, config.salons)
    return stack


def top_up_salons(stack: Stack, api: Api, salons: int) -> None:
    count = int(api.get("/api/v1/salons?page_size=1")["count"])
    if count >= salons:
        return
    # A second seed tops the data set up (seed_demo plans ids from the seed, and one seed
    # with a larger --salons collides with the ids it wrote before).
    say(f"{count} salons; seeding {salons - count} more (seed_demo)")
    with contextlib.redirect_stdout(sys.stderr):
        app.manage(stack, "seed_demo", "--salons", str(salons - count), "--seed", str(1000 + count))


def restart_web(api: Api, workers: int) -> None:
    """The web tier, the bare baseline and Celery, started afresh with this run's environment."""
    stack = Stack(web_workers=workers)
    with contextlib.redirect_stdout(sys.stderr):
        app.web_up(stack)
        app.bare_up(stack)
        app.celery_up(stack)
    wait_ready(api)


def wait_ready(api: Api, timeout: float = 90) -> None:
    """Until both replicas answer a database-backed request (workers boot after the port opens)."""
    deadline = time.monotonic() + timeout
    ok = 0
    while ok < 8:
        if time.monotonic() > deadline:
            raise SystemExit("bench: the web tier did not become ready")
        status, _ = api.call("GET", "/api/v1/salons?page_size=1")
        ok = ok + 1 if status == 200 else 0
        if status != 200:
            time.sleep(0.5)


def slot_bookings(stack: Stack, body: str) -> int:
    """Bookings that hold the staff member's time at the slot of this request body."""
    slot = json.loads(body)
    staff = uuid.UUID(slot["staff"])  # typed values only in the SQL below
    start = dt.datetime.fromisoformat(slot["start"]).isoformat()
    sql = (
        "SELECT count(*) FROM appointments_appointment WHERE staff_id = "  # noqa: S608
        f"'{staff}' AND start = '{start}' AND status IN ('confirmed', 'completed', 'no_show')"
    )
    return int(postgres.psql(stack, sql, "booking"))


def verify_contention(stack: Stack, rounds: list[list[str]]) -> dict[str, Any]:
    """Every slot fought over has exactly one booking that holds the staff member's time."""
    counts = [slot_bookings(stack, body) for bodies in rounds for body in bodies]
    return {
        "slots": len(counts),
        "slots_with_exactly_one_booking": sum(1 for c in counts if c == 1),
        "ok": bool(counts) and all(c == 1 for c in counts),
    }


# ------------------------------------------------------------------------------- ceilings


def pgbench_args(stack: Stack) -> list[str]:
    return ["pgbench", "-h", "127.0.0.1", "-p", str(stack.ports.primary), "-U", "postgres"]


def pgbench(stack: Stack, mode: str, duration: int, threads: int) -> float:
    extra = ["-S"] if mode == "select_only" else []
    args = ["-c", "16", "-j", str(threads), "-T", str(duration), "-n", "bench_pgbench"]
    output = processes.run(*pgbench_args(stack), *extra, *args)
    found = re.search(r"tps = ([\d.]+)", output)
    if not found:
        raise SystemExit(f"bench: pgbench said:\n{output}")
    return float(found.group(1))


def ceilings(stack: Stack, config: BenchConfig) -> dict[str, Any]:
    """pgbench select-only and tpcb-like (scale 10, 16 clients) against the stack's primary."""
    exists = "SELECT 1 FROM pg_database WHERE datname = 'bench_pgbench'"
    if not postgres.psql(stack, exists, "postgres"):
        postgres.psql(stack, "CREATE DATABASE bench_pgbench", "postgres")
        processes.run(*pgbench_args(stack), "-i", "-s", "10", "-q", "bench_pgbench")
    duration = min(config.duration, 5)
    out: dict[str, Any] = {"clients": 16, "scale": 10, "duration_s": duration}
    for mode in ("select_only", "tpcb_like"):
        runs = [
            pgbench(stack, mode, duration, config.threads) for _ in range(min(config.repeat, 3))
        ]
        out[f"pgbench_{mode}_tps"] = round(statistics.median(runs), 1)
        out[f"pgbench_{mode}_runs"] = [round(r, 1) for r in runs]
        say(f"  pgbench {mode:<12} {out[f'pgbench_{mode}_tps']:9.1f} tps")
    return out


# --------------------------------------------------------------------------------- memory


def process_tree() -> dict[int, list[int]]:
    """Children of every process, by parent pid (from /proc)."""
    tree: dict[int, list[int]] = {}
    for pid, stat in read_stats().items():
        tree.setdefault(parent_of(stat), []).append(pid)
    return tree


# The stack's processes it keeps pid files of, by the role their CPU is reported under.
STACK_ROLES = {
    "nginx": "nginx",
    "web1": "web",
    "web2": "web",
    "bare": "bare",
    "worker": "celery",
    "beat": "celery",
    "redis": "redis",
    "s3": "stand_ins",
    "sinks": "stand_ins",
}


def stack_roots(stack: Stack) -> dict[str, list[int]]:
    """The stack's top processes by role: those it keeps pid files of, and PostgreSQL's
    postmasters (the primary's and the replica's, each its own role)."""
    roots: dict[str, list[int]] = {}
    for name, role in STACK_ROLES.items():
        pid = processes.pid_of(stack, name)
        if pid is not None:
            roots.setdefault(role, []).append(pid)
    for cluster in ("primary", "replica"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            pidfile = stack.pg_dir / cluster / "postmaster.pid"
            roots[f"postgres_{cluster}"] = [int(pidfile.read_text().split()[0])]
    return roots


def stack_cpu_ticks(stack: Stack) -> dict[str, int]:
    """CPU ticks each role's process trees have used so far (reaped children included)."""
    stats = read_stats()
    return {role: processes_ticks(stats, pids) for role, pids in stack_roots(stack).items()}


def hwm_kb(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) if found else None


class MemorySampler(threading.Thread):
    """Peak resident memory (VmHWM) of web server worker children and Celery pool children."""

    ROLES = {"web": ("web1", "web2"), "bare": ("bare",), "celery": ("worker",)}
    LABELS = {"web": "web_worker", "bare": "bare_worker", "celery": "celery_child"}

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.stack = stack
        self.stop_event = threading.Event()
        self.peak_kb: dict[str, dict[int, int]] = {role: {} for role in self.ROLES}

    def sample(self) -> None:
        tree = process_tree()
        for role, names in self.ROLES.items():
            for name in names:
                master = processes.pid_of(self.stack, name)
                for pid in tree.get(master or -1, []):
                    kb = hwm_kb(pid)
                    if kb:
                        self.peak_kb[role][pid] = max(kb, self.peak_kb[role].get(pid, 0))

    def run(self) -> None:
        while not self.stop_event.wait(1.0):
            self.sample()

    def report(self) -> dict[str, Any]:
        self.stop_event.set()
        self.sample()
        out: dict[str, Any] = {
            "method": "VmHWM of each web worker / Celery pool child, sampled every second "
            "during the run and once after it; the largest process is reported",
        }
        for role, label in self.LABELS.items():
            values = self.peak_kb[role].values()
            out[f"{label}_peak_mb"] = round(max(values) / 1024, 1) if values else None
            out[f"{label}_processes_seen"] = len(values)
        return out
