"""Bearer tokens are verified once per process and token, and still refused the moment they
stop being good: expired, altered, or their user deactivated."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.tokens import RefreshToken

from booking.accounts.authentication import _validated
from booking.accounts.models import User
from booking.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me"
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """Each token simplejwt decodes and verifies."""
    seen: list[str] = []
    decode = TokenBackend.decode

    def counted(self, token, verify=True):
        seen.append(token)
        return decode(self, token, verify)

    monkeypatch.setattr(TokenBackend, "decode", counted)
    return seen


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def token() -> str:
    with time_machine.travel(NOW, tick=False):
        return str(RefreshToken.for_user(UserFactory()).access_token)


def test_a_token_is_verified_once_and_serves_request_after_request(token, decodes):
    with time_machine.travel(NOW + dt.timedelta(minutes=1)):
        statuses = [bearer(token).get(ME).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert decodes == [token.encode()]


def test_a_verified_token_is_refused_once_it_expires(token):
    with time_machine.travel(NOW + dt.timedelta(minutes=1)):
        assert bearer(token).get(ME).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=16)):  # 15-minute access tokens
        response = bearer(token).get(ME)
        _validated.cache_clear()
        never_verified = bearer(token).get(ME)

    assert response.status_code == never_verified.status_code == 401
    assert response.json() == never_verified.json()


def test_an_altered_token_is_verified_afresh_and_refused(token):
    header, payload, signature = token.split(".")
    altered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    with time_machine.travel(NOW + dt.timedelta(minutes=1)):
        assert bearer(token).get(ME).status_code == 200
        response = bearer(altered).get(ME)

    assert response.status_code == 401


def test_a_verified_token_stops_working_when_its_user_is_deactivated(token):
    with time_machine.travel(NOW + dt.timedelta(minutes=1)):
        me = bearer(token).get(ME)
        User.objects.filter(id=me.json()["id"]).update(is_active=False)
        response = bearer(token).get(ME)

    assert me.status_code == 200
    assert response.status_code == 401
