"""The figures of one wrk run and their medians over repetitions."""

from __future__ import annotations

import pytest

from bench.load import figures, median_of


def raw(requests=2000, statuses=None, socket=None, wrapped=0, lines=100):
    return {
        "requests": requests,
        "duration_us": 2_000_000,
        "statuses": statuses if statuses is not None else {"200": requests},
        "socket_errors": socket or {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "latency_us": {"p50": 1500, "p90": 4000, "p95": 5000, "p99": 9500, "max": 20000},
        "max_schedule_lag_ms": 3.5,
        "wrapped": wrapped,
        "lines": lines,
    }


def test_figures_turn_wrks_counts_into_rates_and_milliseconds():
    f = figures(raw(), expected_409=False)

    assert f["rps"] == 1000.0
    assert (f["p50_ms"], f["p95_ms"], f["p99_ms"]) == (1.5, 5.0, 9.5)
    assert (f["requests"], f["errors"], f["conflicts_409"]) == (2000, 0, 0)
    assert f["wrapped"] is False


def test_every_non_2xx_and_socket_error_is_an_error():
    statuses = {"201": 90, "409": 4, "500": 1, "429": 2}
    socket = {"connect": 0, "read": 1, "write": 0, "timeout": 3}

    f = figures(raw(requests=97, statuses=statuses, socket=socket), expected_409=False)

    assert f["errors"] == 4 + 1 + 2 + 1 + 3
    assert f["conflicts_409"] == 4


def test_a_409_is_no_error_where_it_is_expected():
    f = figures(raw(requests=10, statuses={"201": 8, "409": 2}), expected_409=True)

    assert (f["errors"], f["conflicts_409"]) == (0, 2)


@pytest.mark.parametrize(("wrapped", "lines", "expected"), [(1, 100, True), (3, 1, False)])
def test_a_wrapped_request_file_is_flagged_unless_it_is_one_line(wrapped, lines, expected):
    assert figures(raw(wrapped=wrapped, lines=lines), expected_409=False)["wrapped"] is expected


def run(rps, p99, requests, errors=0, cpu=None, statuses=None):
    return {
        "rps": rps,
        "p50_ms": p99 / 4,
        "p95_ms": p99 / 2,
        "p99_ms": p99,
        "requests": requests,
        "errors": errors,
        "conflicts_409": 0,
        "statuses": statuses or {"200": requests},
        "socket_errors": {"timeout": errors},
        "cpu_ms_per_request": cpu,
        "wrk_cpu_ms_per_request": None if cpu is None else cpu / 10,
    }


def test_median_of_takes_medians_of_rates_latencies_and_cpu_and_sums_counts():
    runs = [
        run(900.0, 12.0, 9000, 1, 0.8),
        run(1100.04, 10.0, 11000, 0, 0.6),
        run(1000, 30, 10000, 2, 0.7),
    ]

    m = median_of(runs)

    assert (m["rps"], m["p99_ms"], m["p95_ms"]) == (1000, 12.0, 6.0)
    assert (m["requests"], m["errors"]) == (30000, 3)
    assert m["runs_rps"] == [900.0, 1100.0, 1000.0]
    assert m["statuses"] == {"200": 30000}
    assert m["socket_errors"] == {"timeout": 3}
    assert m["cpu_ms_per_request"] == 0.7
    assert m["wrk_cpu_ms_per_request"] == 0.07


def test_median_of_cpu_skips_runs_without_requests_and_is_none_without_any():
    assert median_of([run(0, 0, 0), run(10, 5, 20, cpu=1.5)])["cpu_ms_per_request"] == 1.5
    assert median_of([run(0, 0, 0)])["cpu_ms_per_request"] is None


def test_median_of_an_even_number_of_runs_is_the_mean_of_the_middle_two():
    assert median_of([run(100, 1, 1), run(200, 3, 1)])["rps"] == 150


def test_median_of_takes_each_roles_cpu_median_over_the_runs_that_measured_it():
    runs = [run(100, 1, 10), run(100, 1, 10), run(100, 1, 10)]
    runs[0]["stack_cpu_ms_by_role"] = {"web": 3.0, "celery": 1.0}
    runs[1]["stack_cpu_ms_by_role"] = {"web": 5.0, "celery": 2.0, "postgres_replica": 0.4}
    runs[2]["stack_cpu_ms_by_role"] = {"web": 4.0, "celery": 9.0}

    assert median_of(runs)["stack_cpu_ms_by_role"] == {
        "celery": 2.0,
        "postgres_replica": 0.4,
        "web": 4.0,
    }
