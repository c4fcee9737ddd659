"""Machine CPU per request, from /proc: the non-idle time of every CPU over a measured run
(/proc/stat), minus the load generator's own CPU (/proc/<wrk pid>/stat), over the requests
the run completed. Other tenants of a shared machine are counted too: it is noisy there."""

from __future__ import annotations

import os
from pathlib import Path

CPU_METHOD = (
    "non-idle CPU time of the whole machine (/proc/stat: user, nice, system, irq, softirq) "
    "from just before each measured wrk run to its end (after a write scenario, to the end of "
    "the notifications' drain), minus wrk's own CPU (/proc/<pid>/stat utime + stime), / the "
    "requests wrk completed; median over repetitions. Counts nginx, the web tier, PostgreSQL, "
    "Redis, Celery, the bench itself and any other tenant of the machine; "
    "wrk_cpu_ms_per_request is wrk's own"
)


def busy_ticks(proc_stat: str) -> int:
    """Non-idle clock ticks of all CPUs, from /proc/stat's `cpu` line: user, nice, system, irq
    and softirq. Not idle or iowait (no work), steal (another guest's), nor guest and
    guest_nice (already inside user and nice)."""
    for row in proc_stat.splitlines():
        fields = row.split()
        if fields and fields[0] == "cpu":
            user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[1:8])
            return user + nice + system + irq + softirq
    raise ValueError("no aggregate cpu line in /proc/stat")


def process_ticks(pid_stat: str) -> int:
    """utime + stime (all threads) from /proc/<pid>/stat. The name in parentheses may hold
    spaces, so fields are counted after its closing parenthesis (state is field 3)."""
    fields = pid_stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)


def machine_busy_ticks() -> int:
    return busy_ticks(Path("/proc/stat").read_text())


def ticks_per_second() -> int:
    return os.sysconf("SC_CLK_TCK")


def exited_child_ticks(pid: int) -> int:
    """Wait for child `pid` to exit without reaping it, then read its final CPU time: a zombie
    keeps its /proc/<pid>/stat (with the times of all its threads) until it is reaped."""
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    return process_ticks(Path(f"/proc/{pid}/stat").read_text())


def cpu_per_request(
    before: int, after: int, load_ticks: int, requests: int, hz: int
) -> dict[str, float | None]:
    """Milliseconds of CPU per completed request: the machine's minus the load generator's
    (`cpu_ms_per_request`, the server side), and the load generator's own."""
    if requests <= 0:
        return {"cpu_ms_per_request": None, "wrk_cpu_ms_per_request": None}
    ms_per_tick = 1000 / hz
    server = max(after - before - load_ticks, 0) * ms_per_tick / requests
    return {
        "cpu_ms_per_request": round(server, 3),
        "wrk_cpu_ms_per_request": round(load_ticks * ms_per_tick / requests, 3),
    }
