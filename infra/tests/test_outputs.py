"""The stack outputs that running migrate (and the operator CLI) needs."""

from __future__ import annotations

import ast
import json
import os
import tempfile
from dataclasses import replace
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template
from booking_infra.stacks import DeliveryStack
from environments import DEV, GITHUB_REPOSITORY_PLACEHOLDER, DeliveryConfig

from conftest import INFRA, Synthesized

ROLES = ("web", "worker", "beat", "migrate")


def _task(env: Synthesized, role: str) -> dict[str, Any]:
    return env.one("AWS::ECS::TaskDefinition", "app", Family=f"booking-{env.config.name}-{role}")


def _service(env: Synthesized, role: str) -> dict[str, Any]:
    return env.one("AWS::ECS::Service", "app", ServiceName=role)


def test_the_stacks_export_what_run_task_needs_for_migrate(each_env: Synthesized) -> None:
    app, network = each_env.raw["app"]["Outputs"], each_env.raw["network"]["Outputs"]
    name = each_env.config.name
    assert app["MigrateTaskFamily"]["Value"] == f"booking-{name}-migrate"
    assert app["MigrateContainer"]["Value"] == "app"
    assert "ServicesCluster" in json.dumps(app["ClusterName"]["Value"])
    assert "MigrateTask" in json.dumps(app["MigrateTaskDefinition"]["Value"])
    subnets = json.dumps(network["TaskSubnets"]["Value"])
    assert subnets.count("appSubnet") == each_env.config.network.az_count
    assert "WorkerSg" in json.dumps(network["TaskSecurityGroup"]["Value"])
    for stack, output in (
        ("app", "MigrateTaskFamily"),
        ("app", "ClusterName"),
        ("network", "TaskSubnets"),
        ("network", "TaskSecurityGroup"),
    ):
        outputs = app if stack == "app" else network
        assert outputs[output]["Export"]["Name"] == f"booking-{name}-{stack}-{output}"


