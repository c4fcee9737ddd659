"""Answers allauth's views give outside their flows arrive as JSON in allauth's error shape."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

APP = "/api/_allauth/app/v1"
BROWSER = "/api/_allauth/browser/v1"


def error_of(response) -> tuple[int, str]:
    body = response.json()
    assert body["status"] == response.status_code
    return response.status_code, body["errors"][0]["code"]


def test_a_method_the_view_does_not_have_is_405_before_its_body_is_read(client):
    response = client.delete(APP + "/auth/login", {"email": 1}, content_type="application/json")
    assert error_of(response) == (405, "method_not_allowed")
    assert response["Allow"] == "OPTIONS, POST"


def test_the_methods_a_view_has_still_reach_it(client):
    assert client.get(APP + "/config").status_code == 200
    response = client.post(APP + "/auth/login", {}, content_type="application/json")
    assert error_of(response) == (400, "required")  # allauth's own answer


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json", "null"])
def test_a_body_that_is_not_a_json_object_is_a_400_in_allauths_shape(client, body):
    response = client.post(APP + "/auth/login", body, content_type="application/json")
    assert response["Content-Type"] == "application/json"
    assert error_of(response) == (400, "invalid")


def test_a_browser_write_without_the_csrf_token_is_a_403_in_allauths_shape():
    response = Client(enforce_csrf_checks=True).post(
        BROWSER + "/auth/login", {"email": "a@example.com"}, content_type="application/json"
    )
    assert error_of(response) == (403, "csrf_failed")


def test_an_unknown_client_is_a_404_in_allauths_shape(client):
    assert error_of(client.get("/api/_allauth/desktop/v1/config")) == (404, "not_found")


def test_our_own_api_keeps_its_error_shape(client):
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
