"""What every environment can do, whatever runs it: the verbs as a typed protocol.

The CLI talks only to a ``Target``. ``dev``, ``staging`` and ``prod`` are AWS
(``booking_ops.aws.target.AwsTarget``); ``local`` is the native stack of ``make stack-up``,
plugged in by a module ``booking_ops.local`` that exposes ``create_target(reporter) -> Target``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from booking_ops.errors import OpsError
from booking_ops.progress import Reporter

AWS_ENVIRONMENTS = ("dev", "staging", "prod")
ENVIRONMENTS = (*AWS_ENVIRONMENTS, "local")
LOCAL_MODULE = "booking_ops.local"


@dataclass(frozen=True)
class Release:
    """What runs after a verb: the image tag and the task definition (or process) per role."""

    image: str
    revisions: dict[str, str]


@dataclass(frozen=True)
class DeployRequest:
    image: str | None  # None: the local target deploys the checkout's code
    platform: str = "ecs"  # "eks": deploy/k8s/ on the environment's EKS cluster
    # the built web app (frontend/dist) to publish once the services run the new image
    web_app: Path | None = None


@dataclass(frozen=True)
class RollbackRequest:
    to: str | None  # None: the release before the current one


@dataclass(frozen=True)
class RestoreRequest:
    backup: str | None = None  # a backup id or "latest"
    to_time: datetime | None = None  # point in time (timezone-aware)
    expect_drift: bool = False  # the source kept taking writes after the restore point

    def __post_init__(self) -> None:
        if (self.backup is None) == (self.to_time is None):
            raise OpsError(
                "restore needs exactly one of --backup and --to-time",
                "e.g. --backup latest or --to-time 2026-01-31T10:15:00+00:00",
            )


@dataclass(frozen=True)
class Backup:
    id: str
    location: list[str]  # where its parts are: snapshot id, dump URL ...


@dataclass(frozen=True)
class Restored:
    target: str  # the new instance (AWS) or the database restored in place (local)
    checks: dict[str, str]  # check name -> "ok" or what differed


@dataclass(frozen=True)
class Status:
    image: str
    revisions: dict[str, str]
    health: str
    last_migration: str
    details: dict[str, str] = field(default_factory=dict)


class Target(Protocol):
    """One environment. Every method raises OpsError on failure, saying what to do, and
    reports long steps through the Reporter it was created with."""

    name: str

    def bootstrap(self) -> str:
        """Bring the environment up; return its public URL (local: what `make stack-up` does)."""
        ...

    def deploy(self, request: DeployRequest) -> Release:
        """Migrate, then replace the app processes; put the previous release back by itself
        if the new one never becomes ready (local: web replicas one at a time, each gated
        on /health/ready, the checkout's code when request.image is None)."""
        ...

    def rollback(self, request: RollbackRequest) -> Release:
        """Back to the previous release, or to request.to."""
        ...

    def backup(self) -> Backup:
        """A backup restore() accepts by id (local: a dump of the stack's database into its S3)."""
        ...

    def restore(self, request: RestoreRequest) -> Restored:
        """From a backup or to a point in time, then verified: every table's row count and
        checksum against the source, `migrate --check`, /health/ready 200 (AWS: into a new
        instance; local: in place, the app stopped, restored, started, ready)."""
        ...

    def status(self) -> Status:
        """What runs where: image, revisions (or processes), health, last migration."""
        ...


def load_target(env: str, reporter: Reporter) -> Target:
    """The Target for ENV; ``local`` is looked up as a plug-in module."""
    if env in AWS_ENVIRONMENTS:
        from booking_ops.aws.target import AwsTarget

        return AwsTarget.from_environment(env, reporter)
    if env == "local":
        return _local_target(reporter)
    raise OpsError(f"unknown environment {env!r}", f"use one of {', '.join(ENVIRONMENTS)}")


def _local_target(reporter: Reporter) -> Target:
    try:
        module = importlib.import_module(LOCAL_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name != LOCAL_MODULE:
            raise
        raise OpsError(
            "--env local is not implemented in this build",
            f"add {LOCAL_MODULE} with create_target(reporter) -> Target",
        ) from None
    target: Target = module.create_target(reporter)
    return target
