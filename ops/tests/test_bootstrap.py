"""`ops bootstrap`: prerequisites, then the order of docs/aws.md, shell-outs recorded."""

from __future__ import annotations

import pytest

from booking_ops.aws.bootstrap import Build, bootstrap
from booking_ops.errors import OpsError
from booking_ops.runner import RecordingRunner
from tests.conftest import REPOSITORY, World

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_it_follows_the_documented_order_and_prints_the_url(world: World) -> None:
    world.admin.ecr.create_repository(repositoryName="booking-backend")
    runner = RecordingRunner()

    url = bootstrap(world.ctx, Build(runner, COMMIT))

    commands = [argv[:3] for argv, _ in runner.calls]
    assert commands == [
        ["docker", "buildx", "version"],
        ["cdk", "deploy", "booking-dev-network"],
        ["docker", "login", "--username"],
        ["docker", "buildx", "build"],
        ["cdk", "deploy", "booking-dev-data"],
    ]
    _, first, login, build, rest = runner.calls
    assert "booking-dev-registry" in first[0]
    assert login[0][-1] == REPOSITORY.split("/")[0]
    assert build[0][build[0].index("--platform") + 1] == "linux/arm64"
    assert f"{REPOSITORY}:{COMMIT}" in build[0]
    assert rest[0][3:5] == ["booking-dev-app", "booking-dev-monitoring"]
    assert rest[1] == {"BOOKING_ENVIRONMENTS": "dev", "BOOKING_IMAGE_TAG": COMMIT}
    assert world.calls.of("RunTask")[0]["taskDefinition"].endswith("booking-dev-migrate:1")
    assert url == world.ready.url


def test_it_stops_before_anything_when_cdk_is_missing(world: World) -> None:
    runner = RecordingRunner(present={"docker"})

    with pytest.raises(OpsError) as failure:
        bootstrap(world.ctx, Build(runner, COMMIT))

    assert "cdk" in failure.value.what and "npm install" in failure.value.hint
    assert runner.calls == []


def test_a_failed_stack_deploy_stops_the_bootstrap(world: World) -> None:
    runner = RecordingRunner(fail={"cdk"})

    with pytest.raises(OpsError):
        bootstrap(world.ctx, Build(runner, COMMIT))

    assert [argv[0] for argv, _ in runner.calls] == ["docker", "cdk"]
    assert "RunTask" not in world.calls.names()
