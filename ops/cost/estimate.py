"""The monthly cost of one environment, line by line, from infra/environments.py and prices.py.

    uv run --project infra python ops/cost/estimate.py --env prod
    uv run --project infra python ops/cost/estimate.py --env prod \
        --requests-per-month 20e6 --gb-out 300

What is priced is what the CDK app deploys: the same typed configuration drives both, and
``footprint`` (the counts priced here) is checked against the synthesized templates by
infra/tests/test_cost.py. Traffic is an assumption you can change; defaults per environment
are in TRAFFIC below.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "infra")]

import cdn  # noqa: E402
import platforms  # noqa: E402
import prices  # noqa: E402
from environments import ENVIRONMENTS, EnvironmentConfig, ServiceSizing  # noqa: E402
from footprint import (  # noqa: E402
    KMS_KEYS,
    TRAFFIC,
    WAF_RULES,
    Footprint,
    Traffic,
    alarm_count,
    cache_groups,
    footprint,
    services,
    uses_http_api,
)

__all__ = [
    "KMS_KEYS",
    "TRAFFIC",
    "WAF_RULES",
    "Footprint",
    "Line",
    "Traffic",
    "estimate",
    "footprint",
    "main",
    "total",
]

HOURS = prices.HOURS_PER_MONTH
PLAN_ESTIMATES: dict[str, tuple[int, int] | None] = {
    "dev": (59, 59),
    "staging": None,
    "prod": (100, 400),
}
BENCH_RESULTS = HERE.parents[1] / "bench" / "results" / "latest.json"
OUTBOUND_GB_PER_MILLION = 0.5  # SES, Twilio and Sentry calls per million requests


@dataclass(frozen=True)
class Line:
    group: str
    item: str
    detail: str
    usd: float


def _fargate(sizing: ServiceSizing, hours: float) -> float:
    return hours * (
        sizing.vcpu * prices.FARGATE_ARM_VCPU_HOUR + sizing.memory_gb * prices.FARGATE_ARM_GB_HOUR
    )


def _nat(env: EnvironmentConfig, nat_gb: float) -> list[Line]:
    """The NAT gateways or instances with their addresses, and what they charge per GB."""
    net, counted = env.network, footprint(env)
    if counted.nat_instances:
        instance_hour = prices.EC2_INSTANCE_HOUR[net.nat_instance_type]
        return [
            Line(
                "network",
                "NAT instances",
                f"{counted.nat_instances} x {net.nat_instance_type} + 8 GB gp3 + IPv4",
                counted.nat_instances
                * (HOURS * (instance_hour + prices.PUBLIC_IPV4_HOUR) + 8 * prices.EBS_GP3_GB_MONTH),
            )
        ]
    gateways = counted.nat_gateways
    return [
        Line(
            "network",
            "NAT gateways",
            f"{gateways} x {HOURS} h + {gateways} IPv4",
            gateways * HOURS * (prices.NAT_GATEWAY_HOUR + prices.PUBLIC_IPV4_HOUR),
        ),
        Line("network", "NAT data processing", f"{nat_gb:.1f} GB", nat_gb * prices.NAT_GATEWAY_GB),
    ]


def network(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    net, counted = env.network, footprint(env)
    # tasks pull images, read secrets and ship logs; through endpoints when there are any
    internal_gb = (
        traffic.log_gb + 2 * env.compute.ecr_keep_images / 10 + traffic.requests_per_month / 1e6
    )
    outbound_gb = traffic.requests_per_month / 1e6 * OUTBOUND_GB_PER_MILLION
    nat_gb = outbound_gb if counted.interface_endpoints else internal_gb + outbound_gb
    lines = _nat(env, nat_gb)
    if counted.interface_endpoints:
        lines.append(
            Line(
                "network",
                "interface endpoints",
                f"ECR api+dkr, Secrets Manager, Logs x {net.az_count} AZ",
                counted.interface_endpoints * HOURS * prices.INTERFACE_ENDPOINT_AZ_HOUR
                + internal_gb * prices.INTERFACE_ENDPOINT_GB,
            )
        )
    if 0 < net.nat_gateways < net.az_count:  # tasks in AZs without a NAT cross to one
        crossing_gb = nat_gb * (1 - net.nat_gateways / net.az_count)
        lines.append(
            Line(
                "network",
                "cross-AZ to the NAT",
                f"{crossing_gb:.1f} GB",
                crossing_gb * prices.CROSS_AZ_GB,
            )
        )
    lines.append(
        Line(
            "network",
            "data transfer out (API)" if uses_http_api(env) else "data transfer out (ALB)",
            f"{traffic.gb_out:g} GB",
            traffic.gb_out * prices.DATA_TRANSFER_OUT_GB,
        )
    )
    return lines


def compute(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    settings = env.compute
    registry = Line(
        "compute",
        "ECR storage",
        f"{settings.ecr_keep_images} images x 0.3 GB",
        settings.ecr_keep_images * 0.3 * prices.ECR_GB_MONTH,
    )
    if env.platform == "eks":
        return [Line("compute", *item) for item in platforms.eks_compute(env)] + [registry]
    if env.platform == "none":
        return [registry]
    lines = [
        Line(
            "compute",
            f"Fargate {role}",
            f"{sizing.min_tasks} x {sizing.vcpu:g} vCPU / {sizing.memory_gb:g} GB ARM64",
            sizing.min_tasks * _fargate(sizing, HOURS),
        )
        for role, sizing in services(env)
    ]
    lines.append(
        Line(
            "compute",
            "Fargate migrate",
            f"{traffic.deploys} runs x 5 min",
            _fargate(settings.migrate, traffic.deploys * 5 / 60),
        )
    )
    lines.append(registry)
    return lines


def database(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    config = env.database
    hourly = (
        prices.RDS_MYSQL_INSTANCE_HOUR if config.engine == "mysql" else prices.RDS_INSTANCE_HOUR
    )
    engine = "MySQL 8.0" if config.engine == "mysql" else "PostgreSQL 16"
    copies = 2 if config.multi_az else 1
    storage_gb = config.allocated_storage_gb
    lines = [
        Line(
            "database",
            "RDS primary",
            f"{engine} db.{config.instance_class}{' Multi-AZ' if config.multi_az else ''}",
            copies * hourly[config.instance_class] * HOURS,
        ),
        Line(
            "database",
            "RDS storage",
            f"{storage_gb} GB gp3 x {copies}",
            copies * storage_gb * prices.RDS_GP3_GB_MONTH,
        ),
    ]
    if config.read_replicas:
        replica_hour = hourly[config.replica_class]
        lines.append(
            Line(
                "database",
                "RDS read replicas",
                f"{config.read_replicas} x db.{config.replica_class} + {storage_gb} GB",
                config.read_replicas
                * (replica_hour * HOURS + storage_gb * prices.RDS_GP3_GB_MONTH),
            )
        )
    backup_gb = max(0.0, traffic.db_gb * config.backup_retention_days * 0.1 - storage_gb)
    lines.append(
        Line(
            "database",
            "RDS backups beyond free",
            f"{backup_gb:.0f} GB",
            backup_gb * prices.RDS_BACKUP_GB_MONTH,
        )
    )
    return lines


def cache(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    config = env.cache
    groups = [("cache", config.node_type)]
    if config.separate_broker:
        groups.append(("broker", config.broker_node_type))
    return [
        Line(
            "cache",
            f"ElastiCache {role} group",
            f"{config.nodes_per_group} x {node_type}",
            config.nodes_per_group * prices.ELASTICACHE_VALKEY_NODE_HOUR[node_type] * HOURS,
        )
        for role, node_type in groups
    ]


def _front_door(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    """The ALB (ECS), ingress-nginx's NLB (EKS), or nothing (no platform)."""
    if env.platform == "eks":
        return [Line("edge", *platforms.ingress_nlb(env, traffic))]
    if env.platform == "none":
        return []
    if uses_http_api(env):
        return _http_api(env, traffic)
    # one LCU covers 25 new connections/s, 3000 active, 1 GB/h or 1000 rule evaluations/s; AWS
    # bills the fraction used in each hour (the highest dimension), not a whole LCU
    lcu = max(traffic.gb_out / HOURS, traffic.requests_per_month / (HOURS * 3600) / 25)
    alb_ips = env.network.az_count
    return [
        Line(
            "edge",
            "ALB",
            f"{HOURS} h + {lcu:.2f} LCU + {alb_ips} IPv4",
            HOURS
            * (prices.ALB_HOUR + lcu * prices.ALB_LCU_HOUR + alb_ips * prices.PUBLIC_IPV4_HOUR),
        )
    ]


