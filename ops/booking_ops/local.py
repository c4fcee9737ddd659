"""`--env local`: the native production-like stack (`python -m deploy.stack`, what `make
stack-up` runs). Each verb runs the stack's own verb from the repository root, streams its
progress lines, and reads the outcome from the lines it printed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from booking_ops.errors import OpsError
from booking_ops.progress import Reporter
from booking_ops.target import (
    Backup,
    DeployRequest,
    Release,
    Restored,
    RestoreRequest,
    RollbackRequest,
    Status,
)

# The package is installed editable from ops/ (the root project's ops group).
ROOT = Path(__file__).resolve().parents[2]
ROLES = ("web1", "web2", "worker", "beat")


def create_target(reporter: Reporter) -> LocalTarget:
    if not (ROOT / "deploy" / "stack" / "__main__.py").exists():
        raise OpsError("the native stack is not in this checkout", "run ops from the repository")
    return LocalTarget(reporter)


class LocalTarget:
    name = "local"

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter

    def _stack(self, title: str, *args: str) -> str:
        """`python -m deploy.stack ARGS`, its lines shown as they come; all of them returned."""
        with self.reporter.step(title):
            process = subprocess.Popen(  # noqa: S603 (our own module, fixed verbs)
                [sys.executable, "-m", "deploy.stack", *args],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            assert process.stdout is not None
            lines = []
            for line in process.stdout:
                lines.append(line)
                if line.startswith("stack: "):
                    self.reporter.info(line.removeprefix("stack: ").rstrip())
            if process.wait() != 0:
                last = next((x for x in reversed(lines) if x.strip()), "no output").strip()
                raise OpsError(f"{title} failed: {last}", "the stack's logs are in var/stack/logs")
        return "".join(lines)

    def bootstrap(self) -> str:
        output = self._stack("bringing the stack up", "up")
        return str(_summary(output)["url"])

    def deploy(self, request: DeployRequest) -> Release:
        if request.platform != "ecs":
            raise OpsError("the local stack has no Kubernetes", "run it without --platform")
        if request.image is not None:
            raise OpsError("the local stack deploys the checkout", "run it without --image")
        if request.web_app is not None:
            # its nginx serves frontend/dist from the checkout (deploy/stack/nginx.py)
            raise OpsError(
                "the local stack serves frontend/dist itself", "run it without --web-app"
            )
        self._stack("deploying the checkout", "deploy")
        return self._release()

    def rollback(self, request: RollbackRequest) -> Release:
        self._stack("rolling back", "rollback", *(["--to", request.to] if request.to else []))
        return self._release()

    def backup(self) -> Backup:
        output = self._stack("backing up the stack's database", "backup")
        backup_id = _found(r"backup (\S+): \d+ tables", output, "backup id")
        return Backup(backup_id, [f"s3://booking-backups/{backup_id}/booking.dump"])

    def restore(self, request: RestoreRequest) -> Restored:
        if request.backup is not None:
            output = self._stack("restoring in place", "restore", "--backup", request.backup)
        else:
            assert request.to_time is not None
            moment = request.to_time.isoformat()
            output = self._stack("restoring to a point in time", "restore", "--to-time", moment)
        tables = _found(r"verified (\d+) tables", output, "verification")
        ready = _found(r"ready through nginx ([\d.]+)s", output, "readiness")
        checks = {"tables": f"{tables} verified", "migrate --check": "ok", "ready": f"{ready}s"}
        return Restored("the stack's primary, in place", checks)

    def status(self) -> Status:
        summary = _summary(self._stack("reading the stack", "status"))
        running: dict[str, bool] = summary["running"]
        release = str(summary.get("release") or "none")
        return Status(
            image=release,
            revisions={role: release if running.get(role) else "stopped" for role in ROLES},
            health="running" if all(running.values()) else "degraded",
            last_migration="(see `manage.py showmigrations` with the stack's env_file)",
            details={"url": str(summary["url"]), "logs": str(summary["logs"])},
        )

    def _release(self) -> Release:
        release = str(_summary(self._stack("reading the stack", "status")).get("release"))
        return Release(image=release, revisions={role: release for role in ROLES})


def _summary(output: str) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(output[output.index("{") :])
    return summary


def _found(pattern: str, output: str, what: str) -> str:
    match = re.search(pattern, output)
    if match is None:
        raise OpsError(f"the stack did not report its {what}", "see the output above")
    return match.group(1)
