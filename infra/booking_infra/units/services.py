"""ECS on Fargate (ARM64): web, worker and beat services and the one-off migrate task.

One image, one role argument per process (``web``, ``worker``, ``beat``, ``migrate``).
Configuration reaches the container as environment values; everything secret arrives through
``secrets`` (Secrets Manager references resolved by the ECS agent), never as a plain value.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_servicediscovery as servicediscovery
from constructs import Construct
from environments import EnvironmentConfig, ServiceSizing

from booking_infra.common import log_group, skip_checks, unit_key
from booking_infra.release import Release
from booking_infra.units.cache import Cache
from booking_infra.units.database import DATABASE_NAME, Database
from booking_infra.units.network import APP_PORT
from booking_infra.units.secrets import AppSecrets
from booking_infra.units.storage import Storage

ROLES = ("web", "worker", "beat", "migrate")
# beat inside the worker (ComputeConfig.beat_in_worker): Celery's embedded scheduler, its
# schedule file on the task's writable volume; the `worker` role passes these to Celery
SENDERS = ("web", "worker")  # the roles that send e-mail (beat only enqueues, migrate sends none)
CONTAINER = "app"
WRITABLE_PATH = "/tmp"  # noqa: S108 - the task's own volume under a read-only root
WORKER_WITH_BEAT = ["worker", "--beat", "--schedule", f"{WRITABLE_PATH}/celerybeat-schedule"]
# SIGTERM to SIGKILL. web: WEB_GRACEFUL_TIMEOUT (30 s, then the web server kills a worker still
# busy) and a margin; the ALB has drained the task for its deregistration delay before the
# SIGTERM.
STOP_TIMEOUTS = {"worker": 120, "web": 35}
# The web tasks' server: uWSGI (deploy/uwsgi_server.py), less CPU per request than gunicorn and
# no failed request when it replaces a worker; "gunicorn" and "granian" remain options
# (docs/operations.md, "The web server").
WEB_SERVER = "uwsgi"
# Liveness only (a database outage must not replace every task); readiness, /health/ready, is the
# ALB target group's check (edge.py). No server answers before the app is loaded (uWSGI's master
# and gunicorn's preload_app import it before the workers start, deploy/granian_server.py before
# it opens the port), so this passing means the task serves.
LIVE_CHECK = (
    'python -c "import urllib.request; '
    f"urllib.request.urlopen('http://127.0.0.1:{APP_PORT}/health/live', timeout=3)\" || exit 1"
)


TASK_SUBNETS = ec2.SubnetType.PRIVATE_WITH_EGRESS
_NO_INSIGHTS = (
    "container_insights is an environment prop (environments.py), off to save ~$12/month: the "
    "alarms and the dashboard use the free AWS/ECS CPU and memory metrics per service"
)


@dataclass(frozen=True)
class Placement:
    """Where the tasks run and what they may talk to."""

    vpc: ec2.IVpc
    web_security_group: ec2.ISecurityGroup
    worker_security_group: ec2.ISecurityGroup


class Services(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        env: EnvironmentConfig,
        placement: Placement,
        repository: ecr.IRepository,
        release: Release,
        database: Database,
        cache: Cache,
        storage: Storage,
        target_group: elbv2.IApplicationTargetGroup | None,
    ) -> None:
        """TARGET_GROUP: the ALB's; None where an HTTP API is the entry (EdgeConfig.entry): the
        web service then registers in Cloud Map, where the API's VPC link finds its tasks."""
        super().__init__(scope, id)
        self._env = env
        self.placement = placement
        self._release = release
        self.key = unit_key(
            self,
            "Key",
            customer=env.keys == "customer",
            description=f"booking {env.name}: application secrets, ECS Exec",
            retain=env.retain_data,
        )
        self.secrets = AppSecrets(self, "Secrets", env_name=env.name, key=self.key)
        self.cluster = self._cluster(placement.vpc)
        self._images = {
            "migrate": ecs.ContainerImage.from_ecr_repository(repository, release.image_tag),
            "services": ecs.ContainerImage.from_ecr_repository(repository, release.services_tag),
        }
        self._environment = self._environment_values(database, cache, storage)
        self._secrets = self._secret_values(database, cache)
        self._storage = storage
        compute = env.compute
        self.task_definitions = {
            role: self._task_definition(role, getattr(compute, role))
            for role in ROLES
            if not (role == "beat" and compute.beat_in_worker)
        }
        self._services(target_group)
        self._scaling(target_group)

    def _services(self, target_group: elbv2.IApplicationTargetGroup | None) -> None:
        compute, placement = self._env.compute, self.placement
        self.web = self._service(
            "web", compute.web, placement.web_security_group, min_percent=100, max_percent=200
        )
        self.discovery: servicediscovery.IService | None = None
        if target_group is not None:
            self.web.attach_to_application_target_group(target_group)
        else:
            self.discovery = self._register_in_cloud_map(self.web)
        # beat must never run twice: stop the old task before starting the new one (the worker
        # too, where beat runs inside it)
        single = compute.beat_in_worker
        self.worker = self._service(
            "worker",
            compute.worker,
            placement.worker_security_group,
            min_percent=0 if single else 100,
            max_percent=100 if single else 200,
        )
        self.beat = (
            None
            if single
            else self._service(
                "beat",
                compute.beat,
                placement.worker_security_group,
                min_percent=0,
                max_percent=100,
            )
        )

    def _register_in_cloud_map(self, web: ecs.FargateService) -> servicediscovery.IService:
        """SRV records (awsvpc tasks: address and port) in a private namespace; ECS registers
        a task once its container health check passes and deregisters it when it stops."""
        namespace = servicediscovery.PrivateDnsNamespace(
            self,
            "Namespace",
            name=f"booking-{self._env.name}.internal",
            vpc=self.placement.vpc,
            description="the web tasks, for the HTTP API's VPC link",
        )
        service = web.enable_cloud_map(
            cloud_map_namespace=namespace,
            name="web",
            dns_record_type=servicediscovery.DnsRecordType.SRV,
            dns_ttl=Duration.seconds(10),
            container=self.task_definitions["web"].default_container,
            container_port=APP_PORT,
        )
        return service

    @property
    def running(self) -> dict[str, ecs.FargateService]:
        """The services by role, as ops rolls them (the app stack's ServiceNames output)."""
        found = {"web": self.web, "worker": self.worker, "beat": self.beat}
        return {role: service for role, service in found.items() if service is not None}

    @property
    def migrate(self) -> ecs.FargateTaskDefinition:
        return self.task_definitions["migrate"]

    def _desired(self, sizing: ServiceSizing) -> int:
        return sizing.min_tasks if self._release.services_running else 0

    def _cluster(self, vpc: ec2.IVpc) -> ecs.Cluster:
        exec_config = None
        if self._env.compute.enable_exec:
            exec_logs = log_group(
                self,
                "ExecLogs",
                name=f"/booking/{self._env.name}/ecs-exec",
                days=self._env.compute.log_retention_days,
            )
            exec_config = ecs.ExecuteCommandConfiguration(
                kms_key=self.key,
                logging=ecs.ExecuteCommandLogging.OVERRIDE,
                log_configuration=ecs.ExecuteCommandLogConfiguration(
                    cloud_watch_log_group=exec_logs
                ),
            )
        insights = self._env.compute.container_insights
        cluster = ecs.Cluster(
            self,
            "Cluster",
            vpc=vpc,
            cluster_name=f"booking-{self._env.name}",
            container_insights_v2=ecs.ContainerInsights.ENABLED
            if insights
            else ecs.ContainerInsights.DISABLED,
            enable_fargate_capacity_providers=True,
            execute_command_configuration=exec_config,
        )
        if not insights:
            skip_checks(cluster, {"CKV_AWS_65": _NO_INSIGHTS})
        return cluster

    def _environment_values(
        self, database: Database, cache: Cache, storage: Storage
    ) -> dict[str, str]:
        env = self._env
        values = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_ALLOWED_HOSTS": env.domain.api_host,
            # the web app calls the API on its own host, through CloudFront (units/web_app.py)
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{env.domain.api_host},"
            f"{env.domain.frontend_url}",
            "FRONTEND_URL": env.domain.frontend_url,
            "DATABASE_ENGINE": database.engine.django,  # "postgresql" or "mysql"
            "DATABASE_HOST": database.host,
            "DATABASE_PORT": database.port,
            "DATABASE_NAME": DATABASE_NAME,
            "REDIS_URL": cache.cache.url,
            "CELERY_BROKER_URL": cache.broker.url,
            "AWS_STATIC_BUCKET_NAME": storage.static.bucket_name,
            "AWS_MEDIA_BUCKET_NAME": storage.media.bucket_name,
            "AWS_S3_CUSTOM_DOMAIN": env.domain.cdn_host,
            "AWS_S3_REGION_NAME": env.region,
            "DEFAULT_FROM_EMAIL": env.domain.default_from_email,
            "WEB_SERVER": WEB_SERVER,
            "WEB_CONCURRENCY": str(env.compute.web_concurrency),
            # read by uWSGI and Granian; gunicorn replaces a worker after GUNICORN_MAX_REQUESTS
            "WEB_WORKER_MAX_RSS": str(env.compute.web_worker_max_rss_mib),
            # The ALB appends the client's address to X-Forwarded-For. Behind the HTTP API that
            # is not established here: 0 counts its VPC link's address (stricter, never spoofed).
            "TRUSTED_PROXY_COUNT": "1" if env.edge.entry == "alb" else "0",
            **env.notifications.environment(env.region),
        }
        if database.replicas:
            values["DATABASE_REPLICA_HOSTS"] = ",".join(database.replica_hosts)
        return values

    def _secret_values(self, database: Database, cache: Cache) -> dict[str, ecs.Secret]:
        sm = ecs.Secret.from_secrets_manager
        app = self.secrets
        return {
            "DJANGO_SECRET_KEY": sm(app.django_secret_key),
            "DATABASE_USER": sm(database.secret, "username"),
            "DATABASE_PASSWORD": sm(database.secret, "password"),
            "REDIS_AUTH_TOKEN": sm(cache.auth_token),
            "TWILIO_ACCOUNT_SID": sm(app.twilio, "account_sid"),
            "TWILIO_AUTH_TOKEN": sm(app.twilio, "auth_token"),
            "TWILIO_FROM_NUMBER": sm(app.twilio, "from_number"),
            "SENTRY_DSN": sm(app.sentry, "dsn"),
        }

    def _task_definition(self, role: str, sizing: ServiceSizing) -> ecs.FargateTaskDefinition:
        definition = ecs.FargateTaskDefinition(
            self,
            f"{role.title()}Task",
            family=f"booking-{self._env.name}-{role}",
            cpu=sizing.cpu,
            memory_limit_mib=sizing.memory_mib,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.ARM64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )
        definition.add_volume(name="tmp")
        logs = log_group(
            self,
            f"{role.title()}Logs",
            name=f"/booking/{self._env.name}/{role}",
            days=self._env.compute.log_retention_days,
        )
        container = definition.add_container(
            CONTAINER,
            image=self._images["migrate" if role == "migrate" else "services"],
            command=WORKER_WITH_BEAT
            if role == "worker" and self._env.compute.beat_in_worker
            else [role],
            environment=self._environment,
            secrets=self._secrets,
            logging=ecs.LogDrivers.aws_logs(stream_prefix=role, log_group=logs),
            readonly_root_filesystem=True,
            linux_parameters=ecs.LinuxParameters(
                self, f"{role.title()}Linux", init_process_enabled=True
            ),
            stop_timeout=Duration.seconds(STOP_TIMEOUTS.get(role, 30)),
            port_mappings=[ecs.PortMapping(container_port=APP_PORT)] if role == "web" else None,
            health_check=ecs.HealthCheck(
                command=["CMD-SHELL", LIVE_CHECK], start_period=Duration.seconds(30)
            )
            if role == "web"
            else None,
        )
        # the only writable path: a task-private volume, not a shared temp directory
        container.add_mount_points(
            ecs.MountPoint(container_path=WRITABLE_PATH, source_volume="tmp", read_only=False)
        )
        if role != "beat":  # beat only enqueues; it touches no bucket and sends no mail
            self._grant_storage(definition.task_role)
        if role in SENDERS and self._env.notifications.email == "ses":
            definition.task_role.add_to_principal_policy(self._ses_statement())
        return definition

    def _grant_storage(self, role: iam.IRole) -> None:
        self._storage.static.grant_read_write(role)
        self._storage.media.grant_read_write(role)
        self._storage.media.grant_delete(role)

    def _ses_statement(self) -> iam.PolicyStatement:
        """Send through the environment's one verified identity, from its one address."""
        identity = Stack.of(self).format_arn(
            service="ses", resource="identity", resource_name=self._env.notifications.ses_identity
        )
        return iam.PolicyStatement(
            actions=["ses:SendEmail", "ses:SendRawEmail"],
            resources=[identity],
            conditions={"StringEquals": {"ses:FromAddress": self._env.domain.default_from_email}},
        )

    def _service(
        self,
        role: str,
        sizing: ServiceSizing,
        security_group: ec2.ISecurityGroup,
        *,
        min_percent: int,
        max_percent: int,
    ) -> ecs.FargateService:
        return ecs.FargateService(
            self,
            f"{role.title()}Service",
            service_name=role,
            cluster=self.cluster,
            task_definition=self.task_definitions[role],
            desired_count=self._desired(sizing),
            min_healthy_percent=min_percent,
            max_healthy_percent=max_percent,
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            security_groups=[security_group],
            vpc_subnets=ec2.SubnetSelection(subnet_type=TASK_SUBNETS),
            assign_public_ip=False,
            enable_execute_command=self._env.compute.enable_exec,
            propagate_tags=ecs.PropagatedTagSource.SERVICE,
            # only a load balancer's health checks wait for it; the container's has start_period
            health_check_grace_period=Duration.seconds(60)
            if role == "web" and self._env.edge.entry == "alb"
            else None,
        )

    def _scaling(self, target_group: elbv2.IApplicationTargetGroup | None) -> None:
        compute = self._env.compute
        web = self._scalable(self.web, compute.web)
        web.scale_on_cpu_utilization(
            "Cpu",
            target_utilization_percent=compute.web.cpu_target_percent,
            scale_in_cooldown=Duration.seconds(120),
            scale_out_cooldown=Duration.seconds(60),
        )
        if target_group is not None:  # an HTTP API has no per-target request metric: CPU only
            web.scale_on_request_count(
                "Requests",
                requests_per_target=compute.requests_per_target,
                target_group=target_group,  # type: ignore[arg-type]
                scale_in_cooldown=Duration.seconds(120),
                scale_out_cooldown=Duration.seconds(60),
            )
        worker = self._scalable(self.worker, compute.worker)
        worker.scale_on_cpu_utilization(
            "Cpu",
            target_utilization_percent=compute.worker.cpu_target_percent,
            scale_in_cooldown=Duration.seconds(300),
            scale_out_cooldown=Duration.seconds(60),
        )

    def _scalable(
        self, service: ecs.FargateService, sizing: ServiceSizing
    ) -> ecs.ScalableTaskCount:
        # while the services are held stopped, a minimum above 0 would start them anyway
        return service.auto_scale_task_count(
            min_capacity=self._desired(sizing), max_capacity=sizing.max_tasks
        )
