"""The table printed at the end of a run."""

from __future__ import annotations

from bench.report import CPU_NOTE, table


def scenario(rps, cpu, errors=0, conflicts=0, stack=None):
    return {
        "rps": rps,
        "p50_ms": 2.04,
        "p95_ms": 7.5,
        "p99_ms": 12.25,
        "requests": int(rps * 10),
        "errors": errors,
        "conflicts_409": conflicts,
        "cpu_ms_per_request": cpu,
        "stack_cpu_ms_per_request": stack,
    }


def small_result():
    return {
        "scenarios": {
            "bare": scenario(3000.0, 0.61, stack=0.5),
            "health_live": scenario(2700.0, 0.7),
            "booking_create": scenario(70.0, 28.64, errors=2, stack=25.1),
            "booking_contention": scenario(50.0, None, conflicts=224),
        },
        "ratios": {"health_live": 0.9, "booking_create": 0.023, "booking_contention": 0.017},
        "contention": {
            "slots": 8,
            "slots_with_exactly_one_booking": 8,
            "created_201": 8,
            "ok": True,
        },
        "notification_drain_s": {"booking_create": 7.5},
        "capacity": {"scenario": "journey", "rps": 0.0, "vcpus": 2, "rps_per_vcpu": 0.0},
    }


def test_the_table_has_a_row_per_scenario_with_cpu_per_request_and_the_ratio_verdict():
    lines = table(small_result(), connections=64).splitlines()

    assert lines[0].split() == [
        "scenario", "rps", "p50", "ms", "p95", "ms", "p99", "ms",
        "requests", "errors", "409", "cpu", "ms", "stack", "ms", "ratio", "target",
    ]  # fmt: skip
    assert set(lines[1]) == {"-"}
    bare = ["bare", "3000.0", "2.0", "7.5", "12.2", "30000", "0", "0", "0.61", "0.50"]
    assert lines[2].split() == bare
    assert lines[3].split()[-5:] == ["0.70", "0.90", ">=", "0.90", "ok"]  # no stack figure
    booking = ["700", "2", "0", "28.64", "25.10", "0.02", ">=", "0.08", "MISSED"]
    assert lines[4].split()[5:] == booking


def test_a_scenario_without_a_cpu_figure_leaves_its_cell_blank():
    lines = table(small_result(), connections=64).splitlines()
    row, cpu_end = lines[5], lines[0].index("cpu ms") + len("cpu ms")

    assert row.split()[:8] == [
        "booking_contention",
        "50.0",
        "2.0",
        "7.5",
        "12.2",
        "500",
        "0",
        "224",
    ]
    assert row.split()[8:] == ["0.02"]  # the ratio; no cpu figures
    assert row[cpu_end - 8 : cpu_end + 9] == " " * 17


def test_the_columns_line_up_with_the_header():
    lines = table(small_result(), connections=64).splitlines()

    cpu_end = lines[0].index("cpu ms") + len("cpu ms")
    stack_end = lines[0].index("stack ms") + len("stack ms")
    assert lines[2][:cpu_end].endswith("0.61")
    assert lines[4][:cpu_end].endswith("28.64")
    assert lines[4][:stack_end].endswith("25.10")


def test_the_sections_after_the_rows_explain_cpu_and_report_what_ran():
    text = table(small_result(), connections=64)

    assert CPU_NOTE in text
    assert "booking_contention: 8/8 slots with exactly one booking, 8 × 201 — ok" in text
    assert "notifications drained after: booking_create 7.5 s" in text
    assert "capacity: 0 rps per vCPU (journey, 2 vCPUs shared by the whole stack and wrk)" in text
    assert "p99 at 70%" not in text and "ceilings" not in text


def test_the_stack_cpu_of_each_role_is_listed_per_scenario_that_measured_it():
    result = small_result()
    result["scenarios"]["booking_create"]["stack_cpu_ms_by_role"] = {
        "celery": 6.25,
        "web": 14.5,
    }

    lines = table(result, connections=64).splitlines()

    start = lines.index("stack cpu ms per request by role:")
    assert lines[start + 1].split() == ["booking_create", "celery", "6.25,", "web", "14.50"]
    assert not lines[start + 2].startswith("  ")
