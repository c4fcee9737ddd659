"""Stacks only compose units; every difference between environments comes from their config.

Deploy order: network and registry (independent), data, app, monitoring; delivery (the CI
roles) depends on nothing and goes first where CI is to deploy. The registry has its
own stack so that the first image can be pushed before any service needs it.
"""

from __future__ import annotations

from aws_cdk import Annotations, CfnOutput, Environment, Stack, Tags
from aws_cdk import aws_kms as kms
from constructs import Construct
from environments import EnvironmentConfig

from booking_infra.common import unit_key
from booking_infra.release import Release
from booking_infra.units.api import ApiTarget, HttpApiEntry
from booking_infra.units.cache import Cache
from booking_infra.units.database import Database
from booking_infra.units.dbtools import DbTools, DbToolsSources
from booking_infra.units.delivery import DeployRole, DeployTarget, DiffRole, GithubOidcProvider
from booking_infra.units.edge import Edge, EdgeBuckets
from booking_infra.units.engines import engine_for
from booking_infra.units.governance import Governance
from booking_infra.units.kubernetes import ClusterAccess, Kubernetes
from booking_infra.units.network import Network
from booking_infra.units.observability import Observability, Watched
from booking_infra.units.registry import REPOSITORY_NAME, Registry
from booking_infra.units.secrets import AppSecrets
from booking_infra.units.services import CONTAINER, TASK_SUBNETS, Placement, Services
from booking_infra.units.storage import Storage

_ENTRY = {"alb": "ALB, WAF", "http_api": "HTTP API, Cloud Map"}


class _EnvStack(Stack):
    def __init__(self, scope: Construct, unit: str, env: EnvironmentConfig, description: str):
        super().__init__(
            scope,
            env.stack_name(unit),
            stack_name=env.stack_name(unit),
            env=Environment(account=env.account, region=env.region),
            termination_protection=env.termination_protection,
            description=f"booking {env.name}: {description}",
        )
        for key, value in env.cost_tags().items():
            Tags.of(self).add(key, value)

    def output(self, name: str, value: str, description: str) -> None:
        CfnOutput(
            self,
            name,
            value=value,
            description=description,
            export_name=f"{self.stack_name}-{name}",
        )


class NetworkStack(_EnvStack):
    def __init__(self, scope: Construct, env: EnvironmentConfig) -> None:
        super().__init__(scope, "network", env, "VPC, endpoints, flow logs, security groups")
        engine = engine_for(env.database)
        self.network = Network(
            self,
            "Network",
            config=env.network,
            env_name=env.name,
            database=(engine.label, engine.port),
            entry=env.edge.entry,
        )
        self.output("VpcId", self.network.vpc.vpc_id, "VPC id")
        self.output(
            "TaskSubnets",
            ",".join(
                s.subnet_id
                for s in self.network.vpc.select_subnets(subnet_type=TASK_SUBNETS).subnets
            ),
            "the services' subnets: awsvpcConfiguration subnets for migrate",
        )
        self.output(
            "TaskSecurityGroup",
            self.network.worker_sg.security_group_id,
            "awsvpcConfiguration security group for migrate (no inbound)",
        )


class RegistryStack(_EnvStack):
    def __init__(self, scope: Construct, env: EnvironmentConfig) -> None:
        super().__init__(scope, "registry", env, "ECR repository for the release image")
        self.registry = Registry(
            self, "Registry", keep_images=env.compute.ecr_keep_images, retain=env.retain_data
        )
        self.output(
            "RepositoryUri",
            self.registry.repository.repository_uri,
            "push the release image here (tag = git sha)",
        )


