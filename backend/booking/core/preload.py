"""What a preloading parent does once the app is loaded, before it forks its workers."""

from __future__ import annotations

import gc


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
