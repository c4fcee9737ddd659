from __future__ import annotations

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from booking.accounts.models import User
from booking.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def register(client, **overrides):
    body = {
        "email": "Ada@Example.com",
        "password": "a-long-enough-secret",
        "first_name": "Ada",
        "last_name": "Lovelace",
        **overrides,
    }
    return client.post("/api/v1/auth/register", body, format="json")


def login(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/token", {"email": email, "password": password}, format="json")


def test_a_new_user_registers_and_can_log_in_right_away(api_client):
    response = register(api_client, phone="+14155552671")
    assert response.status_code == 202
    user = User.objects.get()
    assert user.email == "ada@example.com"
    assert user.phone == "+14155552671"
    tokens = login(api_client, "ADA@example.com", "a-long-enough-secret")
    assert tokens.status_code == 200
    assert {"access", "refresh"} <= set(tokens.json())


def test_a_known_email_gets_the_same_answer_and_no_second_account(api_client):
    first = register(api_client)
    second = register(api_client, email="ada@EXAMPLE.com")
    assert (second.status_code, second.json()) == (first.status_code, first.json())
    assert User.objects.count() == 1


def test_a_phone_that_is_not_e164_is_a_400(api_client):
    response = register(api_client, phone="0155 1234567")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_phone"
    assert not User.objects.exists()


def test_a_weak_password_is_a_400(api_client):
    response = register(api_client, password="123")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "weak_password"


def test_missing_fields_are_named_in_the_details(api_client):
    response = api_client.post("/api/v1/auth/register", {"email": "x@example.com"}, format="json")
    assert response.status_code == 400
    assert {"password", "first_name", "last_name"} <= set(response.json()["error"]["details"])


def test_wrong_credentials_are_a_401(api_client):
    user = UserFactory()
    response = login(api_client, user.email, "wrong")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_me_returns_the_profile(client_for):
    user = UserFactory(phone="+491701234567")
    body = client_for(user).get("/api/v1/auth/me").json()
    assert body == {
        "id": str(user.id),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": "+491701234567",
        "notify_by_email": True,
        "notify_by_sms": False,
        "language": "en",
    }


def test_a_customer_opts_in_to_sms_with_a_valid_number(client_for):
    user = UserFactory()
    client = client_for(user)
    refused = client.patch("/api/v1/auth/me", {"notify_by_sms": True}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "phone_required_for_sms"
    accepted = client.patch(
        "/api/v1/auth/me", {"notify_by_sms": True, "phone": "+491701234567"}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["notify_by_sms"] is True


def test_me_without_a_token_is_a_401(api_client):
    response = api_client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_garbage_token_is_a_401_in_the_error_shape(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api_client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_a_token_carries_its_user_whose_row_is_read_whole(client_for):
    user = UserFactory(first_name="Grace", phone="+14155552671")

    response = client_for(user).get("/api/v1/auth/me")

    assert response.status_code == 200
    assert (response.json()["first_name"], response.json()["phone"]) == ("Grace", "+14155552671")


@pytest.mark.parametrize(
    ("change", "message"),
    [("deactivate", "User is inactive"), ("delete", "User not found")],
)
def test_a_token_of_a_deactivated_or_deleted_user_is_a_401(client_for, change, message):
    user = UserFactory()
    client = client_for(user)
    if change == "deactivate":
        User.objects.filter(pk=user.pk).update(is_active=False)
    else:
        user.delete()

    response = client.get("/api/v1/auth/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.json()["error"]["message"] == message


def test_a_signed_token_whose_user_id_is_no_uuid_is_a_401(api_client):
    token = AccessToken()
    token["user_id"] = "not-a-uuid"
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = api_client.get("/api/v1/auth/me")

    assert response.status_code == 401
    assert response.json()["error"]["message"] == "User not found"


def test_refresh_tokens_rotate_and_a_used_one_is_refused(api_client):
    user = UserFactory()
    refresh = login(api_client, user.email).json()["refresh"]
    rotated = api_client.post("/api/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != refresh
    reused = api_client.post("/api/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert reused.status_code == 401


def test_logout_blacklists_the_refresh_token(api_client, client_for):
    user = UserFactory()
    refresh = login(api_client, user.email).json()["refresh"]
    response = client_for(user).post("/api/v1/auth/logout", {"refresh": refresh}, format="json")
    assert response.status_code == 204
    again = api_client.post("/api/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert again.status_code == 401


def test_logout_refuses_another_users_refresh_token(api_client, client_for):
    owner, intruder = UserFactory(), UserFactory()
    refresh = login(api_client, owner.email).json()["refresh"]
    response = client_for(intruder).post("/api/v1/auth/logout", {"refresh": refresh}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_token"
