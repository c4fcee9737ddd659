from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.salons.models import Salon, SalonMember
from booking.salons.tests.apis.conftest import SalonWorld, url
from booking.salons.tests.factories import SalonMemberFactory

pytestmark = pytest.mark.django_db
NEW_SALON = {
    "name": "Studio Nord",
    "timezone": "Europe/Berlin",
    "phone": "+4930901820",
    "address": {"line1": "Torstr. 1", "city": "Berlin", "postal_code": "10119", "country": "DE"},
}


def test_it_lets_any_customer_create_a_salon_and_become_its_owner(client_for: Any) -> None:
    user = UserFactory()
    response = client_for(user).post(url("salons"), NEW_SALON, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["address"]["country"] == "DE"
    assert body["slot_step_minutes"] == 15
    assert SalonMember.objects.get(salon_id=body["id"], user=user).role == "owner"


def test_it_replays_a_salon_creation_with_the_same_idempotency_key(client_for: Any) -> None:
    client = client_for(UserFactory())
    first = client.post(url("salons"), NEW_SALON, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url("salons"), NEW_SALON, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Salon.objects.count() == 1


def test_it_marks_a_replayed_creation_and_only_that_one(client_for: Any) -> None:
    client = client_for(UserFactory())
    first = client.post(url("salons"), NEW_SALON, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    again = client.post(url("salons"), NEW_SALON, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Berlin"}, "timezone"),
        ({"phone": "12345"}, "phone"),
        ({"address": {"line1": "x", "city": "y", "country": "ZZ"}}, "country"),
        ({"address": {"city": "y", "country": "DE"}}, "address"),
    ],
)
def test_it_rejects_an_invalid_salon(client_for: Any, change: dict, field: str) -> None:
    response = client_for(UserFactory()).post(url("salons"), {**NEW_SALON, **change}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["details"]


def test_it_lists_only_the_callers_salons_with_their_role(
    client_for: Any, world: SalonWorld, other_world: SalonWorld
) -> None:
    response = client_for(world.staff_user).get(url("salons"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["id"], r["role"]) for r in results] == [(str(world.salon.id), "staff")]


def test_it_updates_details_address_and_policy_in_one_patch(
    client_for: Any, world: SalonWorld
) -> None:
    response = client_for(world.owner).patch(
        url("salons/{salon}", **world.ids()),
        {"name": "Neu", "address": {"city": "Potsdam"}, "horizon_days": 10},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["address"]["city"], body["horizon_days"]) == ("Neu", "Potsdam", 10)
    assert body["address"]["line1"] == world.salon.address.line1


def test_it_rejects_a_policy_with_a_zero_horizon(client_for: Any, world: SalonWorld) -> None:
    response = client_for(world.owner).put(
        url("salons/{salon}/policy", **world.ids()),
        {
            "min_notice_minutes": 0,
            "horizon_days": 0,
            "cancellation_cutoff_minutes": 0,
            "slot_step_minutes": 15,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "horizon_days" in response.json()["error"]["details"]


def test_it_lists_salons_in_a_constant_number_of_queries(client_for: Any) -> None:
    user = UserFactory()
    client = client_for(user)
    SalonMemberFactory(user=user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("salons")).status_code == 200
    SalonMemberFactory.create_batch(49, user=user)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url("salons"), {"page_size": 50}).json()["results"]) == 50
    assert len(many) == len(one)
