from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.accounts.models import User
from booking.accounts.tests.factories import UserFactory
from booking.core.errors import SlotUnavailable, Unprocessable
from booking.core.idempotency import fingerprint, idempotent_call
from booking.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

BODY = {"id": "a1", "price": "25.00", "nested": {"when": "2030-01-02T10:00:00Z"}}


class Performs:
    """A `perform` that counts its calls, writes a row as real work does (a user), and answers
    201 with BODY."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple[int, Any]:
        self.calls += 1
        UserFactory()
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
    assert statements_on_records(queries) == ["INSERT"]
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


def test_a_retry_is_rolled_back_and_replays_the_kept_answer():
    user, perform = UserFactory(), Performs()
    call(user, perform)
    users = User.objects.count()

    with CaptureQueriesContext(connection) as queries:
        again = call(user, perform)

    assert (again.status, again.body, again.replayed) == (201, BODY, True)
    assert perform.calls == 2  # done again, and undone with the refused insert
    assert User.objects.count() == users
    # One lookup, after the refused insert (which MySQL's cursor does not report as run).
    assert statements_on_records(queries)[-1:] == ["SELECT"]
    assert statements_on_records(queries).count("SELECT") == 1


def test_a_retry_whose_work_is_refused_replays_the_kept_answer():
    """The slot a booking took is taken when its retry books it again: the refusal is the
    retry's cue to look up the key."""
    user, perform = UserFactory(), Performs()
    call(user, perform)

    def refused() -> tuple[int, Any]:
        raise SlotUnavailable()

    again = call(user, refused)

    assert (again.status, again.body, again.replayed) == (201, BODY, True)


def test_a_failed_first_attempt_raises_its_error_and_keeps_nothing():
    def refused() -> tuple[int, Any]:
        UserFactory()
        raise SlotUnavailable()

    user = UserFactory()
    users = User.objects.count()

    with pytest.raises(SlotUnavailable):
        call(user, refused)

    assert (IdempotencyRecord.objects.count(), User.objects.count()) == (0, users)
    assert call(user, Performs()).replayed is False


def test_the_same_key_with_another_payload_is_refused():
    user, perform = UserFactory(), Performs()
    call(user, perform)

    with pytest.raises(Unprocessable) as refused:
        call(user, perform, payload={"a": 2})

    assert refused.value.code == "idempotency_key_mismatch"
    assert IdempotencyRecord.objects.get().request_fingerprint == fingerprint({"a": 1})


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

    assert stored.replayed is False
    assert perform.calls == 3  # the first; the second, undone when it met the expired key; again
    record = IdempotencyRecord.objects.get()
    assert record.request_fingerprint == fingerprint({"a": 2})
    assert record.expires_at > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_two_attempts_at_once_commit_one_and_answer_alike():
    """The first attempt is still working when its retry arrives: the retry finishes first and
    commits; the first then meets its key, is rolled back, and answers as the retry did."""
    user = UserFactory()
    retry_done = threading.Event()
    answers: list[Any] = []

    def slow() -> tuple[int, Any]:
        UserFactory()
        retry_done.wait(timeout=10)
        return 201, {"attempt": "first"}

    def fast() -> tuple[int, Any]:
        UserFactory()
        return 201, {"attempt": "retry"}

    def first_attempt() -> None:
        try:
            answers.append(call(user, slow))
        finally:
            connection.close()

    users = User.objects.count()
    thread = threading.Thread(target=first_attempt)
    thread.start()
    answers.append(call(user, fast))
    retry_done.set()
    thread.join(timeout=20)

    assert [(a.body, a.replayed) for a in answers] == [
        ({"attempt": "retry"}, False),
        ({"attempt": "retry"}, True),
    ]
    assert (IdempotencyRecord.objects.count(), User.objects.count()) == (1, users + 1)
