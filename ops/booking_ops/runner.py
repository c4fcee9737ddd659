"""Shell-outs (cdk, docker, kubectl) behind one small interface so tests can record them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from booking_ops.errors import OpsError


class Runner(Protocol):
    def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        hint: str = "",
        cwd: str | None = None,
    ) -> None:
        """Run ARGV to completion (in CWD); raise OpsError naming the command if it fails."""
        ...

    def which(self, program: str) -> bool: ...


class SubprocessRunner:
    """Runs programs from PATH with the caller's environment plus ENV; output goes through."""

    def __init__(self, base_env: Mapping[str, str]) -> None:
        self._base_env = dict(base_env)

    def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        hint: str = "",
        cwd: str | None = None,
    ) -> None:
        merged = {**self._base_env, **(env or {})}
        # argv is built by ops from fixed programs and resolved names, never through a shell
        result = subprocess.run(
            list(argv),
            env=merged,
            input=stdin,
            text=True,
            check=False,
            cwd=cwd,
        )
        if result.returncode != 0:
            raise OpsError(
                f"`{' '.join(argv[:3])} ...` exited {result.returncode}",
                hint or "its output is above",
            )

    def which(self, program: str) -> bool:
        return shutil.which(program) is not None


@dataclass
class RecordingRunner:
    """For tests: remembers every command; FAIL lists programs whose run should fail."""

    fail: set[str] = field(default_factory=set)
    present: set[str] = field(default_factory=lambda: {"cdk", "docker"})
    calls: list[tuple[list[str], dict[str, str]]] = field(default_factory=list)
    cwds: list[str | None] = field(default_factory=list)  # one per call, beside CALLS

    def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        hint: str = "",
        cwd: str | None = None,
    ) -> None:
        self.calls.append((list(argv), dict(env or {})))
        self.cwds.append(cwd)
        if argv[0] in self.fail:
            raise OpsError(f"`{argv[0]}` exited 1", hint)

    def which(self, program: str) -> bool:
        return program in self.present
