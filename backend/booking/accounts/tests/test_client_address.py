"""Behind the proxies we run (nginx, an ALB), per-address limits count each client's address:
not the proxy's (one bucket for everyone), and not whatever X-Forwarded-For a client makes up."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.throttling import ScopedRateThrottle

pytestmark = pytest.mark.django_db

CONFIG = "/api/_allauth/app/v1/config"
PROXY = "10.0.0.5"  # what REMOTE_ADDR is for every request that came through the proxy


def through_proxy(forwarded_for: str) -> Client:
    """A client behind one proxy, which appends the address it saw to X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "headless": "2/m/ip"}
    cache.clear()


def test_the_deployed_settings_read_one_trusted_proxy_from_the_environment(settings):
    # the settings modules read TRUSTED_PROXY_COUNT (0 unless set) into both throttles' settings
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT


def test_allauths_limit_counts_each_client_not_the_proxy(behind_one_proxy):
    ada = [through_proxy("203.0.113.1").get(CONFIG).status_code for _ in range(3)]
    bob = through_proxy("203.0.113.2").get(CONFIG).status_code
    assert ada == [200, 200, 429]
    assert bob == 200


def test_a_made_up_forwarded_for_buys_no_new_allowance(behind_one_proxy):
    statuses = [
        through_proxy(f"198.51.100.{n}, 203.0.113.1").get(CONFIG).status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_api_throttle_counts_each_client_and_ignores_made_up_addresses(
    behind_one_proxy, monkeypatch
):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min"})
    body = {"email": "nobody@example.com", "password": "wrong-password-1"}

    def sign_in(forwarded_for: str) -> int:
        client = through_proxy(forwarded_for)
        return client.post("/api/v1/auth/token", body, content_type="application/json").status_code

    ada = [sign_in(f"198.51.100.{n}, 203.0.113.1") for n in range(3)]
    assert ada == [401, 401, 429]
    assert sign_in("203.0.113.2") == 401
