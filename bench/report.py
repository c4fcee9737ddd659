"""The report: the table on stdout and the JSON result file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.config import TARGETS
from bench.plans import plan_lines

CPU_NOTE = (
    "cpu ms = machine CPU per request: non-idle time of all CPUs (/proc/stat) over the run, "
    "minus wrk's own CPU (/proc/<pid>/stat), / requests completed; other tenants of the "
    "machine count too. stack ms = the stack's own processes only (nginx, web, baseline, "
    "Celery, Redis, PostgreSQL). Write scenarios include the notifications' drain"
)


def cell(value: float | None, width: int, digits: int) -> str:
    return f"{'' if value is None else f'{value:.{digits}f}':>{width}}"


def header() -> list[str]:
    head = (
        f"{'scenario':<20}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'requests':>10}{'errors':>8}{'409':>7}{'cpu ms':>8}{'stack ms':>9}{'ratio':>8}  target"
    )
    return [head, "-" * len(head)]


def scenario_row(name: str, s: dict[str, Any], ratio: float | None) -> str:
    target = TARGETS.get(name)
    verdict = ""
    if target is not None and ratio is not None:
        verdict = f">= {target:.2f} {'ok' if ratio >= target else 'MISSED'}"
    return (
        f"{name:<20}{s['rps']:>9.1f}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['p99_ms']:>9.1f}"
        f"{s['requests']:>10}{s['errors']:>8}{s['conflicts_409']:>7}"
        f"{cell(s.get('cpu_ms_per_request'), 8, 2)}{cell(s.get('stack_cpu_ms_per_request'), 9, 2)}"
        f"{cell(ratio, 8, 2)}  {verdict}".rstrip()
    )


def role_lines(scenarios: dict[str, Any]) -> list[str]:
    """Each scenario's stack CPU per request split by role (web, celery, postgres_primary...)."""
    out = ["stack cpu ms per request by role:"]
    for name, s in scenarios.items():
        roles = s.get("stack_cpu_ms_by_role") or {}
        if roles:
            split = ", ".join(f"{role} {ms:.2f}" for role, ms in roles.items() if ms is not None)
            out.append(f"  {name:<20}{split}")
    return out if len(out) > 1 else []


def contention_lines(c: dict[str, Any]) -> list[str]:
    return [
        f"booking_contention: {c['slots_with_exactly_one_booking']}/{c['slots']} slots with "
        f"exactly one booking, {c['created_201']} × 201 — {'ok' if c['ok'] else 'FAILED'}"
    ]


def p99_lines(p99: dict[str, Any], connections: int) -> list[str]:
    return [
        f"p99 at 70% of peak ({kind}, {p['scenario']}, sustained peak "
        f"{p['sustained_peak_rps']:.0f} rps, {p['target_rps']:.0f} rps target, "
        f"{p['achieved_rps']:.0f} achieved, {connections} conn): p99 {p['p99_ms']:.1f} ms "
        f"(< {p['bar_ms']:.0f} ms {'ok' if p['ok'] else 'MISSED'}), max schedule lag "
        f"{p['max_schedule_lag_ms']:.0f} ms, errors {p['errors']}"
        for kind, p in p99.items()
    ]


def scaling_lines(s: dict[str, Any]) -> list[str]:
    return [
        f"scaling ({s['scenario']}): {s['rps_by_workers_per_replica']} rps by workers per "
        f"replica (x{s['replicas']} replicas) -> x{s['speedup']:.2f}"
    ]


def ceiling_lines(ceil: dict[str, Any]) -> list[str]:
    return [
        f"ceilings: pgbench select-only {ceil['pgbench_select_only_tps']:.0f} tps, tpcb-like "
        f"{ceil['pgbench_tpcb_like_tps']:.0f} tps ({ceil['clients']} clients)"
    ]


def drain_lines(drain: dict[str, float]) -> list[str]:
    runs = ", ".join(f"{name} {seconds:g} s" for name, seconds in drain.items())
    return [f"notifications drained after: {runs} (median; the next run starts after)"]


def memory_lines(m: dict[str, Any]) -> list[str]:
    return [
        f"memory peak (VmHWM): web worker {m['web_worker_peak_mb']} MB, celery child "
        f"{m['celery_child_peak_mb']} MB, bare worker {m['bare_worker_peak_mb']} MB"
    ]


def capacity_lines(cap: dict[str, Any]) -> list[str]:
    return [
        f"capacity: {cap['rps_per_vcpu']:.0f} rps per vCPU ({cap['scenario']}, "
        f"{cap['vcpus']} vCPUs shared by the whole stack and wrk)"
    ]


def table(result: dict[str, Any], connections: int) -> str:
    out = header()
    for name, s in result["scenarios"].items():
        out.append(scenario_row(name, s, result["ratios"].get(name)))
    out.append(CPU_NOTE)
    out += role_lines(result["scenarios"])
    sections: list[tuple[str, Callable[[Any], list[str]]]] = [
        ("contention", contention_lines),
        ("p99_at_70pct", lambda p99: p99_lines(p99, connections)),
        ("scaling", scaling_lines),
        ("ceilings", ceiling_lines),
        ("notification_drain_s", drain_lines),
        ("memory", memory_lines),
        ("capacity", capacity_lines),
        ("plans", plan_lines),
    ]
    for key, render in sections:
        if result.get(key):
            out += render(result[key])
    return "\n".join(out)


def write_result(result: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
