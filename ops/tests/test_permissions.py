"""The API calls `ops deploy` makes are exactly what the CI deploy role may do.

The role is infra/booking_infra/units/delivery.py (DeployRole); infra/tests/test_delivery.py
asserts its policy holds these actions (and publishing's) plus the ECR push and iam:PassRole /
ecs:TagResource (authorised through RegisterTaskDefinition). A new call here without the role
growing fails a real release with AccessDenied: this test fails first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from booking_ops.aws.release import deploy
from booking_ops.aws.web_app import publish
from booking_ops.errors import OpsError
from tests.conftest import World

DEPLOY_ROLE_API_ACTIONS = {
    "cloudformation:DescribeStacks",
    "ssm:GetParameter",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "ecs:RegisterTaskDefinition",
    "ecs:RunTask",
    "ecs:DescribeTasks",
    "ecs:UpdateService",
    "cloudwatch:DescribeAlarms",
}


def _actions(world: World) -> set[str]:
    return {f"{service}:{operation}" for service, operation, _ in world.calls.log}


def test_a_release_calls_only_what_the_deploy_role_allows(world: World) -> None:
    deploy(world.ctx, "v2")

    assert _actions(world) == DEPLOY_ROLE_API_ACTIONS


def test_a_rolled_back_release_needs_nothing_more(world: World) -> None:
    world.outcomes.fail_rollout("web")

    with pytest.raises(OpsError):
        deploy(world.ctx, "v2")

    assert _actions(world) <= DEPLOY_ROLE_API_ACTIONS


PUBLISH_ACTIONS = {
    "cloudformation:DescribeStacks",
    "ssm:GetParameter",
    "s3:PutObject",
    "cloudfront:CreateInvalidation",
}


def test_publishing_the_web_app_calls_only_what_the_deploy_role_allows(
    world: World, tmp_path: Path
) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html></html>")
    (tmp_path / "assets" / "index-B2x9Qk1a.js").write_text("1")

    publish(world.ctx, tmp_path)

    assert _actions(world) == PUBLISH_ACTIONS
