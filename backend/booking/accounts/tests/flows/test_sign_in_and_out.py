from __future__ import annotations

import pytest
from django.core.cache import cache

from booking.accounts.tests.factories import UserFactory
from booking.accounts.tests.flows.conftest import AppClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factory's


def login(app: AppClient, email: str, password: str = PASSWORD):
    return app.call("post", "/auth/login", {"email": email, "password": password})


def test_signing_in_returns_simplejwt_tokens_that_work_on_the_api(app):
    UserFactory(email="ada@example.com")
    response = login(app, "ada@example.com")
    assert response.status_code == 200
    meta = response.json()["meta"]
    assert meta["is_authenticated"] is True
    assert {"access_token", "refresh_token", "session_token"} <= set(meta)
    me = app.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {app.access_token}"})
    assert me.status_code == 200


def test_the_access_token_alone_authenticates_allauths_account_endpoints(app):
    UserFactory(email="ada@example.com")
    login(app, "ada@example.com")
    app.session_token = None  # only the bearer token from here on
    session = app.call("get", "/auth/session")
    assert session.status_code == 200
    assert session.json()["data"]["user"]["email"] == "ada@example.com"


def test_a_token_from_api_v1_auth_token_is_signed_out_for_allauth(app, api_client):
    UserFactory(email="ada@example.com")
    tokens = api_client.post(
        "/api/v1/auth/token", {"email": "ada@example.com", "password": PASSWORD}, format="json"
    ).json()
    app.access_token = tokens["access"]
    assert app.call("get", "/auth/session").status_code == 401


def test_the_refresh_token_rotates_through_allauth_and_cannot_be_used_twice(app):
    UserFactory(email="ada@example.com")
    refresh = login(app, "ada@example.com").json()["meta"]["refresh_token"]
    first = app.call("post", "/tokens/refresh", {"refresh_token": refresh})
    assert first.status_code == 200
    assert first.json()["data"]["refresh_token"] != refresh
    again = app.call("post", "/tokens/refresh", {"refresh_token": refresh})
    assert again.status_code == 400


def test_signing_out_ends_the_session(app):
    UserFactory(email="ada@example.com")
    login(app, "ada@example.com")
    token = app.session_token
    assert app.call("delete", "/auth/session").status_code == 401
    later = AppClient()
    later.session_token = token
    assert later.call("get", "/auth/session").status_code == 410


def test_signing_out_stops_the_refresh_token_too(app, api_client):
    UserFactory(email="ada@example.com")
    refresh = login(app, "ada@example.com").json()["meta"]["refresh_token"]
    app.call("delete", "/auth/session")
    response = api_client.post("/api/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_an_unverified_account_is_asked_to_verify_before_signing_in(app):
    UserFactory(email="ada@example.com", email_verified=False)
    response = login(app, "ada@example.com")
    assert response.status_code == 401
    flows = {f["id"]: f for f in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"] is True


def test_repeated_failures_are_throttled(app):
    UserFactory(email="ada@example.com")
    answers = [login(app, "ada@example.com", "wrong-password") for _ in range(7)]
    assert answers[0].json()["errors"][0]["code"] == "email_password_mismatch"
    assert answers[-1].json()["errors"][0]["code"] == "too_many_login_attempts"
    # and the right password does not get through either, until the window has passed
    assert login(app, "ada@example.com").status_code == 400


def test_every_account_endpoint_is_throttled_per_address(app, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "headless": "3/m/ip"}
    cache.clear()
    statuses = [app.call("get", "/config").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("path", ["/account/phone", "/auth/code/confirm", "/auth/phone/verify"])
def test_features_we_leave_off_are_not_found(app, path):
    response = app.call("post", path, {})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
