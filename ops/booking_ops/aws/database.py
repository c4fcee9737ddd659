"""Backups (RDS snapshot + pg_dump to S3) and restores to a NEW instance, verified by tasks.

The logical dump runs where the database is reachable: a one-off task of the CDK app's
``dbtools`` task definition (the image in ops/dbtools/: PostgreSQL client + AWS CLI, with a
task role that may write the backups bucket). Restores never touch the running instance: the
new one gets OUR subnet group, security group and parameter group (RDS would otherwise pick
the default VPC's, allow nothing in and apply default settings), then is verified.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from booking_ops.aws import checks
from booking_ops.aws.context import Context
from booking_ops.aws.release import describe_services
from booking_ops.aws.tasks import OneOff, describe, image_of, run_to_exit, tag_of
from booking_ops.errors import OpsError
from booking_ops.target import Backup, Restored, RestoreRequest


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def backup(ctx: Context) -> Backup:
    backup_id = f"booking-{ctx.names.env}-{_stamp()}"
    _snapshot_tagged(ctx, backup_id)
    dump = f"s3://{ctx.names.output('BackupsBucket')}/dumps/{backup_id}.dump"
    with ctx.reporter.step(f"pg_dump -Fc to {dump}"):
        task = OneOff(
            ctx.names.output("DbToolsTaskDefinition"),
            command=["dump", dump],
            started_by="ops-backup",
        )
        code = run_to_exit(ctx.clients.ecs, ctx.names, ctx.timing, task)
    if code != 0:
        raise OpsError(
            f"the dump task exited {code}; snapshot {backup_id} is complete",
            f"read the log group {ctx.names.log_group('dbtools')}, then run backup again",
        )
    return Backup(id=backup_id, location=[f"rds-snapshot:{backup_id}", dump])


def _snapshot_tagged(ctx: Context, backup_id: str) -> None:
    """A manual snapshot tagged with the release web runs, once it is available."""
    web = describe_services(ctx)["web"]["taskDefinition"]
    release = tag_of(image_of(describe(ctx.clients.ecs, web)))
    tags = {"Release": release, "CreatedBy": "ops", "Environment": ctx.names.env}
    with ctx.reporter.step(f"snapshot {backup_id} (release {release})"):
        ctx.clients.rds.create_db_snapshot(
            DBSnapshotIdentifier=backup_id,
            DBInstanceIdentifier=ctx.names.output("DatabaseInstanceId"),
            Tags=[{"Key": key, "Value": value} for key, value in tags.items()],
        )
        ctx.clients.rds.get_waiter("db_snapshot_available").wait(
            DBSnapshotIdentifier=backup_id, WaiterConfig=ctx.timing.waiter(database=True)
        )


def restore(ctx: Context, request: RestoreRequest) -> Restored:
    rds = ctx.clients.rds
    source_id = ctx.names.output("DatabaseInstanceId")
    source = rds.describe_db_instances(DBInstanceIdentifier=source_id)["DBInstances"][0]
    new_id = f"{source_id}-restore-{_stamp()}"
    with ctx.reporter.step(f"restore into a new instance {new_id}"):
        _start_restore(ctx, request, source, new_id)
        rds.get_waiter("db_instance_available").wait(
            DBInstanceIdentifier=new_id, WaiterConfig=ctx.timing.waiter(database=True)
        )
    with ctx.reporter.step("set the current credentials on the restored instance"):
        _align_password(ctx, new_id)
    restored = rds.describe_db_instances(DBInstanceIdentifier=new_id)["DBInstances"][0]
    checks_done = verify(
        ctx,
        source=source["Endpoint"]["Address"],
        restored=restored["Endpoint"]["Address"],
        expect_drift=request.expect_drift,
    )
    return Restored(target=new_id, checks=checks_done)


def _start_restore(
    ctx: Context, request: RestoreRequest, source: dict[str, Any], new_id: str
) -> None:
    placement = _placement(ctx, source)
    if request.backup is not None:
        snapshot = _snapshot(ctx, source["DBInstanceIdentifier"], request.backup)
        ctx.clients.rds.restore_db_instance_from_db_snapshot(
            DBInstanceIdentifier=new_id, DBSnapshotIdentifier=snapshot, **placement
        )
    else:
        ctx.clients.rds.restore_db_instance_to_point_in_time(
            SourceDBInstanceIdentifier=source["DBInstanceIdentifier"],
            TargetDBInstanceIdentifier=new_id,
            RestoreTime=request.to_time,
            **placement,
        )


def _align_password(ctx: Context, instance: str) -> None:
    """A restore keeps the password of its restore point; the secret has rotated since (every
    30 days), and the tasks (verification, then the app) log in with the secret's."""
    secret = ctx.clients.secretsmanager.get_secret_value(
        SecretId=ctx.names.output("DatabaseSecretArn")
    )
    password = json.loads(secret["SecretString"])["password"]
    ctx.clients.rds.modify_db_instance(
        DBInstanceIdentifier=instance, MasterUserPassword=password, ApplyImmediately=True
    )
    ctx.clients.rds.get_waiter("db_instance_available").wait(
        DBInstanceIdentifier=instance, WaiterConfig=ctx.timing.waiter(database=True)
    )


