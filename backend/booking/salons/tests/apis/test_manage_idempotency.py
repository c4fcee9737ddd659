from __future__ import annotations

from typing import Any

import pytest

from booking.salons.tests.apis.conftest import SalonWorld, url

pytestmark = pytest.mark.django_db
CREATES = [
    (
        "salons",
        {
            "name": "Studio Süd",
            "timezone": "Europe/Berlin",
            "address": {"line1": "Hauptstr. 2", "city": "Berlin", "country": "DE"},
        },
    ),
    (
        "salons/{salon}/services",
        {"name": "Cut", "duration_minutes": 30, "price": "20.00", "currency": "EUR"},
    ),
    ("salons/{salon}/staff", {"display_name": "Ana"}),
    (
        "salons/{salon}/staff/{staff}/time-off",
        {"start": "2031-01-01T09:00:00+00:00", "end": "2031-01-01T10:00:00+00:00"},
    ),
    ("salons/{salon}/closures", {"start_date": "2031-02-01", "end_date": "2031-02-02"}),
]


@pytest.mark.parametrize(("path", "body"), CREATES, ids=[path for path, _ in CREATES])
def test_every_create_marks_a_replay_with_the_same_key(
    client_for: Any, world: SalonWorld, path: str, body: dict[str, Any]
) -> None:
    client = client_for(world.owner)
    first = client.post(url(path, **world.ids()), body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = client.post(url(path, **world.ids()), body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert (first.status_code, again.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
