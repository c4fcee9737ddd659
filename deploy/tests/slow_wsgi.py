"""config.wsgi with one slow path, for the shutdown tests: a request still running at SIGTERM."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from config.wsgi import application as django_application


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ["PATH_INFO"] == "/__test/slow":
        time.sleep(float(environ.get("QUERY_STRING") or 2))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"finished"]
    return django_application(environ, start_response)
