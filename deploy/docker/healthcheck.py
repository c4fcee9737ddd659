#!/usr/bin/env python3
"""The image's HEALTHCHECK: standard library only (slim images have no curl).

The role is the first argument, or else read from PID 1's command line (tini -- entrypoint.sh
ROLE), so one HEALTHCHECK instruction serves every role of the image:

- web:       GET http://127.0.0.1:$PORT/health/live answers 200 (process only, no dependencies,
             so a database outage never restarts every web container at once).
- worker:    `celery inspect ping` to this worker's own node through the broker.
- beat:      its schedule file exists (beat writes it at start); the process itself is PID 1's
             only child, so if beat dies the container exits. With BEAT_SCHEDULE_MAX_AGE_SECONDS
             set (Kubernetes sets 600) the file must also have been written that recently:
             beat rewrites it every 3 minutes while it ticks, so an older one means it is stuck.
- devserver: as web. migrate and manage are one-shots: always healthy.
"""

from __future__ import annotations

import os
import socket
import sys
import time
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
        return 1
    max_age = os.environ.get("BEAT_SCHEDULE_MAX_AGE_SECONDS")
    if not max_age:
        return 0
    age = time.time() - max(path.stat().st_mtime for path in found)
    if age > float(max_age):
        print(f"unhealthy: beat last wrote its schedule {age:.0f} s ago", file=sys.stderr)
        return 1
    return 0


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
