"""The cost model prices what environments.py deploys, and reacts to the traffic assumption."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ops" / "cost"))

import estimate
import prices
from environments import DEV, ENVIRONMENTS, PROD, EnvironmentConfig

from conftest import Synthesized

BUDGET = {"prod": 300.0, "dev": 60.0}  # issue 13: dev at most $60 at the default traffic
DEV_WITH_ALB = replace(DEV, edge=replace(DEV.edge, entry="alb"))


def _lines(env: EnvironmentConfig, traffic: estimate.Traffic | None = None) -> dict[str, float]:
    traffic = traffic or estimate.TRAFFIC[env.name]
    return {line.item: line.usd for line in estimate.estimate(env, traffic)}


def _total(env: EnvironmentConfig) -> float:
    return estimate.total(estimate.estimate(env, estimate.TRAFFIC[env.name]))


def test_prod_stays_within_the_budget_at_the_default_traffic() -> None:
    assert _total(PROD) <= BUDGET["prod"]


def test_dev_stays_within_its_budget_behind_the_http_api() -> None:
    assert _total(DEV) <= BUDGET["dev"] < _total(DEV_WITH_ALB)


def test_the_http_api_replaces_the_alb_and_its_addresses_in_dev() -> None:
    lines, traffic = _lines(DEV), estimate.TRAFFIC["dev"]
    assert "ALB" not in lines and "data transfer out (ALB)" not in lines
    millions = traffic.requests_per_month / 1e6
    assert lines["API Gateway HTTP API"] == pytest.approx(
        millions * prices.HTTP_API_MILLION_REQUESTS
    )
    assert lines["Cloud Map"] == pytest.approx(
        prices.ROUTE53_HOSTED_ZONE_MONTH
        + DEV.compute.web.min_tasks * prices.CLOUD_MAP_RESOURCE_MONTH
        + millions * prices.CLOUD_MAP_MILLION_DISCOVERY_CALLS
    )
    assert lines["data transfer out (API)"] == traffic.gb_out * prices.DATA_TRANSFER_OUT_GB
    assert estimate.footprint(DEV).public_ipv4 == DEV.network.nat_gateways  # the NAT's only
    with_alb = _lines(DEV_WITH_ALB)
    assert "API Gateway HTTP API" not in with_alb and "Cloud Map" not in with_alb
    assert with_alb["ALB"] > 20
    # staging and prod keep the ALB
    assert all(
        "ALB" in _lines(env) and "API Gateway HTTP API" not in _lines(env)
        for env in ENVIRONMENTS.values()
        if env.name != "dev"
    )


def test_a_nat_gateway_costs_its_hours_and_its_address() -> None:
    one = prices.HOURS_PER_MONTH * (prices.NAT_GATEWAY_HOUR + prices.PUBLIC_IPV4_HOUR)
    assert _lines(PROD)["NAT gateways"] == pytest.approx(PROD.network.nat_gateways * one)
    per_az = replace(PROD, network=replace(PROD.network, nat_gateways=2))
    assert _lines(per_az)["NAT gateways"] == pytest.approx(2 * one)
    assert "cross-AZ to the NAT" not in _lines(per_az)
    assert "cross-AZ to the NAT" in _lines(PROD)


def test_dev_pays_for_a_nat_instance_and_no_gateway() -> None:
    lines = _lines(DEV)
    assert "NAT gateways" not in lines and "NAT data processing" not in lines
    instance = (
        prices.HOURS_PER_MONTH * (prices.EC2_INSTANCE_HOUR["t4g.nano"] + prices.PUBLIC_IPV4_HOUR)
        + 8 * prices.EBS_GP3_GB_MONTH
    )
    assert lines["NAT instances"] == pytest.approx(instance)


def test_interface_endpoints_cost_more_than_the_nat_bytes_they_save() -> None:
    with_endpoints = replace(PROD, network=replace(PROD.network, interface_endpoints=True))
    assert _total(with_endpoints) - _total(PROD) > 50


def test_a_second_web_acl_inspects_cloudfront_requests_too() -> None:
    both = replace(PROD, edge=replace(PROD.edge, waf_scope="alb_and_cdn"))
    traffic = estimate.TRAFFIC["prod"]
    extra = (
        prices.WAF_WEB_ACL_MONTH
        + estimate.WAF_RULES * prices.WAF_RULE_MONTH
        # the web app's API calls cross both ACLs: CloudFront's, then the ALB's
        + (traffic.cdn_requests + traffic.requests_per_month) / 1e6 * prices.WAF_MILLION_REQUESTS
    )
    assert _lines(both)["WAF"] - _lines(PROD)["WAF"] == pytest.approx(extra)


def test_cloudfront_carries_the_api_calls_and_runs_the_router_per_page_view() -> None:
    traffic = estimate.TRAFFIC["prod"]
    lines = _lines(PROD)
    requests = traffic.cdn_requests + traffic.requests_per_month
    assert lines["CloudFront"] == pytest.approx(
        traffic.cdn_gb_out * prices.CLOUDFRONT_GB_OUT
        + requests / 1e4 * prices.CLOUDFRONT_HTTPS_10K_REQUESTS
    )
    assert lines["CloudFront Function"] == pytest.approx(
        traffic.page_views / 1e6 * prices.CLOUDFRONT_FUNCTION_MILLION_INVOCATIONS
    )
    assert "CloudFront Function" not in _lines(replace(PROD, platform="eks"))


def test_multi_az_doubles_the_database_instance() -> None:
    single = replace(PROD, database=replace(PROD.database, multi_az=False))
    assert _lines(PROD)["RDS primary"] == pytest.approx(2 * _lines(single)["RDS primary"])


def test_the_replica_is_priced_at_its_own_class() -> None:
    replica = _lines(PROD)["RDS read replicas"]
    hour = prices.RDS_INSTANCE_HOUR[PROD.database.replica_class]
    storage = PROD.database.allocated_storage_gb * prices.RDS_GP3_GB_MONTH
    assert replica == pytest.approx(hour * prices.HOURS_PER_MONTH + storage)


def test_a_replica_and_a_broker_group_appear_only_where_configured() -> None:
    assert "RDS read replicas" in _lines(PROD)
    assert "RDS read replicas" not in _lines(DEV)
    separate = replace(PROD, cache=replace(PROD.cache, separate_broker=True))
    assert "ElastiCache broker group" in _lines(separate)
    assert "ElastiCache broker group" not in _lines(PROD)


def test_container_insights_is_priced_only_when_on() -> None:
    assert "Container Insights" not in _lines(PROD)
    on = replace(PROD, compute=replace(PROD.compute, container_insights=True))
    assert _lines(on)["Container Insights"] > 0


def test_more_traffic_costs_more() -> None:
    base = estimate.TRAFFIC["prod"]
    busier = replace(base, requests_per_month=base.requests_per_month * 10, gb_out=base.gb_out * 10)
    low = estimate.total(estimate.estimate(PROD, base))
    high = estimate.total(estimate.estimate(PROD, busier))
    assert high > low
    assert _lines(PROD, busier)["data transfer out (ALB)"] == pytest.approx(
        busier.gb_out * prices.DATA_TRANSFER_OUT_GB
    )


def test_environments_cost_in_the_order_of_their_size() -> None:
    totals = {name: _total(env) for name, env in ENVIRONMENTS.items()}
    assert totals["dev"] < totals["staging"] < totals["prod"]


def test_the_cli_prints_every_line_and_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert estimate.main(["--env", "prod", "--requests-per-month", "2e7", "--gb-out", "300"]) == 0
    out = capsys.readouterr().out
    assert "20 M requests, 300 GB out" in out
    assert prices.PRICES_AS_OF in out
    assert "total" in out and "NAT gateways" in out
    assert "$100-$400" in out


# ---- what is priced is what is synthesized ---------------------------------------------------


def _count(env: Synthesized, cfn_type: str) -> int:
    return len(env.resources(cfn_type))


def _running_tasks(env: Synthesized) -> dict[str, tuple[int, int, int]]:
    families = {
        r["Properties"]["Family"]: r["Properties"]
        for r in env.resources("AWS::ECS::TaskDefinition").values()
    }
    tasks = {}
    for service in env.resources("AWS::ECS::Service").values():
        props = service["Properties"]
        role = props["ServiceName"]
        task = families[f"booking-{env.config.name}-{role}"]
        tasks[role] = (props["DesiredCount"], int(task["Cpu"]), int(task["Memory"]))
    return tasks


def test_the_priced_footprint_is_the_synthesized_one(each_env: Synthesized) -> None:
    counted = estimate.footprint(each_env.config)
    assert counted.nat_gateways == _count(each_env, "AWS::EC2::NatGateway")
    assert counted.nat_instances == _count(each_env, "AWS::EC2::Instance")
    # a NAT gateway has an Elastic IP, a NAT instance an auto-assigned address, the ALB one per AZ
    assert counted.nat_gateways == _count(each_env, "AWS::EC2::EIP")
    load_balancers = _count(each_env, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    assert counted.load_balancers == load_balancers
    assert counted.public_ipv4 == (
        counted.nat_gateways
        + counted.nat_instances
        + load_balancers * each_env.config.network.az_count
    )
    assert counted.http_apis == _count(each_env, "AWS::ApiGatewayV2::Api")
    assert counted.cloud_map_namespaces == _count(
        each_env, "AWS::ServiceDiscovery::PrivateDnsNamespace"
    )
    interfaces = [
        e
        for e in each_env.resources("AWS::EC2::VPCEndpoint").values()
        if e["Properties"].get("VpcEndpointType") == "Interface"
    ]
    assert counted.interface_endpoints == len(interfaces) * each_env.config.network.az_count
    assert counted.web_acls == _count(each_env, "AWS::WAFv2::WebACL")
    assert counted.cloudfront_functions == _count(each_env, "AWS::CloudFront::Function")
    assert counted.kms_keys == _count(each_env, "AWS::KMS::Key")
    assert counted.secrets == _count(each_env, "AWS::SecretsManager::Secret")
    assert counted.alarms == _count(each_env, "AWS::CloudWatch::Alarm")
    assert counted.running_tasks == _running_tasks(each_env)
    instances: Counter[str] = Counter()
    for db in each_env.resources("AWS::RDS::DBInstance").values():
        props = db["Properties"]
        instances[props["DBInstanceClass"].removeprefix("db.")] += 2 if props.get("MultiAZ") else 1
    assert counted.database_instances == dict(instances)
    nodes: Counter[str] = Counter()
    for group in each_env.resources("AWS::ElastiCache::ReplicationGroup").values():
        nodes[group["Properties"]["CacheNodeType"]] += group["Properties"]["NumCacheClusters"]
    assert counted.cache_nodes == dict(nodes)
    cluster = each_env.one("AWS::ECS::Cluster")["Properties"]["ClusterSettings"][0]
    assert (cluster["Value"] == "enabled") is counted.container_insights


def test_dev_goes_without_waf_customer_keys_dashboard_and_guardduty() -> None:
    lines = _lines(DEV)
    assert "WAF" not in lines and "CloudWatch dashboard" not in lines and "GuardDuty" not in lines
    assert lines["KMS keys"] == 0
    costlier = replace(
        DEV,
        edge=replace(DEV.edge, waf_scope="alb", entry="alb"),
        keys="customer",
        observability=replace(DEV.observability, dashboard=True, enable_guardduty=True),
    )
    added = _lines(costlier)
    assert added["KMS keys"] == pytest.approx(estimate.KMS_KEYS * prices.KMS_KEY_MONTH)
    assert added["CloudWatch dashboard"] == prices.CLOUDWATCH_DASHBOARD_MONTH
    assert _total(costlier) - _total(DEV_WITH_ALB) > 19


def test_the_alb_pays_for_the_share_of_an_lcu_it_uses() -> None:
    alb = _lines(DEV_WITH_ALB)["ALB"]
    fixed = prices.HOURS_PER_MONTH * (
        prices.ALB_HOUR + DEV.network.az_count * prices.PUBLIC_IPV4_HOUR
    )
    assert 0 < alb - fixed < prices.HOURS_PER_MONTH * prices.ALB_LCU_HOUR * 0.1


def test_eks_pays_for_its_control_plane_and_nodes_instead_of_fargate() -> None:
    eks = replace(PROD, platform="eks")
    lines = _lines(eks)
    hours = prices.HOURS_PER_MONTH
    assert lines["EKS control plane"] == pytest.approx(hours * prices.EKS_CONTROL_PLANE_HOUR)
    cluster = eks.kubernetes
    node = hours * prices.EC2_INSTANCE_HOUR[cluster.instance_types[0]]
    disk = cluster.node_disk_gb * prices.EBS_GP3_GB_MONTH
    assert lines["EKS nodes"] == pytest.approx(cluster.nodes_desired * (node + disk))
    assert not {"Fargate web", "Fargate worker", "Fargate beat", "ALB", "WAF"} & set(lines)
    assert _total(eks) > _total(PROD)  # at prod's size the control plane is not repaid


def test_the_cli_prices_another_platform(capsys: pytest.CaptureFixture[str]) -> None:
    assert estimate.main(["--env", "prod", "--platform", "eks"]) == 0
    out = capsys.readouterr().out
    assert "on EKS" in out and "EKS control plane" in out and "Fargate" not in out


def test_mysql_is_priced_at_its_own_list_prices() -> None:
    mysql = replace(PROD, database=replace(PROD.database, engine="mysql"))
    lines = _lines(mysql)
    hour = prices.RDS_MYSQL_INSTANCE_HOUR[PROD.database.instance_class]
    assert lines["RDS primary"] == pytest.approx(2 * hour * prices.HOURS_PER_MONTH)
    replica = prices.RDS_MYSQL_INSTANCE_HOUR[PROD.database.replica_class]
    assert lines["RDS read replicas"] == pytest.approx(
        replica * prices.HOURS_PER_MONTH
        + PROD.database.allocated_storage_gb * prices.RDS_GP3_GB_MONTH
    )
    assert _total(mysql) <= BUDGET["prod"]


def test_the_cli_prices_another_engine(capsys: pytest.CaptureFixture[str]) -> None:
    assert estimate.main(["--env", "prod", "--engine", "mysql"]) == 0
    assert "MySQL 8.0 db.t4g.small Multi-AZ" in capsys.readouterr().out
