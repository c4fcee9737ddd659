"""The embedded SQLite default gives the same answer to a race as PostgreSQL: one winner.

Runs the app as `make run` would (local settings, SQLite file) but under a multi-process,
multi-threaded gunicorn, and races clients over real connections.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from booking.appointments.tests.apis.test_booking_race import ONE_WINNER, RACERS, race
from booking.core.tests.processes import BACKEND, free_port, wait_for


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("sqlite-var")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_VAR_DIR": str(var_dir),
        "THROTTLE_AUTH": "10000/min",
        "THROTTLE_BOOKING": "10000/min",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=BACKEND, env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--salons", "1", "--seed", "7"],
        cwd=BACKEND,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--threads",
            "8",
            "--log-level",
            "warning",
        ],
        cwd=BACKEND,
        env=env,
        stdout=(Path(var_dir) / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _up(f"{url}/health/live"), timeout=60, what="gunicorn on SQLite")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def first_free_slot(url: str, pick: int | None = None) -> tuple[str, dict]:
    """A free slot of the first salon's first service: the middle one, or the `pick`th."""
    salon = requests.get(f"{url}/api/v1/salons", timeout=10).json()["results"][0]
    detail = requests.get(f"{url}/api/v1/salons/{salon['id']}", timeout=10).json()
    service = detail["services"][0]
    start = dt.date.today() + dt.timedelta(days=3)
    slots = requests.get(
        f"{url}/api/v1/salons/{salon['id']}/availability",
        params={
            "service": service["id"],
            "from": start.isoformat(),
            "to": (start + dt.timedelta(days=6)).isoformat(),
        },
        timeout=10,
    ).json()["slots"]
    slot = slots[len(slots) // 2 if pick is None else pick]
    return service["id"], {
        "service": service["id"],
        "start": slot["start"],
        "staff": slot["staff_ids"][0],
    }


def customer_tokens(url: str, count: int, who: str = "racer") -> list[str]:
    tokens = []
    for n in range(count):
        credentials = {"email": f"{who}{n}@example.com", "password": "a-long-enough-secret"}
        requests.post(
            f"{url}/api/v1/auth/register",
            json={**credentials, "first_name": "R", "last_name": str(n)},
            timeout=10,
        )
        tokens.append(
            requests.post(f"{url}/api/v1/auth/token", json=credentials, timeout=10).json()["access"]
        )
    return tokens


def test_exactly_one_of_many_concurrent_bookings_wins_on_sqlite(sqlite_server):
    _, body = first_free_slot(sqlite_server)
    outcomes = race(
        f"{sqlite_server}/api/v1/appointments", customer_tokens(sqlite_server, RACERS), body
    )
    assert outcomes == ONE_WINNER


def test_the_customers_list_shows_a_booking_on_sqlite(sqlite_server):
    # The list's statements are built for each database, SQLite's included. The race takes
    # the middle slot; this the first.
    _, body = first_free_slot(sqlite_server, pick=0)
    # A customer of its own: the race's winner, on the same server, has a booking already.
    [token] = customer_tokens(sqlite_server, 1, who="lister")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    url = f"{sqlite_server}/api/v1/appointments"
    booked = session.post(url, json=body, timeout=10)
    assert booked.status_code == 201, booked.text

    listed = session.get(url, timeout=10).json()

    assert listed["count"] == 1
    assert [row["id"] for row in listed["results"]] == [booked.json()["id"]]
    assert listed["results"][0]["salon_name"]
    assert session.get(f"{url}?page=2", timeout=10).status_code == 404
