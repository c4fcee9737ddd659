"""The benchmark's settings: read from the environment once, in `main`, into a `BenchConfig`.

Also the one list of the stack's bench environment (`STACK_ENV`), applied before the bench
brings the stack up, and the constants every phase shares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "bench"
LUA = HERE / "lua" / "requests.lua"
DEFAULT_OUTPUT = HERE / "results" / "latest.json"

# The stack in bench mode: the bare baseline behind nginx, limits a single load generator
# cannot trip (nginx per-address rates, DRF throttles), access tokens that outlive the run.
# A variable already set in the environment wins (e.g. to try another throttle).
STACK_ENV: dict[str, str] = {
    "STACK_BENCH": "1",
    # The web tier runs the stack's default server (uWSGI): what ships is what is measured.
    # Granian (STACK_WEB_SERVER=granian) lost requests on a reload, see bench/README.md.
    "STACK_APP_THROTTLE_AUTH": "1000000/min",
    "STACK_APP_THROTTLE_BOOKING": "1000000/min",
    "STACK_APP_JWT_ACCESS_MINUTES": "240",
    "STACK_NGINX_AUTH_RATE": "100000r/s",
    "STACK_NGINX_BOOKING_RATE": "100000r/s",
    # 64 connections start at the same instant: a burst above 40 is a 429, not a booking.
    "STACK_NGINX_AUTH_BURST": "1000",
    "STACK_NGINX_BOOKING_BURST": "1000",
}

ALL_SCENARIOS = (
    "health_live",
    "salon_list",
    "salon_detail",
    "availability_hit",
    "availability_miss",
    "booking_create",
    "booking_contention",
    "journey",
)
WRITE_SCENARIOS = ("booking_create", "booking_contention", "journey")
SKIPPABLE = ("ceilings", "p99", "scaling", "plans")
TARGETS = {  # DESIGN.md §7 (issue 20): scenario rps / bare rps
    "health_live": 0.90,
    "salon_detail": 0.90,
    "availability_hit": 0.90,
    "salon_list": 0.30,
    "availability_miss": 0.30,
    "booking_create": 0.08,
    "journey": 0.25,
}
P99_TARGETS_MS = {"read": ("salon_detail", 50.0), "write": ("booking_create", 100.0)}
USERS = 32
CONTENTION_SLOTS = 8
PASSWORD = "bench-password-123"  # throwaway users on the local stack
WRK_DURATION = re.compile(r"\d+(\.\d+)?(ms|s|m|h)?")


@dataclass(frozen=True)
class BenchConfig:
    duration: int = 10  # s per measured wrk run
    repeat: int = 3
    connections: int = 64
    threads: int = 2  # wrk threads
    salons: int = 1000
    warmup: int = 2  # s per read scenario before the first repetition
    timeout: str = "5s"  # wrk --timeout
    skip: frozenset[str] = frozenset()
    scenarios: tuple[str, ...] = ALL_SCENARIOS
    output: Path = DEFAULT_OUTPUT
    web_threads: int = 4  # reported only; the web tier reads it itself
    stack_env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BenchConfig:
        """The settings from `env` (BENCH_*); a bad value exits naming the variable."""
        threads = web_threads_variable(env)
        return cls(
            duration=whole(env, "BENCH_DURATION", 10, minimum=1),
            repeat=whole(env, "BENCH_REPEAT", 3, minimum=1),
            connections=whole(env, "BENCH_CONNECTIONS", 64, minimum=1),
            threads=whole(env, "BENCH_THREADS", 2, minimum=1),
            salons=whole(env, "BENCH_SALONS", 1000, minimum=1),
            warmup=whole(env, "BENCH_WARMUP", 2, minimum=0),
            timeout=wrk_time(env, "BENCH_TIMEOUT", "5s"),
            skip=frozenset(names(env, "BENCH_SKIP", SKIPPABLE)),
            scenarios=names(env, "BENCH_SCENARIOS", ALL_SCENARIOS) or ALL_SCENARIOS,
            output=Path(env.get("BENCH_OUTPUT") or DEFAULT_OUTPUT),
            web_threads=whole(env, threads, 4),
            stack_env=stack_env(env, env.get("BENCH_SALONS") or "1000"),
        )


def web_threads_variable(env: Mapping[str, str]) -> str:
    """The variable the web tier takes its threads from: WEB_THREADS, else gunicorn's older
    GUNICORN_THREADS (deploy/granian_server.py); STACK_APP_X reaches the tier as X and wins."""
    for name in ("WEB_THREADS", "GUNICORN_THREADS"):
        for variable in (f"STACK_APP_{name}", name):
            if env.get(variable):
                return variable
    return "WEB_THREADS"


def whole(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    value = env.get(name) or str(default)
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise SystemExit(f"bench: {name} must be a whole number >= {minimum}, not {value!r}")
    return number


def wrk_time(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name) or default
    if not WRK_DURATION.fullmatch(value):
        raise SystemExit(f"bench: {name} must be a wrk time such as 5s or 500ms, not {value!r}")
    return value


def names(env: Mapping[str, str], name: str, known: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list of known names, in the given order; an unknown one exits."""
    chosen = tuple(item.strip() for item in (env.get(name) or "").split(",") if item.strip())
    unknown = [item for item in chosen if item not in known]
    if unknown:
        raise SystemExit(
            f"bench: {name} has unknown {', '.join(map(repr, unknown))}; known: {', '.join(known)}"
        )
    return chosen


def stack_env(env: Mapping[str, str], salons: str) -> dict[str, str]:
    """What the bench sets before it brings the stack up: STACK_ENV, and a first seed of the
    benchmark's size (STACK_SALONS), each only where `env` does not set it already."""
    wanted = {**STACK_ENV, "STACK_SALONS": salons}
    return {key: value for key, value in wanted.items() if not env.get(key)}


def apply_stack_env(config: BenchConfig, environ: MutableMapping[str, str]) -> None:
    """Put the stack's bench environment into `environ` (the stack reads os.environ)."""
    environ.update(config.stack_env)
