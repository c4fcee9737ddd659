"""Draws the architecture of one environment from environments.py (diagrams + graphviz).

uv run --project infra python infra/diagram.py --env prod --out docs/architecture.png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from diagrams import Cluster, Diagram, Edge  # noqa: E402
from diagrams.aws.compute import ECR, Fargate  # noqa: E402
from diagrams.aws.database import RDS, ElasticacheForRedis  # noqa: E402
from diagrams.aws.integration import SNS  # noqa: E402
from diagrams.aws.management import Cloudtrail, Cloudwatch  # noqa: E402
from diagrams.aws.network import ELB, CloudFront, NATGateway, Route53  # noqa: E402
from diagrams.aws.network import Endpoint as VpcEndpoint  # noqa: E402
from diagrams.aws.security import WAF, Guardduty, SecretsManager  # noqa: E402
from diagrams.aws.storage import S3  # noqa: E402
from diagrams.onprem.client import Users  # noqa: E402
from environments import ENVIRONMENTS, EnvironmentConfig, ServiceSizing  # noqa: E402

DEFAULT_OUT = HERE.parent / "docs" / "architecture.png"


def _tasks(role: str, sizing: ServiceSizing) -> str:
    count = (
        f"{sizing.min_tasks}"
        if sizing.min_tasks == sizing.max_tasks
        else f"{sizing.min_tasks}-{sizing.max_tasks}"
    )
    return f"{role}\n{count} x {sizing.vcpu:g} vCPU / {sizing.memory_gb:g} GB"


def _data_tier(env: EnvironmentConfig) -> tuple[RDS, list[RDS], Any, Any]:
    """PostgreSQL (primary, replicas) and Valkey (cache, broker) in the isolated subnets."""
    db, cache = env.database, env.cache
    with Cluster("isolated subnets (ACL: 5432/6379 from private only)"):
        primary = RDS(
            f"PostgreSQL 16\ndb.{db.instance_class}" + (" Multi-AZ" if db.multi_az else "")
        )
        replicas = [
            RDS(f"read replica {i}\ndb.{db.replica_class}") for i in range(1, db.read_replicas + 1)
        ]
        redis = ElasticacheForRedis(f"cache\n{cache.nodes_per_group} x {cache.node_type}")
        broker = (
            ElasticacheForRedis(
                f"broker (noeviction)\n{cache.nodes_per_group} x {cache.broker_node_type}"
            )
            if cache.separate_broker
            else redis
        )
    return primary, replicas, redis, broker


def _observability() -> None:
    with Cluster("observability and governance"):
        Cloudwatch("dashboard + alarms") >> SNS("alarm email")
        Cloudtrail("CloudTrail")
        Guardduty("GuardDuty")


def render(env: EnvironmentConfig, out: Path) -> Path:
    """Write the picture of ENV to OUT (a .png) and return the path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    compute, net = env.compute, env.network
    attrs = {"fontsize": "20", "pad": "0.4", "splines": "spline"}
    title = f"booking {env.name} on AWS ({env.region})"
    with Diagram(
        title,
        filename=str(out.with_suffix("")),
        outformat="png",
        show=False,
        direction="LR",
        graph_attr=attrs,
    ):
        users = Users("clients")
        dns = Route53(f"Route 53\n{env.domain.api_host}")
        cdn = CloudFront(f"CloudFront\n{env.domain.app_host}, {env.domain.cdn_host}")
        registry = ECR("ECR\nbooking-backend")
        secrets = SecretsManager("Secrets Manager")
        with Cluster("S3"):
            web_app = S3("web app\n(router function)")
            static, media, backups = S3("static"), S3("media (private)"), S3("backups")
        with Cluster(f"VPC {net.cidr} - {net.az_count} AZs, an ACL per tier"):
            with Cluster("public subnets"):
                alb_waf = WAF("WAF (regional)")
                alb = ELB("ALB :443\n/metrics -> 404")
                nat = NATGateway(f"NAT {net.nat_type} x {net.nat_gateways}")
            with Cluster("private subnets: ECS Fargate ARM64"):
                web = Fargate(_tasks("web", compute.web))
                worker = Fargate(_tasks("worker", compute.worker))
                beat = Fargate("beat\nexactly 1")
                migrate = Fargate("migrate\n(before the services take traffic)")
                endpoints = VpcEndpoint(
                    "endpoints: S3" + (", ECR, Secrets, Logs" if net.interface_endpoints else "")
                )
            primary, replicas, redis, broker = _data_tier(env)
        _observability()

        if env.edge.waf_scope == "alb_and_cdn":
            users >> WAF("WAF (CloudFront)") >> cdn
        else:
            users >> cdn
        cdn >> [web_app, static, media]
        cdn >> Edge(label="/api, /admin, /health") >> alb_waf
        users >> dns >> alb_waf >> alb >> Edge(label="8000") >> web
        for process in (web, worker, beat, migrate):
            process >> Edge(style="dashed") >> broker
        for process in (web, worker, migrate):
            process >> Edge(label="5432") >> primary
        web >> redis
        for replica in replicas:
            primary >> Edge(style="dotted", label="replication") >> replica
            web >> replica
        [web, worker] >> media
        migrate >> static
        primary >> Edge(style="dotted", label="dumps") >> backups
        [web, worker] >> nat
        endpoints >> [registry, secrets]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="prod", choices=sorted(ENVIRONMENTS))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    print(render(ENVIRONMENTS[args.env], args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
