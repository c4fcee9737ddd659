"""The monthly cost of one environment, line by line, from infra/environments.py and prices.py.

    uv run --project infra python ops/cost/estimate.py --env prod
    uv run --project infra python ops/cost/estimate.py --env prod --requests-per-month 20e6 --gb-out 300

What is priced is what the CDK app deploys: the same typed configuration drives both. Traffic
is an assumption you can change; defaults per environment are in TRAFFIC below.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "infra")]

import prices as p  # noqa: E402

from environments import ENVIRONMENTS, EnvironmentConfig, ServiceSizing  # noqa: E402

H = p.HOURS_PER_MONTH
PLAN_ESTIMATES = {"dev": (59, 59), "staging": None, "prod": (100, 400)}
BENCH_RESULTS = HERE.parents[1] / "bench" / "results" / "latest.json"


@dataclass(frozen=True)
class Traffic:
    requests_per_month: float
    gb_out: float  # API responses leaving through the ALB
    cdn_gb_out: float  # static and media leaving through CloudFront
    db_gb: float  # data in PostgreSQL (backups are charged beyond the provisioned storage)
    media_gb: float
    log_gb: float  # application, access and flow logs ingested into CloudWatch
    deploys: int  # each runs one migrate task for about five minutes


TRAFFIC = {
    "dev": Traffic(requests_per_month=0.5e6, gb_out=5, cdn_gb_out=5, db_gb=2, media_gb=2,
                   log_gb=3, deploys=60),
    "staging": Traffic(requests_per_month=1e6, gb_out=10, cdn_gb_out=10, db_gb=5, media_gb=5,
                       log_gb=5, deploys=40),
    "prod": Traffic(requests_per_month=10e6, gb_out=100, cdn_gb_out=200, db_gb=20, media_gb=50,
                    log_gb=30, deploys=20),
}


@dataclass(frozen=True)
class Line:
    group: str
    item: str
    detail: str
    usd: float


def _fargate(sizing: ServiceSizing, hours: float) -> float:
    return hours * (sizing.vcpu * p.FARGATE_ARM_VCPU_HOUR + sizing.memory_gb * p.FARGATE_ARM_GB_HOUR)


def network(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    net = env.network
    # tasks pull images, read secrets and ship logs; through endpoints when there are any
    internal_gb = t.log_gb + 2 * env.compute.ecr_keep_images / 10 + t.requests_per_month / 1e6
    lines = [Line("network", "NAT gateways", f"{net.nat_gateways} x {H} h",
                  net.nat_gateways * H * p.NAT_GATEWAY_HOUR)]
    if net.interface_endpoints:
        count = 4 * net.az_count
        lines.append(Line("network", "interface endpoints",
                          f"ECR api+dkr, Secrets Manager, Logs x {net.az_count} AZ",
                          count * H * p.INTERFACE_ENDPOINT_AZ_HOUR
                          + internal_gb * p.INTERFACE_ENDPOINT_GB))
        nat_gb = t.requests_per_month / 1e6 * 0.5  # outbound calls: SES, Twilio, Sentry
    else:
        nat_gb = internal_gb + t.requests_per_month / 1e6 * 0.5
    lines.append(Line("network", "NAT data processing", f"{nat_gb:.1f} GB",
                      nat_gb * p.NAT_GATEWAY_GB))
    lines.append(Line("network", "data transfer out (ALB)", f"{t.gb_out:g} GB",
                      t.gb_out * p.DATA_TRANSFER_OUT_GB))
    return lines


def compute(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    c = env.compute
    lines = [
        Line("compute", f"Fargate {role}",
             f"{s.min_tasks} x {s.vcpu:g} vCPU / {s.memory_gb:g} GB ARM64",
             s.min_tasks * _fargate(s, H))
        for role, s in (("web", c.web), ("worker", c.worker), ("beat", c.beat))
    ]
    lines.append(Line("compute", "Fargate migrate", f"{t.deploys} runs x 5 min",
                      _fargate(c.migrate, t.deploys * 5 / 60)))
    lines.append(Line("compute", "ECR storage", f"{c.ecr_keep_images} images x 0.3 GB",
                      c.ecr_keep_images * 0.3 * p.ECR_GB_MONTH))
    return lines


def database(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    d = env.database
    hourly = p.RDS_INSTANCE_HOUR[d.instance_class]
    copies = 2 if d.multi_az else 1
    lines = [
        Line("database", "RDS primary",
             f"db.{d.instance_class}{' Multi-AZ' if d.multi_az else ''}", copies * hourly * H),
        Line("database", "RDS storage", f"{d.allocated_storage_gb} GB gp3 x {copies}",
             copies * d.allocated_storage_gb * p.RDS_GP3_GB_MONTH),
    ]
    if d.read_replicas:
        lines.append(Line("database", "RDS read replicas", f"{d.read_replicas} x db.{d.instance_class}",
                          d.read_replicas * (hourly * H
                                             + d.allocated_storage_gb * p.RDS_GP3_GB_MONTH)))
    backup_gb = max(0.0, t.db_gb * d.backup_retention_days * 0.1 - d.allocated_storage_gb)
    lines.append(Line("database", "RDS backups beyond free", f"{backup_gb:.0f} GB",
                      backup_gb * p.RDS_BACKUP_GB_MONTH))
    return lines


def cache(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    c = env.cache
    lines = [Line("cache", "ElastiCache cache group", f"{c.nodes_per_group} x {c.node_type}",
                  c.nodes_per_group * p.ELASTICACHE_VALKEY_NODE_HOUR[c.node_type] * H)]
    if c.separate_broker:
        lines.append(Line("cache", "ElastiCache broker group",
                          f"{c.nodes_per_group} x {c.broker_node_type}",
                          c.nodes_per_group * p.ELASTICACHE_VALKEY_NODE_HOUR[c.broker_node_type]
                          * H))
    return lines


def edge(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    # one LCU covers 25 new connections/s, 3000 active, 1 GB/h or 1000 rule evaluations/s
    lcu = max(1.0, (t.gb_out / H) / 1.0, t.requests_per_month / (H * 3600) / 25)
    cdn_requests = t.requests_per_month * 2  # assets per page view
    waf_requests = t.requests_per_month + cdn_requests
    rules = 4  # three managed groups and the rate rule
    return [
        Line("edge", "ALB", f"{H} h + {lcu:.1f} LCU", H * (p.ALB_HOUR + lcu * p.ALB_LCU_HOUR)),
        Line("edge", "WAF", f"2 web ACLs x {rules} rules + {waf_requests / 1e6:.1f} M requests",
             2 * (p.WAF_WEB_ACL_MONTH + rules * p.WAF_RULE_MONTH)
             + waf_requests / 1e6 * p.WAF_MILLION_REQUESTS),
        Line("edge", "CloudFront", f"{t.cdn_gb_out:g} GB + {cdn_requests / 1e6:.1f} M requests",
             t.cdn_gb_out * p.CLOUDFRONT_GB_OUT
             + cdn_requests / 1e4 * p.CLOUDFRONT_HTTPS_10K_REQUESTS),
        Line("edge", "Route 53 + ACM", "hosted zone; public certificate is free",
             p.ROUTE53_HOSTED_ZONE_MONTH + p.ACM_PUBLIC_CERTIFICATE),
    ]


def storage(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    backups_gb = t.db_gb * 10  # daily dumps, compressed, moving to Glacier IR
    return [
        Line("storage", "S3 static, media, logs", f"{t.media_gb + t.log_gb + 1:g} GB",
             (t.media_gb + t.log_gb + 1) * p.S3_STANDARD_GB_MONTH
             + t.requests_per_month / 1e3 * 0.05 * p.S3_PUT_1K
             + t.requests_per_month / 1e3 * 0.2 * p.S3_GET_1K),
        Line("storage", "S3 backups (Glacier IR)", f"{backups_gb:g} GB",
             backups_gb * p.S3_GLACIER_IR_GB_MONTH),
    ]


def security(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    secrets = 5  # database, redis token, django key, twilio, sentry
    keys = 5  # database, cache, services, alarm topic, trail
    events_m = 0.3
    flow_gb = t.log_gb / 3
    lines = [
        Line("security", "Secrets Manager", f"{secrets} secrets", secrets * p.SECRET_MONTH),
        Line("security", "KMS keys", f"{keys} customer-managed keys", keys * p.KMS_KEY_MONTH),
        Line("security", "CloudTrail", "first management trail (delivery to S3 is free)",
             p.CLOUDTRAIL_FIRST_MANAGEMENT_TRAIL),
    ]
    if env.observability.enable_guardduty:
        lines.append(Line("security", "GuardDuty", f"{events_m} M events + {flow_gb:.1f} GB logs",
                          events_m * p.GUARDDUTY_MILLION_EVENTS + flow_gb * p.GUARDDUTY_FLOW_GB))
    return lines


def observability(env: EnvironmentConfig, t: Traffic) -> list[Line]:
    replicas = env.database.read_replicas
    groups = 2 if env.cache.separate_broker else 1
    alarms = 2 + 6 + 3 * (1 + replicas) + replicas + 2 * groups + 1
    alarm_metrics = alarms + 2 + groups * 2 * (env.cache.nodes_per_group - 1)
    insights_metrics = 8 + 11 * 3  # cluster-level and per-service Container Insights metrics
    return [
        Line("observability", "CloudWatch Logs", f"{t.log_gb:g} GB ingested and kept",
             t.log_gb * (p.CLOUDWATCH_LOGS_INGEST_GB + p.CLOUDWATCH_LOGS_STORE_GB_MONTH)),
        Line("observability", "CloudWatch alarms", f"{alarms} alarms, {alarm_metrics} metrics",
             alarm_metrics * p.CLOUDWATCH_ALARM_METRIC_MONTH),
        Line("observability", "CloudWatch dashboard", "1", p.CLOUDWATCH_DASHBOARD_MONTH),
        Line("observability", "Container Insights", f"~{insights_metrics} metrics",
             insights_metrics * p.CLOUDWATCH_CUSTOM_METRIC_MONTH),
    ]


UNITS = (network, compute, database, cache, edge, storage, security, observability)


def estimate(env: EnvironmentConfig, traffic: Traffic) -> list[Line]:
    return [line for unit in UNITS for line in unit(env, traffic)]


def total(lines: list[Line]) -> float:
    return round(sum(line.usd for line in lines), 2)


def render(env: EnvironmentConfig, traffic: Traffic, lines: list[Line]) -> str:
    out = [
        f"Monthly cost of '{env.name}' ({p.REGION}, on-demand, prices as of {p.PRICES_AS_OF})",
        f"traffic: {traffic.requests_per_month / 1e6:g} M requests, {traffic.gb_out:g} GB out "
        f"via ALB, {traffic.cdn_gb_out:g} GB via CloudFront",
        "",
        f"{'group':<14}{'item':<28}{'detail':<52}{'USD':>10}",
        "-" * 104,
    ]
    out += [f"{ln.group:<14}{ln.item:<28}{ln.detail[:51]:<52}{ln.usd:>10.2f}" for ln in lines]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="dev", choices=sorted(ENVIRONMENTS))
    parser.add_argument("--requests-per-month", type=float)
    parser.add_argument("--gb-out", type=float, help="GB/month leaving through the ALB")
    parser.add_argument("--cdn-gb-out", type=float, help="GB/month leaving through CloudFront")
    args = parser.parse_args(argv)
    base = TRAFFIC[args.env]
    traffic = Traffic(
        requests_per_month=args.requests_per_month or base.requests_per_month,
        gb_out=base.gb_out if args.gb_out is None else args.gb_out,
        cdn_gb_out=base.cdn_gb_out if args.cdn_gb_out is None else args.cdn_gb_out,
        db_gb=base.db_gb, media_gb=base.media_gb, log_gb=base.log_gb, deploys=base.deploys,
    )
    env = ENVIRONMENTS[args.env]
    print(render(env, traffic, estimate(env, traffic)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
