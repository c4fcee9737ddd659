"""What runs where: image, task definition revisions, service health, the last migration."""

from __future__ import annotations

from typing import Any

from booking_ops.aws.context import Context
from booking_ops.aws.release import describe_services
from booking_ops.aws.tasks import describe, image_of, tag_of
from booking_ops.target import Status


def status(ctx: Context) -> Status:
    ecs = ctx.clients.ecs
    services = describe_services(ctx)
    revisions = {name: s["taskDefinition"].rsplit("/", 1)[-1] for name, s in services.items()}
    migrate = describe(ecs, ctx.names.family("migrate"))
    revisions["migrate"] = migrate["taskDefinitionArn"].rsplit("/", 1)[-1]
    details = {name: _service_line(s) for name, s in services.items()}
    image = tag_of(image_of(describe(ecs, services["web"]["taskDefinition"])))
    ready = "ready" if ctx.probe.ready(ctx.names.ready_url) else "NOT ready"
    return Status(
        image=image,
        revisions=revisions,
        health=f"{ready} ({ctx.names.ready_url})",
        last_migration=_last_migration(ctx, tag_of(image_of(migrate))),
        details=details,
    )


def _service_line(service: dict[str, Any]) -> str:
    deployments: list[dict[str, Any]] = service.get("deployments") or []
    primary = next((d for d in deployments if d.get("status") == "PRIMARY"), {})
    rollout = primary.get("rolloutState", "?")
    return (
        f"{service.get('runningCount')}/{service.get('desiredCount')} running, "
        f"{len(deployments)} deployment(s), rollout {rollout}"
    )


def _last_migration(ctx: Context, migrate_tag: str) -> str:
    """The newest migrate task ECS still remembers (it keeps stopped tasks about an hour)."""
    ecs, cluster = ctx.clients.ecs, ctx.names.cluster
    arns = ecs.list_tasks(
        cluster=cluster, family=ctx.names.family("migrate"), desiredStatus="STOPPED"
    )["taskArns"]
    if not arns:
        return f"no recent migrate task; the migrate definition runs {migrate_tag}"
    tasks = ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"]
    last = max(tasks, key=lambda t: t.get("stoppedAt") or t.get("createdAt"))
    codes = [c.get("exitCode") for c in last.get("containers", [])]
    return f"{last['taskDefinitionArn'].rsplit('/', 1)[-1]} exit {codes[0] if codes else '?'}"
