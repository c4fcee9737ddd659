"""The data layout: which salons each scenario uses, at 1000 salons and at 10000."""

from __future__ import annotations

import datetime as dt
import random
import re

from bench.data import (
    BOOK_SALONS,
    HIT_SALONS,
    MISS_RANGES,
    SLOT_WEEKS,
    Data,
    Salon,
    SlotSource,
    miss_paths,
    split_salons,
)

TODAY = dt.date(2026, 12, 2)
PATH = re.compile(
    r"/api/v1/salons/(?P<salon>[^/]+)/availability\?service=(?P<service>[^&]+)"
    r"&from=(?P<first>[\d-]+)&to=(?P<last>[\d-]+)"
)


def salons(n: int, services: int = 4) -> list[Salon]:
    return [
        Salon(f"s{i}", [{"id": f"s{i}-svc{j}"} for j in range(services)], [{"id": f"s{i}-ann"}])
        for i in range(n)
    ]


def test_at_10000_salons_the_groups_are_disjoint_and_the_misses_get_the_rest():
    hit, book, miss = split_salons(salons(10_000))
    assert (len(hit), len(book), len(miss)) == (HIT_SALONS, BOOK_SALONS - HIT_SALONS, 9600)
    ids = [{s.id for s in group} for group in (hit, book, miss)]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])


def test_below_400_salons_there_are_none_left_to_miss():
    assert split_salons(salons(300))[2] == []


def test_every_combination_is_asked_once_when_there_are_few():
    group = salons(10, services=2)
    paths = miss_paths(group, TODAY, random.Random(1))
    assert len(paths) == len(set(paths)) == 10 * 2 * len(MISS_RANGES)


def test_at_10000_salons_the_misses_are_a_bounded_sample_spread_over_the_whole_group():
    miss = split_salons(salons(10_000))[2]
    paths = miss_paths(miss, TODAY, random.Random(2), limit=20_000)
    assert len(paths) == len(set(paths)) == 20_000
    asked = {PATH.fullmatch(p)["salon"] for p in paths}  # type: ignore[index]
    assert asked <= {s.id for s in miss}
    assert len(asked) > 8000  # 20000 draws over 9600 salons reach nearly all of them


def test_each_miss_asks_one_to_three_days_from_tomorrow_on():
    for path in miss_paths(salons(5), TODAY, random.Random(3)):
        found = PATH.fullmatch(path)
        assert found is not None
        first, last = (dt.date.fromisoformat(found[k]) for k in ("first", "last"))
        assert first > TODAY and 0 <= (last - first).days <= 2
        assert found["service"].startswith(found["salon"] + "-")


def test_two_runs_ask_in_different_orders():
    group = salons(20)
    assert miss_paths(group, TODAY, random.Random(4)) != miss_paths(group, TODAY, random.Random(5))


def test_the_list_scenario_asks_50_pages_at_10000_salons_and_only_existing_ones_below():
    assert Data([], [], [], [], [], [], listed=10_000).list_pages == 50
    assert Data([], [], [], [], [], [], listed=130).list_pages == 7


class _WeekApi:
    """Availability answers with `per_week` free slots for a week starting on or after `until`,
    none before it: each salon has given its slots before that day already."""

    def __init__(self, per_week: int, until: dt.date) -> None:
        self.per_week, self.until, self.asked = per_week, until, []

    def call(self, method: str, path: str) -> tuple[int, dict]:
        first = dt.date.fromisoformat(PATH.fullmatch(path)["first"])  # type: ignore[index]
        self.asked.append(first)
        if first < self.until:
            return 200, {"slots": []}
        starts = [dt.datetime.combine(first, dt.time(9 + h), dt.UTC) for h in range(self.per_week)]
        slots = [
            {
                "start": s.isoformat(),
                "end": (s + dt.timedelta(minutes=30)).isoformat(),
                "staff_ids": ["ann"],
            }
            for s in starts
        ]
        return 200, {"slots": slots}


def test_free_slots_come_from_later_weeks_once_this_weeks_are_taken():
    api = _WeekApi(per_week=3, until=TODAY + dt.timedelta(days=14))
    source = SlotSource(api, salons(4), random.Random(4), TODAY)  # type: ignore[arg-type]

    slots = source.more(10)

    assert len(slots) >= 10
    assert sorted(set(api.asked)) == [TODAY + dt.timedelta(days=7 * w) for w in range(3)]


def test_past_the_last_week_asked_it_gives_what_it_found():
    api = _WeekApi(per_week=3, until=TODAY + dt.timedelta(days=7 * SLOT_WEEKS))
    source = SlotSource(api, salons(2), random.Random(5), TODAY)  # type: ignore[arg-type]

    assert source.more(10) == []
    assert len(set(api.asked)) == SLOT_WEEKS
