"""What the CDK app deploys that is billed, counted from infra/environments.py, and the traffic
assumption per environment. infra/tests/test_cost.py compares these counts with the templates."""

from __future__ import annotations

from dataclasses import dataclass

from environments import EnvironmentConfig, ServiceSizing

ENDPOINT_SERVICES = 4  # ECR api, ECR dkr, Secrets Manager, CloudWatch Logs
SECRETS = 5  # database, redis token, django key, twilio, sentry
KMS_KEYS = 5  # database, cache, services (app secrets), alarm topic, trail; EKS adds its own
WAF_RULES = 4  # three managed groups and the rate rule


@dataclass(frozen=True)
class Traffic:
    requests_per_month: float
    gb_out: float  # API responses leaving through the ALB
    cdn_gb_out: float  # the web app, static and media leaving through CloudFront
    db_gb: float  # data in PostgreSQL (backups are charged beyond the provisioned storage)
    media_gb: float
    log_gb: float  # application, access and flow logs ingested into CloudWatch
    deploys: int  # each runs one migrate task for about five minutes

    @property
    def cdn_requests(self) -> float:
        return self.requests_per_month * 2  # assets per page view

    @property
    def page_views(self) -> float:
        """Navigations to the web app, each one run of its router function: at most one per
        API request (the same upper bound as the assets above)."""
        return self.requests_per_month


TRAFFIC = {
    "dev": Traffic(
        requests_per_month=0.5e6, gb_out=5, cdn_gb_out=5, db_gb=2, media_gb=2, log_gb=3, deploys=60
    ),
    "staging": Traffic(
        requests_per_month=1e6, gb_out=10, cdn_gb_out=10, db_gb=5, media_gb=5, log_gb=5, deploys=40
    ),
    "prod": Traffic(
        requests_per_month=10e6,
        gb_out=100,
        cdn_gb_out=200,
        db_gb=20,
        media_gb=50,
        log_gb=30,
        deploys=20,
    ),
}


@dataclass(frozen=True)
class Footprint:
    """The billable things the CDK app creates for one environment, as counted here."""

    nat_gateways: int
    nat_instances: int
    interface_endpoints: int
    public_ipv4: int  # each NAT's and the ALB's (one per AZ)
    load_balancers: int  # the ALB (ECS with entry "alb")
    http_apis: int  # the HTTP API (ECS with entry "http_api")
    cloud_map_namespaces: int  # where the HTTP API finds the web tasks
    web_acls: int
    # ECS: the web app's router on the distribution that also carries the web app's API calls
    cloudfront_functions: int
    kms_keys: int
    secrets: int
    database_instances: dict[str, int]  # instance class -> count (Multi-AZ standby included)
    cache_nodes: dict[str, int]  # node type -> count
    running_tasks: dict[str, tuple[int, int, int]]  # role -> (tasks, cpu units, memory MiB)
    container_insights: bool
    alarms: int


def footprint(env: EnvironmentConfig) -> Footprint:
    net, database, cache, compute = env.network, env.database, env.cache, env.compute
    instances = {database.instance_class: 2 if database.multi_az else 1}
    if database.read_replicas:
        replica = database.replica_class
        instances[replica] = instances.get(replica, 0) + database.read_replicas
    http_api = uses_http_api(env)
    nodes = {cache.node_type: cache.nodes_per_group}
    if cache.separate_broker:
        broker = cache.broker_node_type
        nodes[broker] = nodes.get(broker, 0) + cache.nodes_per_group
    return Footprint(
        nat_gateways=net.nat_gateways if net.nat_type == "gateway" else 0,
        nat_instances=net.nat_gateways if net.nat_type == "instance" else 0,
        interface_endpoints=ENDPOINT_SERVICES * net.az_count if net.interface_endpoints else 0,
        # the ALB's, or ingress-nginx's NLB's; an HTTP API has none of its own
        public_ipv4=net.nat_gateways + (0 if http_api else net.az_count),
        load_balancers=int(env.platform == "ecs" and not http_api),
        http_apis=int(http_api),
        cloud_map_namespaces=int(http_api),
        web_acls=env.edge.web_acls if env.platform == "ecs" else 0,
        cloudfront_functions=int(env.platform == "ecs"),
        kms_keys=(KMS_KEYS if env.keys == "customer" else 0) + (env.platform == "eks"),
        secrets=SECRETS,
        database_instances=instances,
        cache_nodes=nodes,
        running_tasks={
            role: (sizing.min_tasks, sizing.cpu, sizing.memory_mib)
            for role, sizing in services(env)
        },
        container_insights=compute.container_insights,
        alarms=alarm_count(env),
    )


def services(env: EnvironmentConfig) -> list[tuple[str, ServiceSizing]]:
    """The ECS services; none where the app runs on EKS (pods on the nodes) or nowhere."""
    if env.platform != "ecs":
        return []
    compute = env.compute
    found = [("web", compute.web), ("worker", compute.worker), ("beat", compute.beat)]
    return found[:2] if compute.beat_in_worker else found


def uses_http_api(env: EnvironmentConfig) -> bool:
    """The web tasks behind an API Gateway HTTP API instead of an ALB (ECS only)."""
    return env.platform == "ecs" and env.edge.entry == "http_api"


def cache_groups(env: EnvironmentConfig) -> int:
    return 2 if env.cache.separate_broker else 1


def alarm_count(env: EnvironmentConfig) -> int:
    replicas = env.database.read_replicas
    per_service, per_instance, per_group = 2, 3, 2  # cpu + memory; cpu, connections, storage
    load_balancer = 2 if env.platform == "ecs" else 0  # the ALB's or the API's 5xx rate and p95
    return (
        load_balancer
        + per_service * len(services(env))
        + per_instance * (1 + replicas)
        + replicas
        + per_group * cache_groups(env)
        + 1
    )  # replica lag, billing
