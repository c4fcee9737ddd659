from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from booking.accounts.models import User
from booking.accounts.selectors import user_email_verified
from booking.accounts.tests.flows.conftest import PASSWORD, AppClient, last_mail, link_key
from booking.notifications.services import notification_send

pytestmark = pytest.mark.django_db(transaction=False)


def signup(app: AppClient, email: str = "ada@example.com", password: str = PASSWORD):
    body = {"email": email, "password": password, "first_name": "Ada", "last_name": "Byron"}
    return app.call("post", "/auth/signup", body)


def test_signing_up_asks_to_verify_and_writes_the_link_to_the_outbox(app):
    response = signup(app)
    assert response.status_code == 401
    flows = {f["id"]: f for f in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"] is True
    user = User.objects.get(email="ada@example.com")
    assert (user.first_name, user.last_name) == ("Ada", "Byron")
    assert not user_email_verified(user=user)
    assert link_key("ada@example.com", "verify-email")
    assert mail.outbox == []  # nothing is sent before the outbox row is claimed


def test_the_account_mail_is_sent_once_however_often_the_send_runs(app):
    signup(app)
    row = last_mail("ada@example.com")
    assert notification_send(notification_id=row.id) == "sent"
    assert notification_send(notification_id=row.id) == "skipped"
    assert len(mail.outbox) == 1
    assert "/account/verify-email/" in mail.outbox[0].body


def test_following_the_link_verifies_and_signs_in_with_a_simplejwt_token(app):
    signup(app)
    response = app.call(
        "post", "/auth/email/verify", {"key": link_key("ada@example.com", "verify-email")}
    )
    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    assert user_email_verified(user=User.objects.get(email="ada@example.com"))
    me = app.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {app.access_token}"})
    assert me.status_code == 200
    assert me.json()["email"] == "ada@example.com"


def test_a_used_link_is_refused(app):
    signup(app)
    key = link_key("ada@example.com", "verify-email")
    app.call("post", "/auth/email/verify", {"key": key})
    again = AppClient().call("post", "/auth/email/verify", {"key": key})
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "invalid_or_expired_key"


def test_an_expired_link_is_refused(app):
    signup(app)
    key = link_key("ada@example.com", "verify-email")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=4)):
        response = app.call("post", "/auth/email/verify", {"key": key})
    assert response.status_code == 400
    assert not user_email_verified(user=User.objects.get(email="ada@example.com"))


def test_a_weak_password_is_refused_with_the_policy(app):
    response = signup(app, password="12345678")
    assert response.status_code == 400
    assert {e["param"] for e in response.json()["errors"]} == {"password"}
    assert not User.objects.exists()
