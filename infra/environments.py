"""Every difference between dev, staging and prod, as typed, frozen configuration.

The constructs under ``booking_infra/`` read only these objects; the cost model
(``ops/cost``) and the architecture picture (``infra/diagram.py``) read the same ones, so what is
priced and drawn is what is deployed.

Account ids and the Route 53 zone id can be overridden without editing this file:
``BOOKING_<ENV>_ACCOUNT`` and ``BOOKING_<ENV>_ZONE_ID`` (e.g. ``BOOKING_PROD_ACCOUNT``). The
defaults are documentation placeholders so that ``make synth`` runs without AWS credentials.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Literal

REGION = "us-east-1"
PROJECT = "booking"


NatType = Literal["gateway", "instance"]


@dataclass(frozen=True)
class NetworkConfig:
    cidr: str
    availability_zones: tuple[str, ...]
    nat_gateways: int  # one per AZ keeps egress independent of any one AZ; 1 is $36.50 less
    interface_endpoints: bool  # ECR, Secrets Manager, CloudWatch Logs (S3 gateway is always on)
    flow_log_retention_days: int
    # "instance": a t4g.nano NAT instance (~$6.70 with its address) instead of a NAT gateway
    # ($36.50 + $0.045/GB); one EC2 instance to keep patched, no managed failover
    nat_type: NatType = "gateway"
    nat_instance_type: str = "t4g.nano"

    @property
    def az_count(self) -> int:
        return len(self.availability_zones)


# RDS PostgreSQL 16 (as built) or RDS MySQL 8.0; docs/aws.md, "Choosing the database engine"
DatabaseEngine = Literal["postgres", "mysql"]


@dataclass(frozen=True)
class DatabaseConfig:
    instance_class: str  # without the "db." prefix, e.g. "t4g.micro"
    allocated_storage_gb: int
    max_allocated_storage_gb: int
    multi_az: bool
    backup_retention_days: int
    read_replicas: int
    deletion_protection: bool
    max_connections: int  # set in the parameter group; the saturation alarm is a share of it
    log_retention_days: int
    rotation_days: int = 30
    performance_insights_retention_days: int = 7  # the free tier
    replica_instance_class: str | None = None  # None: the primary's class
    engine: DatabaseEngine = "postgres"

    @property
    def replica_class(self) -> str:
        return self.replica_instance_class or self.instance_class


@dataclass(frozen=True)
class CacheConfig:
    node_type: str  # e.g. "cache.t4g.micro"
    nodes_per_group: int  # primary + replicas
    multi_az: bool
    separate_broker: bool  # a second, noeviction group for the Celery broker
    broker_node_type: str
    snapshot_retention_days: int
    engine_version: str = "8.0"  # Valkey


@dataclass(frozen=True)
class ServiceSizing:
    cpu: int  # Fargate CPU units (1024 = 1 vCPU)
    memory_mib: int
    min_tasks: int
    max_tasks: int
    cpu_target_percent: int = 60

    @property
    def vcpu(self) -> float:
        return self.cpu / 1024

    @property
    def memory_gb(self) -> float:
        return self.memory_mib / 1024


@dataclass(frozen=True)
class ComputeConfig:
    web: ServiceSizing
    worker: ServiceSizing
    beat: ServiceSizing
    migrate: ServiceSizing
    requests_per_target: int  # per minute per task, for request-count scaling
    web_concurrency: int  # web server (WEB_SERVER, uWSGI) worker processes per web task
    log_retention_days: int
    enable_exec: bool  # ECS Exec (shell into tasks); always off in prod
    ecr_keep_images: int
    # the dbtools image (ops/dbtools/) in the same repository; None: "dbtools-<image tag>"
    dbtools_image_tag: str | None = None
    # beat inside the one worker task (`celery worker --beat`), no beat service: $7.21/month
    # less; the worker then never scales or overlaps (it would run beat twice)
    beat_in_worker: bool = False
    # per-task metrics at $0.30 a metric; alarms and the dashboard use the free AWS/ECS ones
    container_insights: bool = False

    @property
    def web_worker_max_rss_mib(self) -> int:
        """A web worker holding more is replaced (WEB_WORKER_MAX_RSS; by uWSGI once it has
        answered what it holds, by Granian the new one first): an equal share of the task's
        memory among the workers and the preloaded master. Each worker's RSS also counts the
        pages it shares with the master, so the sum stays below. gunicorn (WEB_SERVER=gunicorn)
        has no such ceiling: it replaces a worker after GUNICORN_MAX_REQUESTS."""
        return self.web.memory_mib // (self.web_concurrency + 1)

    def __post_init__(self) -> None:
        if self.beat_in_worker and self.worker.max_tasks != 1:
            raise ValueError("beat_in_worker needs worker.max_tasks == 1 (one scheduler)")


@dataclass(frozen=True)
class DomainConfig:
    zone_name: str
    zone_id: str
    api_host: str
    cdn_host: str
    default_from_email: str
    # where people open the web app (CloudFront: the app's bucket and the API's paths)
    app_host: str

    @property
    def frontend_url(self) -> str:
        """FRONTEND_URL: the links in e-mails, and the origin the API trusts for CSRF."""
        return f"https://{self.app_host}"


# Where the WAF web ACL sits. "alb": one regional ACL in front of the application (the
# CloudFront distribution serves only S3 objects); "alb_and_cdn": a second ACL on CloudFront too;
# "none": no ACL ($9.30/month in dev), for an environment that holds no customer data.
WafScope = Literal["none", "alb", "alb_and_cdn"]
# How requests reach the web tasks. "alb": an internet-facing ALB (health-checked targets,
# request-count scaling, the regional WAF); "http_api": an API Gateway HTTP API with a VPC link
# to the web service's Cloud Map SRV records ($1 per million requests and no hourly charge or
# public addresses, but no WAF: dev only, with waf_scope="none").
Entry = Literal["alb", "http_api"]


@dataclass(frozen=True)
class EdgeConfig:
    alb_deletion_protection: bool
    waf_rate_limit_per_5min: int  # requests from one IP in 5 minutes before blocking
    media_signing_public_key_pem: str | None = None  # enables CloudFront signed URLs for /media/*
    waf_scope: WafScope = "alb"
    entry: Entry = "alb"
    # the HTTP API's default-route throttling (it takes no WAF): steady requests/s and burst
    api_rate_limit_per_second: int = 50
    api_burst_limit: int = 100

    def __post_init__(self) -> None:
        if self.entry == "http_api" and self.waf_scope != "none":
            raise ValueError("an HTTP API takes no regional web ACL: use waf_scope='none'")

    @property
    def web_acls(self) -> int:
        return {"none": 0, "alb": 1, "alb_and_cdn": 2}[self.waf_scope]


EmailBackend = Literal["ses", "console"]
SmsBackend = Literal["twilio", "console"]
EMAIL_BACKENDS: dict[str, str] = {
    "ses": "django_ses.SESBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}


@dataclass(frozen=True)
class NotificationsConfig:
    """How e-mail and SMS leave. A console channel is always listed as disabled, so that the
    production settings accept it and record its notifications as suppressed, not sent."""

    email: EmailBackend
    sms: SmsBackend
    ses_identity: str  # the verified SES domain identity the task role may send through

    @property
    def disabled_channels(self) -> tuple[str, ...]:
        return tuple(
            channel
            for channel, backend in (("email", self.email), ("sms", self.sms))
            if backend == "console"
        )

    def environment(self, region: str) -> dict[str, str]:
        """The variables the Django settings read for the two channels."""
        values = {
            "EMAIL_BACKEND": EMAIL_BACKENDS[self.email],
            "SMS_BACKEND": self.sms,
            "AWS_SES_REGION_NAME": region,
            "AWS_SES_REGION_ENDPOINT": f"email.{region}.amazonaws.com",
        }
        if self.disabled_channels:
            values["NOTIFICATIONS_DISABLED_CHANNELS"] = ",".join(self.disabled_channels)
        return values


@dataclass(frozen=True)
class ObservabilityConfig:
    alarm_email: str
    billing_alarm_usd: int
    access_log_retention_days: int
    backups_to_glacier_after_days: int
    backups_expire_after_days: int
    enable_guardduty: bool = True
    cloudtrail_retention_days: int = 365
    dashboard: bool = True  # $3/month; the alarms do not depend on it


# Where the application runs: ECS Fargate services (as built), the EKS cluster for deploy/k8s/
# (docs/kubernetes.md), or neither (network, data, buckets and secrets only).
Platform = Literal["ecs", "eks", "none"]


@dataclass(frozen=True)
class KubernetesConfig:
    """The EKS cluster, used where ``platform == "eks"``."""

    version: str = "1.35"
    # Graviton: the image is built for ARM64, as Fargate runs it
    instance_types: tuple[str, ...] = ("t4g.medium",)
    nodes_min: int = 2
    nodes_desired: int = 3
    nodes_max: int = 6
    node_disk_gb: int = 20
    namespace: str = "booking"


# The placeholder every environment starts with; set BOOKING_GITHUB_REPOSITORY (or edit the
# default) to the repository whose GitHub Actions jobs may deploy (docs/aws.md, "CI/CD roles").
GITHUB_REPOSITORY_PLACEHOLDER = "OWNER/REPO"


@dataclass(frozen=True)
class DeliveryConfig:
    """GitHub Actions -> AWS through OIDC: who may assume the deploy role, and where from."""

    github_repository: str = field(
        default_factory=lambda: os.environ.get(
            "BOOKING_GITHUB_REPOSITORY", GITHUB_REPOSITORY_PLACEHOLDER
        )
    )
    # the account's existing token.actions.githubusercontent.com provider (one per account);
    # None: this environment's delivery stack creates it
    oidc_provider_arn: str | None = None
    diff_role: bool = False  # the read-only `cdk diff` role for CI (one environment has it)

    def __post_init__(self) -> None:
        owner, _, repo = self.github_repository.partition("/")
        if not owner or not repo or "/" in repo:
            raise ValueError(f"github_repository is OWNER/REPO, not {self.github_repository!r}")


# "customer": one rotated customer-managed key per unit ($1/month each), key policies we own;
# "aws_managed": the services' own aws/* keys (free): still encrypted at rest, but the key policy
# is AWS's and the alarm topic is then unencrypted (CloudWatch cannot use the aws/sns key).
KeyKind = Literal["customer", "aws_managed"]


@dataclass(frozen=True)
class EnvironmentConfig:
    name: str
    account: str
    region: str
    network: NetworkConfig
    database: DatabaseConfig
    cache: CacheConfig
    compute: ComputeConfig
    domain: DomainConfig
    edge: EdgeConfig
    observability: ObservabilityConfig
    notifications: NotificationsConfig
    retain_data: bool  # keep buckets, snapshots and keys when a stack is deleted
    termination_protection: bool
    keys: KeyKind = "customer"
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    platform: Platform = "ecs"
    kubernetes: KubernetesConfig = field(default_factory=KubernetesConfig)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def is_prod(self) -> bool:
        return self.name == "prod"

    def stack_name(self, unit: str) -> str:
        return f"{PROJECT}-{self.name}-{unit}"

    def cost_tags(self) -> dict[str, str]:
        return {"Project": PROJECT, "Environment": self.name, "ManagedBy": "cdk", **self.tags}


def _account(env: str, default: str) -> str:
    return os.environ.get(f"BOOKING_{env.upper()}_ACCOUNT", default)


def _zone_id(env: str, default: str) -> str:
    return os.environ.get(f"BOOKING_{env.upper()}_ZONE_ID", default)


def _prefix(env: str) -> str:
    return "" if env == "prod" else f"{env}."


def _sending(env: str, zone: str) -> NotificationsConfig:
    """SES and Twilio: what staging and prod use."""
    return NotificationsConfig(email="ses", sms="twilio", ses_identity=f"{_prefix(env)}{zone}")


def _domain(env: str, zone: str, zone_id: str) -> DomainConfig:
    prefix = _prefix(env)
    return DomainConfig(
        zone_name=zone,
        zone_id=_zone_id(env, zone_id),
        api_host=f"api.{prefix}{zone}",
        cdn_host=f"static.{prefix}{zone}",
        default_from_email=f"no-reply@{prefix}{zone}",
        app_host=f"{prefix}{zone}",  # prod: the zone's apex
    )


ZONE = "booking.example.com"

DEV = EnvironmentConfig(
    name="dev",
    account=_account("dev", "111111111111"),
    region=REGION,
    network=NetworkConfig(
        cidr="10.10.0.0/16",
        availability_zones=("us-east-1a", "us-east-1b"),
        nat_gateways=1,
        interface_endpoints=False,  # 4 endpoints x 2 AZs cost more than dev's NAT traffic
        flow_log_retention_days=14,
        nat_type="instance",  # dev's egress may stop for the minutes a reboot takes
    ),
    database=DatabaseConfig(
        instance_class="t4g.micro",
        allocated_storage_gb=20,
        max_allocated_storage_gb=50,
        multi_az=False,
        backup_retention_days=3,
        read_replicas=0,
        deletion_protection=False,
        max_connections=100,
        log_retention_days=14,
    ),
    cache=CacheConfig(
        node_type="cache.t4g.micro",
        nodes_per_group=1,
        multi_az=False,
        separate_broker=False,
        broker_node_type="cache.t4g.micro",
        snapshot_retention_days=1,
    ),
    compute=ComputeConfig(
        web=ServiceSizing(cpu=256, memory_mib=512, min_tasks=1, max_tasks=2),
        # one worker that also runs beat: it never scales (docs/aws.md, "Dev under $60")
        worker=ServiceSizing(cpu=256, memory_mib=512, min_tasks=1, max_tasks=1),
        beat=ServiceSizing(cpu=256, memory_mib=512, min_tasks=1, max_tasks=1),
        migrate=ServiceSizing(cpu=256, memory_mib=512, min_tasks=0, max_tasks=1),
        beat_in_worker=True,
        requests_per_target=600,
        web_concurrency=2,
        log_retention_days=14,
        enable_exec=True,
        ecr_keep_images=10,
    ),
    domain=_domain("dev", ZONE, "Z0DEVPLACEHOLDER00"),
    # dev holds no customer data: no WAF, AWS-managed keys, no GuardDuty, no dashboard
    # (docs/aws.md, "Dev under $60"); staging puts them back, as prod has them
    edge=EdgeConfig(
        alb_deletion_protection=False,
        waf_rate_limit_per_5min=1000,
        waf_scope="none",
        entry="http_api",  # no ALB and its two addresses: -$22.67 (docs/aws.md, issue 13)
    ),
    observability=ObservabilityConfig(
        alarm_email="ops-dev@booking.example.com",
        billing_alarm_usd=100,
        access_log_retention_days=30,
        backups_to_glacier_after_days=30,
        backups_expire_after_days=90,
        enable_guardduty=False,
        dashboard=False,
    ),
    # dev sends nothing: console backends, both channels declared disabled
    notifications=NotificationsConfig(
        email="console", sms="console", ses_identity=f"{_prefix('dev')}{ZONE}"
    ),
    retain_data=False,
    termination_protection=False,
    keys="aws_managed",
)

STAGING = replace(
    DEV,
    name="staging",
    account=_account("staging", "222222222222"),
    # endpoints stay off: at staging's traffic they cost more than the NAT bytes they save
    network=replace(DEV.network, cidr="10.20.0.0/16", nat_type="gateway"),  # as prod
    database=replace(
        DEV.database,
        instance_class="t4g.small",
        backup_retention_days=7,
        max_connections=150,
        log_retention_days=30,
    ),
    compute=replace(
        DEV.compute,
        web=ServiceSizing(cpu=256, memory_mib=512, min_tasks=2, max_tasks=4),  # as prod
        worker=ServiceSizing(cpu=256, memory_mib=512, min_tasks=1, max_tasks=3),
        beat_in_worker=False,  # as prod: beat is its own service
        log_retention_days=30,
    ),
    domain=_domain("staging", ZONE, "Z0STAGINGPLACEHOLD"),
    edge=replace(DEV.edge, waf_scope="alb", entry="alb"),
    observability=replace(
        DEV.observability,
        alarm_email="ops-staging@booking.example.com",
        billing_alarm_usd=250,
        enable_guardduty=True,
        dashboard=True,
    ),
    notifications=_sending("staging", ZONE),
    keys="customer",
    delivery=DeliveryConfig(diff_role=True),  # CI's `cdk diff` runs against staging
)

PROD = EnvironmentConfig(
    name="prod",
    account=_account("prod", "333333333333"),
    region=REGION,
    # Every choice below is priced in docs/aws.md ("Cost, compared with the plans").
    network=NetworkConfig(
        cidr="10.30.0.0/16",
        # two AZs: nothing runs more than two copies (web, database, cache), a third AZ only
        # multiplied per-AZ charges
        availability_zones=("us-east-1a", "us-east-1b"),
        nat_gateways=1,  # a second one is $36.50/month for egress that survives an AZ outage
        interface_endpoints=False,  # $58/month in two AZs against ~$2 of NAT data they save
        flow_log_retention_days=90,
    ),
    database=DatabaseConfig(
        instance_class="t4g.small",
        allocated_storage_gb=30,  # 20 GB of data; storage autoscaling grows it to 200
        max_allocated_storage_gb=200,
        multi_az=True,
        backup_retention_days=14,
        read_replicas=1,
        deletion_protection=True,
        max_connections=200,
        log_retention_days=90,
        # reads only, a few per second; resize before promoting it (docs/aws.md)
        replica_instance_class="t4g.micro",
    ),
    cache=CacheConfig(
        node_type="cache.t4g.micro",
        nodes_per_group=2,
        multi_az=True,
        separate_broker=False,  # one group with failover; volatile-lru never evicts the queues
        broker_node_type="cache.t4g.micro",
        snapshot_retention_days=7,
    ),
    compute=ComputeConfig(
        # ~156 MB per web worker x 2 + the master fit 0.5 GB (measured on Granian; gunicorn's
        # peaked at 124-128 MB); 0.25 vCPU serves ~50 rps (bench: ~200 rps per vCPU), two tasks
        # ~100 rps against ~4 rps on average
        web=ServiceSizing(cpu=256, memory_mib=512, min_tasks=2, max_tasks=10),
        # ~106 MB per Celery child x 2 + the parent fit 0.5 GB
        worker=ServiceSizing(cpu=256, memory_mib=512, min_tasks=1, max_tasks=6),
        beat=ServiceSizing(cpu=256, memory_mib=512, min_tasks=1, max_tasks=1),
        migrate=ServiceSizing(cpu=512, memory_mib=1024, min_tasks=0, max_tasks=1),
        requests_per_target=1000,
        web_concurrency=2,
        log_retention_days=90,
        enable_exec=False,
        ecr_keep_images=30,
    ),
    domain=_domain("prod", ZONE, "Z0PRODPLACEHOLDER0"),
    edge=EdgeConfig(alb_deletion_protection=True, waf_rate_limit_per_5min=2000),
    observability=ObservabilityConfig(
        alarm_email="ops@booking.example.com",
        billing_alarm_usd=350,
        access_log_retention_days=90,
        backups_to_glacier_after_days=30,
        backups_expire_after_days=365,
    ),
    notifications=_sending("prod", ZONE),
    retain_data=True,
    termination_protection=True,
)

ENVIRONMENTS: dict[str, EnvironmentConfig] = {env.name: env for env in (DEV, STAGING, PROD)}


def get(name: str) -> EnvironmentConfig:
    try:
        return ENVIRONMENTS[name]
    except KeyError:
        raise SystemExit(
            f"unknown environment {name!r}; choose one of {sorted(ENVIRONMENTS)}"
        ) from None
