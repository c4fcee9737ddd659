from __future__ import annotations

import datetime as dt

from booking.demo.planner import demo_data_plan

TODAY = dt.date(2030, 3, 6)


def fingerprint(salons: int, seed: int) -> list[tuple]:
    plan = demo_data_plan(salons=salons, seed=seed, today=TODAY)
    return [
        *((s.id, s.slug, s.timezone) for s in plan.salons),
        *((s.id, s.name, s.price, s.currency) for s in plan.services),
        *((a.id, a.staff_id, a.start, a.status, email) for a, email in plan.appointments),
    ]


def test_it_plans_the_same_data_for_the_same_seed() -> None:
    assert fingerprint(8, 3) == fingerprint(8, 3)


def test_it_plans_different_data_for_another_seed() -> None:
    assert fingerprint(8, 3) != fingerprint(8, 4)


def test_it_spreads_salons_over_several_time_zones() -> None:
    plan = demo_data_plan(salons=12, seed=1, today=TODAY)
    assert len({s.timezone for s in plan.salons}) >= 6
    assert {(s.salon.timezone, s.currency) for s in plan.services} >= {
        ("Asia/Tokyo", "JPY"),
        ("Europe/London", "GBP"),
        ("America/New_York", "USD"),
    }
