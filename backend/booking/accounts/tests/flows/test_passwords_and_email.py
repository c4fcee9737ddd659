from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.accounts.models import User
from booking.accounts.selectors import user_email_verified
from booking.accounts.tests.factories import UserFactory
from booking.accounts.tests.flows.conftest import PASSWORD, AppClient, link_key

pytestmark = pytest.mark.django_db

OLD = "correct-horse-battery"  # the factory's


def request_reset(app: AppClient, email: str):
    return app.call("post", "/auth/password/request", {"email": email})


def signed_in(email: str = "ada@example.com") -> AppClient:
    UserFactory(email=email)
    app = AppClient()
    assert app.call("post", "/auth/login", {"email": email, "password": OLD}).status_code == 200
    return app


def test_forgot_password_sends_a_link_that_sets_a_new_one(app):
    UserFactory(email="ada@example.com")
    assert request_reset(app, "ada@example.com").status_code == 200
    key = link_key("ada@example.com", "password/reset/key")
    response = app.call("post", "/auth/password/reset", {"key": key, "password": PASSWORD})
    assert response.status_code in (200, 401)  # 401: reset, now sign in
    user = User.objects.get(email="ada@example.com")
    assert user.check_password(PASSWORD)
    assert not user.check_password(OLD)


def test_a_reset_link_works_once(app):
    UserFactory(email="ada@example.com")
    request_reset(app, "ada@example.com")
    key = link_key("ada@example.com", "password/reset/key")
    app.call("post", "/auth/password/reset", {"key": key, "password": PASSWORD})
    again = AppClient().call(
        "post", "/auth/password/reset", {"key": key, "password": "another-" + PASSWORD}
    )
    assert again.status_code == 400
    assert User.objects.get().check_password(PASSWORD)


def test_an_expired_reset_link_is_refused(app, settings):
    UserFactory(email="ada@example.com")
    request_reset(app, "ada@example.com")
    key = link_key("ada@example.com", "password/reset/key")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = app.call("post", "/auth/password/reset", {"key": key, "password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.get().check_password(OLD)


def test_changing_the_password_needs_the_current_one():
    app = signed_in()
    wrong = app.call(
        "post", "/account/password/change", {"current_password": "nope", "new_password": PASSWORD}
    )
    assert wrong.status_code == 400
    right = app.call(
        "post", "/account/password/change", {"current_password": OLD, "new_password": PASSWORD}
    )
    assert right.status_code in (200, 401)
    assert User.objects.get().check_password(PASSWORD)


def test_changing_the_email_takes_effect_once_the_new_address_is_verified():
    app = signed_in()
    response = app.call("post", "/account/email", {"email": "ada@new.example"})
    assert response.status_code == 200
    assert User.objects.get().email == "ada@example.com"  # not before the link is followed
    key = link_key("ada@new.example", "verify-email")
    assert app.call("post", "/auth/email/verify", {"key": key}).status_code == 200
    user = User.objects.get()
    assert user.email == "ada@new.example"
    assert user_email_verified(user=user)


def test_existing_users_keep_their_passwords(api_client):
    UserFactory(email="ada@example.com")  # a hash set before allauth, as in the database
    app = AppClient()
    assert (
        app.call("post", "/auth/login", {"email": "ada@example.com", "password": OLD}).status_code
        == 200
    )
    legacy = api_client.post(
        "/api/v1/auth/token", {"email": "ada@example.com", "password": OLD}, format="json"
    )
    assert legacy.status_code == 200
