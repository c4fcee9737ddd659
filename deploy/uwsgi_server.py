"""uWSGI for the `web` role (container and native stack alike): `python uwsgi_server.py`.

Run from the backend directory (the image's /app/backend, a stack release's copy). Settings come
from the environment through the project's one reader, config/env.py, under the server-neutral
names the other servers read too (WEB_CONCURRENCY, WEB_THREADS, WEB_GRACEFUL_TIMEOUT ...).

uWSGI's HTTP parser and request loop are C: a request costs its web worker less CPU than under
gunicorn, whose parser and loop are Python (bench/README.md, "uWSGI"). What it must be told:
- Preload: the master imports the app and forks the workers from it (gunicorn's preload_app).
- Reload: HUP stops the workers once their requests are answered, keeps the listening socket
  (new connections wait in its backlog, none is refused) and re-executes this script. uWSGI
  re-executes its own binary, which for the PyPI build (pyuwsgi) is the interpreter: it must be
  the virtualenv's, not the one its symlink resolves to.
- TERM stops gracefully (uWSGI's default for TERM is a brutal reload).
- One response per connection: uWSGI's keep-alive mode (http11-socket) leaves a response
  without a length open, so the proxy in front opens a connection per request.
"""

from __future__ import annotations

import signal

# A reload re-executes this script: a HUP arriving before uWSGI's handler is in place would end
# the process (the default action) instead of asking for one reload too many. First thing.
signal.signal(signal.SIGHUP, signal.SIG_IGN)

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

# uWSGI's own lines as JSON objects like Django's (the container runs in UTC).
LOG_LINE = (
    'json {"timestamp":"${strftime:%Y-%m-%dT%H:%M:%SZ}","level":"info","logger":"uwsgi",'
    '"event":"${msg}"}\n'
)


def uwsgi_options(env: Any, bind: str, module: str, python: str) -> list[str]:
    """uWSGI's command line from the environment (`env` is config.env, passed in for tests)."""
    threads = env.integer("WEB_THREADS", env.integer("GUNICORN_THREADS", 4))
    graceful = env.integer("WEB_GRACEFUL_TIMEOUT", env.integer("GUNICORN_GRACEFUL_TIMEOUT", 30))
    max_requests = env.integer("WEB_MAX_REQUESTS", env.integer("GUNICORN_MAX_REQUESTS", 50000))
    jitter = env.integer(
        "WEB_MAX_REQUESTS_JITTER", env.integer("GUNICORN_MAX_REQUESTS_JITTER", 5000)
    )
    if jitter < 0:
        raise ValueError(f"WEB_MAX_REQUESTS_JITTER={jitter}: use 0 or more")
    options = {
        "strict": True,  # an unknown option is an error, not a warning
        "master": True,
        "need-app": True,  # a broken import exits instead of serving 500s
        "module": f"{module}:application",
        "http-socket": bind,
        # One response per connection, and said so: uWSGI's HTTP/1.1 answers otherwise leave
        # a proxy believing it may reuse a connection that uWSGI closes (a reset, then a 502).
        "add-header": "Connection: close",
        "listen": env.integer("WEB_LISTEN_BACKLOG", 1024),
        "workers": env.integer("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1),
        # Threads overlap the time a request waits on PostgreSQL and Redis.
        "threads": threads,
        "thunder-lock": True,  # one worker wakes per connection, not all of them
        "buffer-size": 32768,  # request headers (cookies, JWTs); uWSGI's 4 KiB is too small
        # Recycling: a worker is replaced after this many requests or above this RSS (MiB),
        # once it has answered what it holds. Worker n at max + n × delta, so one server's
        # workers never recycle together; the random part (gunicorn's jitter) keeps servers
        # apart, which an even load would recycle in step (bench/README.md (16)).
        "max-requests": max_requests + random.randint(0, jitter),  # noqa: S311 (not a secret)
        "max-requests-delta": jitter,
        "reload-on-rss": env.integer("WEB_WORKER_MAX_RSS", 400),
        "worker-reload-mercy": graceful,
        "reload-mercy": graceful,
        "binary-path": python,
        # TERM stops, gracefully (uWSGI ignores it while it loads the app and makes it a brutal
        # reload after): while the app loads it ends the process; then the master (from tini)
        # and each worker (when TERM reaches the whole group: the stack's stop) finish the
        # requests they hold.
        "hook-pre-app": "unix_signal:15 end_me",
        "hook-master-start": "unix_signal:15 gracefully_kill_them_all",
        "hook-accepting": "unix_signal:15 gracefully_kill",
        "disable-logging": True,  # Django writes one JSON line per request
        "log-encoder": LOG_LINE,
        "ignore-sigpipe": True,  # a client gone before its answer is not an error
        "ignore-write-errors": True,
        "disable-write-exception": True,
        "single-interpreter": True,
        "enable-threads": True,
        "auto-procname": True,
        "procname-prefix-spaced": "booking-web",
    }
    return [flag for key, value in options.items() for flag in _flag(key, value)]


def _flag(key: str, value: object) -> list[str]:
    if value is True:
        return [f"--{key}"]
    return [f"--{key}", str(value)]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="uwsgi_server", description=__doc__)
    parser.add_argument("module", nargs="?", default="config.wsgi", help="WSGI module")
    parser.add_argument("--bind", help="host:port (default 0.0.0.0:$PORT)")
    return parser.parse_args(argv)


def env_reader() -> ModuleType:
    """config/env.py loaded by path: importing the `config` package would load the app (Celery,
    the metrics' files) before uWSGI starts, and a reloading uWSGI closes every descriptor it
    did not open itself, the metrics' files among them (a 500 in each new worker)."""
    path = Path.cwd() / "config" / "env.py"
    spec = importlib.util.spec_from_file_location("_booking_env", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    # The backend directory instead of this script's: deploy/ holds directories named like
    # packages (docker, stack, tests) that must not shadow anything the app imports.
    sys.path[0] = os.getcwd()
    import pyuwsgi

    env = env_reader()
    bind = args.bind or f"0.0.0.0:{env.integer('PORT', 8000)}"
    # The virtualenv's interpreter, not the one its symlink resolves to, which uWSGI would find.
    python = os.path.join(sys.prefix, "bin", "python")
    pyuwsgi.run(*uwsgi_options(env, bind, args.module, python))


if __name__ == "__main__":
    main()
