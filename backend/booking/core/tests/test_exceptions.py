from __future__ import annotations

import pytest
from rest_framework.throttling import ScopedRateThrottle

pytestmark = pytest.mark.django_db


def assert_error_shape(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code


def test_malformed_json_is_a_400_in_the_error_shape(api_client):
    response = api_client.post(
        "/api/v1/auth/register", data="{not json", content_type="application/json"
    )
    assert_error_shape(response, 400, "malformed_json")


def test_an_unknown_api_path_is_a_json_404(api_client):
    assert_error_shape(api_client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_a_non_uuid_id_is_a_json_404(api_client):
    assert_error_shape(api_client.get("/api/v1/salons/not-a-uuid"), 404, "not_found")


def test_a_wrong_method_is_a_405(api_client):
    assert_error_shape(api_client.delete("/api/v1/salons"), 405, "method_not_allowed")


def test_an_unsupported_media_type_is_a_415(api_client):
    response = api_client.post("/api/v1/auth/register", data="a=b", content_type="text/plain")
    assert_error_shape(response, 415, "unsupported_media_type")


def test_auth_endpoints_are_throttled(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min", "booking": "3/min"})
    body = {"email": "nobody@example.com", "password": "x"}
    statuses = [
        api_client.post("/api/v1/auth/token", body, format="json").status_code for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    response = api_client.post("/api/v1/auth/token", body, format="json")
    assert_error_shape(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_an_unhandled_error_is_a_json_500_without_a_trace(client, monkeypatch):
    from booking.salons import apis

    def explode(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(apis, "salon_list", explode)
    client.raise_request_exception = False
    response = client.get("/api/v1/salons")
    assert_error_shape(response, 500, "server_error")
    assert "secret internals" not in response.content.decode()
