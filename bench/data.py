"""The data a run needs, set up through the API: bookable salons, availability paths, bench
customers and their tokens, and distinct free slots (consumed as bookings take them)."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bench.api import Api
from bench.config import PASSWORD, USERS
from bench.log import say

# Disjoint groups, so bookings never invalidate the availability the hit scenario keeps warm.
HIT_SALONS, BOOK_SALONS = 50, 400  # salons [0, 50) hit, [50, 400) book, the rest miss
# Start day (from tomorrow) and length of each availability miss: 39 ranges per service.
MISS_RANGES = [(day, days) for day in range(1, 14) for days in (1, 2, 3)]
SLOT_WEEKS = 8  # how far ahead the booking salons are asked for free slots, in weeks
# A run asks about 15000 misses (3 runs at up to 1.5 x 300 rps for 10 s). 1000 salons have
# about 80000 combinations; 10000 have about 1.3 million, which as strings would take the
# bench process half a gigabyte: beyond this many, a random subset is drawn.
MISS_PATHS_MAX = 100_000


@dataclass
class Salon:
    id: str
    services: list[dict[str, Any]]
    staff: list[dict[str, Any]]


class SlotSource:
    """Free slots of the booking salons through the API, each salon's week of one service at a
    time. Once every salon has given the current week, the next week is asked: a machine that
    books more in a run than one week of the group holds does not run out (at most
    SLOT_WEEKS weeks ahead)."""

    def __init__(self, api: Api, salons: list[Salon], rng: random.Random, first: dt.date) -> None:
        self.api, self.salons, self.rng, self.first = api, list(salons), rng, first
        self.queue = list(salons)
        self.weeks = 1

    def more(self, needed: int) -> list[str]:
        found: list[str] = []
        with ThreadPoolExecutor(8) as pool:
            while len(found) < needed:
                if not self.queue:
                    if self.weeks == SLOT_WEEKS:
                        break
                    self.first += dt.timedelta(days=7)
                    self.queue, self.weeks = list(self.salons), self.weeks + 1
                    say(f"booking salons' week {self.weeks} from {self.first}")
                batch = [self.queue.pop() for _ in range(min(16, len(self.queue)))]
                for slots in pool.map(self.of_salon, batch):
                    found += slots
        self.rng.shuffle(found)
        return found

    def of_salon(self, salon: Salon) -> list[str]:
        return free_slots(self.api, salon, self.rng, self.first)


@dataclass
class Data:
    salons: list[Salon]
    tokens: list[str]
    hit_combos: list[str]  # availability paths kept warm
    miss_combos: list[str]  # availability paths never asked before in this run (consumed)
    slots: list[str]  # JSON bodies of distinct free slots (consumed)
    journey_combos: list[str]
    source: SlotSource | None = field(default=None, repr=False)
    listed: int = 1000  # salons in the listing (bookable or not)

    @property
    def list_pages(self) -> int:
        """Pages of 20 in the salon listing that exist, at most the 50 the scenarios ask."""
        return max(1, min(50, -(-self.listed // 20)))

    def take_misses(self, n: int) -> list[str]:
        taken, self.miss_combos = self.miss_combos[:n], self.miss_combos[n:]
        if len(taken) < n:
            say(f"only {len(taken)} unasked availability combinations left (wanted {n})")
        return taken

    def take_slots(self, n: int) -> list[str]:
        if len(self.slots) < n and self.source is not None:
            self.slots += self.source.more(n - len(self.slots))
        taken, self.slots = self.slots[:n], self.slots[n:]
        if len(taken) < n:
            raise SystemExit(f"bench: ran out of free slots (wanted {n}, had {len(taken)})")
        return taken


def availability_path(salon: str, service: str, day: dt.date, days: int) -> str:
    last = day + dt.timedelta(days=days - 1)
    return f"/api/v1/salons/{salon}/availability?service={service}&from={day}&to={last}"


def free_slots(api: Api, salon: Salon, rng: random.Random, first: dt.date) -> list[str]:
    """Non-overlapping free slots (per staff member, end + buffer) of one service over a week."""
    service = rng.choice(salon.services)
    status, payload = api.call("GET", availability_path(salon.id, service["id"], first, 7))
    if status != 200:
        return []
    buffer = dt.timedelta(minutes=service.get("buffer_after_minutes") or 0)
    busy_until: dict[str, dt.datetime] = {}
    bodies = []
    for slot in payload["slots"]:
        start = dt.datetime.fromisoformat(slot["start"])
        end = dt.datetime.fromisoformat(slot["end"]) + buffer
        for staff in slot["staff_ids"]:
            if busy_until.get(staff) is None or start >= busy_until[staff]:
                busy_until[staff] = end
                body = {"service": service["id"], "start": slot["start"], "staff": staff}
                bodies.append(json.dumps(body, separators=(",", ":")))
                break
    return bodies


def bookable_salons(api: Api, rng: random.Random) -> tuple[list[Salon], int]:
    """Every salon with services and staff, in a fresh random order; and how many are listed."""
    ids: list[str] = []
    page = 1
    while True:
        listing = api.get(f"/api/v1/salons?page_size=100&page={page}")
        ids += [salon["id"] for salon in listing["results"]]
        if not listing.get("next"):
            break
        page += 1
    with ThreadPoolExecutor(8) as pool:
        details = list(pool.map(lambda i: api.get(f"/api/v1/salons/{i}"), ids))
    salons = [Salon(d["id"], d["services"], d["staff"]) for d in details]
    salons = [salon for salon in salons if salon.services and salon.staff]
    rng.shuffle(salons)
    say(f"{len(salons)} bookable salons of {len(ids)}")
    return salons, len(ids)


def hit_paths(salons: list[Salon], first: dt.date) -> list[str]:
    return [
        availability_path(s.id, svc["id"], first + dt.timedelta(days=d), 1)
        for s in salons
        for svc in s.services[:2]
        for d in range(2)
    ]


def miss_paths(
    salons: list[Salon], today: dt.date, rng: random.Random, limit: int = MISS_PATHS_MAX
) -> list[str]:
    """Distinct salon/service/date-range paths in random order, at most `limit`, drawn from
    every combination without building them all."""
    pairs = [(s.id, svc["id"]) for s in salons for svc in s.services]
    total = len(pairs) * len(MISS_RANGES)
    paths = []
    for i in rng.sample(range(total), min(total, limit)):
        salon, service = pairs[i // len(MISS_RANGES)]
        day, days = MISS_RANGES[i % len(MISS_RANGES)]
        paths.append(availability_path(salon, service, today + dt.timedelta(days=day), days))
    return paths


def split_salons(salons: list[Salon]) -> tuple[list[Salon], list[Salon], list[Salon]]:
    """The bookable salons (in random order) as the hit, booking and miss groups."""
    return salons[:HIT_SALONS], salons[HIT_SALONS:BOOK_SALONS], salons[BOOK_SALONS:]


def journey_paths(salons: list[Salon], first: dt.date) -> list[str]:
    return [
        availability_path(s.id, svc["id"], first + dt.timedelta(days=d), 1)
        for s in salons
        for svc in s.services[:2]
        for d in range(3)
    ]


def prepare_data(api: Api, slots_needed: int, rng: random.Random) -> Data:
    started = time.monotonic()
    salons, listed = bookable_salons(api, rng)
    hit, book, miss = split_salons(salons)
    today = dt.datetime.now(dt.UTC).date()
    first = today + dt.timedelta(days=2)
    source = SlotSource(api, book, rng, first)
    data = Data(
        salons=salons,
        tokens=users(api),
        hit_combos=hit_paths(hit, first),
        miss_combos=miss_paths(miss, today, rng),
        slots=source.more(slots_needed),
        journey_combos=journey_paths(book, first),
        source=source,
        listed=listed,
    )
    say(
        f"data ready in {time.monotonic() - started:.0f}s: {len(data.slots)} free slots, "
        f"{len(data.miss_combos)} unasked availability combinations, {len(data.tokens)} users"
    )
    return data


def users(api: Api) -> list[str]:
    """Access tokens of the bench customers (registered on first use)."""

    def token(i: int) -> str:
        email = f"bench-{i}@bench.example.com"
        profile = {"email": email, "password": PASSWORD, "first_name": "Bench", "last_name": str(i)}
        api.call("POST", "/api/v1/auth/register", profile)
        credentials = {"email": email, "password": PASSWORD}
        status, payload = api.call("POST", "/api/v1/auth/token", credentials)
        if status != 200:
            raise SystemExit(f"bench: token for {email} -> {status}: {payload}")
        return str(payload["access"])

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(token, range(USERS)))
