"""The id of the request being served, for logs and for the tasks it enqueues."""

from __future__ import annotations

import contextvars
import re
import uuid

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:=;/+-]{1,200}$")
_AMZN_ROOT = re.compile(r"Root=([A-Za-z0-9-]{1,100})")


def request_id_from_headers(x_request_id: str | None, amzn_trace_id: str | None) -> str:
    """X-Request-ID if it is well formed, else the ALB trace root, else a fresh id."""
    if x_request_id and _SAFE_ID.match(x_request_id):
        return x_request_id
    if amzn_trace_id and (match := _AMZN_ROOT.search(amzn_trace_id)):
        return match.group(1)
    return uuid.uuid4().hex
