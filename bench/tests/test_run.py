"""The run's phases."""

from __future__ import annotations

from typing import Any

from bench.config import BenchConfig
from bench.load import PUBLISH_DELAY_S
from bench.run import WARM_UP, sustained_rps, warm_up


class RecordingRunner:
    def __init__(self) -> None:
        self.runs: list[tuple[str, int | None]] = []

    def run(self, name: str, duration: int | None = None, *, record: bool = True) -> Any:
        self.runs.append((name, duration))
        return {"rps": 1.0}


def test_the_warm_up_runs_each_read_scenario_for_its_seconds():
    runner = RecordingRunner()
    warm_up(BenchConfig.from_env({"BENCH_WARMUP": "3"}), runner)
    assert runner.runs == [(name, 3) for name in WARM_UP]


def test_no_warm_up_means_no_run_at_all():
    # wrk refuses `-d 0s`: BENCH_WARMUP=0 used to stop the bench before its first scenario
    runner = RecordingRunner()
    warm_up(BenchConfig.from_env({"BENCH_WARMUP": "0"}), runner)
    assert runner.runs == []


def test_a_read_peak_is_sustained_as_measured():
    assert sustained_rps(3000.0, [], 10) == 3000.0


def test_a_write_peak_counts_the_notifications_sent_after_wrk_stopped():
    # 10 s of bookings, then 2.5 s of sends beyond the drain's fixed wait
    assert sustained_rps(150.0, [2.0, PUBLISH_DELAY_S + 2.5, 9.0], 10) == 120.0


def test_a_drain_no_longer_than_its_wait_changes_nothing():
    assert sustained_rps(300.0, [PUBLISH_DELAY_S], 10) == 300.0
