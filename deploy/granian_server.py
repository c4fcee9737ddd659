"""Granian for the `web` role (container and native stack alike): `python granian_server.py`.

Run from the backend directory (the image's /app/backend, a stack release's copy). Settings come
from the environment through the project's one reader, config/env.py; the names are the
server-neutral ones, with gunicorn's older names still read where the two servers share a
meaning (WEB_THREADS or GUNICORN_THREADS, WEB_GRACEFUL_TIMEOUT or GUNICORN_GRACEFUL_TIMEOUT).

What gunicorn.conf.py got from gunicorn, this process does itself before Granian starts:
- Preload: it imports the WSGI module (Django, the URLconf) before binding the port, and the
  workers fork from it. The port then opens only when serving is a fork away, a recycled worker
  starts in milliseconds, and a SIGTERM can no longer land in a worker that is still importing
  Django (where Granian 2.8.7's inherited handler swallowed it: the stop hung).
- Recycling: instead of max_requests, a worker lifetime and a memory ceiling; the new worker
  is started before the old one is stopped, so capacity never dips.
- Logs: Granian's own lines go through Django's LOGGING (one JSON object per line).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from importlib import import_module
from typing import Any


def _load_app(module: str) -> None:
    """Django and the app in this (master) process; config.wsgi also freezes it for the GC."""
    # The backend directory instead of this script's: deploy/ holds directories named like
    # packages (docker, stack, tests) that must not shadow anything the app imports.
    sys.path[0] = os.getcwd()
    import_module(module)


def granian_options(env: Any) -> dict[str, Any]:
    """Server settings from the environment (`env` is config.env, passed in for the tests)."""
    threads = env.integer("WEB_THREADS", env.integer("GUNICORN_THREADS", 4))
    graceful = env.integer("WEB_GRACEFUL_TIMEOUT", env.integer("GUNICORN_GRACEFUL_TIMEOUT", 30))
    lifetime = env.integer("WEB_WORKER_LIFETIME", 3600)  # seconds, Granian's minimum is 60
    max_rss = env.integer("WEB_WORKER_MAX_RSS", 400)  # MiB; a worker serves at ~120 (bench)
    return {
        "workers": env.integer("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1),
        # Threads overlap the time a request waits on PostgreSQL and Redis.
        "blocking_threads": threads,
        "log_access": False,  # Django writes one JSON line per request
        "respawn_failed_workers": True,  # as gunicorn's master replaces a dead worker
        # Between starting a new worker and stopping the one it replaces (HUP, lifetime, RSS).
        # Forked from the loaded app, the new one serves within milliseconds.
        "respawn_interval": 1.0,
        "workers_lifetime": lifetime or None,
        "workers_max_rss": max_rss or None,
        "rss_samples": 2,  # over the ceiling at two samples in a row, not one burst
        # A worker that does not finish its requests in this time is killed (gunicorn's
        # graceful_timeout); without it, Granian waits for it forever.
        "workers_kill_timeout": graceful,
        # Longest wait for a request's headers, keep-alive idle included (Granian's maximum):
        # above the idle timeout of the proxies in front (ALB and nginx: 50 s), so they close
        # an idle connection first.
        "http1_header_read_timeout": env.integer("WEB_HEADER_READ_TIMEOUT_MS", 60_000),
    }


def log_config(logging: dict[str, Any]) -> dict[str, Any]:
    """Django's LOGGING, with Granian's own loggers sent to its JSON handler."""
    loggers = {
        **logging.get("loggers", {}),
        "_granian": {"handlers": [], "propagate": True},
        "granian.access": {"handlers": [], "propagate": True},
    }
    return {**logging, "loggers": loggers, "disable_existing_loggers": False}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="granian_server", description=__doc__)
    parser.add_argument("module", nargs="?", default="config.wsgi", help="WSGI module")
    parser.add_argument("--bind", help="host:port (default 0.0.0.0:$PORT)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    _load_app(args.module)
    from django.conf import settings
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    from config import env

    bind = args.bind or f"0.0.0.0:{env.integer('PORT', 8000)}"
    host, _, port = bind.rpartition(":")
    options = granian_options(env)
    header_timeout = options.pop("http1_header_read_timeout")
    server = Server(
        f"{args.module}:application",
        address=host,
        port=int(port),
        interface=Interfaces.WSGI,
        log_dictconfig=log_config(settings.LOGGING),
        http1_settings=HTTP1Settings(header_read_timeout=header_timeout),
        **options,
    )
    server.serve()


if __name__ == "__main__":
    main()
