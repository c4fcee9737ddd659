"""dev, staging and prod: the Target protocol on AWS."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

from booking_ops.aws import bootstrap, database, kubernetes, release, status, web_app
from booking_ops.aws.clients import Clients, Timing
from booking_ops.aws.context import Context
from booking_ops.aws.resolver import Resolver
from booking_ops.errors import OpsError
from booking_ops.http import HttpProbe
from booking_ops.progress import Reporter
from booking_ops.runner import Runner, SubprocessRunner
from booking_ops.target import (
    Backup,
    DeployRequest,
    Release,
    Restored,
    RestoreRequest,
    RollbackRequest,
    Status,
)


@dataclass
class AwsTarget:
    name: str
    ctx: Context
    runner: Runner = field(default_factory=lambda: SubprocessRunner(os.environ))

    @classmethod
    def from_environment(cls, env: str, reporter: Reporter) -> AwsTarget:
        clients = Clients.create()
        ctx = Context(
            clients=clients,
            names=Resolver(env, clients),
            timing=Timing(),
            probe=HttpProbe(),
            reporter=reporter,
        )
        return cls(name=env, ctx=ctx)

    def bootstrap(self) -> str:
        return bootstrap.bootstrap(self.ctx, bootstrap.Build(self.runner, _commit()))

    def deploy(self, request: DeployRequest) -> Release:
        if not request.image:
            raise OpsError(
                "deploy on AWS needs --image TAG", "the tag pushed by CI: the commit sha"
            )
        if request.platform == "eks":
            if request.web_app is not None:
                raise OpsError(
                    "--web-app publishes to the ECS app stack's CloudFront bucket",
                    "the EKS app stack has no web app distribution yet (docs/aws.md, Known limits)",
                )
            return kubernetes.deploy(self.ctx, self.runner, request.image)
        released = release.deploy(self.ctx, request.image)
        if request.web_app is None:
            return released
        # after the roll: the new app may call API the old services did not have
        published = web_app.publish(self.ctx, request.web_app)
        summary = f"{published.files} files, invalidation {published.invalidation}"
        return Release(image=released.image, revisions={**released.revisions, "web-app": summary})

    def rollback(self, request: RollbackRequest) -> Release:
        return release.rollback(self.ctx, request.to)

    def backup(self) -> Backup:
        return database.backup(self.ctx)

    def restore(self, request: RestoreRequest) -> Restored:
        return database.restore(self.ctx, request)

    def status(self) -> Status:
        return status.status(self.ctx)


def _commit() -> str:
    """The image tag of a bootstrap: the checked-out commit, which must be clean."""

    def git(*args: str) -> str:
        # fixed program and arguments, no shell
        return subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    try:
        if git("status", "--porcelain", "--untracked-files=no"):
            raise OpsError(
                "the checkout has uncommitted changes",
                "commit them: the image is tagged with the commit",
            )
        return git("rev-parse", "HEAD")
    except (OSError, subprocess.CalledProcessError):
        raise OpsError("cannot read the commit (git)", "run ops from the repository") from None