class DataStack(_EnvStack):
    def __init__(self, scope: Construct, env: EnvironmentConfig, network: Network) -> None:
        super().__init__(scope, "data", env, "PostgreSQL and Redis/Valkey")
        self.database = Database(
            self,
            "Database",
            config=env.database,
            env_name=env.name,
            vpc=network.vpc,
            security_group=network.database_sg,
            retain=env.retain_data,
            customer_key=env.keys == "customer",
        )
        self.cache = Cache(
            self,
            "Cache",
            config=env.cache,
            env_name=env.name,
            vpc=network.vpc,
            security_group=network.cache_sg,
            retain=env.retain_data,
            log_retention_days=env.database.log_retention_days,
            customer_key=env.keys == "customer",
        )
        self._database_outputs(network)
        self.output("RedisUrl", self.cache.cache.url, "REDIS_URL (without the token)")
        self.output("CeleryBrokerUrl", self.cache.broker.url, "CELERY_BROKER_URL")

    def _database_outputs(self, network: Network) -> None:
        """What `ops backup` and `ops restore` read (ops/booking_ops/aws/resolver.py)."""
        database = self.database
        self.output("DatabaseHost", database.host, "DATABASE_HOST")
        self.output("DatabaseInstanceId", database.instance_id, "snapshots and restores")
        self.output(
            "DatabaseSubnetGroup", database.subnet_group_name, "a restored instance's subnets"
        )
        # the network stack's group: a re-export (cfn-lint W6001, a warning) that keeps every
        # database name ops needs in this one stack
        self.output(
            "DatabaseSecurityGroup",
            network.database_sg.security_group_id,
            "a restored instance's security group",
        )
        self.output(
            "DatabaseParameterGroup",
            database.parameter_group.bind_to_instance().parameter_group_name,
            "a restored instance's parameters",
        )
        self.output(
            "DatabaseSecretArn",
            self.database.secret.secret_arn,
            "RDS credentials (JSON: username, password, host, port, dbname)",
        )


class AppStack(_EnvStack):
    def __init__(
        self,
        scope: Construct,
        env: EnvironmentConfig,
        network: Network,
        registry: Registry,
        data: DataStack,
        release: Release,
    ) -> None:
        super().__init__(
            scope, "app", env, f"buckets, ECS services, {_ENTRY[env.edge.entry]}, CDN, DNS"
        )
        self.storage = storage = Storage(self, "Storage", env=env, web_app=True)
        assert storage.web is not None  # web_app=True
        self.edge = Edge(
            self,
            "Edge",
            env=env,
            vpc=network.vpc,
            alb_security_group=network.alb_sg,
            buckets=EdgeBuckets(storage.web, storage.static, storage.media, storage.logs),
        )
        self.services = Services(
            self,
            "Services",
            env=env,
            placement=Placement(
                vpc=network.vpc,
                web_security_group=network.app_sg,
                worker_security_group=network.worker_sg,
            ),
            repository=registry.repository,
            release=release,
            database=data.database,
            cache=data.cache,
            storage=self.storage,
            target_group=self.edge.target_group,
        )
        self.api = self._http_api(env, network)
        self.dbtools = self._dbtools(env, registry, data, release)
        self._migrate_outputs(release)
        if not release.services_running:
            # on a running environment this stops every service: say so at synth and deploy
            Annotations.of(self).add_warning_v2(
                "booking:servicesHeld",
                "servicesRunning=false: web, worker and beat are set to 0 tasks "
                "(first deployment only, until migrate has run)",
            )
        self._outputs(env)

    def _http_api(self, env: EnvironmentConfig, network: Network) -> HttpApiEntry | None:
        """dev's entry instead of an ALB: an HTTP API through a VPC link to the web service."""
        if self.services.discovery is None or network.vpc_link_sg is None:
            return None
        target = ApiTarget(
            vpc=network.vpc,
            security_group=network.vpc_link_sg,
            service=self.services.discovery,
            certificate=self.edge.certificate,
            zone=self.edge.zone,
        )
        return HttpApiEntry(self, "Api", env=env, target=target)

    def _dbtools(
        self, env: EnvironmentConfig, registry: Registry, data: DataStack, release: Release
    ) -> DbTools:
        sources = DbToolsSources(registry.repository, data.database, self.storage.backups)
        dbtools = DbTools(self, "DbTools", env=env, release=release, sources=sources)
        self.output(
            "DbToolsTaskDefinition",
            dbtools.task_definition.task_definition_arn,
            "ops backup: the dump task (TaskSubnets, TaskSecurityGroup)",
        )
        return dbtools

    def _outputs(self, env: EnvironmentConfig) -> None:
        if self.edge.alb is not None:
            self.output("LoadBalancerDns", self.edge.alb.load_balancer_dns_name, "ALB DNS name")
        if self.api is not None:
            self.output("ApiId", self.api.api.api_id, "the HTTP API (dev's entry, no ALB)")
        self.output("ApiUrl", f"https://{env.domain.api_host}", "public API")
        self.output(
            "CdnDomain",
            self.edge.distribution.distribution_domain_name,
            "CloudFront domain (AWS_S3_CUSTOM_DOMAIN points at its alias)",
        )
        self._web_app_outputs(env)
        self.output("StaticBucket", self.storage.static.bucket_name, "AWS_STATIC_BUCKET_NAME")
        self.output("MediaBucket", self.storage.media.bucket_name, "AWS_MEDIA_BUCKET_NAME")
        self.output("BackupsBucket", self.storage.backups.bucket_name, "database dumps")
        self.output(
            "TwilioSecretArn",
            self.services.secrets.twilio.secret_arn,
            "put account_sid, auth_token, from_number here",
        )
        self.output(
            "SentrySecretArn", self.services.secrets.sentry.secret_arn, "put dsn here (optional)"
        )

    def _web_app_outputs(self, env: EnvironmentConfig) -> None:
        """What `ops deploy --web-app` publishes to: the bucket, then an invalidation."""
        assert self.storage.web is not None
        self.output("WebAppUrl", env.domain.frontend_url, "the web app (FRONTEND_URL)")
        self.output("WebAppBucket", self.storage.web.bucket_name, "frontend/dist goes here")
        self.output(
            "DistributionId",
            self.edge.distribution.distribution_id,
            "CloudFront: invalidate /index.html after publishing the web app",
        )

    def _migrate_outputs(self, release: Release) -> None:
        """What `aws ecs run-task` (and `ops deploy`) needs to run migrate, with the network
        stack's TaskSubnets and TaskSecurityGroup."""
        services = self.services
        self.output("ClusterName", services.cluster.cluster_name, "ECS cluster")
        self.output(
            "MigrateTaskFamily",
            services.migrate.family,
            "run-task --task-definition (latest revision): run before the services roll",
        )
        self.output(
            "MigrateTaskDefinition",
            services.migrate.task_definition_arn,
            "the migrate revision this deploy registered",
        )
        self.output("MigrateContainer", CONTAINER, "container name for run-task overrides")
        # subnets and security group: TaskSubnets and TaskSecurityGroup of the network stack
        # (re-exporting an import here is what cfn-lint W6001 warns about)
        self.output("ImageTag", release.image_tag, "the image tag migrate runs")
        self.output(
            "ServicesImageTag", release.services_tag, "the image tag web, worker and beat run"
        )
        self.output(
            "ServiceNames",
            ",".join(self.services.running),
            "the ECS services ops rolls, in order (no beat where the worker runs it)",
        )
        self.output(
            "ServicesRunning",
            str(release.services_running).lower(),
            "false until the first migrate succeeded",
        )


