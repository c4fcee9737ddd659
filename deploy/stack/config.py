"""Where the stack lives and which ports it takes: read from the environment in one place."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "backend"
VENV_BIN = Path(sys.executable).parent


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def number(name: str, default: int) -> int:
    value = setting(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"stack: {name} must be a whole number, not {value!r}") from None


# Every default lies below Linux's ephemeral range (32768-60999): a port there can be taken at
# any moment by some process's outgoing connection, and the stack would fail to bind it.
@dataclass(frozen=True)
class Ports:
    https: int = field(default_factory=lambda: number("STACK_HTTPS_PORT", 8443))
    http: int = field(default_factory=lambda: number("STACK_HTTP_PORT", 8080))
    web: tuple[int, int] = field(
        default_factory=lambda: (number("STACK_WEB1_PORT", 18001), number("STACK_WEB2_PORT", 18002))
    )
    primary: int = field(default_factory=lambda: number("STACK_PG_PRIMARY_PORT", 25432))
    replica: int = field(default_factory=lambda: number("STACK_PG_REPLICA_PORT", 25433))
    redis: int = field(default_factory=lambda: number("STACK_REDIS_PORT", 26379))
    s3: int = field(default_factory=lambda: number("STACK_S3_PORT", 25000))
    bare: int = field(default_factory=lambda: number("STACK_BARE_PORT", 18003))
    smtp: int = field(default_factory=lambda: number("STACK_SMTP_PORT", 21025))
    sms: int = field(default_factory=lambda: number("STACK_SMS_PORT", 21026))


@dataclass(frozen=True)
class Stack:
    ports: Ports = field(default_factory=Ports)
    dir: Path = field(
        default_factory=lambda: Path(setting("STACK_DIR", str(ROOT / "var" / "stack"))).resolve()
    )
    # The database clusters and their sockets: a directory the postgres user can own and reach
    # (a clone under /root or a mktemp directory is closed to it, and a socket path must stay
    # under 108 bytes), created and handed to postgres by postgres.py; `make stack-reset` and
    # .ci/run remove it.
    pg_dir: Path = field(
        default_factory=lambda: Path(setting("STACK_PG_DIR", "/var/tmp/booking-stack"))
    )
    salons: int = field(default_factory=lambda: number("STACK_SALONS", 30))
    web_workers: int = field(default_factory=lambda: number("STACK_WEB_WORKERS", 2))
    # STACK_BENCH=1 adds the benchmark's baseline: a bare Django view behind the same nginx.
    bench: bool = field(default_factory=lambda: setting("STACK_BENCH", "0") == "1")
    # The web tier's server: uwsgi (deploy/uwsgi_server.py, as in the image), gunicorn (gthread,
    # deploy/gunicorn.conf.py) or granian (deploy/granian_server.py, which loses requests when it
    # replaces a worker); the benchmark's baseline is gunicorn gthread whatever this says
    # (docs/operations.md, "The web server").
    web_server: str = field(default_factory=lambda: setting("STACK_WEB_SERVER", "uwsgi"))

    @property
    def logs(self) -> Path:
        return self.dir / "logs"

    @property
    def run(self) -> Path:
        return self.dir / "run"

    def pidfile(self, name: str) -> Path:
        return self.run / f"{name}.pid"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def url(self, path: str = "") -> str:
        return f"https://127.0.0.1:{self.ports.https}{path}"
