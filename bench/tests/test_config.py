"""BenchConfig: the benchmark's settings from the environment, read once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bench.config import (
    ALL_SCENARIOS,
    DEFAULT_OUTPUT,
    STACK_ENV,
    BenchConfig,
    apply_stack_env,
)


def test_it_has_the_documented_defaults_for_an_empty_environment():
    config = BenchConfig.from_env({})

    assert (config.duration, config.repeat, config.connections, config.threads) == (10, 3, 64, 2)
    assert (config.salons, config.warmup, config.timeout) == (1000, 2, "5s")
    assert config.skip == frozenset()
    assert config.scenarios == ALL_SCENARIOS
    assert config.output == DEFAULT_OUTPUT
    assert config.web_threads == 4


def test_it_reads_every_variable():
    env = {
        "BENCH_DURATION": "2",
        "BENCH_REPEAT": "1",
        "BENCH_CONNECTIONS": "16",
        "BENCH_THREADS": "1",
        "BENCH_SALONS": "30",
        "BENCH_WARMUP": "0",
        "BENCH_TIMEOUT": "750ms",
        "BENCH_SKIP": "ceilings, p99,scaling,plans",
        "BENCH_SCENARIOS": "salon_list,health_live",
        "BENCH_OUTPUT": "/tmp/out.json",
        "GUNICORN_THREADS": "8",
    }

    config = BenchConfig.from_env(env)

    assert (config.duration, config.repeat, config.connections, config.threads) == (2, 1, 16, 1)
    assert (config.salons, config.warmup, config.timeout) == (30, 0, "750ms")
    assert config.skip == {"ceilings", "p99", "scaling", "plans"}
    assert config.scenarios == ("salon_list", "health_live")  # in the order asked
    assert config.output == Path("/tmp/out.json")
    assert config.web_threads == 8


def test_the_web_tiers_own_thread_setting_wins_for_the_report():
    env = {"GUNICORN_THREADS": "8", "STACK_APP_GUNICORN_THREADS": "6"}

    assert BenchConfig.from_env(env).web_threads == 6


def test_the_server_neutral_thread_setting_wins_over_gunicorns():
    env = {"STACK_APP_GUNICORN_THREADS": "6", "WEB_THREADS": "3"}

    assert BenchConfig.from_env(env).web_threads == 3


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BENCH_DURATION", "ten"),
        ("BENCH_DURATION", "0"),
        ("BENCH_REPEAT", "-1"),
        ("BENCH_CONNECTIONS", "1.5"),
        ("BENCH_THREADS", "two"),
        ("BENCH_SALONS", "0"),
        ("BENCH_WARMUP", "-2"),
        ("STACK_APP_GUNICORN_THREADS", "x"),
    ],
)
def test_a_bad_number_exits_naming_the_variable_and_the_value(name, value):
    with pytest.raises(SystemExit, match=rf"{name} must be a whole number .*'{value}'"):
        BenchConfig.from_env({name: value})


def test_a_bad_wrk_timeout_exits_naming_the_variable():
    with pytest.raises(SystemExit, match=r"BENCH_TIMEOUT must be a wrk time .*'5 seconds'"):
        BenchConfig.from_env({"BENCH_TIMEOUT": "5 seconds"})


def test_an_unknown_scenario_exits_before_anything_runs():
    with pytest.raises(SystemExit, match=r"BENCH_SCENARIOS has unknown 'salon_lists'"):
        BenchConfig.from_env({"BENCH_SCENARIOS": "salon_lists,journey"})


def test_an_unknown_skip_exits_naming_what_can_be_skipped():
    with pytest.raises(SystemExit, match=r"BENCH_SKIP has unknown 'p95'; known: ceilings, p99"):
        BenchConfig.from_env({"BENCH_SKIP": "p95"})


def test_it_is_frozen():
    config = BenchConfig.from_env({})

    with pytest.raises(dataclasses.FrozenInstanceError):
        config.duration = 5  # type: ignore[misc]


def test_the_stack_gets_the_bench_environment_and_a_first_seed_of_the_bench_size():
    environ: dict[str, str] = {"BENCH_SALONS": "400"}

    apply_stack_env(BenchConfig.from_env(environ), environ)

    assert {key: environ[key] for key in STACK_ENV} == STACK_ENV
    assert environ["STACK_BENCH"] == "1"
    assert environ["STACK_SALONS"] == "400"


def test_what_the_environment_sets_already_wins_over_the_bench_defaults():
    environ = {"STACK_APP_THROTTLE_BOOKING": "10/min", "STACK_SALONS": "50"}

    apply_stack_env(BenchConfig.from_env(environ), environ)

    assert environ["STACK_APP_THROTTLE_BOOKING"] == "10/min"
    assert environ["STACK_SALONS"] == "50"
    assert environ["STACK_NGINX_BOOKING_BURST"] == STACK_ENV["STACK_NGINX_BOOKING_BURST"]


def test_reading_the_configuration_changes_nothing():
    environ: dict[str, str] = {}

    BenchConfig.from_env(environ)

    assert environ == {}
