"""gunicorn settings for the `web` role: the default server in the image, compose, Kubernetes,
ECS and the native stack (WEB_SERVER=granian, STACK_WEB_SERVER=granian: deploy/granian_server.py).
A reload under load fails none of gunicorn's requests, while Granian 2.8.7 closes the
connections a replaced worker had accepted (docs/operations.md, "The web server"). The
benchmark's baseline is gunicorn gthread whichever server the web tier runs.

Read from the environment through the project's one reader, backend/config/env.py, loaded by
path: gunicorn reads this file before Django exists, and importing the `config` package would
start the Celery app. The image keeps the same layout (/app/deploy beside /app/backend).
Where the two servers share a meaning they read the same names first (WEB_THREADS,
WEB_GRACEFUL_TIMEOUT), then gunicorn's own (GUNICORN_THREADS, GUNICORN_GRACEFUL_TIMEOUT), so
the deployments' settings reach whichever server runs.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
from pathlib import Path
from types import ModuleType


def _env_reader() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "backend" / "config" / "env.py"
    spec = importlib.util.spec_from_file_location("_booking_env", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


env = _env_reader()

bind = env.string("GUNICORN_BIND") or f"0.0.0.0:{env.integer('PORT', 8000)}"
# Threads overlap the time a request waits on PostgreSQL and Redis; processes use the cores.
worker_class = env.string("GUNICORN_WORKER_CLASS", "gthread")
workers = env.integer("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = env.integer("WEB_THREADS", env.integer("GUNICORN_THREADS", 4))
timeout = env.integer("GUNICORN_TIMEOUT", 30)
graceful_timeout = env.integer("WEB_GRACEFUL_TIMEOUT", env.integer("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Longer than the idle timeouts of the proxies in front (the ALB's and nginx's upstream
# keepalive_timeout: 50 s; ingress-nginx's default: 60 s), so the proxy closes an idle
# connection first and never sends a request on one we are closing (a 502).
keepalive = env.integer("GUNICORN_KEEPALIVE", 75)
# Recycle workers now and then (leaks in dependencies), staggered so they never all restart.
# Load Django once in the master and fork workers from it: a worker recycled by max_requests
# then starts in milliseconds instead of importing the project again (about 1.5 s of CPU, which
# at a few hundred requests a second per worker cost more than serving them). A HUP re-forks
# workers from the loaded code: deploy new code by replacing the process (a new container, or
# the native stack's rolling restart), not by HUP. What both servers need is done outside this
# file, once: config/wsgi.py freezes the loaded app for the garbage collector, and a scrape
# drops dead processes' live gauges (booking/core/metrics.py).
preload_app = env.boolean("GUNICORN_PRELOAD", True)
# Not too often either: a new worker starts with cold per-process caches (cached answers, the
# version mirror's connection), and at 5000 a busy worker was replaced every few seconds:
# cached-availability throughput rose 19% at 50000 (bench/README.md). Peak memory stayed flat.
max_requests = env.integer("GUNICORN_MAX_REQUESTS", 50000)
max_requests_jitter = env.integer("GUNICORN_MAX_REQUESTS_JITTER", 5000)
# X-Forwarded-* are trusted only from the proxy in front of us.
forwarded_allow_ips = env.string("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory: the root filesystem is read-only in containers.
worker_tmp_dir = env.string("GUNICORN_WORKER_TMP_DIR", "/dev/shm")
accesslog = None  # Django writes one JSON line per request
errorlog = "-"
loglevel = env.string("GUNICORN_LOG_LEVEL", "info")
proc_name = "booking-web"
