"""`ops status`: image, revisions, health and the last migration, read from AWS."""

from __future__ import annotations

from booking_ops.aws.release import deploy
from booking_ops.aws.status import status
from tests.conftest import World


def test_it_reports_the_running_release_and_the_last_migration(world: World) -> None:
    deploy(world.ctx, "v2")

    found = status(world.ctx)

    assert found.image == "v2"
    assert found.revisions == {
        "web": "booking-dev-web:2",
        "worker": "booking-dev-worker:2",
        "beat": "booking-dev-beat:2",
        "migrate": "booking-dev-migrate:2",
    }
    assert found.health.startswith("ready")
    assert found.last_migration == "booking-dev-migrate:2 exit 0"
    assert "1/1 running" in found.details["web"]


def test_it_says_when_the_app_is_not_ready(world: World) -> None:
    world.ready.status = 503

    assert status(world.ctx).health.startswith("NOT ready")