def _http_api(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    """No hourly charge and no public address: requests, and Cloud Map for the web tasks."""
    millions = traffic.requests_per_month / 1e6
    tasks = env.compute.web.min_tasks
    return [
        Line(
            "edge",
            "API Gateway HTTP API",
            f"{millions:g} M requests; the VPC link is free",
            millions * prices.HTTP_API_MILLION_REQUESTS,
        ),
        Line(
            "edge",
            "Cloud Map",
            f"namespace zone + {tasks} task + <= {millions:g} M lookups",
            prices.ROUTE53_HOSTED_ZONE_MONTH
            + tasks * prices.CLOUD_MAP_RESOURCE_MONTH
            # at most one discovery call per request (API Gateway caches; an upper bound)
            + millions * prices.CLOUD_MAP_MILLION_DISCOVERY_CALLS,
        ),
    ]


def edge(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    return [
        *_front_door(env, traffic),
        *(Line("edge", *item) for item in cdn.cdn_lines(env, traffic)),
        Line(
            "edge",
            "Route 53 + ACM",
            "hosted zone; public certificate is free",
            prices.ROUTE53_HOSTED_ZONE_MONTH + prices.ACM_PUBLIC_CERTIFICATE,
        ),
    ]


def storage(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    backups_gb = traffic.db_gb * 10  # daily dumps, compressed, moving to Glacier IR
    stored_gb = traffic.media_gb + traffic.log_gb + 1  # 1: static files and the web app
    requests_k = traffic.requests_per_month / 1e3
    return [
        Line(
            "storage",
            "S3 app, static, media, logs",
            f"{stored_gb:g} GB",
            stored_gb * prices.S3_STANDARD_GB_MONTH
            + requests_k * 0.05 * prices.S3_PUT_1K
            + requests_k * 0.2 * prices.S3_GET_1K,
        ),
        Line(
            "storage",
            "S3 backups (Glacier IR)",
            f"{backups_gb:g} GB",
            backups_gb * prices.S3_GLACIER_IR_GB_MONTH,
        ),
    ]


def security(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    counted = footprint(env)
    events_millions = 0.3
    flow_gb = traffic.log_gb / 3
    lines = [
        Line(
            "security",
            "Secrets Manager",
            f"{counted.secrets} secrets",
            counted.secrets * prices.SECRET_MONTH,
        ),
        Line(
            "security",
            "KMS keys",
            f"{counted.kms_keys} customer-managed keys"
            if counted.kms_keys
            else "AWS-managed aws/* keys (free)",
            counted.kms_keys * prices.KMS_KEY_MONTH,
        ),
        Line(
            "security",
            "CloudTrail",
            "first management trail (delivery to S3 is free)",
            prices.CLOUDTRAIL_FIRST_MANAGEMENT_TRAIL,
        ),
    ]
    if env.observability.enable_guardduty:
        lines.append(
            Line(
                "security",
                "GuardDuty",
                f"{events_millions} M events + {flow_gb:.1f} GB logs",
                events_millions * prices.GUARDDUTY_MILLION_EVENTS
                + flow_gb * prices.GUARDDUTY_FLOW_GB,
            )
        )
    return lines


def observability(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    alarms = alarm_count(env)
    failover_nodes = env.cache.nodes_per_group - 1
    alarm_metrics = alarms + 2 + cache_groups(env) * 2 * failover_nodes
    lines = [
        Line(
            "observability",
            "CloudWatch Logs",
            f"{traffic.log_gb:g} GB ingested and kept",
            traffic.log_gb
            * (prices.CLOUDWATCH_LOGS_INGEST_GB + prices.CLOUDWATCH_LOGS_STORE_GB_MONTH),
        ),
        Line(
            "observability",
            "CloudWatch alarms",
            f"{alarms} alarms, {alarm_metrics} metrics",
            alarm_metrics * prices.CLOUDWATCH_ALARM_METRIC_MONTH,
        ),
    ]
    if env.observability.dashboard:
        lines.append(
            Line("observability", "CloudWatch dashboard", "1", prices.CLOUDWATCH_DASHBOARD_MONTH)
        )
    if env.compute.container_insights and env.platform == "ecs":
        insights_metrics = 8 + 11 * len(services(env))  # cluster-level and per service
        lines.append(
            Line(
                "observability",
                "Container Insights",
                f"~{insights_metrics} metrics",
                insights_metrics * prices.CLOUDWATCH_CUSTOM_METRIC_MONTH,
            )
        )
    return lines


UNITS: tuple[Callable[[EnvironmentConfig, Traffic], list[Line]], ...] = (
    network,
    compute,
    database,
    cache,
    edge,
    storage,
    security,
    observability,
)


def estimate(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    return [line for unit in UNITS for line in unit(env, traffic)]


def total(lines: list[Line]) -> float:
    return round(sum(line.usd for line in lines), 2)


def render(env: EnvironmentConfig, traffic: Traffic, lines: list[Line]) -> str:
    out = [
        f"Monthly cost of '{env.name}' on {env.platform.upper()} ({prices.REGION}, on-demand, "
        f"prices as of {prices.PRICES_AS_OF})",
        f"traffic: {traffic.requests_per_month / 1e6:g} M requests, {traffic.gb_out:g} GB out "
        f"via {'API Gateway' if uses_http_api(env) else 'ALB'}, "
        f"{traffic.cdn_gb_out:g} GB via CloudFront",
        "",
        f"{'group':<14}{'item':<28}{'detail':<52}{'USD':>10}",
        "-" * 104,
    ]
    out += [
        f"{line.group:<14}{line.item:<28}{line.detail[:51]:<52}{line.usd:>10.2f}" for line in lines
    ]
    out += ["-" * 104, f"{'total':<94}{total(lines):>10.2f}"]
    out += compute_per_million(env)
    plan = PLAN_ESTIMATES.get(env.name)
    if plan:
        low, high = plan
        said = f"${low}" if low == high else f"${low}-${high}"
        out.append(f"the deployment plans estimated about {said}/month for {env.name}")
    return "\n".join(out)


def compute_per_million(env: EnvironmentConfig, results: Path = BENCH_RESULTS) -> list[str]:
    """Web compute per million requests at the throughput `make bench` measured per vCPU."""
    try:
        capacity = json.loads(results.read_text())["capacity"]
        rps_per_vcpu = float(capacity["rps_per_vcpu"])
    except (OSError, ValueError, KeyError, TypeError):
        return []  # no benchmark result yet: `make bench` writes it
    web = env.compute.web
    per_million = _fargate(web, 1) / (rps_per_vcpu * web.vcpu * 3600) * 1e6
    return [
        f"cost per million requests (web compute, fully busy): ${per_million:.4f} at "
        f"{rps_per_vcpu:g} rps per vCPU ({capacity.get('scenario', '?')}, "
        f"bench/results/latest.json) on {web.vcpu:g} vCPU / {web.memory_gb:g} GB tasks"
    ]


def _traffic(args: argparse.Namespace) -> Traffic:
    base = TRAFFIC[args.env]
    return Traffic(
        requests_per_month=args.requests_per_month or base.requests_per_month,
        gb_out=base.gb_out if args.gb_out is None else args.gb_out,
        cdn_gb_out=base.cdn_gb_out if args.cdn_gb_out is None else args.cdn_gb_out,
        db_gb=base.db_gb,
        media_gb=base.media_gb,
        log_gb=base.log_gb,
        deploys=base.deploys,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--env", default="dev", choices=sorted(ENVIRONMENTS))
    parser.add_argument("--requests-per-month", type=float)
    parser.add_argument("--gb-out", type=float, help="GB/month leaving through the ALB")
    parser.add_argument("--cdn-gb-out", type=float, help="GB/month leaving through CloudFront")
    parser.add_argument(
        "--platform",
        choices=["ecs", "eks", "none"],
        help="price the app on this platform instead of the environment's own",
    )
    parser.add_argument(
        "--engine", choices=["postgres", "mysql"], help="price this database engine instead"
    )
    args = parser.parse_args(argv)
    env = ENVIRONMENTS[args.env]
    if args.platform:
        env = replace(env, platform=args.platform)
    if args.engine:
        env = replace(env, database=replace(env.database, engine=args.engine))
    traffic = _traffic(args)
    print(render(env, traffic, estimate(env, traffic)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
