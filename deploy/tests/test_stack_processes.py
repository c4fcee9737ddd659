"""Starting and stopping the stack's processes from the process that started them."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from deploy.stack import processes
from deploy.stack.config import Stack


def test_stopping_a_child_of_this_process_does_not_wait_out_the_timeout(tmp_path: Path):
    stack = Stack(dir=tmp_path)
    stack.run.mkdir(parents=True, exist_ok=True)
    stack.logs.mkdir(parents=True, exist_ok=True)
    processes.spawn(
        stack, "sleeper", [sys.executable, "-c", "import time; time.sleep(60)"], {}, tmp_path
    )
    assert processes.alive(stack, "sleeper")

    started = time.monotonic()
    processes.stop(stack, "sleeper", timeout=20)

    assert time.monotonic() - started < 5  # it exits at once; unreaped it would linger 20 s
    assert not processes.alive(stack, "sleeper")