def test_the_migrate_task_runs_where_the_services_run(prod: Synthesized) -> None:
    web = _service(prod, "web")["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
    task_subnets = json.dumps(prod.raw["network"]["Outputs"]["TaskSubnets"]["Value"])
    # the service imports the network stack's subnet exports; the output names the same subnets
    imported = [s["Fn::ImportValue"].split("ExportsOutputRef")[1] for s in web["Subnets"]]
    assert imported and all(i[:-8] in task_subnets for i in imported)
    assert web["AssignPublicIp"] == "DISABLED"


def _ops_outputs() -> dict[str, str]:
    """The OUTPUTS map of the operator CLI (output name -> stack), read without importing it."""
    source = (INFRA.parent / "ops" / "booking_ops" / "aws" / "resolver.py").read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "OUTPUTS":
            assert node.value is not None
            value: dict[str, str] = ast.literal_eval(node.value)
            return value
    raise AssertionError("resolver.py has no OUTPUTS")


def test_every_output_ops_reads_is_exported_by_the_stack_it_names(each_env: Synthesized) -> None:
    expected = _ops_outputs()
    assert {"DatabaseInstanceId", "DbToolsTaskDefinition", "DatabaseParameterGroup"} <= set(
        expected
    )
    for name, stack in expected.items():
        outputs = each_env.raw[stack]["Outputs"]
        assert name in outputs, f"{stack} does not export {name}"
        assert outputs[name]["Export"]["Name"] == f"booking-{each_env.config.name}-{stack}-{name}"


def test_the_database_outputs_name_the_instance_and_its_groups(prod: Synthesized) -> None:
    outputs = prod.raw["data"]["Outputs"]
    assert outputs["DatabaseInstanceId"]["Value"] == {"Ref": _logical(prod, "AWS::RDS::DBInstance")}
    assert outputs["DatabaseSubnetGroup"]["Value"] == {
        "Ref": _logical(prod, "AWS::RDS::DBSubnetGroup")
    }
    assert outputs["DatabaseParameterGroup"]["Value"] == {
        "Ref": _logical(prod, "AWS::RDS::DBParameterGroup")
    }
    assert "DatabaseSg" in json.dumps(outputs["DatabaseSecurityGroup"]["Value"])


def _logical(env: Synthesized, cfn_type: str) -> str:
    """The logical id of the primary's resource of CFN_TYPE in the data stack."""
    found = [
        lid
        for lid, r in env.raw["data"]["Resources"].items()
        if r["Type"] == cfn_type and "Replica" not in lid
    ]
    assert len(found) == 1, found
    return found[0]


def test_the_dbtools_task_dumps_with_the_database_secret(each_env: Synthesized) -> None:
    name = each_env.config.name
    task = _task(each_env, "dbtools")["Properties"]
    container = task["ContainerDefinitions"][0]
    assert container["Name"] == "app"
    assert "dbtools-test-tag" in json.dumps(container["Image"])
    assert {e["Name"] for e in container["Environment"]} >= {
        "DATABASE_HOST",
        "DATABASE_PORT",
        "DATABASE_NAME",
    }
    secrets = {s["Name"]: json.dumps(s["ValueFrom"]) for s in container["Secrets"]}
    assert set(secrets) == {"DATABASE_USER", "DATABASE_PASSWORD"}
    assert ":username::" in secrets["DATABASE_USER"]
    assert ":password::" in secrets["DATABASE_PASSWORD"]
    logs = container["LogConfiguration"]["Options"]["awslogs-group"]
    group = each_env.raw["app"]["Resources"][logs["Ref"]]["Properties"]
    assert group["LogGroupName"] == f"/booking/{name}/dbtools"
    app = each_env.raw["app"]
    assert "DbToolsTask" in json.dumps(app["Outputs"]["DbToolsTaskDefinition"]["Value"])
    role = task["TaskRoleArn"]["Fn::GetAtt"][0]
    statements = [
        s
        for p in app["Resources"].values()
        if p["Type"] == "AWS::IAM::Policy" and {"Ref": role} in p["Properties"]["Roles"]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    actions = {a for s in statements for a in _listed(s["Action"])}
    assert "s3:PutObject" in actions
    assert not {"s3:GetObject*", "s3:DeleteObject*", "s3:GetObject", "s3:DeleteObject"} & actions
    resources = json.dumps([s["Resource"] for s in statements])
    assert "/dumps/*" in resources and "StorageBackups" in resources


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_the_delivery_stack_trusts_one_repository_and_environment(
    each_env: Synthesized,
) -> None:
    name, config = each_env.config.name, each_env.config.delivery
    roles = each_env.resources("AWS::IAM::Role", "delivery")
    deploy = next(
        r
        for r in roles.values()
        if r["Properties"].get("RoleName") == f"booking-{name}-github-deploy"
    )
    condition = deploy["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
    subject = condition["StringEquals"]["token.actions.githubusercontent.com:sub"]
    assert subject == f"repo:{config.github_repository}:environment:{name}"
    outputs = each_env.raw["delivery"]["Outputs"]
    assert "DeployRoleArn" in outputs
    assert ("DiffRoleArn" in outputs) is config.diff_role
    assert len(roles) == (2 if config.diff_role else 1)
    providers = each_env.resources("AWS::IAM::OIDCProvider", "delivery")
    assert len(providers) == (0 if config.oidc_provider_arn else 1)


def test_only_staging_has_the_diff_role_and_the_repository_is_a_placeholder(
    synthesized: dict[str, Synthesized],
) -> None:
    assert [n for n, e in synthesized.items() if e.config.delivery.diff_role] == ["staging"]
    assert all(
        e.config.delivery.github_repository == GITHUB_REPOSITORY_PLACEHOLDER
        for e in synthesized.values()
    ) or os.environ.get("BOOKING_GITHUB_REPOSITORY")


def test_an_existing_oidc_provider_is_reused_not_created() -> None:
    provider = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
    config = replace(DEV, delivery=DeliveryConfig(oidc_provider_arn=provider))
    app = App(outdir=tempfile.mkdtemp(prefix="delivery-"))
    stack = DeliveryStack(app, config)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::IAM::OIDCProvider", 0)
    trust = json.dumps(template.find_resources("AWS::IAM::Role"))
    assert provider in trust


def test_a_repository_is_owner_slash_name() -> None:
    with pytest.raises(ValueError, match="OWNER/REPO"):
        DeliveryConfig(github_repository="just-a-name")
