"""`ops deploy`: migrate before anything rolls; nothing rolls when migrate fails; a failed
rollout (circuit breaker, alarm, readiness) goes back to the previous revisions by itself."""

from __future__ import annotations

import time

import pytest

from booking_ops.aws.release import deploy
from booking_ops.aws.tasks import describe, image_of
from booking_ops.errors import OpsError
from tests.conftest import REPOSITORY, World

SERVICES = ["web", "worker", "beat"]


def _running(world: World) -> dict[str, str]:
    found = world.admin.ecs.describe_services(cluster="booking-dev", services=SERVICES)
    return {s["serviceName"]: s["taskDefinition"] for s in found["services"]}


def _updates(world: World) -> list[tuple[str, str]]:
    return [
        (p["service"], p["taskDefinition"].rsplit("/", 1)[-1])
        for p in world.calls.of("UpdateService")
    ]


def test_it_runs_migrate_to_completion_before_updating_any_service(world: World) -> None:
    released = deploy(world.ctx, "v2")

    calls = world.calls.names("ecs")
    run_task = world.calls.of("RunTask")
    assert len(run_task) == 1 and "booking-dev-migrate:2" in run_task[0]["taskDefinition"]
    last_describe_of_migrate = max(i for i, op in enumerate(calls) if op == "DescribeTasks")
    first_update = calls.index("UpdateService")
    assert calls.index("RunTask") < last_describe_of_migrate < first_update
    assert _updates(world) == [
        ("web", "booking-dev-web:2"),
        ("worker", "booking-dev-worker:2"),
        ("beat", "booking-dev-beat:2"),
    ]
    assert released.image == "v2"
    for arn in _running(world).values():
        assert image_of(describe(world.admin.ecs, arn)) == f"{REPOSITORY}:v2"


def test_the_migrate_task_runs_in_our_subnets_and_security_group(world: World) -> None:
    deploy(world.ctx, "v2")

    network = world.calls.of("RunTask")[0]["networkConfiguration"]["awsvpcConfiguration"]
    assert network["subnets"] == world.ctx.names.subnets
    assert network["securityGroups"] == [world.ctx.names.task_security_group]
    assert network["assignPublicIp"] == "DISABLED"


def test_a_failing_migration_changes_nothing_else(world: World) -> None:
    world.outcomes.exit_code("booking-dev-migrate", 1)

    with pytest.raises(OpsError) as failure:
        deploy(world.ctx, "v2")

    assert "migrate exited 1" in failure.value.what
    assert "UpdateService" not in world.calls.names()
    registered = [p["family"] for p in world.calls.of("RegisterTaskDefinition")]
    assert registered == ["booking-dev-migrate"]
    assert _running(world) == world.previous


def test_a_tripped_circuit_breaker_rolls_back_to_the_previous_revisions(world: World) -> None:
    world.outcomes.fail_rollout("worker")

    with pytest.raises(OpsError) as failure:
        deploy(world.ctx, "v2")

    assert "circuit breaker on worker" in failure.value.what
    assert "rolled back" in failure.value.what
    assert _updates(world)[3:] == [
        ("web", "booking-dev-web:1"),
        ("worker", "booking-dev-worker:1"),
        ("beat", "booking-dev-beat:1"),
    ]
    assert _running(world) == world.previous


def test_an_alarm_that_fires_during_the_rollout_rolls_back(world: World) -> None:
    cloudwatch = world.admin.cloudwatch
    cloudwatch.put_metric_alarm(
        AlarmName="booking-dev-alb-5xx-rate",
        MetricName="HTTPCode_Target_5XX_Count",
        Namespace="AWS/ApplicationELB",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )

    def fire(**_: object) -> None:
        cloudwatch.set_alarm_state(
            AlarmName="booking-dev-alb-5xx-rate",
            StateValue="ALARM",
            StateReason="5xx after the release",
        )

    world.ctx.clients.ecs.meta.events.register("after-call.ecs.UpdateService", fire)
    with pytest.raises(OpsError) as failure:
        deploy(world.ctx, "v2")

    assert "booking-dev-alb-5xx-rate" in failure.value.what
    assert _running(world) == world.previous


def test_an_alarm_already_firing_before_the_release_does_not_block_it(world: World) -> None:
    cloudwatch = world.admin.cloudwatch
    cloudwatch.put_metric_alarm(
        AlarmName="booking-dev-billing",
        MetricName="EstimatedCharges",
        Namespace="AWS/Billing",
        Statistic="Maximum",
        Period=21600,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
    )
    cloudwatch.set_alarm_state(
        AlarmName="booking-dev-billing", StateValue="ALARM", StateReason="over budget"
    )
    time.sleep(1.1)  # moto stores the state change with a one-second resolution

    deploy(world.ctx, "v2")

    assert _running(world) != world.previous


def test_a_release_that_never_becomes_ready_rolls_back(world: World) -> None:
    world.ready.status = 503

    with pytest.raises(OpsError) as failure:
        deploy(world.ctx, "v2")

    assert "did not answer 200" in failure.value.what
    assert _running(world) == world.previous


def test_beat_keeps_a_single_task_through_the_rollout(world: World) -> None:
    deploy(world.ctx, "v2")

    beat = world.admin.ecs.describe_services(cluster="booking-dev", services=["beat"])
    config = beat["services"][0].get("deploymentConfiguration", {})
    assert (config.get("maximumPercent"), config.get("minimumHealthyPercent")) == (100, 0)


def test_beat_allowed_to_double_is_set_back_to_one_task_at_a_time(world: World) -> None:
    world.admin.ecs.update_service(
        cluster="booking-dev",
        service="beat",
        deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 100},
    )

    deploy(world.ctx, "v2")

    beat_update = next(p for p in world.calls.of("UpdateService") if p["service"] == "beat")
    assert beat_update["deploymentConfiguration"]["maximumPercent"] == 100
    assert beat_update["deploymentConfiguration"]["minimumHealthyPercent"] == 0
    web_update = next(p for p in world.calls.of("UpdateService") if p["service"] == "web")
    assert "deploymentConfiguration" not in web_update


def test_an_update_refused_midway_rolls_back_what_was_updated(world: World) -> None:
    def refuse_beat(params: dict[str, object], **_: object) -> None:
        if params.get("service") == "beat" and str(params["taskDefinition"]).endswith(":2"):
            params["service"] = "no-such-service"  # moto answers ServiceNotFoundException

    world.ctx.clients.ecs.meta.events.register(
        "provide-client-params.ecs.UpdateService", refuse_beat
    )

    with pytest.raises(OpsError) as failure:
        deploy(world.ctx, "v2")

    assert "UpdateService refused" in failure.value.what
    assert _running(world) == world.previous


def test_an_environment_whose_worker_runs_beat_rolls_web_and_worker_only(world: World) -> None:
    world.admin.ssm.put_parameter(
        Name="/booking/dev/outputs/ServiceNames", Value="web,worker", Type="String"
    )

    released = deploy(world.ctx, "v2")

    assert world.ctx.names.services == ("web", "worker")
    assert _updates(world) == [("web", "booking-dev-web:2"), ("worker", "booking-dev-worker:2")]
    assert set(released.revisions) == {"web", "worker"}
