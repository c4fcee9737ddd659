from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.salons.availability_cache import catalogue_changed
from booking.salons.tests.factories import (
    AddressFactory,
    SalonFactory,
    ServiceFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_anyone_can_list_salons_paginated(api_client):
    SalonFactory.create_batch(3)
    body = api_client.get("/api/v1/salons?page_size=2").json()
    assert body["count"] == 3
    assert body["next"] is not None and body["previous"] is None
    assert set(body["results"][0]) >= {"id", "name", "city", "timezone"}


def test_salons_are_filtered_by_search_city_and_service(api_client):
    vienna = SalonFactory(name="Kamm & Schere", address=AddressFactory(city="Vienna", country="AT"))
    ServiceFactory(salon=vienna, name="Beard trim")
    SalonFactory(name="Other place")
    assert [s["id"] for s in api_client.get("/api/v1/salons?search=schere").json()["results"]] == [
        str(vienna.id)
    ]
    assert api_client.get("/api/v1/salons?city=vienna").json()["count"] == 1
    assert api_client.get("/api/v1/salons?service=beard").json()["count"] == 1


def test_inactive_salons_are_hidden(api_client):
    salon = SalonFactory(is_active=False)
    assert api_client.get("/api/v1/salons").json()["count"] == 0
    assert api_client.get(f"/api/v1/salons/{salon.id}").status_code == 404


def test_detail_shows_services_and_staff_with_their_services(api_client):
    salon = SalonFactory()
    cut = ServiceFactory(salon=salon)
    ServiceFactory(salon=salon, is_active=False)
    stylist = StaffMemberFactory(salon=salon, services=[cut])
    body = api_client.get(f"/api/v1/salons/{salon.id}").json()
    assert body["timezone"] == "Europe/Berlin"
    assert body["address"]["country"] == "DE"
    assert [s["id"] for s in body["services"]] == [str(cut.id)]
    assert body["services"][0]["price"] == "35.00" and body["services"][0]["currency"] == "EUR"
    assert body["staff"] == [
        {"id": str(stylist.id), "name": stylist.display_name, "service_ids": [str(cut.id)]}
    ]


def test_an_unknown_salon_is_a_404(api_client):
    response = api_client.get("/api/v1/salons/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "salon_not_found"


def test_the_list_uses_the_same_queries_for_1_and_50_salons(api_client):
    SalonFactory()
    one = query_count(api_client, "/api/v1/salons?page_size=50")
    SalonFactory.create_batch(49)
    catalogue_changed()  # the factories bypass the services that move the catalogue version
    assert query_count(api_client, "/api/v1/salons?page_size=50") == one


def test_the_detail_uses_the_same_queries_for_1_and_50_staff(api_client):
    salon = SalonFactory()
    services = ServiceFactory.create_batch(3, salon=salon)
    StaffMemberFactory(salon=salon, services=services)
    one = query_count(api_client, f"/api/v1/salons/{salon.id}")
    cache.clear()
    for _ in range(49):
        StaffMemberFactory(salon=salon, services=services)
    ServiceFactory.create_batch(47, salon=salon)
    cache.clear()
    assert query_count(api_client, f"/api/v1/salons/{salon.id}") == one > 0


def test_the_detail_is_served_from_the_cache_until_the_salon_changes(
    api_client, client_for, django_capture_on_commit_callbacks
):
    from booking.salons.models import SalonMember
    from booking.salons.tests.factories import SalonMemberFactory

    salon = SalonFactory(name="Old name")
    owner = SalonMemberFactory(salon=salon, role=SalonMember.Role.OWNER).user
    assert api_client.get(f"/api/v1/salons/{salon.id}").json()["name"] == "Old name"
    assert query_count(api_client, f"/api/v1/salons/{salon.id}") == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).patch(
            f"/api/v1/manage/salons/{salon.id}", {"name": "New name"}, format="json"
        )
    assert response.status_code == 200
    assert api_client.get(f"/api/v1/salons/{salon.id}").json()["name"] == "New name"


def test_a_repeat_page_of_the_salon_list_costs_no_query(api_client):
    SalonFactory.create_batch(3)
    assert query_count(api_client, "/api/v1/salons?page_size=2") > 0

    assert query_count(api_client, "/api/v1/salons?page_size=2") == 0
    assert query_count(api_client, "/api/v1/salons?page_size=3") > 0  # another page is built


def test_a_salon_added_or_renamed_through_the_services_shows_in_the_list_at_once(
    api_client, django_capture_on_commit_callbacks
):
    from booking.accounts.tests.factories import UserFactory
    from booking.salons.services import salon_create, salon_update

    SalonFactory(name="Before")
    assert api_client.get("/api/v1/salons").json()["count"] == 1
    address = {"line1": "Main St 1", "city": "Vienna", "postal_code": "1010", "country": "AT"}
    with django_capture_on_commit_callbacks(execute=True):
        salon = salon_create(
            owner=UserFactory(), name="New place", timezone="Europe/Vienna", address=address
        )
    assert api_client.get("/api/v1/salons").json()["count"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        salon_update(salon=salon, data={"name": "Renamed place"})
    names = {row["name"] for row in api_client.get("/api/v1/salons").json()["results"]}
    assert names == {"Before", "Renamed place"}


def test_cached_pages_keep_links_to_the_host_that_asked(api_client):
    SalonFactory.create_batch(3)
    first = api_client.get("/api/v1/salons?page_size=2", HTTP_HOST="localhost").json()
    second = api_client.get("/api/v1/salons?page_size=2", HTTP_HOST="127.0.0.1").json()

    assert first["next"].startswith("http://localhost/")
    assert second["next"].startswith("http://127.0.0.1/")


def test_a_deep_page_reads_only_its_own_salons(api_client):
    names = [f"Salon {i:02}" for i in range(25)]
    for name in reversed(names):
        SalonFactory(name=name)
    with CaptureQueriesContext(connection) as queries:
        body = api_client.get("/api/v1/salons?page_size=10&page=3").json()
    assert [s["name"] for s in body["results"]] == names[20:]
    assert body["count"] == 25 and body["next"] is None and body["previous"] is not None
    name = f"{connection.ops.quote_name('salons_salon')}.{connection.ops.quote_name('name')}"
    rows = [q["sql"] for q in queries if name in q["sql"].split("FROM")[0]]
    assert len(rows) == 1 and "OFFSET" not in rows[0]
