"""N clients race for one slot over real HTTP connections: exactly one wins, on whichever
server the suite runs (PostgreSQL, or MySQL with TEST_DATABASE_URL=mysql://...)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
import requests
from rest_framework_simplejwt.tokens import RefreshToken

from booking.accounts.tests.factories import UserFactory
from booking.appointments.models import Appointment
from booking.salons.tests.factories import open_salon

RACERS = 24


# What every race must end with: one booking, and everyone else told the slot is gone.
ONE_WINNER = [(201, "")] + [(409, "slot_unavailable")] * (RACERS - 1)


def race(url: str, tokens: list[str], body: dict) -> list[tuple[int, str]]:
    """(status, error code or "") of each racer's booking, sorted."""
    barrier = threading.Barrier(len(tokens))

    def attempt(token: str) -> tuple[int, str]:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {token}"
            session.get(url, timeout=30)  # open the connection before the start line
            barrier.wait()
            response = session.post(url, json=body, timeout=30)
            return response.status_code, response.json().get("error", {}).get("code", "")

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        return sorted(pool.map(attempt, tokens))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_staff", [True, False], ids=["named-staff", "any-staff"])
def test_exactly_one_of_many_concurrent_bookings_wins(live_server, with_staff):
    _, service, [stylist] = open_salon()
    start = (dt.datetime.now(ZoneInfo("Europe/Berlin")) + dt.timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    tokens = [str(RefreshToken.for_user(UserFactory()).access_token) for _ in range(RACERS)]
    body = {"service": str(service.id), "start": start.isoformat()}
    if with_staff:
        body["staff"] = str(stylist.id)

    outcomes = race(f"{live_server.url}/api/v1/appointments", tokens, body)

    assert outcomes == ONE_WINNER
    assert Appointment.objects.filter(staff=stylist, start=start).count() == 1
