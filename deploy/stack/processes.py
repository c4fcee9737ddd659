"""Starting, watching and stopping the stack's processes; progress lines on stdout."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from deploy.stack.config import Stack


def say(message: str) -> None:
    print(f"stack: {message}", flush=True)


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.3)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"stack: {what} did not open port {port} within {timeout:.0f}s")
        time.sleep(0.2)


def run(*args: str | Path, env: dict[str, str] | None = None, user: str | None = None) -> str:
    """Run a command to its end (as `user` when we are root); its stdout, or exit naming it."""
    command = [str(arg) for arg in args]
    if user and os.geteuid() == 0:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, cwd="/" if user else None
    )
    if result.returncode != 0:
        raise SystemExit(f"stack: {' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def spawn(stack: Stack, name: str, args: list[str], env: dict[str, str], cwd: Path) -> None:
    """Start a long-running process in its own session, remember its pid, log to a file."""
    if alive(stack, name):
        say(f"{name} already running")
        return
    with stack.log(name).open("a") as log:
        process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    stack.pidfile(name).write_text(str(process.pid))


def pid_of(stack: Stack, name: str) -> int | None:
    try:
        return int(stack.pidfile(name).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _reap(pid: int) -> None:
    """Collect `pid` if it is a child of this process that has exited. The bench restarts the
    tier in-process, so its replicas are its children: unreaped they stay zombies, which still
    answer signal 0, and every stop waited out its whole timeout (35 s a replica)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def alive(stack: Stack, name: str) -> bool:
    pid = pid_of(stack, name)
    if pid is None:
        return False
    _reap(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(stack: Stack, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Signal the process group; SIGKILL it if it is still there after `timeout` seconds."""
    pid = pid_of(stack, name)
    if pid is None:
        return
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        stack.pidfile(name).unlink(missing_ok=True)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.killpg(pid, signal.SIGKILL)
    stack.pidfile(name).unlink(missing_ok=True)


def wait_gone(stack: Stack, name: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while alive(stack, name) and time.monotonic() < deadline:
        time.sleep(0.1)
    stack.pidfile(name).unlink(missing_ok=True)


# Restart a process that dies on its own, as ECS or a compose restart policy would (the Celery
# worker can exit on a broker connection lost at the wrong moment); a stop signal ends it.
SUPERVISE = [
    "sh", "-c",
    'while :; do "$@"; code=$?; [ $code -eq 0 ] || [ $code -ge 128 ] && exit $code; sleep 1; done',
    "supervise",
]  # fmt: skip
