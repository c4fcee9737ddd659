#!/usr/bin/env python3
"""The image's HEALTHCHECK: standard library only (slim images have no curl).

The role is the first argument, or else read from PID 1's command line (tini -- entrypoint.sh
ROLE), so one HEALTHCHECK instruction serves every role of the image:

- web:       GET http://127.0.0.1:$PORT/health/live answers 200 (process only, no dependencies,
             so a database outage never restarts every web container at once).
- worker:    `celery inspect ping` to this worker's own node through the broker.
- beat:      its schedule file exists (beat writes it at start); the process itself is PID 1's
             only child, so if beat dies the container exits.
- devserver: as web. migrate and manage are one-shots: always healthy.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROLES = ("web", "devserver", "worker", "beat", "migrate", "manage")


def role_of_pid1() -> str:
    try:
        args = Path("/proc/1/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "web"
    for arg in args:
        name = arg.decode(errors="replace")
        if name in ROLES:
            return name
    return "web"


def http_live() -> int:
    port = os.environ.get("PORT") or "8000"
    url = f"http://127.0.0.1:{port}/health/live"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
        return 1


def worker_ping() -> int:
    node = f"celery@{socket.gethostname()}"
    os.chdir("/app/backend")
    os.execvp(  # noqa: S606 (fixed command, no shell)
        "celery", ["celery", "-A", "config", "inspect", "ping", "-d", node, "--timeout", "10"]
    )
    return 1  # not reached


def beat_schedule() -> int:
    found = list(Path("/tmp").glob("celerybeat-schedule*"))
    if not found:
        print("unhealthy: beat has not written /tmp/celerybeat-schedule", file=sys.stderr)
    return 0 if found else 1


def main() -> int:
    role = sys.argv[1] if len(sys.argv) > 1 else role_of_pid1()
    if role in ("web", "devserver"):
        return http_live()
    if role == "worker":
        return worker_ping()
    if role == "beat":
        return beat_schedule()
    return 0


if __name__ == "__main__":
    sys.exit(main())
