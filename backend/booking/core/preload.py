"""What a preloading parent does once the app is loaded, before it forks its workers."""

from __future__ import annotations

import gc
from importlib import import_module

from django.apps import apps
from django.conf import settings


def freeze_loaded_app() -> None:
    """Keep what is loaded out of every later garbage collection.

    A full collection walked the ~124k objects of the app each time (63 ms in a web worker,
    during which none of its threads serves); frozen, they are never walked again. In a parent
    that forks (the web server's master, Celery's prefork pool) this also keeps the
    children from writing to the pages holding those objects: the copy-on-write sharing the
    preload is for. Collect first, so what is frozen is what the app keeps.
    """
    gc.collect()
    gc.freeze()


def import_on_first_use_modules() -> None:
    """Import what the URLconf does not and the first API request would: simplejwt's token
    backend with PyJWT and its cryptography under it, imported when the first token is
    verified, and psycopg's pool, imported when the first connection is taken.

    Otherwise every new worker, and every worker recycled after its `max-requests`, imported
    them during its first request: 110 ms of CPU for a booking (bench/README.md (16)).
    """
    if apps.is_installed("rest_framework"):  # not the bench's bare baseline (settings.bare)
        import_module("rest_framework_simplejwt.state")
    if any("pool" in db.get("OPTIONS", {}) for db in settings.DATABASES.values()):
        import_module("psycopg_pool")
