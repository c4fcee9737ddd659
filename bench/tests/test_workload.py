"""Request lines for wrk, and the salon listing's pages that exist."""

from __future__ import annotations

import random

import pytest

from bench.config import BenchConfig
from bench.data import Data, Salon
from bench.workload import Workload, line


def data(listed, salons=3):
    return Data(
        salons=[Salon(f"s{i}", [{"id": "svc"}], [{"id": "st"}]) for i in range(salons)],
        tokens=["t0", "t1"],
        hit_combos=[],
        miss_combos=[f"/miss/{i}" for i in range(500)],
        slots=[f'{{"slot":{i}}}' for i in range(500)],
        journey_combos=["/avail"],
        listed=listed,
    )


def workload(listed=1000, connections=64):
    config = BenchConfig(connections=connections)
    return Workload(data(listed), random.Random(1), api=None, config=config)  # type: ignore[arg-type]


def test_a_line_is_method_path_token_body_and_key_tab_separated():
    assert line("/health/live") == "GET\t/health/live\t-\t-\t-"
    assert line("/a", "POST", "tok", '{"x":1}', "k") == 'POST\t/a\ttok\t{"x":1}\tk'


def test_bookings_carry_an_idempotency_key_of_their_own_as_the_web_app_sends():
    w = workload(connections=16)
    w.peak["booking_create"] = 40.0

    created = w.lines("booking_create", 1)
    journey = [x for x in w.lines("journey", 1) if x.startswith("POST")]
    contention = w.lines("booking_contention", 1)

    keys = [x.split("\t")[4] for x in created + journey]
    assert all(k.startswith("bench-") for k in keys)
    assert len(set(keys)) == len(keys) == len(created) + len(journey)
    assert {x.split("\t")[4] for x in contention} == {"-"}


@pytest.mark.parametrize(("listed", "pages"), [(1000, 50), (5000, 50), (500, 25), (30, 2), (0, 1)])
def test_the_salon_list_asks_only_pages_that_exist(listed, pages):
    lines = workload(listed).lines("salon_list", 2)

    assert len(lines) == pages
    assert {int(x.split("\t")[1].rsplit("=", 1)[1]) for x in lines} == set(range(1, pages + 1))


def test_a_consumed_scenario_is_sized_from_the_best_rate_seen_and_the_connections():
    w = workload(connections=16)
    w.peak["availability_miss"] = 100.0

    assert w.size("availability_miss", 2) == 250 * 2 + 16
    assert w.size("booking_create", 2) == 750 * 2 + 16
    assert len(w.lines("availability_miss", 1)) == 250 + 16


def test_a_rate_limited_run_takes_only_the_lines_its_rate_needs():
    w = workload(connections=16)
    w.peak["booking_create"] = 100.0

    assert len(w.lines("booking_create", 2, rate=70.0)) == 154 + 16  # 70 rps × 1.1 × 2 s
    assert len(w.lines("booking_create", 1)) == 250 + 16  # unlimited again: 2.5 × the peak


def test_contention_sends_every_customer_at_every_one_of_eight_slots():
    w = workload()

    lines = w.lines("booking_contention", 2)

    assert len(lines) == 2 * 8
    assert len(w.contention[0]) == 8
    assert {x.split("\t")[3] for x in lines} == set(w.contention[0])


def test_the_salon_pages_are_asked_once_each_before_the_run_measures_them():
    w = workload()
    warmed: list[str] = []
    w.warm = warmed.extend  # type: ignore[method-assign]

    lines = w.lines("salon_detail", 2)

    assert sorted(warmed) == ["/api/v1/salons/s0", "/api/v1/salons/s1", "/api/v1/salons/s2"]
    assert sorted(x.split("\t")[1] for x in lines) == sorted(warmed)


def test_an_unknown_scenario_is_refused():
    with pytest.raises(ValueError, match="nope"):
        workload().lines("nope", 2)