class SharedAppStack(_EnvStack):
    """Where ECS does not run the app (platform "eks" or "none"): the buckets and the app's
    secrets it needs anyway, under the same stack name and outputs as AppStack's."""

    def __init__(self, scope: Construct, env: EnvironmentConfig) -> None:
        super().__init__(scope, "app", env, f"buckets and app secrets ({env.platform})")
        self.storage = Storage(self, "Storage", env=env)
        self.key = unit_key(
            self,
            "Key",
            customer=env.keys == "customer",
            description=f"booking {env.name}: application secrets",
            retain=env.retain_data,
        )
        self.secrets = AppSecrets(self, "Secrets", env_name=env.name, key=self.key)
        self.output("ApiUrl", f"https://{env.domain.api_host}", "public API")
        self.output("StaticBucket", self.storage.static.bucket_name, "AWS_STATIC_BUCKET_NAME")
        self.output("MediaBucket", self.storage.media.bucket_name, "AWS_MEDIA_BUCKET_NAME")
        self.output("BackupsBucket", self.storage.backups.bucket_name, "database dumps")
        self.output(
            "TwilioSecretArn", self.secrets.twilio.secret_arn, "put account_sid, auth_token here"
        )
        self.output("SentrySecretArn", self.secrets.sentry.secret_arn, "put dsn here (optional)")


