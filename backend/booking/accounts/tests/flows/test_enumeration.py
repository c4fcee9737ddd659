"""Register, reset and login answer alike for a known and an unknown address: same status, same
body (but for the fresh session token) and about the same time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from booking.accounts.tests.factories import UserFactory
from booking.accounts.tests.flows.conftest import PASSWORD, AppClient

pytestmark = pytest.mark.django_db

KNOWN = "known@example.com"
# Loose on purpose (shared machines): it still fails when one side does work the other skips,
# e.g. a password hash or an e-mail render on one side only.
MAX_TIME_RATIO = 3.0


def answer(response: Any) -> tuple[int, Any]:
    body = response.json()
    body.get("meta", {}).pop("session_token", None)
    return response.status_code, body


def median_seconds(call: Callable[[int], Any], rounds: int = 7) -> float:
    times = []
    for i in range(rounds):
        cache.clear()  # rate limits must not decide the answer
        start = time.perf_counter()
        call(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def assert_similar_time(known: Callable[[int], Any], unknown: Callable[[int], Any]) -> None:
    known(0), unknown(0)  # warm up templates and queries
    a, b = median_seconds(known), median_seconds(unknown)
    assert max(a, b) / min(a, b) < MAX_TIME_RATIO, (a, b)


@pytest.fixture
def known_user() -> None:
    UserFactory(email=KNOWN)


def signup(email: str) -> Any:
    body = {"email": email, "password": PASSWORD, "first_name": "A", "last_name": "B"}
    return AppClient().call("post", "/auth/signup", body)


def test_signup_answers_alike(known_user):
    assert answer(signup(KNOWN)) == answer(signup("new@example.com"))
    assert_similar_time(lambda i: signup(KNOWN), lambda i: signup(f"new{i}@example.com"))


def test_the_legacy_register_answers_alike(known_user, api_client):
    def register(email: str) -> Any:
        body = {"email": email, "password": PASSWORD, "first_name": "A", "last_name": "B"}
        return api_client.post("/api/v1/auth/register", body, format="json")

    assert answer(register(KNOWN)) == answer(register("new@example.com"))
    assert_similar_time(lambda i: register(KNOWN), lambda i: register(f"n{i}@example.com"))


def test_password_reset_answers_alike(known_user):
    def reset(email: str) -> Any:
        return AppClient().call("post", "/auth/password/request", {"email": email})

    assert answer(reset(KNOWN)) == answer(reset("nobody@example.com"))
    assert_similar_time(lambda i: reset(KNOWN), lambda i: reset("nobody@example.com"))


def test_login_answers_alike(known_user, api_client):
    def login(email: str) -> Any:
        body = {"email": email, "password": "not-the-password"}
        return AppClient().call("post", "/auth/login", body)

    def token(email: str) -> Any:
        body = {"email": email, "password": "not-the-password"}
        return api_client.post("/api/v1/auth/token", body, format="json")

    assert answer(login(KNOWN)) == answer(login("nobody@example.com"))
    assert answer(token(KNOWN)) == answer(token("nobody@example.com"))
    assert_similar_time(lambda i: login(KNOWN), lambda i: login("nobody@example.com"))


def test_the_time_bound_can_fail():
    """The bound catches a side that does noticeably more work."""
    with pytest.raises(AssertionError):
        assert_similar_time(lambda i: time.sleep(0.02), lambda i: time.sleep(0.001))
