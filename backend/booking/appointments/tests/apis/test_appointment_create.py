from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.accounts.tests.factories import UserFactory
from booking.appointments.models import Appointment
from booking.core.models import IdempotencyRecord
from booking.notifications.models import Channel, Kind, Notification
from booking.salons.tests.factories import open_salon

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
START = "2026-03-02T10:00:00+01:00"


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def booking(client_for):
    _, service, [stylist] = open_salon()
    customer = UserFactory()
    return client_for(customer), service, stylist, customer


def test_it_books_and_answers_201_with_the_contract_fields(booking):
    client, service, stylist, _ = booking
    response = client.post(
        "/api/v1/appointments", {"service": str(service.id), "start": START}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {
        "id",
        "status",
        "start",
        "end",
        "salon",
        "service",
        "staff",
        "price",
        "currency",
    } <= set(body)
    assert body["status"] == "confirmed"
    assert body["staff"] == str(stylist.id)
    assert body["price"] == "35.00"
    assert dt.datetime.fromisoformat(body["start"]) == dt.datetime.fromisoformat(START)


def test_a_taken_slot_is_a_409_slot_unavailable(booking, client_for):
    client, service, _, _ = booking
    client.post("/api/v1/appointments", {"service": str(service.id), "start": START}, format="json")
    other = client_for(UserFactory())
    response = other.post(
        "/api/v1/appointments", {"service": str(service.id), "start": START}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slot_unavailable"


def test_a_naive_datetime_is_a_400(booking):
    client, service, _, _ = booking
    response = client.post(
        "/api/v1/appointments",
        {"service": str(service.id), "start": "2026-03-02T10:00:00"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "start" in response.json()["error"]["details"]


def test_an_unknown_service_is_a_404(booking):
    client, *_ = booking
    response = client.post(
        "/api/v1/appointments",
        {"service": "00000000-0000-0000-0000-000000000000", "start": START},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "service_not_found"


def test_a_staff_member_of_another_salon_is_a_404(booking):
    client, service, _, _ = booking
    _, _, [foreign] = open_salon()
    response = client.post(
        "/api/v1/appointments",
        {"service": str(service.id), "start": START, "staff": str(foreign.id)},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "staff_not_found"


def test_anonymous_booking_is_a_401(api_client):
    response = api_client.post("/api/v1/appointments", {}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


class TestIdempotencyKey:
    def post(self, client, body, key):
        return client.post("/api/v1/appointments", body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    def test_a_replay_returns_the_first_response_and_creates_nothing(self, booking):
        client, service, _, _ = booking
        body = {"service": str(service.id), "start": START}
        first = self.post(client, body, "key-1")
        second = self.post(client, body, "key-1")
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers["Idempotent-Replayed"] == "true"
        assert Appointment.objects.count() == 1

    def test_the_same_key_with_another_body_is_a_422(self, booking):
        client, service, _, _ = booking
        self.post(client, {"service": str(service.id), "start": START}, "key-1")
        response = self.post(
            client, {"service": str(service.id), "start": "2026-03-02T11:00:00+01:00"}, "key-1"
        )
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "idempotency_key_mismatch"
        assert Appointment.objects.count() == 1

    def test_keys_are_scoped_to_the_user(self, booking, client_for):
        client, service, _, _ = booking
        self.post(client, {"service": str(service.id), "start": START}, "shared-key")
        other = client_for(UserFactory())
        response = self.post(
            other, {"service": str(service.id), "start": "2026-03-02T11:00:00+01:00"}, "shared-key"
        )
        assert response.status_code == 201
        assert Appointment.objects.count() == 2

    def test_a_failed_attempt_is_not_stored_and_can_be_retried(self, booking, client_for):
        client, service, _, _ = booking
        body = {"service": str(service.id), "start": START}
        client_for(UserFactory()).post("/api/v1/appointments", body, format="json")
        assert self.post(client, body, "retry").status_code == 409
        assert not IdempotencyRecord.objects.filter(key="retry").exists()

    def test_keys_are_kept_at_least_a_day(self, booking):
        client, service, _, customer = booking
        self.post(client, {"service": str(service.id), "start": START}, "kept")
        record = IdempotencyRecord.objects.get(user=customer, key="kept")
        assert record.expires_at - record.created_at >= dt.timedelta(hours=24)

    def test_an_overlong_key_is_a_400(self, booking):
        client, service, _, _ = booking
        response = self.post(client, {"service": str(service.id), "start": START}, "k" * 300)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_idempotency_key"

    @pytest.mark.django_db(transaction=True)
    def test_a_keyed_booking_is_one_transaction_without_a_savepoint(self, booking):
        # Outside a test's own transaction, as in production: the key's record and the
        # booking share the request's transaction, and nothing nests inside it.
        client, service, _, _ = booking
        with CaptureQueriesContext(connection) as queries:
            response = self.post(client, {"service": str(service.id), "start": START}, "one")
        assert response.status_code == 201
        statements = [query["sql"] for query in queries.captured_queries]
        assert not [sql for sql in statements if "SAVEPOINT" in sql.upper()]
        assert IdempotencyRecord.objects.filter(key="one").count() == 1


def test_a_booking_reads_the_customers_verified_address_with_the_user(booking):
    # Reminders go by e-mail only to a verified address: authentication's read of the user
    # answers that, not a statement of its own.
    client, service, _, _ = booking
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/appointments", {"service": str(service.id), "start": START}, format="json"
        )
    assert response.status_code == 201
    reading_addresses = [
        query["sql"] for query in queries.captured_queries if "account_emailaddress" in query["sql"]
    ]
    assert len(reading_addresses) == 1
    assert "accounts_user" in reading_addresses[0]
    reminders = Notification.objects.filter(kind=Kind.REMINDER, channel=Channel.EMAIL)
    assert reminders.exists()  # the customer's address is verified (UserFactory)
