"""The network: AZs, NAT, endpoints, flow logs, and security groups that open nothing extra."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import Synthesized

ANYWHERE = "0.0.0.0/0"


def _subnet_azs(env: Synthesized) -> set[str]:
    return {
        s["Properties"]["AvailabilityZone"]
        for s in env.resources("AWS::EC2::Subnet", "network").values()
    }


def test_every_environment_spans_its_azs_with_its_nat_count(each_env: Synthesized) -> None:
    network = each_env.config.network
    assert _subnet_azs(each_env) == set(network.availability_zones)
    kind = "AWS::EC2::NatGateway" if network.nat_type == "gateway" else "AWS::EC2::Instance"
    assert len(each_env.resources(kind)) == network.nat_gateways


def test_dev_nat_instance_forwards_only_https_from_the_tasks(dev: Synthesized) -> None:
    instance = dev.one("AWS::EC2::Instance", "network")["Properties"]
    assert instance["InstanceType"] == "t4g.nano"
    assert instance["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    assert instance["SourceDestCheck"] is False
    template = dev.one("AWS::EC2::LaunchTemplate", "network")["Properties"]
    assert template["LaunchTemplateData"]["MetadataOptions"] == {"HttpTokens": "required"}
    group = _groups(dev)[_group_id(dev, "NetworkVpcNatSecurityGroup")]["Properties"]
    private = {
        s["Properties"]["CidrBlock"]
        for s in dev.resources("AWS::EC2::Subnet", "network").values()
        if {"Key": "aws-cdk:subnet-type", "Value": "Private"} in s["Properties"]["Tags"]
    }
    assert {(r["CidrIp"], r["FromPort"], r["ToPort"]) for r in group["SecurityGroupIngress"]} == {
        (cidr, 443, 443) for cidr in private
    }
    assert [(r["CidrIp"], r["FromPort"]) for r in group["SecurityGroupEgress"]] == [(ANYWHERE, 443)]


def test_prod_spans_two_azs_with_one_nat_and_no_interface_endpoints(prod: Synthesized) -> None:
    assert _subnet_azs(prod) == {"us-east-1a", "us-east-1b"}
    assert len(prod.resources("AWS::EC2::NatGateway")) == 1
    interfaces = [
        e
        for e in prod.resources("AWS::EC2::VPCEndpoint", "network").values()
        if e["Properties"].get("VpcEndpointType") == "Interface"
    ]
    assert interfaces == []


def test_there_are_public_private_and_isolated_subnets(each_env: Synthesized) -> None:
    template = each_env.raw["network"]["Resources"]
    kinds = {
        tag["Value"]
        for resource in template.values()
        if resource["Type"] == "AWS::EC2::Subnet"
        for tag in resource["Properties"]["Tags"]
        if tag["Key"] == "aws-cdk:subnet-type"
    }
    assert kinds == {"Public", "Private", "Isolated"}


def test_flow_logs_record_all_traffic(each_env: Synthesized) -> None:
    flow_log = each_env.one("AWS::EC2::FlowLog", "network")
    assert flow_log["Properties"]["TrafficType"] == "ALL"
    assert flow_log["Properties"]["ResourceType"] == "VPC"


def test_s3_gateway_endpoint_everywhere(each_env: Synthesized) -> None:
    gateways = [
        e
        for e in each_env.resources("AWS::EC2::VPCEndpoint", "network").values()
        if e["Properties"].get("VpcEndpointType", "Gateway") == "Gateway"
    ]
    assert any("s3" in str(e["Properties"]["ServiceName"]) for e in gateways)


def test_interface_endpoints_keep_aws_traffic_off_the_nat_when_switched_on(tmp_path: Path) -> None:
    from dataclasses import replace

    from app import build_app
    from environments import DEV

    config = replace(DEV, network=replace(DEV.network, interface_endpoints=True))
    template = (
        build_app(configs=[config], outdir=str(tmp_path))
        .synth()
        .get_stack_by_name("booking-dev-network")
        .template
    )
    endpoints = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::EC2::VPCEndpoint"
        and r["Properties"].get("VpcEndpointType") == "Interface"
    ]
    services = " ".join(str(e["ServiceName"]) for e in endpoints)
    for service in ("ecr.api", "ecr.dkr", "secretsmanager", "logs"):
        assert f".{service}" in services
    assert all(e["PrivateDnsEnabled"] for e in endpoints)
    entries = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::EC2::NetworkAclEntry"
    ]
    # the private tier then also accepts HTTPS to the endpoints from inside the VPC
    assert any(
        e["CidrBlock"] == "10.10.0.0/16"
        and e["PortRange"] == {"From": 443, "To": 443}
        and not e["Egress"]
        for e in entries
    )


def _groups(env: Synthesized) -> dict[str, dict[str, Any]]:
    return {lid.split("/")[1]: r for lid, r in env.resources("AWS::EC2::SecurityGroup").items()}


def _group_id(env: Synthesized, prefix: str) -> str:
    matches = [name for name in _groups(env) if name.startswith(prefix)]
    assert len(matches) == 1, (prefix, matches)
    return matches[0]


def _ingress(env: Synthesized) -> list[dict[str, Any]]:
    """Every ingress rule, inline or standalone, as (group, rule) records."""
    rules = []
    for name, group in _groups(env).items():
        for rule in group["Properties"].get("SecurityGroupIngress", []):
            rules.append({"group": name, **rule})
    for rule in env.resources("AWS::EC2::SecurityGroupIngress").values():
        props = rule["Properties"]
        group = props["GroupId"]
        ref = group.get("Fn::GetAtt", [None])[0] or str(group)
        rules.append({"group": ref, **props})
    return rules


def _source(rule: dict[str, Any]) -> str:
    source = rule.get("SourceSecurityGroupId")
    if source is None:
        return rule.get("CidrIp", "")
    return str(source)


def test_only_the_load_balancer_is_reachable_from_the_internet(alb_env: Synthesized) -> None:
    alb = _group_id(alb_env, "NetworkAlbSg")
    open_rules = [r for r in _ingress(alb_env) if r.get("CidrIp") == ANYWHERE]
    assert {(r["group"], r["FromPort"]) for r in open_rules} == {(alb, 80), (alb, 443)}
    assert not any(r.get("CidrIpv6") for r in _ingress(alb_env))


def _rules_into(env: Synthesized, group_prefix: str) -> list[dict[str, Any]]:
    name = _group_id(env, group_prefix)
    return [r for r in _ingress(env) if name in str(r["group"])]


def test_the_app_port_is_open_to_the_load_balancer_only(alb_env: Synthesized) -> None:
    rules = _rules_into(alb_env, "NetworkAppSg")
    assert [(r["FromPort"], r["ToPort"]) for r in rules] == [(8000, 8000)]
    assert "NetworkAlbSg" in _source(rules[0])


def test_postgres_and_redis_are_open_to_app_and_worker_tasks_only(each_env: Synthesized) -> None:
    for group, port, extra in (
        ("NetworkDatabaseSg", 5432, {"RotationSg"}),
        ("NetworkCacheSg", 6379, set()),
    ):
        rules = _rules_into(each_env, group)
        assert {(r["FromPort"], r["ToPort"]) for r in rules} == {(port, port)}
        sources = {_source(r) for r in rules}
        allowed = ("NetworkAppSg", "NetworkWorkerSg", *extra)
        assert all(any(a in s for a in allowed) for s in sources), sources
        assert any("NetworkAppSg" in s for s in sources)
        assert any("NetworkWorkerSg" in s for s in sources)


def test_worker_tasks_accept_no_inbound_traffic(each_env: Synthesized) -> None:
    assert _rules_into(each_env, "NetworkWorkerSg") == []


def test_no_group_allows_all_outbound_traffic(each_env: Synthesized) -> None:
    for name, group in _groups(each_env).items():
        for rule in group["Properties"].get("SecurityGroupEgress", []):
            all_traffic = rule["IpProtocol"] == "-1" and rule.get("CidrIp") == ANYWHERE
            # CDK writes a "disallow all" placeholder rule to 255.255.255.255/32 for groups
            # with no egress; that one is fine
            assert not all_traffic, name
