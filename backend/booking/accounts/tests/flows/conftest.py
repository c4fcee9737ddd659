"""Helpers for allauth's headless "app" client: JSON in, session token and simplejwt out."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from booking.notifications.models import Kind, Notification

APP = "/api/_allauth/app/v1"
PASSWORD = "violet-harbour-lantern-42"


class AppClient:
    def __init__(self) -> None:
        self.client = Client()
        self.session_token: str | None = None
        self.access_token: str | None = None

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {}
        if self.session_token:
            headers["X-Session-Token"] = self.session_token
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        if body is None:
            response = getattr(self.client, method)(APP + path, headers=headers)
        else:
            response = getattr(self.client, method)(
                APP + path, body, content_type="application/json", headers=headers
            )
        meta = response.json().get("meta", {}) if response.content else {}
        self.session_token = meta.get("session_token", self.session_token)
        self.access_token = meta.get("access_token", self.access_token)
        return response


@pytest.fixture
def app() -> AppClient:
    return AppClient()


def last_mail(recipient: str) -> Notification:
    return Notification.objects.filter(recipient=recipient, kind=Kind.ACCOUNT_EMAIL).latest(
        "created_at"
    )


def link_key(recipient: str, page: str) -> str:
    """The key in the link of the last account e-mail to `recipient` (e.g. page="verify-email")."""
    match = re.search(rf"/account/{page}/(\S+)", last_mail(recipient).body)
    assert match, last_mail(recipient).body
    return unquote(match.group(1))  # the web app reads it from its URL, decoded
