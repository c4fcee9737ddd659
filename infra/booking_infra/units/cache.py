"""ElastiCache (Valkey): the Django cache and the Celery broker, encrypted, behind an AUTH token.

The broker must never lose queued tasks to eviction. With ``separate_broker`` the broker
has its own replication group whose policy is ``noeviction`` while the cache group evicts least
recently used keys; without it the one group runs ``volatile-lru``: only keys with a timeout
(the cache's) are ever evicted, the broker's queues (no timeout) never are.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct
from environments import CacheConfig

from booking_infra.common import AWS_MANAGED_KEY, log_group, skip_checks, unit_key
from booking_infra.units.network import REDIS_PORT

CACHE_DB = 0
BROKER_DB_SHARED = 1  # the Celery broker's logical database when it shares the cache group
# Kombu's queues carry no TTL and Django's cache entries do: volatile-lru frees cache memory
# when full and never touches a queued task.
SHARED_POLICY = "volatile-lru"


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: str
    db: int

    @property
    def url(self) -> str:
        return f"rediss://{self.host}:{self.port}/{self.db}"


class Cache(Construct):
    """One or two replication groups and the AUTH token they share."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: CacheConfig,
        env_name: str,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        retain: bool,
        log_retention_days: int,
        customer_key: bool = True,
    ) -> None:
        super().__init__(scope, id)
        self._config = config
        self._env_name = env_name
        self._security_group = security_group
        self._log_retention_days = log_retention_days
        self.key = unit_key(
            self,
            "Key",
            customer=customer_key,
            description=f"booking {env_name}: ElastiCache data and AUTH token",
            retain=retain,
        )
        self.auth_token = self._auth_token()
        self.subnet_group = elasticache.CfnSubnetGroup(
            self,
            "Subnets",
            description=f"booking {env_name} cache subnets",
            subnet_ids=vpc.select_subnets(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED).subnet_ids,
        )
        self._endpoints()

    def _auth_token(self) -> secretsmanager.Secret:
        token = secretsmanager.Secret(
            self,
            "AuthToken",
            secret_name=f"booking/{self._env_name}/redis-auth-token",
            description="AUTH token of the ElastiCache groups (REDIS_AUTH_TOKEN)",
            # by ARN, so grants to task roles in later stacks stay in those roles' policies
            encryption_key=kms.Key.from_key_arn(self, "SecretKey", self.key.key_arn)
            if self.key
            else None,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64,
                exclude_punctuation=True,
            ),
        )
        skip_checks(
            token,
            {
                "CKV2_AWS_57": "ElastiCache reads the token at deploy time; rotate with "
                "docs/aws.md#rotating-the-redis-auth-token (ROTATE then SET)",
            },
        )
        if self.key is None:
            skip_checks(token, {"CKV_AWS_149": AWS_MANAGED_KEY})
        return token

    def _endpoints(self) -> None:
        config = self._config
        # shared: only keys with a TTL (the Django cache's) may be evicted, never the queues
        cache_policy = "allkeys-lru" if config.separate_broker else SHARED_POLICY
        self.cache_group = self._group("Cache", config.node_type, cache_policy)
        if config.separate_broker:
            self.broker_group = self._group("Broker", config.broker_node_type, "noeviction")
            broker_db = 0
        else:
            self.broker_group = self.cache_group
            broker_db = BROKER_DB_SHARED
        self.cache = Endpoint(
            self.cache_group.attr_primary_end_point_address,
            self.cache_group.attr_primary_end_point_port,
            CACHE_DB,
        )
        self.broker = Endpoint(
            self.broker_group.attr_primary_end_point_address,
            self.broker_group.attr_primary_end_point_port,
            broker_db,
        )

    @property
    def groups(self) -> list[elasticache.CfnReplicationGroup]:
        if self.broker_group is self.cache_group:
            return [self.cache_group]
        return [self.cache_group, self.broker_group]

    def _group(self, role: str, node_type: str, policy: str) -> elasticache.CfnReplicationGroup:
        config = self._config
        family = f"valkey{config.engine_version.split('.')[0]}"
        parameters = elasticache.CfnParameterGroup(
            self,
            f"{role}Parameters",
            cache_parameter_group_family=family,
            description=f"booking {self._env_name} {role.lower()}: maxmemory-policy {policy}",
            properties={"maxmemory-policy": policy},
        )
        slow_log = log_group(
            self,
            f"{role}SlowLog",
            name=f"/booking/{self._env_name}/{role.lower()}/slow-log",
            days=self._log_retention_days,
        )
        failover = config.nodes_per_group > 1
        group = elasticache.CfnReplicationGroup(
            self,
            role,
            replication_group_id=f"booking-{self._env_name}-{role.lower()}",
            replication_group_description=f"booking {self._env_name} {role.lower()}",
            engine="valkey",
            engine_version=config.engine_version,
            cache_node_type=node_type,
            num_cache_clusters=config.nodes_per_group,
            automatic_failover_enabled=failover,
            multi_az_enabled=config.multi_az and failover,
            cache_parameter_group_name=parameters.ref,
            cache_subnet_group_name=self.subnet_group.ref,
            security_group_ids=[self._security_group.security_group_id],
            port=REDIS_PORT,
            at_rest_encryption_enabled=True,
            kms_key_id=self.key.key_id if self.key else None,
            transit_encryption_enabled=True,
            auth_token=self.auth_token.secret_value.unsafe_unwrap(),  # a dynamic reference
            snapshot_retention_limit=config.snapshot_retention_days,
            snapshot_window="03:00-04:00",
            preferred_maintenance_window="sun:05:00-sun:06:00",
            auto_minor_version_upgrade=True,
            log_delivery_configurations=[
                elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty(
                    destination_type="cloudwatch-logs",
                    log_format="json",
                    log_type="slow-log",
                    destination_details=elasticache.CfnReplicationGroup.DestinationDetailsProperty(
                        cloud_watch_logs_details=elasticache.CfnReplicationGroup.CloudWatchLogsDestinationDetailsProperty(
                            log_group=slow_log.log_group_name,
                        ),
                    ),
                ),
            ],
        )
        if self.key is None:
            skip_checks(group, {"CKV_AWS_191": AWS_MANAGED_KEY})
        return group
