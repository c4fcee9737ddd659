from __future__ import annotations

import pytest

from booking.core import health

pytestmark = pytest.mark.django_db


def test_live_answers_whatever_the_host_header(client):
    response = client.get("/health/live", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_database_and_cache(client):
    response = client.get("/health/ready", HTTP_HOST="unknown.internal")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_ready_is_a_503_naming_the_failing_dependency(client, monkeypatch):
    def broken() -> None:
        raise ConnectionError("cache down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_ready"
    assert response.json()["error"]["details"] == {"cache": "ConnectionError"}


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/health/live")["X-Request-ID"]) >= 16


def test_a_well_formed_incoming_request_id_is_kept(client):
    response = client.get("/api/v1/salons", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"


def test_the_alb_trace_root_is_used_when_no_request_id_is_given(client):
    response = client.get(
        "/health/live", HTTP_X_AMZN_TRACE_ID="Root=1-67891233-abcdef012345678912345678;Sampled=1"
    )
    assert response["X-Request-ID"] == "1-67891233-abcdef012345678912345678"


def test_health_checks_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/ready").status_code == 200
    assert client.get("/health/live").status_code == 200
    assert client.get("/api/v1/salons").status_code == 301
