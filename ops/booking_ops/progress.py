"""Progress output for long steps: one line when a step starts, one when it ends."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, TextIO


class Reporter(Protocol):
    def step(self, title: str) -> AbstractContextManager[None]: ...

    def info(self, message: str) -> None: ...


class StreamReporter:
    """Writes to stderr so that stdout keeps only what a script may parse (URLs, ids)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        started = time.monotonic()
        self._write(f"==> {title} ...")
        try:
            yield
        except BaseException:
            self._write(f"<== {title}: failed after {time.monotonic() - started:.0f}s")
            raise
        self._write(f"<== {title}: done in {time.monotonic() - started:.0f}s")

    def info(self, message: str) -> None:
        self._write(f"    {message}")

    def _write(self, line: str) -> None:
        print(line, file=self._stream, flush=True)