class KubernetesStack(_EnvStack):
    """The EKS cluster for deploy/k8s/, on the environment's network, data stores and buckets."""

    def __init__(
        self,
        scope: Construct,
        env: EnvironmentConfig,
        network: Network,
        data: DataStack,
        app: SharedAppStack,
    ) -> None:
        super().__init__(scope, "eks", env, "EKS cluster, Graviton nodes, IRSA roles")
        # imported by ARN: the grants land in the IRSA roles' policies, in this stack
        keys = [
            kms.Key.from_key_arn(self, f"{name}Key", key.key_arn)
            for name, key in (
                ("Database", data.database.key),
                ("Cache", data.cache.key),
                ("App", app.key),
            )
            if key is not None
        ]
        self.kubernetes = Kubernetes(
            self,
            "Kubernetes",
            env_name=env.name,
            config=env.kubernetes,
            vpc=network.vpc,
            access=ClusterAccess(
                database_security_group=network.database_sg,
                database_port=data.database.engine.port,
                cache_security_group=network.cache_sg,
                static_bucket=app.storage.static,
                media_bucket=app.storage.media,
                secret_keys=tuple(keys),
                default_from_email=env.domain.default_from_email,
            ),
        )
        self.output("ClusterName", self.kubernetes.name, "aws eks update-kubeconfig --name")
        for name, role in self.kubernetes.roles.items():
            key = "".join(part.title() for part in name.split("-"))
            self.output(f"{key}RoleArn", role.role_arn, f"eks.amazonaws.com/role-arn of {name}")


class MonitoringStack(_EnvStack):
    def __init__(
        self,
        scope: Construct,
        env: EnvironmentConfig,
        data: DataStack,
        app: AppStack | SharedAppStack,
    ) -> None:
        super().__init__(scope, "monitoring", env, "dashboard, alarms, CloudTrail, GuardDuty")
        load_balancer, api, services = None, None, {}
        if isinstance(app, AppStack):
            load_balancer = app.edge.alb
            api = app.api.api if app.api else None
            services = app.services.running
        self.observability = Observability(
            self,
            "Observability",
            env=env,
            watched=Watched(
                load_balancer=load_balancer,
                api=api,
                services=services,
                database=data.database.instance,
                replicas=data.database.replicas,
                cache_groups=data.cache.groups,
            ),
        )
        self.governance = Governance(
            self,
            "Governance",
            env=env,
            alarm_topic=self.observability.topic,
            access_logs_bucket=app.storage.logs,
        )
        self.output("AlarmTopicArn", self.observability.topic.topic_arn, "alarm notifications")


class DeliveryStack(_EnvStack):
    """The roles GitHub Actions assumes through OIDC; nothing else depends on this stack."""

    def __init__(self, scope: Construct, env: EnvironmentConfig) -> None:
        super().__init__(scope, "delivery", env, "GitHub OIDC provider and CI/CD roles")
        config = env.delivery
        provider_arn = config.oidc_provider_arn or GithubOidcProvider(self, "Github").arn
        self.deploy = DeployRole(
            self,
            "Deploy",
            provider_arn=provider_arn,
            github_repository=config.github_repository,
            target=DeployTarget(env_name=env.name, repository_name=REPOSITORY_NAME),
        )
        self.output("DeployRoleArn", self.deploy.role.role_arn, "release.yml: role-to-assume")
        if config.diff_role:
            diff = DiffRole(
                self, "Diff", provider_arn=provider_arn, github_repository=config.github_repository
            )
            self.output("DiffRoleArn", diff.role.role_arn, "ci.yml cdk diff: role-to-assume")


def build_environment(
    scope: Construct, env: EnvironmentConfig, release: Release
) -> dict[str, Stack]:
    network = NetworkStack(scope, env)
    registry = RegistryStack(scope, env)
    data = DataStack(scope, env, network.network)
    stacks: dict[str, Stack] = {"network": network, "registry": registry, "data": data}
    app: AppStack | SharedAppStack
    if env.platform == "ecs":
        app = AppStack(scope, env, network.network, registry.registry, data, release)
    else:
        app = SharedAppStack(scope, env)
    stacks["app"] = app
    if env.platform == "eks" and isinstance(app, SharedAppStack):
        stacks["eks"] = KubernetesStack(scope, env, network.network, data, app)
    stacks["monitoring"] = MonitoringStack(scope, env, data, app)
    stacks["delivery"] = DeliveryStack(scope, env)
    return stacks
