"""Machine CPU per request from two /proc/stat samples and the load generator's own CPU."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.cpu import busy_ticks, cpu_per_request, exited_child_ticks, process_ticks

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

    figures = cpu_per_request(before, after, wrk_ticks, requests=3500, hz=100)

    # (790 - 90) ticks x 10 ms = 7000 ms over 3500 requests; wrk 900 ms over 3500
    assert figures == {"cpu_ms_per_request": 2.0, "wrk_cpu_ms_per_request": 0.257}


def test_cpu_per_request_is_unknown_without_completed_requests():
    assert cpu_per_request(100, 200, 10, requests=0, hz=100) == {
        "cpu_ms_per_request": None,
        "wrk_cpu_ms_per_request": None,
    }


def test_cpu_per_request_never_goes_negative():
    # wrk's ticks and the machine's are sampled apart; rounding can put wrk's above the delta
    assert cpu_per_request(100, 105, 6, requests=10, hz=100)["cpu_ms_per_request"] == 0.0


def test_a_finished_childs_cpu_is_read_before_it_is_reaped():
    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    child = subprocess.Popen([sys.executable, "-c", busy])

    ticks = exited_child_ticks(child.pid)

    assert child.wait() == 0
    assert 25 <= ticks <= 200  # about 0.3 s of CPU at 100 ticks per second (plus start-up)
