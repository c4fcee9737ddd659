"""RDS PostgreSQL 16 or MySQL 8.0: encrypted, backed up, rotated, tuned for Django; a read
replica in prod."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct
from environments import DatabaseConfig

from booking_infra.common import (
    AWS_MANAGED_KEY,
    cfn_children,
    log_group,
    skip_checks,
    unit_key,
)
from booking_infra.units.engines import engine_for

DATABASE_NAME = "booking"
MASTER_USERNAME = "booking"
PRIMARY_DEFAULTS: dict[str, Any] = {
    "storage_type": rds.StorageType.GP3,
    "storage_encrypted": True,
    "preferred_backup_window": "03:00-04:00",
    "preferred_maintenance_window": "sun:04:30-sun:05:30",
    "copy_tags_to_snapshot": True,
}


class Database(Construct):
    """The primary, its credentials in Secrets Manager with rotation, and optional replicas."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: DatabaseConfig,
        env_name: str,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        retain: bool,
        customer_key: bool = True,
    ) -> None:
        super().__init__(scope, id)
        self._env_name = env_name
        self.engine = engine_for(config)
        self.key = unit_key(
            self,
            "Key",
            customer=customer_key,
            description=f"booking {env_name}: RDS storage, Performance Insights, credentials",
            retain=retain,
        )
        self.parameter_group = rds.ParameterGroup(
            self,
            "Parameters",
            engine=self.engine.rds_engine,
            description=f"Django settings for {self.engine.label} {self.engine.version}",
            parameters=self.engine.parameters(config),
        )
        # An immutable view of the network's group: the rules on it are all written in Network
        # and below, so nothing here makes the network stack depend on this one.
        security_group = ec2.SecurityGroup.from_security_group_id(
            self,
            "DatabaseSg",
            security_group.security_group_id,
            mutable=False,
            allow_all_outbound=False,
        )
        identifier = f"booking-{env_name}"
        self.instance = self._primary(identifier, config, vpc, security_group, retain)
        self._log_groups(self.instance, identifier, config)
        self.secret: secretsmanager.ISecret = self.instance.secret  # type: ignore[assignment]
        self._rotation(config, vpc, security_group)
        self.replicas = [
            self._replica(index, identifier, config, vpc, security_group)
            for index in range(1, config.read_replicas + 1)
        ]

    def _primary(
        self,
        identifier: str,
        config: DatabaseConfig,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        retain: bool,
    ) -> rds.DatabaseInstance:
        # The secret refers to the key by ARN so that grants to task roles in later stacks land
        # in those roles' policies (the key policy trusts the account), not in this stack.
        secret_key = kms.Key.from_key_arn(self, "SecretKey", self.key.key_arn) if self.key else None
        instance = rds.DatabaseInstance(
            self,
            "Primary",
            instance_identifier=identifier,
            engine=self.engine.rds_engine,
            instance_type=ec2.InstanceType(config.instance_class),
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            security_groups=[security_group],
            port=self.engine.port,
            database_name=DATABASE_NAME,
            credentials=rds.Credentials.from_generated_secret(
                MASTER_USERNAME,
                secret_name=f"booking/{self._env_name}/database",
                encryption_key=secret_key,
            ),
            multi_az=config.multi_az,
            allocated_storage=config.allocated_storage_gb,
            storage_encryption_key=self.key,
            backup_retention=Duration.days(config.backup_retention_days),
            deletion_protection=config.deletion_protection,
            removal_policy=RemovalPolicy.SNAPSHOT if retain else RemovalPolicy.DESTROY,
            delete_automated_backups=not retain,
            **self._common(config, config.instance_class),
            **PRIMARY_DEFAULTS,
        )
        if self.key is None:
            skip_checks(instance, {"CKV_AWS_354": AWS_MANAGED_KEY})
            for secret in cfn_children(instance, "AWS::SecretsManager::Secret"):
                skip_checks(secret, {"CKV_AWS_149": AWS_MANAGED_KEY})
        self._skip_without_insights(instance, config.instance_class)
        if not config.multi_az:
            skip_checks(
                instance,
                {
                    "CKV_AWS_157": "Multi-AZ is an environment prop: on in prod, off in dev and "
                    "staging where a restore from backup is an acceptable recovery",
                },
            )
        return instance

    def _common(self, config: DatabaseConfig, instance_class: str) -> dict[str, Any]:
        """What the primary and its replicas share."""
        return {
            **self._insights(instance_class),
            "max_allocated_storage": config.max_allocated_storage_gb,
            "parameter_group": self.parameter_group,
            "monitoring_interval": Duration.seconds(60),
            "cloudwatch_logs_exports": list(self.engine.log_exports),
            "auto_minor_version_upgrade": True,
            "iam_authentication": True,
            "publicly_accessible": False,
        }

    def _skip_without_insights(self, instance: rds.DatabaseInstanceBase, cls: str) -> None:
        if not self.engine.performance_insights(cls):
            skip_checks(
                instance,
                {
                    "CKV_AWS_353": f"RDS has no Performance Insights for {self.engine.label} on "
                    f"db.{cls}; Enhanced Monitoring and the slow-query log stand in",
                },
            )

    def _insights(self, instance_class: str) -> dict[str, Any]:
        """Performance Insights (the free 7 days) where the engine offers it on the class."""
        if not self.engine.performance_insights(instance_class):
            return {"enable_performance_insights": False}
        return {
            "enable_performance_insights": True,
            "performance_insight_retention": rds.PerformanceInsightRetention.DEFAULT,
            "performance_insight_encryption_key": self.key,
        }

    @property
    def instance_id(self) -> str:
        return self.instance.instance_identifier

    @property
    def subnet_group_name(self) -> str:
        # the group DatabaseInstance made for itself (passing our own would replace the instance)
        group = self.instance.node.find_child("SubnetGroup")
        assert isinstance(group, rds.SubnetGroup)
        return group.subnet_group_name

    @property
    def host(self) -> str:
        return self.instance.db_instance_endpoint_address

    @property
    def port(self) -> str:
        return self.instance.db_instance_endpoint_port

    @property
    def replica_hosts(self) -> list[str]:
        """host:port of every replica, the form DATABASE_REPLICA_HOSTS takes."""
        return [
            f"{replica.db_instance_endpoint_address}:{replica.db_instance_endpoint_port}"
            for replica in self.replicas
        ]

    def _log_groups(
        self, instance: rds.DatabaseInstanceBase, identifier: str, config: DatabaseConfig
    ) -> None:
        # created before the instance so that RDS does not create them without retention
        for log in self.engine.log_exports:
            group = log_group(
                self,
                f"{identifier}-{log}-logs",
                name=f"/aws/rds/instance/{identifier}/{log}",
                days=config.log_retention_days,
            )
            instance.node.add_dependency(group)

    def _rotation(
        self, config: DatabaseConfig, vpc: ec2.IVpc, database_sg: ec2.ISecurityGroup
    ) -> None:
        rotation_sg = ec2.SecurityGroup(
            self,
            "RotationSg",
            vpc=vpc,
            allow_all_outbound=False,
            description=f"Secret rotation Lambda: {self.engine.label} and the Secrets Manager "
            "API only",
        )
        rotation_sg.add_egress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to the Secrets Manager API"
        )
        rotation_sg.add_egress_rule(
            ec2.Peer.security_group_id(database_sg.security_group_id),
            ec2.Port.tcp(self.engine.port),
            f"to {self.engine.label}",
        )
        ec2.CfnSecurityGroupIngress(
            self,
            "DatabaseFromRotation",
            group_id=database_sg.security_group_id,
            ip_protocol="tcp",
            from_port=self.engine.port,
            to_port=self.engine.port,
            source_security_group_id=rotation_sg.security_group_id,
            description=f"{self.engine.label} from the secret rotation Lambda",
        )
        self.instance.add_rotation_single_user(
            automatically_after=Duration.days(config.rotation_days),
            security_group=rotation_sg,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        )

    def _replica(
        self,
        index: int,
        identifier: str,
        config: DatabaseConfig,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
    ) -> rds.DatabaseInstanceReadReplica:
        replica_id = f"{identifier}-replica-{index}"
        replica = rds.DatabaseInstanceReadReplica(
            self,
            f"Replica{index}",
            instance_identifier=replica_id,
            source_database_instance=self.instance,
            instance_type=ec2.InstanceType(config.replica_class),
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            security_groups=[security_group],
            port=self.engine.port,
            deletion_protection=config.deletion_protection,
            removal_policy=RemovalPolicy.DESTROY,
            **self._common(config, config.replica_class),
        )
        skip_checks(
            replica,
            {
                "CKV_AWS_16": "a read replica inherits the primary's encryption and KMS key",
                "CKV_AWS_157": "a replica serves reads; availability comes from the Multi-AZ "
                "primary and the app falls back to it when no replica answers",
            },
        )
        self._log_groups(replica, replica_id, config)
        self._skip_without_insights(replica, config.replica_class)
        return replica
