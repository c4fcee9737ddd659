"""Task definitions (a new revision with another image) and one-off tasks with an exit code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from booking_ops.aws.clients import Client, Timing
from booking_ops.aws.resolver import Resolver
from booking_ops.errors import OpsError

CONTAINER = "app"  # the one container of every task definition (infra units/services.py)
# What describe_task_definition returns that register_task_definition accepts back.
REGISTER_KEYS = (
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
)


def describe(ecs: Client, reference: str) -> dict[str, Any]:
    """A task definition by ARN, family:revision or family (the latest ACTIVE revision)."""
    found = ecs.describe_task_definition(taskDefinition=reference, include=["TAGS"])
    definition: dict[str, Any] = found["taskDefinition"]
    if found.get("tags"):
        definition["tags"] = found["tags"]
    return definition


def image_of(definition: Mapping[str, Any]) -> str:
    return str(_container(definition)["image"])


def tag_of(image: str) -> str:
    """The tag of REPOSITORY:TAG (a digest reference has none)."""
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last and "@" not in last else last


def with_tag(image: str, tag: str) -> str:
    repository = image.split("@", 1)[0]
    head, _, last = repository.rpartition("/")
    name = last.split(":", 1)[0]
    return f"{head}/{name}:{tag}" if head else f"{name}:{tag}"


def register_with_image(ecs: Client, definition: Mapping[str, Any], tag: str) -> str:
    """Register DEFINITION again with the container's image at TAG; return the new ARN."""
    request = {key: definition[key] for key in REGISTER_KEYS if definition.get(key)}
    request["containerDefinitions"] = [
        {**c, "image": with_tag(c["image"], tag)} if c["name"] == CONTAINER else c
        for c in definition["containerDefinitions"]
    ]
    if definition.get("tags"):
        request["tags"] = definition["tags"]
    arn: str = ecs.register_task_definition(**request)["taskDefinition"]["taskDefinitionArn"]
    return arn


def _container(definition: Mapping[str, Any]) -> Mapping[str, Any]:
    for container in definition["containerDefinitions"]:
        if container["name"] == CONTAINER:
            return container  # type: ignore[no-any-return]
    raise OpsError(
        f"{definition['family']} has no container named {CONTAINER!r}",
        "the task definitions must come from infra/ (units/services.py)",
    )


@dataclass(frozen=True)
class OneOff:
    """A task that runs to completion: the migration, a dump, a verification."""

    task_definition: str
    command: Sequence[str] | None = None
    environment: Mapping[str, str] | None = None
    started_by: str = "ops"


def run_to_exit(ecs: Client, names: Resolver, timing: Timing, task: OneOff) -> int:
    """Start TASK on Fargate, wait until it has stopped, return its container's exit code."""
    arn = _start(ecs, names, task)
    ecs.get_waiter("tasks_stopped").wait(
        cluster=names.cluster, tasks=[arn], WaiterConfig=timing.waiter()
    )
    stopped = ecs.describe_tasks(cluster=names.cluster, tasks=[arn])["tasks"][0]
    for container in stopped.get("containers", []):
        if container.get("name", CONTAINER) == CONTAINER and "exitCode" in container:
            return int(container["exitCode"])
    raise OpsError(
        f"task {arn} stopped without an exit code "
        f"({stopped.get('stoppedReason', 'no reason given')})",
        "it never started: check the image exists and the task's logs",
    )


def _start(ecs: Client, names: Resolver, task: OneOff) -> str:
    override: dict[str, Any] = {"name": CONTAINER}
    if task.command is not None:
        override["command"] = list(task.command)
    if task.environment:
        override["environment"] = [{"name": k, "value": v} for k, v in task.environment.items()]
    started = ecs.run_task(
        cluster=names.cluster,
        taskDefinition=task.task_definition,
        launchType="FARGATE",
        count=1,
        startedBy=task.started_by,
        networkConfiguration=names.network_configuration(),
        overrides={"containerOverrides": [override]},
    )
    if started.get("failures") or not started.get("tasks"):
        raise OpsError(
            f"ECS did not start {task.task_definition}: {started.get('failures')}",
            "check the cluster's capacity and the task definition",
        )
    arn: str = started["tasks"][0]["taskArn"]
    return arn
