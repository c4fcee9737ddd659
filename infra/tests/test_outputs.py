"""The stack outputs that running migrate (and the operator CLI) needs."""

from __future__ import annotations

import json
from typing import Any

from conftest import Synthesized

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
