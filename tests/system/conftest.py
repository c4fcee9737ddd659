"""System tests: the native production-like stack, driven through nginx over HTTPS.

The session brings up its own stack (own ports and directories, so a developer's `make
stack-up` is left alone), and the last module takes it down and checks nothing is left.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

ROOT = Path(__file__).resolve().parents[2]
STACK_DIR = ROOT / "var" / "stack-test"
STACK_ENV = {
    "STACK_DIR": str(STACK_DIR),
    "STACK_PG_DIR": "/var/tmp/booking-stack-test",
    "STACK_HTTPS_PORT": "9443",
    "STACK_HTTP_PORT": "9080",
    "STACK_WEB1_PORT": "19001",
    "STACK_WEB2_PORT": "19002",
    "STACK_PG_PRIMARY_PORT": "26432",
    "STACK_PG_REPLICA_PORT": "26433",
    "STACK_REDIS_PORT": "27379",
    "STACK_S3_PORT": "26000",
    "STACK_SMTP_PORT": "22025",
    "STACK_SMS_PORT": "22026",
    "STACK_SALONS": "30",  # the browser tests want salons the demo owner does not run
    # Short intervals so outages and recoveries show within a test's patience.
    "STACK_APP_REPLICA_CHECK_SECONDS": "1",
    "STACK_APP_REPLICA_MAX_LAG_SECONDS": "120",
    "STACK_APP_READ_YOUR_WRITES_SECONDS": "60",
    "STACK_APP_NOTIFICATION_SWEEP_SECONDS": "3",
    "STACK_APP_NOTIFICATION_ENQUEUE_GRACE_SECONDS": "2",
    "STACK_APP_THROTTLE_AUTH": "1000/min",
    "STACK_APP_THROTTLE_BOOKING": "1000/min",
    # Every browser test comes from 127.0.0.1, and each page load asks allauth for the session.
    "STACK_APP_THROTTLE_ACCOUNT": "1000/m/ip",
}


def stack_command(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m deploy.stack ARGS` for the test stack (its output kept for the assertion)."""
    return subprocess.run(
        [sys.executable, "-m", "deploy.stack", *args],
        cwd=ROOT,
        env={**os.environ, **STACK_ENV},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ops_command(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`uv run ops ARGS --env local` for the test stack: what an operator runs."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "ops"), *args, "--env", "local"],
        cwd=ROOT,
        env={**os.environ, **STACK_ENV},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Stack:
    base: str
    cert: str
    info: dict[str, Any]
    env: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def session(self, token: str | None = None) -> requests.Session:
        session = requests.Session()
        # As a browser does: a GET whose reused keep-alive connection the server closed before
        # answering (nginx's old workers close idle connections on a reload) is sent once more.
        # A response cut after it began, or any error status, still counts as failed.
        retry = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods={"GET"})
        session.mount("https://", HTTPAdapter(max_retries=retry))
        # Not the environment's CA bundle (REQUESTS_CA_BUNDLE would override `verify`).
        session.trust_env = False
        session.verify = self.cert
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        return session

    def psql(self, port: str, sql: str) -> str:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "booking", "-tAc", sql],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, str(ROOT / "backend" / "manage.py"), *args],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    stack_command("down")
    shutil.rmtree(STACK_DIR, ignore_errors=True)
    shutil.rmtree(STACK_ENV["STACK_PG_DIR"], ignore_errors=True)
    started = time.monotonic()
    result = stack_command("up")
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"\n[stack-up] {time.monotonic() - started:.1f}s")
    info = json.loads(result.stdout[result.stdout.index("{") :])
    env = dict(line.split("=", 1) for line in Path(info["env_file"]).read_text().splitlines())
    yield Stack(info["url"], str(STACK_DIR / "nginx" / "tls.crt"), info, env)
    stack_command("down")


def login(stack: Stack, email: str, password: str = "demo-password-123") -> str:
    response = stack.session().post(
        stack.url("/api/v1/auth/token"), json={"email": email, "password": password}, timeout=10
    )
    response.raise_for_status()
    return str(response.json()["access"])


def register(stack: Stack, name: str, **profile: Any) -> str:
    """A new customer's e-mail address; the password is "a-long-enough-secret"."""
    email = f"{name}-{time.monotonic_ns()}@example.com"
    body = {
        "email": email,
        "password": "a-long-enough-secret",
        "first_name": name,
        "last_name": "Test",
        **profile,
    }
    # 202 for new and known addresses alike: the answer never tells which e-mails exist.
    assert (
        stack.session().post(stack.url("/api/v1/auth/register"), json=body, timeout=10).status_code
        == 202
    )
    return email


def new_customer(stack: Stack, name: str, **profile: Any) -> str:
    return login(stack, register(stack, name, **profile), "a-long-enough-secret")


@dataclass
class LoadResult:
    statuses: Counter[int]
    errors: list[str]

    @property
    def sent(self) -> int:
        return sum(self.statuses.values()) + len(self.errors)

    @property
    def failed(self) -> int:
        return len(self.errors) + sum(n for status, n in self.statuses.items() if status >= 500)


def steady_load(
    stack: Stack,
    path: str,
    *,
    seconds: float,
    clients: int = 4,
    during: Callable[[], None] | None = None,
    method: str = "GET",
    body: Any = None,
) -> LoadResult:
    """`method` `path` (with `body` as its JSON) from `clients` threads for `seconds`, running
    `during` halfway through."""
    deadline = time.monotonic() + seconds

    def halfway() -> None:
        if during is not None:
            time.sleep(seconds / 2)
            during()
        time.sleep(max(0.0, deadline - time.monotonic()))

    return load_while(stack, path, halfway, clients=clients, method=method, body=body)


def load_while(
    stack: Stack,
    path: str,
    action: Callable[[], None],
    *,
    clients: int = 4,
    method: str = "GET",
    body: Any = None,
) -> LoadResult:
    """`method` `path` (with `body` as its JSON) from `clients` threads for as long as `action`
    runs (and a second after)."""
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    done = threading.Event()

    def client() -> None:
        session = stack.session()
        while not done.is_set():
            try:
                status = session.request(method, stack.url(path), json=body, timeout=15).status_code
                with lock:
                    statuses[status] += 1
            except requests.RequestException as exc:
                with lock:
                    errors.append(type(exc).__name__)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    try:
        action()
        time.sleep(1)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    return LoadResult(statuses, errors)


def first_salon_slot(
    stack: Stack, session: requests.Session, days_ahead: int = 3, pick: int = 0
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(salon, service, slot) for a salon the demo owner runs, with a free slot."""
    owner = stack.session(login(stack, "owner@example.com"))
    salon_id = owner.get(stack.url("/api/v1/manage/salons"), timeout=10).json()["results"][0]["id"]
    salon = session.get(stack.url(f"/api/v1/salons/{salon_id}"), timeout=10).json()
    service = salon["services"][0]
    import datetime as dt

    start = dt.date.today() + dt.timedelta(days=days_ahead)
    slots = session.get(
        stack.url(f"/api/v1/salons/{salon_id}/availability"),
        params={
            "service": service["id"],
            "from": start.isoformat(),
            "to": (start + dt.timedelta(days=6)).isoformat(),
        },
        timeout=10,
    ).json()["slots"]
    return salon, service, slots[pick]
