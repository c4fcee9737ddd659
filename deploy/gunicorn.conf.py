"""gunicorn settings for the `web` role (container and native stack alike).

Read from the environment because gunicorn loads this before Django exists.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"
# Threads overlap the time a request waits on PostgreSQL and Redis; processes use the cores.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than the load balancer's idle timeout (ALB: 60 s), so the proxy closes first and never
# sends a request on a connection we are closing.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Recycle workers now and then (leaks in dependencies), staggered so they never all restart.
# Load Django once in the master and fork workers from it: a worker recycled by max_requests
# then starts in milliseconds instead of importing the project again (about 1.5 s of CPU, which
# at a few hundred requests a second per worker cost more than serving them). A HUP re-forks
# workers from the loaded code: deploy new code by replacing the process (a new container, or
# the native stack's rolling restart), not by HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Not too often either: a new worker starts with cold per-process caches (cached answers, the
# version mirror's connection), and at 5000 a busy worker was replaced every few seconds:
# cached-availability throughput rose 19% at 50000 (bench/README.md). Peak memory stayed flat.
max_requests = _int("GUNICORN_MAX_REQUESTS", 50000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5000)
# X-Forwarded-* are trusted only from the proxy in front of us.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
# Heartbeat files in memory: the root filesystem is read-only in containers.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or "/dev/shm"
accesslog = None  # Django writes one JSON line per request
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
proc_name = "booking-web"


def child_exit(server: Any, worker: Any) -> None:
    """Drop a dead worker's metric files so /metrics sums only living processes' gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def pre_fork(server: Any, worker: Any) -> None:
    """Keep what the master loaded out of the workers' garbage collections.

    A full collection walked the ~124k objects of the preloaded app every time: 63 ms during
    which no thread of the worker serves. Frozen in the master, they are skipped by every
    child's collections, and the children's pages holding them are no longer written to (the
    copy-on-write sharing the preload is for).
    """
    gc.freeze()
