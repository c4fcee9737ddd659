"""Load: wrk runs (a separate process), the figures of each run, their medians, the Runner
that measures one scenario (with its machine CPU) and waits out its notifications."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.config import LUA, WRITE_SCENARIOS, BenchConfig
from bench.cpu import (
    CPU_KEYS,
    cpu_by_role,
    cpu_per_request,
    exited_child_ticks,
    machine_busy_ticks,
    ticks_per_second,
)
from bench.log import say
from bench.workload import Workload

PUBLISH_DELAY_S = 0.5  # more than the stack's NOTIFICATION_PUBLISH_DELAY_MS


@dataclass(frozen=True)
class WrkRun:
    raw: dict[str, Any]  # the BENCH_RESULT line of bench/lua/requests.lua
    cpu_ticks: int  # wrk's own CPU (all its threads)


def wrk_command(config: BenchConfig, base: str, duration: int) -> list[str]:
    return [
        "wrk",
        f"-t{config.threads}",
        f"-c{config.connections}",
        f"-d{duration}s",
        f"--timeout={config.timeout}",
        "-s",
        str(LUA),
        base,
    ]


def wrk(
    config: BenchConfig, base: str, lines: list[str], duration: int, rate: float | None = None
) -> WrkRun:
    """Replay `lines` for `duration` seconds (at `rate` requests/s when given)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.write("\n".join(lines) + "\n")
    env = {**os.environ, "BENCH_REQUESTS": handle.name, "BENCH_THREADS": str(config.threads)}
    if rate:
        env["BENCH_RATE"] = f"{rate:.1f}"
    try:
        return run_wrk(wrk_command(config, base, duration), env)
    finally:
        os.unlink(handle.name)


def run_wrk(command: list[str], env: dict[str, str]) -> WrkRun:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        ticks = exited_child_ticks(process.pid)
        code = process.wait()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    found = re.search(r"^BENCH_RESULT (.*)$", stdout, re.M)
    if code != 0 or not found:
        raise SystemExit(f"bench: wrk failed:\n{stdout}\n{stderr}")
    return WrkRun(json.loads(found.group(1)), ticks)


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


def median_or_none(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 3) if known else None


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One scenario's figures over its repetitions: medians of rates, latencies and CPU per
    request; sums of requests, errors and status counts."""

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
        **{key: median_or_none([r.get(key) for r in runs]) for key in CPU_KEYS},
        "stack_cpu_ms_by_role": median_by_role([r.get("stack_cpu_ms_by_role", {}) for r in runs]),
    }


def median_by_role(runs: list[dict[str, float]]) -> dict[str, float | None]:
    """Each role's CPU per request, median over the repetitions that measured it."""
    roles = sorted({role for run in runs for role in run})
    return {role: median_or_none([run.get(role) for run in runs]) for role in roles}


def shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


class Runner:
    """Measures scenarios: one wrk run each, its figures and its machine CPU per request."""

    def __init__(
        self,
        config: BenchConfig,
        base: str,
        workload: Workload,
        broker: Any,
        stack_ticks: Callable[[], dict[str, int]],
    ) -> None:
        self.config, self.base, self.workload, self.broker = config, base, workload, broker
        self.stack_ticks = stack_ticks  # CPU ticks each role of the stack has used so far
        self.runs: dict[str, list[dict[str, Any]]] = {}
        self.drain_s: dict[str, list[float]] = {}

    def run(self, name: str, duration: int | None = None, record: bool = True) -> dict[str, Any]:
        """One run of `name`. The CPU window spans the wrk run and, after a write scenario,
        the wait for the worker to send what it queued (its notifications are its cost)."""
        duration = self.config.duration if duration is None else duration
        lines = self.workload.lines(name, duration)
        stack_before, before = self.stack_ticks(), machine_busy_ticks()
        measured = wrk(self.config, self.base, lines, duration)
        if name in WRITE_SCENARIOS:
            self.drain_s.setdefault(name, []).append(self.drain_notifications())
        after, stack_after = machine_busy_ticks(), self.stack_ticks()
        result = figures(measured.raw, expected_409=name == "booking_contention")
        requests, hz = result["requests"], ticks_per_second()
        stack = sum(stack_after.values()) - sum(stack_before.values())
        result |= cpu_per_request(before, after, measured.cpu_ticks, requests, hz, stack)
        result["stack_cpu_ms_by_role"] = cpu_by_role(stack_before, stack_after, requests, hz)
        if result["wrapped"] and name in ("availability_miss", "booking_create", "journey"):
            say(f"  {name}: the request file wrapped around (re-asked combinations or slots)")
        if record:
            self.record(name, result)
        self.report(name, result)
        return result

    def record(self, name: str, result: dict[str, Any]) -> None:
        self.runs.setdefault(name, []).append(result)
        peak = statistics.median(r["rps"] for r in self.runs[name])
        self.workload.peak[name] = max(self.workload.peak.get(name, 0), peak)

    @staticmethod
    def report(name: str, result: dict[str, Any]) -> None:
        cpu, stack = shown(result["cpu_ms_per_request"]), shown(result["stack_cpu_ms_per_request"])
        say(
            f"  {name:<20} {result['rps']:8.1f} rps  p99 {result['p99_ms']:7.1f} ms  "
            f"errors {result['errors']}  409 {result['conflicts_409']}  "
            f"cpu {cpu} ms/req (stack {stack})"
        )
        roles = result.get("stack_cpu_ms_by_role") or {}
        if roles:
            say("    stack cpu ms/req: " + ", ".join(f"{r} {ms:.2f}" for r, ms in roles.items()))

    def drain_notifications(self, timeout: float = 300) -> float:
        """Wait for the worker to send what the bookings queued, so the next run starts quiet.

        The worker shares the machine's cores: measured while it drains a backlog, the next
        scenario (and its baseline) would pay for this one's notifications.
        """
        started = time.monotonic()
        # The web processes publish the last bookings' sends up to NOTIFICATION_PUBLISH_DELAY_MS
        # (200) after they commit: an empty queue right after wrk is no drain yet.
        time.sleep(PUBLISH_DELAY_S)
        while time.monotonic() - started < timeout:
            if self.broker.llen("notifications") == 0 and not self.broker.hlen("unacked"):
                break
            time.sleep(0.2)
        return round(time.monotonic() - started, 1)
