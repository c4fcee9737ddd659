"""A tiny HTTPS JSON client for setting up data and checking readiness (never for measuring)."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from typing import Any


class Api:
    def __init__(self, base: str) -> None:
        self.base = base
        self.context = ssl.create_default_context()
        self.context.check_hostname = False  # the stack's self-signed certificate
        self.context.verify_mode = ssl.CERT_NONE

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 - https only
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, json.loads(payload or b"null")
            except ValueError:
                return error.code, payload.decode(errors="replace")

    def get(self, path: str) -> Any:
        status, payload = self.call("GET", path)
        if status != 200:
            raise SystemExit(f"bench: GET {path} -> {status}: {str(payload)[:300]}")
        return payload
