"""The GitHub OIDC provider and the deploy role, synthesized in a bare stack.

The trust must name exactly one repository and GitHub environment (``sub``) and STS
(``aud``); the policy must hold exactly what the release job calls.
"""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from booking_infra.units.delivery import DeployRole, DeployTarget, DiffRole, GithubOidcProvider

from conftest import Synthesized

REPO = "example-org/booking"
ACCOUNT = "222222222222"
EXPECTED_ACTIONS = {
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
    "ecr:BatchGetImage",
    "ecs:RegisterTaskDefinition",
    "ecs:DescribeTaskDefinition",
    "ecs:TagResource",
    "ecs:RunTask",
    "ecs:DescribeTasks",
    "ecs:DescribeServices",
    "ecs:UpdateService",
    "iam:PassRole",
    "cloudformation:DescribeStacks",
    "ssm:GetParameter",
    "cloudwatch:DescribeAlarms",
    "s3:PutObject",
    "cloudfront:CreateInvalidation",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    # its own folder: $CDK_OUTDIR holds the environments' templates that cfn-lint and checkov read
    app = cdk.App(outdir=str(tmp_path_factory.mktemp("delivery")))
    stack = cdk.Stack(app, "DeliveryTest", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    provider = GithubOidcProvider(stack, "Github")
    DeployRole(
        stack,
        "Staging",
        provider_arn=provider.arn,
        github_repository=REPO,
        target=DeployTarget(env_name="staging", repository_name="booking-backend"),
    )
    DiffRole(stack, "Diff", provider_arn=provider.arn, github_repository=REPO)
    return Template.from_stack(stack)


def _deploy_role(template: Template) -> dict[str, Any]:
    roles = template.find_resources(
        "AWS::IAM::Role", {"Properties": {"RoleName": "booking-staging-github-deploy"}}
    )
    assert len(roles) == 1
    return dict(next(iter(roles.values())))


def _statements(template: Template) -> list[dict[str, Any]]:
    policies = template.find_resources(
        "AWS::IAM::Policy",
        {
            "Properties": {
                "Roles": [
                    {
                        "Ref": next(
                            iter(
                                template.find_resources(
                                    "AWS::IAM::Role",
                                    {"Properties": {"RoleName": "booking-staging-github-deploy"}},
                                )
                            )
                        )
                    }
                ]
            }
        },
    )
    assert len(policies) == 1
    return list(next(iter(policies.values()))["Properties"]["PolicyDocument"]["Statement"])


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def test_there_is_one_github_oidc_provider_for_sts(template: Template) -> None:
    template.resource_count_is("AWS::IAM::OIDCProvider", 1)
    template.has_resource_properties(
        "AWS::IAM::OIDCProvider",
        {
            "Url": "https://token.actions.githubusercontent.com",
            "ClientIdList": ["sts.amazonaws.com"],
        },
    )


def test_the_trust_is_pinned_to_the_repository_and_environment(template: Template) -> None:
    trust = _deploy_role(template)["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert len(trust) == 1
    assert trust[0]["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust[0]["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": f"repo:{REPO}:environment:staging",
        }
    }
    assert "StringLike" not in trust[0]["Condition"]  # no wildcard subject


def test_the_policy_holds_exactly_what_the_release_calls(template: Template) -> None:
    actions = {action for s in _statements(template) for action in _actions(s)}
    assert actions == EXPECTED_ACTIONS
    assert all(s["Effect"] == "Allow" for s in _statements(template))


def test_only_actions_without_resource_level_permissions_get_a_wildcard(template: Template) -> None:
    wildcard = {
        action for s in _statements(template) if s["Resource"] == "*" for action in _actions(s)
    }
    assert wildcard == {
        "ecr:GetAuthorizationToken",
        "ecs:RegisterTaskDefinition",
        "ecs:DescribeTaskDefinition",
        "cloudwatch:DescribeAlarms",
    }


def test_only_the_migrate_task_may_be_run_and_only_on_the_cluster(template: Template) -> None:
    run = next(s for s in _statements(template) if "ecs:RunTask" in _actions(s))
    assert "booking-staging-migrate:*" in str(run["Resource"])
    assert "cluster/booking-staging" in str(run["Condition"])


def test_roles_may_be_passed_to_ecs_tasks_only(template: Template) -> None:
    pass_role = next(s for s in _statements(template) if "iam:PassRole" in _actions(s))
    assert pass_role["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
    }
    assert "role/booking-staging-app-*" in str(pass_role["Resource"])


def test_the_diff_role_can_only_reach_the_cdk_lookup_role(template: Template) -> None:
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    Match.object_like(
                        {
                            "Condition": {
                                "StringEquals": Match.object_like(
                                    {
                                        "token.actions.githubusercontent.com:sub": f"repo:{REPO}:environment:infra-diff",
                                    }
                                )
                            }
                        }
                    )
                ]
            },
        },
    )
    diff_policies = [
        p
        for p in template.find_resources("AWS::IAM::Policy").values()
        if "Diff" in p["Properties"]["Roles"][0]["Ref"]
    ]
    assert len(diff_policies) == 1
    statements = diff_policies[0]["Properties"]["PolicyDocument"]["Statement"]
    assert [s["Action"] for s in statements] == ["sts:AssumeRole"]
    assert "role/cdk-*-lookup-role-*" in str(statements[0]["Resource"])


def test_the_web_app_is_published_only_into_its_own_bucket(
    template: Template, staging: Synthesized
) -> None:
    assert staging.config.account == ACCOUNT  # the bare stack's, so the names compare
    publish = next(s for s in _statements(template) if "s3:PutObject" in _actions(s))
    assert _actions(publish) == ["s3:PutObject"]
    bucket = next(
        r["Properties"]["BucketName"]
        for r in staging.resources("AWS::S3::Bucket", "app").values()
        if r["Properties"]["BucketName"].endswith("-web")
    )
    assert json.dumps(publish["Resource"]).endswith(f':s3:::{bucket}/*"]]}}')
    invalidate = next(
        s for s in _statements(template) if "cloudfront:CreateInvalidation" in _actions(s)
    )
    assert _actions(invalidate) == ["cloudfront:CreateInvalidation"]
    assert "distribution/*" in json.dumps(invalidate["Resource"])
