"""The scenarios: the request lines wrk replays (bench/lua/requests.lua), one list per run."""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bench.api import Api
from bench.config import CONTENTION_SLOTS, BenchConfig
from bench.data import Data


def line(path: str, method: str = "GET", bearer: str = "-", body: str = "-", key: str = "-") -> str:
    """One request: METHOD, PATH, BEARER TOKEN or "-", JSON BODY or "-", IDEMPOTENCY KEY or
    "-", tab-separated."""
    return f"{method}\t{path}\t{bearer}\t{body}\t{key}"


def booking(bearer: str, body: str, rng: random.Random) -> str:
    """A booking as the web app sends it: with an Idempotency-Key of its own, which the API
    reads and stores (a retried line would be answered with the first response)."""
    key = f"bench-{rng.getrandbits(128):032x}"
    return line("/api/v1/appointments", "POST", bearer, body, key)


# The scenarios whose lines are used up (every availability question new, every slot free),
# with the rate assumed before one is seen.
CONSUMED_DEFAULT_RPS = {"availability_miss": 600.0, "booking_create": 300.0, "journey": 600.0}


class Workload:
    """The request lines of each scenario, sized from the rates seen so far."""

    def __init__(self, data: Data, rng: random.Random, api: Api, config: BenchConfig) -> None:
        self.data, self.rng, self.api, self.config = data, rng, api, config
        self.peak: dict[str, float] = {}
        self.contention: list[list[str]] = []  # the slots each contention run fought over
        # Each takes how many lines to make; only the consumed scenarios use it.
        self.scenarios: dict[str, Callable[[int], list[str]]] = {
            "bare": lambda _: [line("/__bench/bare")],
            "health_live": lambda _: [line("/health/live")],
            "salon_list": lambda _: self.salon_list(),
            "salon_detail": lambda _: self.salon_detail(),
            "availability_hit": lambda _: self.availability_hit(),
            "availability_miss": self.availability_miss,
            "booking_create": self.booking_create,
            "booking_contention": lambda _: self.booking_contention(),
            "journey": self.journey,
        }

    def size(self, name: str, duration: int, rate: float | None = None) -> int:
        """Enough lines for `duration` seconds at 2.5 × the best rate seen (never re-asked: a
        repetition with the caches the first one left behind has run twice as fast), or at the
        `rate` wrk is held to: lines are consumed whether sent or not, and free slots run out."""
        if rate is not None:
            return int(rate * 1.1 * duration) + self.config.connections
        rps = self.peak.get(name, CONSUMED_DEFAULT_RPS.get(name, 0.0))
        return int(max(rps * 2.5, 50) * duration) + self.config.connections

    def lines(self, name: str, duration: int, rate: float | None = None) -> list[str]:
        if name not in self.scenarios:
            raise ValueError(name)
        return self.scenarios[name](self.size(name, duration, rate))

    def salon_list(self) -> list[str]:
        last = self.data.list_pages
        pages = [line(f"/api/v1/salons?page_size=20&page={p}") for p in range(1, last + 1)]
        self.rng.shuffle(pages)
        return pages

    def salon_detail(self) -> list[str]:
        # Warmed like availability_hit: pages live SALON_PAGE_CACHE_SECONDS (5 min), so a run
        # minutes after the last began by rebuilding most of the 1000, a share of rebuilds
        # that traffic around the clock never sees.
        paths = [
            f"/api/v1/salons/{s.id}"
            for s in self.rng.sample(self.data.salons, len(self.data.salons))
        ]
        self.warm(paths)
        return [line(p) for p in paths]

    def availability_hit(self) -> list[str]:
        combos = self.data.hit_combos
        self.warm(combos)
        return [line(p) for p in self.rng.sample(combos, len(combos))]

    def availability_miss(self, n: int) -> list[str]:
        return [line(p) for p in self.data.take_misses(n)]

    def booking_create(self, n: int) -> list[str]:
        tokens = self.data.tokens
        bodies = self.data.take_slots(n)
        return [booking(tokens[i % len(tokens)], body, self.rng) for i, body in enumerate(bodies)]

    def booking_contention(self) -> list[str]:
        tokens = self.data.tokens
        few = self.data.take_slots(CONTENTION_SLOTS)
        self.contention.append(few)
        # No Idempotency-Key: these lines come round again, and a replayed 201 would count as
        # a second booking of its slot.
        return [
            line("/api/v1/appointments", "POST", tokens[i % len(tokens)], few[i % len(few)])
            for i in range(len(tokens) * len(few))
        ]

    def journey(self, n: int) -> list[str]:
        """Browse (list, detail, availability), then one in four books and looks at the result."""
        d, rng = self.data, self.rng
        out: list[str] = []
        visit = 0
        while len(out) < n:
            salon = rng.choice(d.salons)
            token = d.tokens[visit % len(d.tokens)]
            out.append(line(f"/api/v1/salons?page_size=20&page={rng.randint(1, d.list_pages)}"))
            out.append(line(f"/api/v1/salons/{salon.id}"))
            out.append(line(rng.choice(d.journey_combos)))
            if visit % 4 == 0:
                out.append(booking(token, d.take_slots(1)[0], rng))
                out.append(line("/api/v1/appointments?page_size=10", "GET", token))
            visit += 1
        return out

    def warm(self, paths: list[str]) -> None:
        """Ask each path once, so the run measures cached answers."""
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda p: self.api.call("GET", p), paths))
