"""`ops rollback`: back to the previous release, or to a named revision or tag."""

from __future__ import annotations

import pytest

from booking_ops.aws.release import deploy, rollback
from booking_ops.errors import OpsError
from tests.conftest import World

SERVICES = ["web", "worker", "beat"]


def _running(world: World) -> dict[str, str]:
    found = world.admin.ecs.describe_services(cluster="booking-dev", services=SERVICES)
    return {s["serviceName"]: s["taskDefinition"].rsplit("/", 1)[-1] for s in found["services"]}


def test_it_restores_the_previous_revisions(world: World) -> None:
    deploy(world.ctx, "v2")
    world.calls.log.clear()

    back = rollback(world.ctx, None)

    assert back.image == "v1"
    assert _running(world) == {
        "web": "booking-dev-web:1",
        "worker": "booking-dev-worker:1",
        "beat": "booking-dev-beat:1",
    }
    assert "RunTask" not in world.calls.names()  # migrations only go forward
    assert "RegisterTaskDefinition" not in world.calls.names()


def test_it_goes_to_a_named_web_revision(world: World) -> None:
    deploy(world.ctx, "v2")
    deploy(world.ctx, "v3")

    back = rollback(world.ctx, "2")

    assert back.image == "v2"
    assert _running(world)["worker"] == "booking-dev-worker:2"


def test_it_goes_to_a_named_image_tag(world: World) -> None:
    deploy(world.ctx, "v2")
    deploy(world.ctx, "v3")

    rollback(world.ctx, "v1")

    assert _running(world)["beat"] == "booking-dev-beat:1"


def test_with_no_earlier_release_it_says_what_to_do(world: World) -> None:
    with pytest.raises(OpsError) as failure:
        rollback(world.ctx, None)

    assert "--to" in failure.value.hint
    assert "UpdateService" not in world.calls.names()