def _placement(ctx: Context, source: dict[str, Any]) -> dict[str, Any]:
    """What the new instance must share with ours: network, firewall, settings, size."""
    names = ctx.names
    return {
        "DBSubnetGroupName": names.output("DatabaseSubnetGroup"),
        "VpcSecurityGroupIds": [names.output("DatabaseSecurityGroup")],
        "DBParameterGroupName": names.output("DatabaseParameterGroup"),
        "DBInstanceClass": source["DBInstanceClass"],
        "MultiAZ": False,  # a restore is verified first; Multi-AZ is switched on if promoted
        "PubliclyAccessible": False,
        "CopyTagsToSnapshot": True,
        "DeletionProtection": False,
        "EnableIAMDatabaseAuthentication": True,
        "Tags": [
            {"Key": "CreatedBy", "Value": "ops"},
            {"Key": "Environment", "Value": names.env},
            {"Key": "RestoredFrom", "Value": source["DBInstanceIdentifier"]},
        ],
    }


def _snapshot(ctx: Context, instance: str, wanted: str) -> str:
    if wanted != "latest":
        return wanted
    snapshots = ctx.clients.rds.describe_db_snapshots(DBInstanceIdentifier=instance)["DBSnapshots"]
    done = [s for s in snapshots if s.get("Status") == "available"]
    if not done:
        raise OpsError(
            f"{instance} has no available snapshot",
            f"take one: uv run ops backup --env {ctx.names.env}",
        )
    newest: str = max(done, key=lambda s: s["SnapshotCreateTime"])["DBSnapshotIdentifier"]
    ctx.reporter.info(f"latest snapshot: {newest}")
    return newest


def verify(ctx: Context, *, source: str, restored: str, expect_drift: bool) -> dict[str, str]:
    """Tables (row counts and checksums), migrations, readiness: each a task on the restore."""
    migrate = ctx.names.family("migrate")
    base = {"DATABASE_HOST": restored, "DATABASE_REPLICA_HOSTS": ""}
    runs = {
        "tables": (
            ["python", "-c", checks.TABLES],
            {
                **base,
                "VERIFY_SOURCE_HOST": source,
                "VERIFY_ALLOW_DRIFT": "1" if expect_drift else "0",
            },
        ),
        "migrate --check": (["manage", "migrate", "--check"], base),
        "/health/ready": (["python", "-c", checks.READY], base),
    }
    results: dict[str, str] = {}
    for name, (command, environment) in runs.items():
        with ctx.reporter.step(f"verify {name}"):
            code = run_to_exit(
                ctx.clients.ecs,
                ctx.names,
                ctx.timing,
                OneOff(migrate, command=command, environment=environment, started_by="ops-verify"),
            )
        results[name] = "ok" if code == 0 else f"failed (exit {code})"
    failed = [name for name, result in results.items() if result != "ok"]
    if failed:
        raise OpsError(
            f"restored instance {restored} failed: {', '.join(failed)}",
            f"details in {ctx.names.log_group('migrate')}; the source is untouched",
        )
    return results
