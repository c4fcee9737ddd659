"""Sentry: reports unhandled errors when SENTRY_DSN is set, and is not there at all otherwise."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from booking.core.tests.processes import BACKEND


class BoomError(Exception):
    pass


def boom(request: HttpRequest) -> HttpResponse:
    raise BoomError("an unhandled error")


urlpatterns = [path("boom", boom)]

# A fresh process: settings decide whether Sentry starts, so they must be loaded with the env.
SCRIPT = """
import django, sentry_sdk
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="booking.core.tests.test_sentry"):
    status = Client(raise_request_exception=False).get("/boom").status_code
sentry_sdk.flush(timeout=10)
print(sentry_sdk.is_initialized(), status)
"""


class _Envelopes(BaseHTTPRequestHandler):
    received: list[list[dict[str, Any]]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append([json.loads(line) for line in body.splitlines() if line.strip()])
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def fake_sentry() -> Iterator[tuple[str, list[list[dict[str, Any]]]]]:
    """A local stand-in for Sentry's ingest: the DSN to use and the envelopes it received."""
    received: list[list[dict[str, Any]]] = []
    handler = type("Handler", (_Envelopes,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://public-key@127.0.0.1:{server.server_address[1]}/1", received
    server.shutdown()


def run_app(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=BACKEND,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def events(envelopes: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The event payloads: in an envelope an item header is followed by its payload."""
    return [
        lines[i + 1]
        for lines in envelopes
        for i, line in enumerate(lines[:-1])
        if line.get("type") == "event"
    ]


def test_an_unhandled_error_in_a_view_is_reported_once(fake_sentry):
    dsn, envelopes = fake_sentry
    assert run_app(SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="staging", SENTRY_RELEASE="1.2.3") == (
        "True 500"
    )
    [event] = events(envelopes)
    assert event["exception"]["values"][-1]["type"] == "BoomError"
    assert event["environment"] == "staging"
    assert event["release"] == "1.2.3"
    assert event["tags"]["request_id"]
    assert "user" not in event or "ip_address" not in event["user"]  # no personal data


def test_without_a_dsn_sentry_is_not_initialised(fake_sentry):
    _, envelopes = fake_sentry
    assert run_app() == "False 500"
    assert envelopes == []
