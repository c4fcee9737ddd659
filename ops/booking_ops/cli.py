"""`uv run ops VERB --env ENV [options]`: the operator's verbs, one Target per environment."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from botocore.exceptions import BotoCoreError, ClientError, WaiterError

from booking_ops.errors import OpsError
from booking_ops.progress import StreamReporter
from booking_ops.target import (
    DeployRequest,
    Restored,
    RestoreRequest,
    RollbackRequest,
    Target,
    load_target,
)

app = typer.Typer(
    help="Operate the booking platform: AWS (dev, staging, prod) and the local native stack.",
    no_args_is_help=True,
    add_completion=False,
)
T = TypeVar("T")


class Env(StrEnum):
    dev = "dev"
    staging = "staging"
    prod = "prod"
    local = "local"


class Platform(StrEnum):
    ECS = "ecs"
    EKS = "eks"


EnvOption = Annotated[
    Env, typer.Option("--env", "-e", help="which environment", case_sensitive=False)
]


def _run(verb: str, env: Env, action: Callable[[Target], T]) -> T:
    """Run ACTION on ENV's target; any failure becomes one line on stderr and exit 1."""
    try:
        return action(load_target(env.value, StreamReporter()))
    except OpsError as error:
        message = error.line()
    except WaiterError as error:
        message = f"gave up waiting: {error} — see the AWS console or `ops status`"
    except ClientError as error:
        detail = error.response.get("Error", {})
        message = (
            f"AWS refused {error.operation_name}: {detail.get('Code')}: "
            f"{detail.get('Message')} — check the role's permissions and the names"
        )
    except BotoCoreError as error:
        message = f"AWS unreachable or no credentials: {error} — log in and try again"
    print(f"ops {verb} --env {env.value}: {message}", file=sys.stderr)
    raise typer.Exit(code=1)


@app.command()
def bootstrap(env: EnvOption) -> None:
    """A new environment: prerequisites, stacks, the image, migrate, ready; prints the URL."""
    print(_run("bootstrap", env, lambda target: target.bootstrap()))


@app.command()
def deploy(
    env: EnvOption,
    image: Annotated[
        str | None,
        typer.Option(
            help="image tag to release (the commit sha); local: omit to deploy the checkout"
        ),
    ] = None,
    platform: Annotated[
        Platform,
        typer.Option(help="ecs: the ECS services; eks: deploy/k8s/deploy.sh on the EKS cluster"),
    ] = Platform.ECS,
    web_app: Annotated[
        Path | None,
        typer.Option(
            "--web-app",
            help="the built web app (frontend/dist): published to the CDN once the services "
            "run the new image (dev, staging, prod on ECS)",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Migrate, then roll web, worker and beat; rolls back by itself if the rollout fails;
    then publishes the web app when --web-app names its build."""
    request = DeployRequest(image=image, platform=platform.value, web_app=web_app)
    released = _run("deploy", env, lambda target: target.deploy(request))
    print(f"released {released.image}")
    for role, revision in released.revisions.items():
        print(f"  {role}: {revision}")


@app.command()
def rollback(
    env: EnvOption,
    to: Annotated[
        str | None,
        typer.Option(
            help="web task definition revision or image tag (default: the previous release)"
        ),
    ] = None,
) -> None:
    """Put the previous (or the named) release back on web, worker and beat."""
    released = _run("rollback", env, lambda target: target.rollback(RollbackRequest(to=to)))
    print(f"rolled back to {released.image}")
    for role, revision in released.revisions.items():
        print(f"  {role}: {revision}")


@app.command()
def backup(env: EnvOption) -> None:
    """A snapshot tagged with the release plus a pg_dump -Fc in the backups bucket."""
    made = _run("backup", env, lambda target: target.backup())
    print(made.id)
    for part in made.location:
        print(f"  {part}")


@app.command()
def restore(
    env: EnvOption,
    backup: Annotated[
        str | None, typer.Option("--backup", help="backup id (snapshot) or 'latest'")
    ] = None,
    to_time: Annotated[
        datetime | None,
        typer.Option(
            "--to-time",
            formats=[
                "%Y-%m-%dT%H:%M:%S%z",
                "%Y-%m-%dT%H:%M:%S.%f%z",
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M:%S.%f",
            ],
            help="point in time, ISO 8601 with offset (UTC if none)",
        ),
    ] = None,
    expect_drift: Annotated[
        bool,
        typer.Option(help="the source kept taking writes: report differing tables, do not fail"),
    ] = False,
) -> None:
    """Restore to a NEW instance (AWS) or in place (local), then verify it table by table."""

    def action(target: Target) -> Restored:
        when = to_time if to_time is None or to_time.tzinfo else to_time.replace(tzinfo=UTC)
        return target.restore(
            RestoreRequest(backup=backup, to_time=when, expect_drift=expect_drift)
        )

    restored = _run("restore", env, action)
    print(f"restored into {restored.target}")
    for check, result in restored.checks.items():
        print(f"  {check}: {result}")


@app.command()
def status(env: EnvOption) -> None:
    """What runs where: image, task definition revisions, health, the last migration."""
    found = _run("status", env, lambda target: target.status())
    print(f"image:          {found.image}")
    print(f"health:         {found.health}")
    print(f"last migration: {found.last_migration}")
    for role, revision in found.revisions.items():
        print(f"  {role:8} {revision}  {found.details.get(role, '')}")


def main() -> None:
    app()
