"""A dashboard of the figures that matter and alarms on them, sent to an SNS topic by email."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct
from environments import EnvironmentConfig

from booking_infra.common import AWS_MANAGED_KEY, skip_checks, unit_key

CPU_PERCENT = 80
MEMORY_PERCENT = 90
ERROR_RATE_PERCENT = 1
P95_SECONDS = 2
REPLICA_LAG_SECONDS = 30
FREE_STORAGE_SHARE = 0.10
CONNECTION_SHARE = 0.80
ONE_MINUTE = Duration.minutes(1)
FIVE_MINUTES = Duration.minutes(5)


class Board:
    """The dashboard, or nothing where the environment goes without one (its widgets are
    dropped; the alarms do not depend on them)."""

    def __init__(self, scope: Construct, env: EnvironmentConfig) -> None:
        self.dashboard = (
            cw.Dashboard(scope, "Dashboard", dashboard_name=f"booking-{env.name}")
            if env.observability.dashboard
            else None
        )

    def add_widgets(self, *widgets: cw.IWidget) -> None:
        if self.dashboard:
            self.dashboard.add_widgets(*widgets)


@dataclass(frozen=True)
class Watched:
    """What the alarms and the dashboard look at."""

    load_balancer: elbv2.ApplicationLoadBalancer | None  # None: no ALB (EKS: ingress-nginx)
    services: dict[str, ecs.FargateService]  # empty where ECS does not run the app
    database: rds.DatabaseInstance
    replicas: list[rds.DatabaseInstanceReadReplica]
    cache_groups: list[elasticache.CfnReplicationGroup]
    api: apigwv2.HttpApi | None = None  # the HTTP API where it is the entry instead of an ALB


class Observability(Construct):
    def __init__(
        self, scope: Construct, id: str, *, env: EnvironmentConfig, watched: Watched
    ) -> None:
        super().__init__(scope, id)
        self._env = env
        self.key = unit_key(
            self,
            "Key",
            customer=env.keys == "customer",
            description=f"booking {env.name}: alarm topic",
            retain=False,
        )
        if self.key:
            self.key.grant(
                iam.ServicePrincipal("cloudwatch.amazonaws.com"),
                "kms:Decrypt",
                "kms:GenerateDataKey*",
            )
        self.topic = sns.Topic(
            self,
            "Alarms",
            topic_name=f"booking-{env.name}-alarms",
            master_key=self.key,
            enforce_ssl=True,
        )
        if self.key is None:  # CloudWatch cannot publish to a topic under the aws/sns key
            skip_checks(self.topic, {"CKV_AWS_26": AWS_MANAGED_KEY + "; alarm texts only"})
        self.topic.add_subscription(subscriptions.EmailSubscription(env.observability.alarm_email))
        self.alarms: list[cw.Alarm] = []
        self._action = cw_actions.SnsAction(self.topic)
        self.dashboard = Board(self, env)
        if watched.load_balancer:
            self._load_balancer(watched.load_balancer)
        if watched.api:
            self._api(watched.api)
        if watched.services:
            self._services(watched.services)
        self._database(watched.database, watched.replicas)
        self._cache(watched.cache_groups)

    def alarm(
        self,
        id: str,
        metric: cw.IMetric,
        threshold: float,
        *,
        description: str,
        periods: int = 1,
        comparison: cw.ComparisonOperator = cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
    ) -> cw.Alarm:
        alarm = cw.Alarm(
            self,
            id,
            alarm_name=f"booking-{self._env.name}-{id}",
            metric=metric,
            threshold=threshold,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            comparison_operator=comparison,
            alarm_description=description,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        self.alarms.append(alarm)
        return alarm

    def _load_balancer(self, alb: elbv2.ApplicationLoadBalancer) -> None:
        requests = alb.metrics.request_count(period=FIVE_MINUTES)
        error_rate = cw.MathExpression(
            expression="IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) "
            "/ requests, 0)",
            using_metrics={
                "requests": requests,
                "target5xx": alb.metrics.http_code_target(
                    elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=FIVE_MINUTES
                ),
                "elb5xx": alb.metrics.http_code_elb(
                    elbv2.HttpCodeElb.ELB_5XX_COUNT, period=FIVE_MINUTES
                ),
            },
            label="5xx %",
            period=FIVE_MINUTES,
        )
        p95 = alb.metrics.target_response_time(statistic="p95", period=FIVE_MINUTES)
        p99 = alb.metrics.target_response_time(statistic="p99", period=FIVE_MINUTES)
        self.alarm(
            "alb-5xx-rate",
            error_rate,
            ERROR_RATE_PERCENT,
            description=f"more than {ERROR_RATE_PERCENT} % of requests answered 5xx",
        )
        self.alarm(
            "alb-p95-latency",
            p95,
            P95_SECONDS,
            description=f"p95 response time above {P95_SECONDS} s",
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(title="ALB 5xx rate (%)", left=[error_rate], width=8),
            cw.GraphWidget(title="ALB latency p95 / p99 (s)", left=[p95, p99], width=8),
            cw.GraphWidget(title="ALB requests", left=[requests], width=8),
        )

    def _api(self, api: apigwv2.HttpApi) -> None:
        """The ALB's two alarms on the HTTP API's metrics (5xx: its own and the tasks')."""
        requests = api.metric_count(period=FIVE_MINUTES)
        error_rate = cw.MathExpression(
            expression="IF(requests > 0, 100 * FILL(api5xx, 0) / requests, 0)",
            using_metrics={
                "requests": requests,
                "api5xx": api.metric_server_error(period=FIVE_MINUTES),
            },
            label="5xx %",
            period=FIVE_MINUTES,
        )
        # API Gateway reports latency in milliseconds
        p95 = api.metric_latency(statistic="p95", period=FIVE_MINUTES)
        self.alarm(
            "api-5xx-rate",
            error_rate,
            ERROR_RATE_PERCENT,
            description=f"more than {ERROR_RATE_PERCENT} % of requests answered 5xx",
        )
        self.alarm(
            "api-p95-latency",
            p95,
            P95_SECONDS * 1000,
            description=f"p95 response time above {P95_SECONDS} s",
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(title="API 5xx rate (%)", left=[error_rate], width=8),
            cw.GraphWidget(title="API latency p95 (ms)", left=[p95], width=8),
            cw.GraphWidget(title="API requests", left=[requests], width=8),
        )

    def _services(self, services: dict[str, ecs.FargateService]) -> None:
        cpu, memory = [], []
        for name, service in services.items():
            service_cpu = service.metric_cpu_utilization(period=ONE_MINUTE, label=f"{name} CPU")
            service_memory = service.metric_memory_utilization(
                period=ONE_MINUTE, label=f"{name} memory"
            )
            cpu.append(service_cpu)
            memory.append(service_memory)
            self.alarm(
                f"ecs-{name}-cpu",
                service_cpu,
                CPU_PERCENT,
                periods=5,
                description=f"{name} CPU above {CPU_PERCENT} % for 5 minutes",
            )
            self.alarm(
                f"ecs-{name}-memory",
                service_memory,
                MEMORY_PERCENT,
                periods=5,
                description=f"{name} memory above {MEMORY_PERCENT} % for 5 minutes",
            )
        self.dashboard.add_widgets(
            cw.GraphWidget(title="ECS CPU (%)", left=cpu, width=12),
            cw.GraphWidget(title="ECS memory (%)", left=memory, width=12),
        )

    def _database(
        self, primary: rds.DatabaseInstance, replicas: list[rds.DatabaseInstanceReadReplica]
    ) -> None:
        config = self._env.database
        instances: dict[str, rds.DatabaseInstanceBase] = {"primary": primary}
        instances.update({f"replica{i}": r for i, r in enumerate(replicas, start=1)})
        cpu, connections, storage, lag = [], [], [], []
        free_bytes = config.allocated_storage_gb * FREE_STORAGE_SHARE * 1024**3
        max_connections = config.max_connections * CONNECTION_SHARE
        for name, instance in instances.items():
            cpu.append(instance.metric_cpu_utilization(period=ONE_MINUTE, label=f"{name} CPU"))
            connections.append(instance.metric_database_connections(period=ONE_MINUTE, label=name))
            storage.append(instance.metric_free_storage_space(period=FIVE_MINUTES, label=name))
            self.alarm(
                f"rds-{name}-cpu",
                cpu[-1],
                CPU_PERCENT,
                periods=5,
                description=f"RDS {name} CPU above {CPU_PERCENT} % for 5 minutes",
            )
            self.alarm(
                f"rds-{name}-connections",
                connections[-1],
                max_connections,
                periods=5,
                description=f"RDS {name} above {CONNECTION_SHARE:.0%} of max_connections",
            )
            self.alarm(
                f"rds-{name}-free-storage",
                storage[-1],
                free_bytes,
                comparison=cw.ComparisonOperator.LESS_THAN_THRESHOLD,
                description=f"RDS {name} has under {FREE_STORAGE_SHARE:.0%} of its "
                "allocated storage free",
            )
            if name != "primary":
                lag.append(
                    instance.metric(
                        "ReplicaLag", period=ONE_MINUTE, label=name, statistic="Maximum"
                    )
                )
                self.alarm(
                    f"rds-{name}-replica-lag",
                    lag[-1],
                    REPLICA_LAG_SECONDS,
                    periods=5,
                    description=f"RDS {name} more than {REPLICA_LAG_SECONDS} s behind",
                )
        widgets = [
            cw.GraphWidget(title="RDS CPU (%)", left=cpu, width=6),
            cw.GraphWidget(title="RDS connections", left=connections, width=6),
            cw.GraphWidget(title="RDS free storage (bytes)", left=storage, width=6),
            cw.GraphWidget(title="RDS replica lag (s)", left=lag, width=6),
        ]
        self.dashboard.add_widgets(*widgets)

    def _cache(self, groups: list[elasticache.CfnReplicationGroup]) -> None:
        cpu, memory, evictions = [], [], []
        for group in groups:
            name = group.replication_group_id or "cache"
            members = [f"{name}-{n:03d}" for n in range(1, int(group.num_cache_clusters or 1) + 1)]

            short = name.rsplit("-", 1)[-1]

            cpu.append(_node_max(short, members, "EngineCPUUtilization", f"{name} engine CPU"))
            memory.append(
                _node_max(short, members, "DatabaseMemoryUsagePercentage", f"{name} memory")
            )
            evictions.append(_node_max(short, members, "Evictions", f"{name} evictions"))
            self.alarm(
                f"{name}-cpu",
                cpu[-1],
                CPU_PERCENT,
                periods=5,
                description=f"{name} engine CPU above {CPU_PERCENT} % for 5 minutes",
            )
            self.alarm(
                f"{name}-memory",
                memory[-1],
                MEMORY_PERCENT,
                periods=5,
                description=f"{name} memory above {MEMORY_PERCENT} % for 5 minutes",
            )
        self.dashboard.add_widgets(
            cw.GraphWidget(title="Redis engine CPU (%)", left=cpu, width=8),
            cw.GraphWidget(title="Redis memory (%)", left=memory, width=8),
            cw.GraphWidget(title="Redis evictions", left=evictions, width=8),
        )


def _node_max(short: str, members: list[str], metric_name: str, label: str) -> cw.MathExpression:
    """The largest value of METRIC_NAME over the nodes of one replication group."""
    return cw.MathExpression(
        expression="MAX(METRICS())",
        label=label,
        period=ONE_MINUTE,
        using_metrics={
            f"{short}_{metric_name.lower()}_{i}": cw.Metric(
                namespace="AWS/ElastiCache",
                metric_name=metric_name,
                dimensions_map={"CacheClusterId": member},
                statistic="Maximum",
                period=ONE_MINUTE,
            )
            for i, member in enumerate(members)
        },
    )
