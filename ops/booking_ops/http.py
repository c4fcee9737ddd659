"""Readiness through the public URL: /health/ready answers 200 when every dependency does."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Protocol


class Probe(Protocol):
    def ready(self, url: str) -> bool: ...


class HttpProbe:
    def __init__(self, timeout: float = 5.0) -> None:
        self._timeout = timeout

    def ready(self, url: str) -> bool:
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"not an HTTP URL: {url}")
        try:
            # the URL comes from our own stack outputs, scheme checked above
            with urllib.request.urlopen(url, timeout=self._timeout) as response:  # noqa: S310
                return int(response.status) == 200
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return False


def wait_ready(probe: Probe, url: str, *, attempts: int, delay: float) -> bool:
    """True as soon as URL is ready; False after ATTEMPTS tries DELAY seconds apart."""
    for attempt in range(attempts):
        if probe.ready(url):
            return True
        if attempt + 1 < attempts:
            time.sleep(delay)
    return False
