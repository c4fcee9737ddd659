"""The web app's way in: allauth's "browser" client, an HttpOnly session cookie and CSRF."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from booking.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BROWSER = "/api/_allauth/browser/v1"


@pytest.fixture
def browser() -> Client:
    UserFactory(email="ada@example.com")
    return Client(enforce_csrf_checks=True)


def sign_in(browser: Client) -> str:
    browser.get(BROWSER + "/auth/session")  # hands out the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(
        BROWSER + "/auth/login",
        {"email": "ada@example.com", "password": "correct-horse-battery"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200
    assert browser.cookies["sessionid"]["httponly"]
    return browser.cookies["csrftoken"].value  # rotated at login


def test_signing_in_sets_a_session_cookie_that_the_api_accepts(browser):
    sign_in(browser)
    me = browser.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"


def test_the_session_is_found_without_reading_its_row(browser):
    # What a replica that has not caught up with the sign-in looks like: no session row.
    sign_in(browser)
    Session.objects.all().delete()  # the rows only; the shared cache keeps the session
    assert browser.get("/api/v1/auth/me").status_code == 200
    assert browser.get(BROWSER + "/auth/session").status_code == 200


def test_a_write_with_the_cookie_needs_the_csrf_token(browser):
    csrf = sign_in(browser)
    forged = browser.patch(
        "/api/v1/auth/me", {"first_name": "Eve"}, content_type="application/json"
    )
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "permission_denied"
    real = browser.patch(
        "/api/v1/auth/me",
        {"first_name": "Ada"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert real.status_code == 200


def test_signing_out_ends_the_cookie_session(browser):
    csrf = sign_in(browser)
    out = browser.delete(BROWSER + "/auth/session", headers={"X-CSRFToken": csrf})
    assert out.status_code == 401
    assert browser.get("/api/v1/auth/me").status_code == 401
