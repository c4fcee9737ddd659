"""The dbtools task definition: `ops backup` runs it as a one-off task to dump the database.

Its image (ops/dbtools/) holds the database client and the AWS CLI, nothing of the app; it
lives in the app's repository under its own tag. It reads the same DATABASE_* variables as the
app, may write only ``dumps/`` in the backups bucket, and runs with the worker security group
(which reaches the database), given by ``ops`` at run-task time.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_s3 as s3
from constructs import Construct
from environments import EnvironmentConfig

from booking_infra.common import log_group
from booking_infra.release import Release
from booking_infra.units.database import DATABASE_NAME, Database
from booking_infra.units.services import CONTAINER, WRITABLE_PATH

DUMPS_PREFIX = "dumps/"


@dataclass(frozen=True)
class DbToolsSources:
    repository: ecr.IRepository
    database: Database
    backups: s3.IBucket


def dbtools_tag(env: EnvironmentConfig, release: Release) -> str:
    return env.compute.dbtools_image_tag or f"dbtools-{release.image_tag}"


class DbTools(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        env: EnvironmentConfig,
        release: Release,
        sources: DbToolsSources,
    ) -> None:
        super().__init__(scope, id)
        self.family = f"booking-{env.name}-dbtools"
        self.task_definition = ecs.FargateTaskDefinition(
            self,
            "Task",
            family=self.family,
            cpu=256,
            memory_limit_mib=512,  # a streaming dump holds no more than a buffer
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.ARM64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )
        self.task_definition.add_volume(name="tmp")
        database = sources.database
        container = self.task_definition.add_container(
            CONTAINER,
            image=ecs.ContainerImage.from_ecr_repository(
                sources.repository, dbtools_tag(env, release)
            ),
            environment={
                # dbtools.sh picks pg_dump or mariadb-dump by it
                "DATABASE_ENGINE": database.engine.django,
                "DATABASE_HOST": database.host,
                "DATABASE_PORT": database.port,
                "DATABASE_NAME": DATABASE_NAME,
            },
            secrets={
                "DATABASE_USER": ecs.Secret.from_secrets_manager(database.secret, "username"),
                "DATABASE_PASSWORD": ecs.Secret.from_secrets_manager(database.secret, "password"),
            },
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix="dbtools",
                log_group=log_group(
                    self,
                    "Logs",
                    name=f"/booking/{env.name}/dbtools",
                    days=env.compute.log_retention_days,
                ),
            ),
            readonly_root_filesystem=True,
        )
        container.add_mount_points(
            ecs.MountPoint(container_path=WRITABLE_PATH, source_volume="tmp", read_only=False)
        )
        # PutObject under dumps/ only: a dump task can neither read nor delete other backups
        sources.backups.grant_put(self.task_definition.task_role, f"{DUMPS_PREFIX}*")
