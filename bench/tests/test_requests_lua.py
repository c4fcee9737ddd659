"""bench/lua/requests.lua under a real wrk, against a small local HTTP server.

Each wrk thread must walk only its own part of the request file, so a line (a slot, an unasked
availability question) reaches the server twice only when the run reports a wrap.
"""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.config import BenchConfig
from bench.load import wrk
from bench.workload import line


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: Counter[str]
    keys: dict[str, str | None]
    lock = threading.Lock()

    def do_GET(self) -> None:
        with self.lock:
            self.seen[self.path] += 1
            self.keys[self.path] = self.headers.get("Idempotency-Key")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, Counter[str], dict[str, str | None]]]:
    if shutil.which("wrk") is None:
        pytest.fail("wrk is missing: `make bench-test` installs it (apt-get install wrk)")
    seen: Counter[str] = Counter()
    keys: dict[str, str | None] = {}
    handler = type("Recorder", (_Recorder,), {"seen": seen, "keys": keys})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen, keys
    httpd.shutdown()
    httpd.server_close()


def run(base: str, paths: int, rate: float, keyed: bool = False) -> dict[str, object]:
    config = BenchConfig(connections=2, threads=2, timeout="2s")
    lines = [
        line(f"/keyed/{i}", key=f"key-{i}") if keyed else line(f"/line/{i}") for i in range(paths)
    ]
    return wrk(config, base, lines, duration=1, rate=rate).raw


def test_a_line_with_an_idempotency_key_sends_it_as_the_header(server):
    base, _, keys = server

    run(base, paths=20, rate=100, keyed=True)
    run(base, paths=20, rate=100)

    keyed = {path: key for path, key in keys.items() if path.startswith("/keyed/")}
    assert keyed and all(key == f"key-{path.rsplit('/', 1)[1]}" for path, key in keyed.items())
    plain = [key for path, key in keys.items() if path.startswith("/line/")]
    assert plain and set(plain) == {None}


def test_a_run_shorter_than_the_file_sends_each_line_at_most_once(server):
    base, seen, _ = server

    result = run(base, paths=400, rate=150)

    assert 50 < result["requests"] < 400
    assert result["wrapped"] == 0
    assert max(seen.values()) == 1


def test_a_thread_past_the_end_of_its_part_reports_a_wrap(server):
    # 100 lines, about 75 requests a thread: each thread's own part holds 50, so some lines go
    # twice before the whole file has been sent once; the run must say so.
    base, seen, _ = server

    result = run(base, paths=100, rate=150)

    assert max(seen.values()) == 2
    assert result["wrapped"] > 0
