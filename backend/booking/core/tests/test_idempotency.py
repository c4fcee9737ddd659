from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.accounts.tests.factories import UserFactory
from booking.core import idempotency
from booking.core.errors import Unprocessable
from booking.core.idempotency import fingerprint, idempotent_call
from booking.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

BODY = {"id": "a1", "price": "25.00", "nested": {"when": "2030-01-02T10:00:00Z"}}


class Performs:
    """A `perform` that counts its calls and answers 201 with BODY."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple[int, Any]:
        self.calls += 1
        return 201, BODY


def call(user: Any, perform: Performs, payload: Any = None, key: str = "k-1") -> Any:
    return idempotent_call(
        user=user, key=key, scope="thing_create", payload=payload or {"a": 1}, perform=perform
    )


def statements_on_records(queries: CaptureQueriesContext) -> list[str]:
    table = IdempotencyRecord._meta.db_table
    return [q["sql"].split()[0] for q in queries.captured_queries if table in q["sql"]]


def test_the_first_call_performs_and_keeps_the_answer_in_one_insert():
    user, perform = UserFactory(), Performs()

    with CaptureQueriesContext(connection) as queries:
        stored = call(user, perform)

    assert (stored.status, stored.body, stored.replayed, perform.calls) == (201, BODY, False, 1)
    assert statements_on_records(queries) == ["SELECT", "INSERT"]
    record = IdempotencyRecord.objects.get()
    assert (record.user_id, record.key, record.scope) == (user.pk, "k-1", "thing_create")
    assert (record.request_fingerprint, record.response_status, record.response_body) == (
        fingerprint({"a": 1}),
        201,
        BODY,
    )
    expected_expiry = timezone.now() + settings.IDEMPOTENCY_KEY_TTL
    assert abs(record.expires_at - expected_expiry) < dt.timedelta(minutes=1)
    assert record.created_at is not None


def test_a_retry_replays_the_kept_answer_with_one_select_and_performs_nothing():
    user, perform = UserFactory(), Performs()
    call(user, perform)

    with CaptureQueriesContext(connection) as queries:
        again = call(user, perform)

    assert (again.status, again.body, again.replayed, perform.calls) == (201, BODY, True, 1)
    assert statements_on_records(queries) == ["SELECT"]


def test_the_same_key_with_another_payload_is_refused():
    user, perform = UserFactory(), Performs()
    call(user, perform)

    with pytest.raises(Unprocessable) as refused:
        call(user, perform, payload={"a": 2})

    assert refused.value.code == "idempotency_key_mismatch"
    assert perform.calls == 1


def test_keys_belong_to_their_user_and_scope():
    first, second, perform = UserFactory(), UserFactory(), Performs()
    call(first, perform)

    assert call(second, perform).replayed is False
    other_scope = idempotent_call(
        user=first, key="k-1", scope="other", payload={"a": 1}, perform=perform
    )

    assert other_scope.replayed is False
    assert perform.calls == 3
    assert IdempotencyRecord.objects.count() == 3


def test_an_expired_record_is_dropped_and_the_call_performed_again():
    user, perform = UserFactory(), Performs()
    call(user, perform)
    IdempotencyRecord.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    stored = call(user, perform, payload={"a": 2})

    assert (stored.replayed, perform.calls) == (False, 2)
    record = IdempotencyRecord.objects.get()
    assert record.request_fingerprint == fingerprint({"a": 2})
    assert record.expires_at > timezone.now()


def test_a_key_committed_by_a_concurrent_request_is_replayed(monkeypatch):
    """The lookup ran before the other request committed: the insert then meets the unique
    key, and the answer is the other request's."""
    user, perform = UserFactory(), Performs()
    call(user, perform)
    real_lookup = idempotency._live_record
    lookups: list[str] = []

    def lookup_before_the_commit(**kwargs: Any) -> IdempotencyRecord | None:
        lookups.append(kwargs["key"])
        return None if len(lookups) == 1 else real_lookup(**kwargs)

    monkeypatch.setattr(idempotency, "_live_record", lookup_before_the_commit)
    stored = call(user, perform)

    assert (stored.status, stored.body, stored.replayed) == (201, BODY, True)
    assert lookups == ["k-1", "k-1"]
    assert perform.calls == 2  # performed, then rolled back with the refused insert
    assert IdempotencyRecord.objects.count() == 1
