"""Dev's entry is an API Gateway HTTP API (EdgeConfig.entry): VPC link, Cloud Map, no ALB.

Staging and prod keep the ALB (test_app.py's edge tests run on them through ``alb_env``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from environments import DEV, ENVIRONMENTS

from conftest import ALB_ENVIRONMENTS, Synthesized

ANYWHERE = "0.0.0.0/0"
EPHEMERAL = (1024, 65535)
ALB_ONLY = (
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
)
API_ONLY = (
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::VpcLink",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::DomainName",
    "AWS::ServiceDiscovery::PrivateDnsNamespace",
    "AWS::ServiceDiscovery::Service",
)


def _by_id(dev: Synthesized, kind: str, unit: str) -> dict[str, dict[str, Any]]:
    """KIND's resources in UNIT's template by logical id (as Ref and GetAtt name them)."""
    return {k.split("/", 1)[1]: r for k, r in dev.resources(kind, unit).items()}


def test_only_dev_uses_the_http_api() -> None:
    assert DEV.edge.entry == "http_api" and DEV.edge.waf_scope == "none"
    assert sorted(ALB_ENVIRONMENTS) == sorted(n for n in ENVIRONMENTS if n != "dev")


def test_an_http_api_takes_no_regional_web_acl() -> None:
    with pytest.raises(ValueError, match="waf_scope"):
        replace(DEV.edge, waf_scope="alb")


def test_dev_has_the_api_and_cloud_map_and_no_alb(dev: Synthesized) -> None:
    for kind in API_ONLY:
        assert len(dev.resources(kind, "app")) == 1, kind
    for kind in ALB_ONLY:
        assert dev.resources(kind) == {}, kind
    assert "LoadBalancerDns" not in dev.raw["app"]["Outputs"]
    assert dev.raw["app"]["Outputs"]["ApiUrl"]["Value"] == f"https://{DEV.domain.api_host}"


def test_staging_and_prod_keep_the_alb_and_have_no_api(alb_env: Synthesized) -> None:
    for kind in ALB_ONLY:
        assert alb_env.resources(kind, "app"), kind
    for kind in API_ONLY:
        assert alb_env.resources(kind) == {}, kind
    assert "LoadBalancerDns" in alb_env.raw["app"]["Outputs"]


def _web_service(dev: Synthesized) -> dict[str, Any]:
    return dev.one("AWS::ECS::Service", "app", ServiceName="web")["Properties"]


def test_the_web_service_registers_srv_records_in_a_private_namespace(dev: Synthesized) -> None:
    namespace = dev.one("AWS::ServiceDiscovery::PrivateDnsNamespace", "app")["Properties"]
    assert namespace["Name"] == "booking-dev.internal"
    service = dev.one("AWS::ServiceDiscovery::Service", "app")["Properties"]
    assert [r["Type"] for r in service["DnsConfig"]["DnsRecords"]] == ["SRV"]
    [registry] = _web_service(dev)["ServiceRegistries"]
    assert (registry["ContainerName"], registry["ContainerPort"]) == ("app", 8000)
    assert "Cloudmap" in json.dumps(registry["RegistryArn"])
    # no load balancer: the container's health check decides, and no grace period waits for one
    assert "LoadBalancers" not in _web_service(dev)
    assert "HealthCheckGracePeriodSeconds" not in _web_service(dev)


def test_the_api_reaches_cloud_map_through_a_vpc_link_in_the_private_subnets(
    dev: Synthesized,
) -> None:
    link = dev.one("AWS::ApiGatewayV2::VpcLink", "app")["Properties"]
    assert all("appSubnet" in json.dumps(s) for s in link["SubnetIds"])
    assert len(link["SubnetIds"]) == DEV.network.az_count
    assert "VpcLinkSg" in json.dumps(link["SecurityGroupIds"])
    integrations = dev.resources("AWS::ApiGatewayV2::Integration", "app").values()
    assert integrations
    for integration in integrations:
        props = integration["Properties"]
        assert (props["IntegrationType"], props["ConnectionType"]) == ("HTTP_PROXY", "VPC_LINK")
        assert "Cloudmap" in json.dumps(props["IntegrationUri"])


def test_metrics_are_rewritten_to_a_path_the_app_does_not_serve(dev: Synthesized) -> None:
    integrations = _by_id(dev, "AWS::ApiGatewayV2::Integration", "app")
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]["Target"]["Fn::Join"][1][1]["Ref"]
        for r in dev.resources("AWS::ApiGatewayV2::Route", "app").values()
    }
    assert set(routes) == {"$default", "ANY /metrics", "ANY /metrics/{proxy+}"}
    host = {"overwrite:header.host": DEV.domain.api_host}  # what ALLOWED_HOSTS admits
    for key in ("ANY /metrics", "ANY /metrics/{proxy+}"):
        mapping = integrations[routes[key]]["Properties"]["RequestParameters"]
        assert mapping == {**host, "overwrite:path": "/not-found"}
    assert integrations[routes["$default"]]["Properties"]["RequestParameters"] == host


def test_the_api_answers_on_its_domain_only_with_logs_and_throttling(dev: Synthesized) -> None:
    api = dev.one("AWS::ApiGatewayV2::Api", "app")["Properties"]
    assert api["ProtocolType"] == "HTTP" and api["DisableExecuteApiEndpoint"] is True
    [config] = dev.one("AWS::ApiGatewayV2::DomainName", "app")["Properties"][
        "DomainNameConfigurations"
    ]
    assert config["SecurityPolicy"] == "TLS_1_2"
    assert "EdgeCertificate" in json.dumps(config["CertificateArn"])
    stage = dev.one("AWS::ApiGatewayV2::Stage", "app")["Properties"]
    assert stage["StageName"] == "$default" and stage["AutoDeploy"] is True
    assert stage["DefaultRouteSettings"] == {
        "ThrottlingBurstLimit": DEV.edge.api_burst_limit,
        "ThrottlingRateLimit": DEV.edge.api_rate_limit_per_second,
    }
    assert "$context.status" in stage["AccessLogSettings"]["Format"]
    logs = dev.one("AWS::Logs::LogGroup", "app", LogGroupName="/booking/dev/api-access")
    assert logs["Properties"]["RetentionInDays"] == DEV.compute.log_retention_days


def test_dns_points_the_api_host_at_the_api_domain(dev: Synthesized) -> None:
    records = [
        r["Properties"]
        for r in dev.resources("AWS::Route53::RecordSet", "app").values()
        if r["Properties"]["Name"] == f"{DEV.domain.api_host}."
    ]
    assert [r["Type"] for r in records] == ["A"]
    assert "RegionalDomainName" in json.dumps(records[0]["AliasTarget"]["DNSName"])


def _group(dev: Synthesized, prefix: str) -> str:
    groups = _by_id(dev, "AWS::EC2::SecurityGroup", "network")
    [name] = [n for n in groups if n.startswith(prefix)]
    return name


def test_only_the_vpc_link_reaches_the_web_tasks_and_nothing_is_open(dev: Synthesized) -> None:
    link, app = _group(dev, "NetworkVpcLinkSg"), _group(dev, "NetworkAppSg")
    groups = _by_id(dev, "AWS::EC2::SecurityGroup", "network")
    assert "SecurityGroupIngress" not in groups[link]["Properties"]
    assert not any(
        r["Properties"]["GroupId"]["Fn::GetAtt"][0] == link
        for r in dev.resources("AWS::EC2::SecurityGroupIngress", "network").values()
    )
    out_of_link = [
        r["Properties"]
        for r in dev.resources("AWS::EC2::SecurityGroupEgress", "network").values()
        if r["Properties"]["GroupId"]["Fn::GetAtt"][0] == link
    ]
    assert [
        (e["DestinationSecurityGroupId"]["Fn::GetAtt"][0], e["FromPort"], e["ToPort"])
        for e in out_of_link
    ] == [(app, 8000, 8000)]
    into_app = [
        r["Properties"]
        for r in dev.resources("AWS::EC2::SecurityGroupIngress", "network").values()
        if r["Properties"]["GroupId"]["Fn::GetAtt"][0] == app
    ]
    assert [(r["SourceSecurityGroupId"]["Fn::GetAtt"][0], r["FromPort"]) for r in into_app] == [
        (link, 8000)
    ]
    open_rules = [
        rule
        for group in groups.values()
        for rule in group["Properties"].get("SecurityGroupIngress", [])
        if rule.get("CidrIp") == ANYWHERE
    ]
    assert open_rules == []


def _flows(dev: Synthesized, tier: str, *, egress: bool) -> set[tuple[int, str, int, int]]:
    acl = next(
        name
        for name, acl in _by_id(dev, "AWS::EC2::NetworkAcl", "network").items()
        if any(t["Value"] == f"{tier}-tier" for t in acl["Properties"]["Tags"])
    )
    flows = {
        (
            e["Properties"]["RuleNumber"],
            e["Properties"]["CidrBlock"],
            e["Properties"]["PortRange"]["From"],
            e["Properties"]["PortRange"]["To"],
        )
        for e in dev.resources("AWS::EC2::NetworkAclEntry", "network").values()
        if e["Properties"]["NetworkAclId"] == {"Ref": acl}
        and e["Properties"].get("Egress", False) is egress
    }
    assert flows, (tier, egress)
    return flows


def _cidrs(dev: Synthesized, tier: str) -> list[str]:
    prefix = {"public": "NetworkVpcpublicSubnet", "private": "NetworkVpcappSubnet"}[tier]
    cidrs = sorted(
        s["Properties"]["CidrBlock"]
        for name, s in _by_id(dev, "AWS::EC2::Subnet", "network").items()
        if name.startswith(prefix)
    )
    assert len(cidrs) == DEV.network.az_count, tier
    return cidrs


def test_the_acls_admit_the_vpc_link_and_no_load_balancer(dev: Synthesized) -> None:
    private = _cidrs(dev, "private")
    public_in = _flows(dev, "public", egress=False)
    assert not any(port == 80 for _, _, port, _ in public_in)  # no redirect to answer
    assert {(n, c, p) for n, c, p, _ in public_in if p == 443} == {
        (100 + i, c, 443) for i, c in enumerate(private)
    }
    assert not any(port == 8000 for _, _, port, _ in _flows(dev, "public", egress=True))
    private_in = _flows(dev, "private", egress=False)
    assert {f for f in private_in if f[2] == 8000} == {
        (100 + i, c, 8000, 8000) for i, c in enumerate(private)
    }
    replies = {f for f in _flows(dev, "private", egress=True) if f[0] // 10 == 13}
    assert replies == {(130 + i, c, *EPHEMERAL) for i, c in enumerate(private)}


def test_dev_alarms_on_the_api_instead_of_the_alb(dev: Synthesized) -> None:
    alarms = {
        a["Properties"]["AlarmName"].removeprefix("booking-dev-"): a["Properties"]
        for a in dev.resources("AWS::CloudWatch::Alarm").values()
    }
    assert "alb-5xx-rate" not in alarms and "alb-p95-latency" not in alarms
    rate = alarms["api-5xx-rate"]
    assert rate["Threshold"] == 1
    metrics = [m["MetricStat"]["Metric"] for m in rate["Metrics"] if "MetricStat" in m]
    assert {m["Namespace"] for m in metrics} == {"AWS/ApiGateway"}
    assert {m["MetricName"] for m in metrics} == {"Count", "5xx"}
    latency = alarms["api-p95-latency"]
    assert latency["ExtendedStatistic"] == "p95" and latency["MetricName"] == "Latency"
    assert latency["Threshold"] == 2000  # milliseconds: the ALB's 2 s
