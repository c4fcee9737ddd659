"""Releases on ECS: migrate first, then web, worker and beat; roll back by itself on failure.

Order of a deploy (tests assert it on the real API calls):
1. read the services' current task definitions (what a rollback returns to);
2. register a migrate revision with the new image, run it, wait for its exit code;
   a non-zero exit stops here: no service is touched;
3. register web, worker and beat revisions with the new image and update the services
   (beat keeps maximumPercent 100 / minimumHealthyPercent 0, so it never runs twice);
4. wait for a steady state, then check the circuit breaker, the alarms and /health/ready;
   if any fails, update the services back to step 1's revisions and exit non-zero.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError, WaiterError

from booking_ops.aws.context import Context
from booking_ops.aws.tasks import (
    OneOff,
    describe,
    image_of,
    register_with_image,
    run_to_exit,
    tag_of,
)
from booking_ops.errors import OpsError
from booking_ops.http import wait_ready
from booking_ops.target import Release

# beat must never run twice: the old task stops before the new one starts
BEAT_DEPLOYMENT = {"maximumPercent": 100, "minimumHealthyPercent": 0}


def deploy(ctx: Context, tag: str) -> Release:
    started = datetime.now(UTC)
    with ctx.reporter.step("read the running release"):
        services = describe_services(ctx)
        previous = {name: s["taskDefinition"] for name, s in services.items()}
    with ctx.reporter.step(f"migrate the database with {tag}"):
        migrate(ctx, tag)
    ecs = ctx.clients.ecs
    new = {
        name: register_with_image(ecs, describe(ecs, arn), tag) for name, arn in previous.items()
    }
    problem = _roll_and_watch(ctx, new, services, started)
    if problem is not None:
        with ctx.reporter.step("roll back to the previous task definitions"):
            roll(ctx, previous, services)
            settled = watch_rollout(ctx, previous, since=started, check_alarms=False)
        state = "rolled back" if settled is None else f"rollback did not settle either: {settled}"
        raise OpsError(
            f"release {tag} failed ({problem}); {state}",
            "read the service events and logs (ops status), fix, deploy again",
        )
    return Release(image=tag, revisions=new)


def _roll_and_watch(
    ctx: Context, new: dict[str, str], services: dict[str, dict[str, Any]], started: datetime
) -> str | None:
    """None when the services run NEW steadily and ready; else why not (they may be half
    rolled: an update refused midway is a failed rollout too)."""
    try:
        with ctx.reporter.step("roll web, worker and beat"):
            roll(ctx, new, services)
    except ClientError as error:
        return f"UpdateService refused: {error.response['Error'].get('Message', error)}"
    return watch_rollout(ctx, new, since=started)


def migrate(ctx: Context, tag: str | None) -> str:
    """Run the migrate task (a new revision at TAG, or the current one); fail on non-zero."""
    ecs, names = ctx.clients.ecs, ctx.names
    definition = describe(ecs, names.family("migrate"))
    arn = register_with_image(ecs, definition, tag) if tag else definition["taskDefinitionArn"]
    code = run_to_exit(ecs, names, ctx.timing, OneOff(arn, started_by="ops-migrate"))
    if code != 0:
        raise OpsError(
            f"migrate exited {code}; no service was changed",
            f"read the log group {names.log_group('migrate')}, fix, deploy again",
        )
    ctx.reporter.info(f"migrate {arn.rsplit('/', 1)[-1]} exited 0")
    return arn


def describe_services(ctx: Context) -> dict[str, dict[str, Any]]:
    found = ctx.clients.ecs.describe_services(
        cluster=ctx.names.cluster, services=list(ctx.names.services)
    )
    services = {s["serviceName"]: s for s in found["services"] if s.get("status") == "ACTIVE"}
    missing = [name for name in ctx.names.services if name not in services]
    if missing:
        raise OpsError(
            f"services {', '.join(missing)} not found in {ctx.names.cluster}",
            f"run `uv run ops bootstrap --env {ctx.names.env}` first",
        )
    return services


def roll(ctx: Context, revisions: dict[str, str], services: dict[str, dict[str, Any]]) -> None:
    for name in ctx.names.services:
        request: dict[str, Any] = {
            "cluster": ctx.names.cluster,
            "service": name,
            "taskDefinition": revisions[name],
        }
        if name == "beat" and not _beat_is_single(services[name]):
            ctx.reporter.info("beat allowed two tasks at once: setting max 100 % / min 0 %")
            request["deploymentConfiguration"] = {
                **services[name].get("deploymentConfiguration", {}),
                **BEAT_DEPLOYMENT,
            }
        ctx.clients.ecs.update_service(**request)
        ctx.reporter.info(f"{name} -> {revisions[name].rsplit('/', 1)[-1]}")


def _beat_is_single(service: dict[str, Any]) -> bool:
    config = service.get("deploymentConfiguration", {})
    return all(config.get(key) == value for key, value in BEAT_DEPLOYMENT.items())


def watch_rollout(
    ctx: Context, expected: dict[str, str], *, since: datetime, check_alarms: bool = True
) -> str | None:
    """None when every service runs EXPECTED steadily and the app is ready; else why not."""
    with ctx.reporter.step("wait for a steady state"):
        try:
            ctx.clients.ecs.get_waiter("services_stable").wait(
                cluster=ctx.names.cluster,
                services=list(ctx.names.services),
                WaiterConfig=ctx.timing.waiter(),
            )
            unstable = None
        except WaiterError as error:
            unstable = f"not steady: {error.last_response.get('failures') or 'timed out'}"
    problem = _deployment_problem(ctx, expected) or unstable
    if problem is None and check_alarms:
        problem = _alarm_problem(ctx, since)
    if problem is None:
        problem = _readiness_problem(ctx)
    return problem


def _deployment_problem(ctx: Context, expected: dict[str, str]) -> str | None:
    found = ctx.clients.ecs.describe_services(
        cluster=ctx.names.cluster, services=list(ctx.names.services)
    )
    for service in found["services"]:
        name = service["serviceName"]
        deployments: list[dict[str, Any]] = service.get("deployments", [])
        primary = next((d for d in deployments if d["status"] == "PRIMARY"), {})
        if primary.get("rolloutState") == "FAILED":
            return f"circuit breaker on {name}: {primary.get('rolloutStateReason', '')}"
        if service["taskDefinition"] != expected[name]:
            return f"{name} runs {service['taskDefinition']}, not {expected[name]}"
    return None


def _alarm_problem(ctx: Context, since: datetime) -> str | None:
    alarms = ctx.clients.cloudwatch.describe_alarms(
        AlarmNamePrefix=ctx.names.alarm_prefix, StateValue="ALARM"
    )["MetricAlarms"]
    fired = [a["AlarmName"] for a in alarms if a["StateUpdatedTimestamp"] >= since]
    return f"alarm in ALARM: {', '.join(sorted(fired))}" if fired else None


def _readiness_problem(ctx: Context) -> str | None:
    url = ctx.names.ready_url
    with ctx.reporter.step(f"wait for {url}"):
        ready = wait_ready(
            ctx.probe, url, attempts=ctx.timing.ready_attempts, delay=ctx.timing.ready_delay
        )
    return None if ready else f"{url} did not answer 200"


def rollback(ctx: Context, to: str | None) -> Release:
    started = datetime.now(UTC)
    ecs = ctx.clients.ecs
    services = describe_services(ctx)
    web = describe(ecs, services["web"]["taskDefinition"])
    target = _target_tag(ctx, to, web)
    with ctx.reporter.step(f"roll web, worker and beat back to {target}"):
        revisions = {
            name: newest_with_tag(ctx, ctx.names.family(name), target)
            for name in ctx.names.services
        }
        roll(ctx, revisions, services)
    problem = watch_rollout(ctx, revisions, since=started, check_alarms=False)
    if problem is not None:
        raise OpsError(
            f"rollback to {target} did not settle ({problem})",
            "read the service events (ops status) and the logs",
        )
    return Release(image=target, revisions=revisions)


def _target_tag(ctx: Context, to: str | None, current: dict[str, Any]) -> str:
    """TO as a web revision number or an image tag; None: the release before the current."""
    if to is not None and to.isdigit():
        return tag_of(image_of(describe(ctx.clients.ecs, f"{current['family']}:{to}")))
    if to is not None:
        return to
    current_tag = tag_of(image_of(current))
    for arn in family_revisions(ctx, current["family"]):
        if _revision(arn) < current["revision"]:
            tag = tag_of(image_of(describe(ctx.clients.ecs, arn)))
            if tag != current_tag:
                return tag
    raise OpsError(
        f"{current['family']} has no earlier release than {current_tag}",
        "name one: ops rollback --to REVISION|TAG",
    )


def newest_with_tag(ctx: Context, family: str, tag: str) -> str:
    for arn in family_revisions(ctx, family):
        if tag_of(image_of(describe(ctx.clients.ecs, arn))) == tag:
            return arn
    raise OpsError(
        f"no {family} revision runs {tag}",
        f"deploy it instead: uv run ops deploy --env {ctx.names.env} --image {tag}",
    )


def family_revisions(ctx: Context, family: str) -> list[str]:
    """ACTIVE revisions of exactly FAMILY, newest first."""
    pages = ctx.clients.ecs.get_paginator("list_task_definitions").paginate(
        familyPrefix=family, status="ACTIVE", sort="DESC"
    )
    arns = [
        arn
        for page in pages
        for arn in page["taskDefinitionArns"]
        if arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family
    ]
    return sorted(arns, key=_revision, reverse=True)


def _revision(arn: str) -> int:
    return int(arn.rsplit(":", 1)[-1])
