"""Machine CPU per request from two /proc/stat samples and the load generator's own CPU."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.cpu import (
    busy_ticks,
    cpu_by_role,
    cpu_per_request,
    descendants,
    exited_child_ticks,
    process_ticks,
    processes_ticks,
)

# user nice system idle iowait irq softirq steal guest guest_nice
BEFORE = """cpu  1000 10 500 90000 300 20 80 7 40 0
cpu0 500 5 250 45000 150 10 40 3 20 0
cpu1 500 5 250 45000 150 10 40 4 20 0
intr 123456
ctxt 987654
"""
AFTER = """cpu  1450 10 780 90200 340 25 135 9 60 0
cpu0 725 5 390 45100 170 12 67 4 30 0
cpu1 725 5 390 45100 170 13 68 5 30 0
"""


def test_busy_ticks_count_user_nice_system_irq_and_softirq_only():
    # not idle 90000, iowait 300, steal 7, nor guest 40 (already inside user)
    assert busy_ticks(BEFORE) == 1000 + 10 + 500 + 20 + 80


def test_busy_ticks_need_the_aggregate_line():
    with pytest.raises(ValueError, match="aggregate"):
        busy_ticks("cpu0 1 2 3 4 5 6 7\n")


def test_process_ticks_are_utime_plus_stime_even_with_parentheses_in_the_name():
    stat = "4242 (wrk (x) y) Z 1 4242 4242 0 -1 4194560 100 0 0 0 37 12 3 1 20 0 2 0 55 0 0"

    assert process_ticks(stat) == 37 + 12  # not the children's cutime/cstime (3, 1)


def test_cpu_per_request_is_the_machines_busy_time_less_wrks_over_the_requests():
    before, after = busy_ticks(BEFORE), busy_ticks(AFTER)  # 1610 -> 2400: 790 ticks
    wrk_ticks = 90

    figures = cpu_per_request(before, after, wrk_ticks, requests=3500, hz=100, stack_ticks=630)

    # (790 - 90) ticks x 10 ms = 7000 ms over 3500 requests; wrk 900 ms; the stack 6300 ms
    assert figures == {
        "cpu_ms_per_request": 2.0,
        "wrk_cpu_ms_per_request": 0.257,
        "stack_cpu_ms_per_request": 1.8,
    }


def test_cpu_per_request_follows_the_clock_tick_rate():
    assert cpu_per_request(0, 1000, 0, requests=1000, hz=1000, stack_ticks=0) == {
        "cpu_ms_per_request": 1.0,
        "wrk_cpu_ms_per_request": 0.0,
        "stack_cpu_ms_per_request": 0.0,
    }


def test_cpu_per_request_is_unknown_without_completed_requests():
    assert cpu_per_request(100, 200, 10, requests=0, hz=100, stack_ticks=5) == {
        "cpu_ms_per_request": None,
        "wrk_cpu_ms_per_request": None,
        "stack_cpu_ms_per_request": None,
    }


def test_cpu_per_request_never_goes_negative():
    # wrk's ticks and the machine's are sampled apart; rounding can put wrk's above the delta
    figures = cpu_per_request(100, 105, 6, requests=10, hz=100, stack_ticks=0)

    assert figures["cpu_ms_per_request"] == 0.0


def stat(pid, ppid, utime, stime, cutime=0, cstime=0, name="gunicorn"):
    return (
        f"{pid} ({name}) S {ppid} {pid} {pid} 0 -1 0 0 0 0 0 {utime} {stime} {cutime} {cstime} 20"
    )


def test_the_stacks_ticks_are_its_process_trees_with_their_reaped_children():
    stats = {
        1: stat(1, 0, 999, 999),  # init: not the stack's
        10: stat(10, 1, 5, 1, cutime=40, cstime=2, name="gunicorn: master"),
        11: stat(11, 10, 100, 20, name="gunicorn: worker"),
        12: stat(12, 11, 7, 0, name="a (grand) child"),
        20: stat(20, 1, 50, 30, name="postgres"),
        21: stat(21, 20, 3, 3, name="postgres: checkpointer"),
        30: stat(30, 1, 500, 500, name="another tenant"),
    }

    assert sorted(descendants(stats, [10, 20, 99])) == [10, 11, 12, 20, 21]
    assert processes_ticks(stats, [10, 20]) == (5 + 1 + 40 + 2) + 120 + 7 + 80 + 6


def test_a_finished_childs_cpu_is_read_before_it_is_reaped():
    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    child = subprocess.Popen([sys.executable, "-c", busy])

    ticks = exited_child_ticks(child.pid)

    assert child.wait() == 0
    assert 25 <= ticks <= 200  # about 0.3 s of CPU at 100 ticks per second (plus start-up)


def test_cpu_by_role_is_each_roles_ticks_over_the_run_per_request():
    before = {"web": 1000, "celery": 200, "postgres_primary": 50}
    after = {"web": 1700, "celery": 260, "postgres_primary": 150, "postgres_replica": 10}

    assert cpu_by_role(before, after, requests=100, hz=100) == {
        "celery": 6.0,
        "postgres_primary": 10.0,
        "postgres_replica": 1.0,  # a role that appeared during the run counts from zero
        "web": 70.0,
    }


def test_cpu_by_role_of_a_restarted_role_never_goes_negative_and_is_empty_without_requests():
    assert cpu_by_role({"web": 900}, {"web": 100}, requests=10, hz=100) == {"web": 0.0}
    assert cpu_by_role({"web": 1}, {"web": 2}, requests=0, hz=100) == {}
