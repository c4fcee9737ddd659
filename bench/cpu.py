"""CPU per request, from /proc. The machine's: the non-idle time of every CPU over a measured
run (/proc/stat), minus the load generator's own CPU (/proc/<wrk pid>/stat), over the requests
the run completed; other tenants of a shared machine count too. The stack's: the CPU time of
the stack's own process trees over the same window, which leaves other tenants out."""

from __future__ import annotations

import os
from pathlib import Path

CPU_METHOD = (
    "non-idle CPU time of the whole machine (/proc/stat: user, nice, system, irq, softirq) "
    "from just before each measured wrk run to its end (after a write scenario, to the end of "
    "the notifications' drain), minus wrk's own CPU (/proc/<pid>/stat utime + stime), / the "
    "requests wrk completed; median over repetitions. Counts nginx, the web tier, PostgreSQL, "
    "Redis, Celery, the bench itself and any other tenant of the machine; "
    "wrk_cpu_ms_per_request is wrk's own; stack_cpu_ms_per_request is the CPU time (utime, "
    "stime, and those of reaped children) of the stack's own process trees (nginx, web "
    "replicas, baseline, Celery, Redis, PostgreSQL, S3 and mail stand-ins) over the same window, "
    "which leaves other tenants out"
)
CPU_KEYS = ("cpu_ms_per_request", "wrk_cpu_ms_per_request", "stack_cpu_ms_per_request")


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


def tree_ticks(pid_stat: str) -> int:
    """utime + stime + cutime + cstime: a process's own CPU and that of its reaped children,
    so a child that exits between two samples still counts (in its parent's cutime)."""
    fields = pid_stat.rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15])


def parent_of(pid_stat: str) -> int:
    return int(pid_stat.rsplit(")", 1)[1].split()[1])


def descendants(stats: dict[int, str], roots: list[int]) -> list[int]:
    """`roots` that exist and every process below them, from pid -> /proc/<pid>/stat text."""
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        children.setdefault(parent_of(stat), []).append(pid)
    found, todo = [], [pid for pid in roots if pid in stats]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def processes_ticks(stats: dict[int, str], roots: list[int]) -> int:
    """CPU ticks of the process trees under `roots` (their own and their reaped children's)."""
    return sum(tree_ticks(stats[pid]) for pid in descendants(stats, roots))


def read_stats() -> dict[int, str]:
    """/proc/<pid>/stat of every process (those that exit while being read are left out)."""
    stats: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = (entry / "stat").read_text()
            except OSError:
                continue
    return stats


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
    before: int, after: int, load_ticks: int, requests: int, hz: int, stack_ticks: int
) -> dict[str, float | None]:
    """Milliseconds of CPU per completed request: the machine's (busy ticks `before` and
    `after`) minus the load generator's (`cpu_ms_per_request`, the server side); the load
    generator's own; and the stack's processes' (`stack_ticks` over the same window)."""
    if requests <= 0:
        return dict.fromkeys(CPU_KEYS)
    ms_per_tick = 1000 / hz
    server = max(after - before - load_ticks, 0)
    return {
        "cpu_ms_per_request": round(server * ms_per_tick / requests, 3),
        "wrk_cpu_ms_per_request": round(load_ticks * ms_per_tick / requests, 3),
        "stack_cpu_ms_per_request": round(stack_ticks * ms_per_tick / requests, 3),
    }


def cpu_by_role(
    before: dict[str, int], after: dict[str, int], requests: int, hz: int
) -> dict[str, float]:
    """Milliseconds of CPU per completed request of each of the stack's roles (web, celery,
    postgres_primary, ...), from their ticks `before` and `after` a run. A role whose
    processes restarted in between (fewer ticks after) counts from zero."""
    if requests <= 0:
        return {}
    ms_per_tick = 1000 / hz
    return {
        role: round(max(ticks - before.get(role, 0), 0) * ms_per_tick / requests, 3)
        for role, ticks in sorted(after.items())
    }
