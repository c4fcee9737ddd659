"""`ops backup` and `ops restore`: snapshots tagged with the release, a dump task, restores to
a new instance with OUR subnet, security and parameter groups, verified by tasks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from booking_ops.aws import checks
from booking_ops.aws.database import backup, restore
from booking_ops.errors import OpsError
from booking_ops.target import RestoreRequest
from tests.conftest import World


def test_backup_tags_the_snapshot_with_the_release_and_dumps_to_the_bucket(world: World) -> None:
    made = backup(world.ctx)

    snapshot = world.calls.of("CreateDBSnapshot")[0]
    assert snapshot["DBInstanceIdentifier"] == "booking-dev"
    tags = {
        t["Key"]: t["Value"]
        for t in world.admin.rds.list_tags_for_resource(
            ResourceName=f"arn:aws:rds:us-east-1:123456789012:snapshot:{made.id}"
        )["TagList"]
    }
    assert tags["Release"] == "v1"
    dump = world.calls.of("RunTask")[0]
    assert dump["taskDefinition"] == "booking-dev-dbtools:1"
    command = dump["overrides"]["containerOverrides"][0]["command"]
    assert command == ["dump", f"s3://booking-dev-backups/dumps/{made.id}.dump"]
    assert world.calls.index("CreateDBSnapshot") < world.calls.index("RunTask")


def test_a_failed_dump_fails_the_backup(world: World) -> None:
    world.outcomes.exit_code("booking-dev-dbtools", 3)

    with pytest.raises(OpsError) as failure:
        backup(world.ctx)

    assert "dump task exited 3" in failure.value.what


def _groups(params: dict[str, object]) -> tuple[object, object, object]:
    return (
        params["DBSubnetGroupName"],
        params["VpcSecurityGroupIds"],
        params["DBParameterGroupName"],
    )


def _ours(world: World) -> tuple[str, list[str], str]:
    names = world.ctx.names
    return (
        names.output("DatabaseSubnetGroup"),
        [names.output("DatabaseSecurityGroup")],
        names.output("DatabaseParameterGroup"),
    )


def test_restoring_the_latest_snapshot_uses_our_groups_and_a_new_instance(world: World) -> None:
    made = backup(world.ctx)
    world.calls.log.clear()

    restored = restore(world.ctx, RestoreRequest(backup="latest"))

    params = world.calls.of("RestoreDBInstanceFromDBSnapshot")[0]
    assert params["DBSnapshotIdentifier"] == made.id
    assert params["DBInstanceIdentifier"] == restored.target != "booking-dev"
    assert _groups(params) == _ours(world)
    instance = world.admin.rds.describe_db_instances(DBInstanceIdentifier=restored.target)[
        "DBInstances"
    ][0]
    assert instance["DBSubnetGroup"]["DBSubnetGroupName"] == _ours(world)[0]
    assert restored.checks == {"tables": "ok", "migrate --check": "ok", "/health/ready": "ok"}


def test_the_restored_instance_gets_the_current_password_before_it_is_verified(
    world: World,
) -> None:
    restored = restore(world.ctx, RestoreRequest(to_time=datetime.now(UTC)))

    modify = world.calls.of("ModifyDBInstance")[0]
    assert modify["DBInstanceIdentifier"] == restored.target
    assert modify["MasterUserPassword"] == "rotated-since-backup"
    assert world.calls.index("ModifyDBInstance") < world.calls.index("RunTask")


def test_the_verification_tasks_run_against_the_restored_instance(world: World) -> None:
    backup(world.ctx)
    world.calls.log.clear()

    restored = restore(world.ctx, RestoreRequest(backup="latest"))

    host = world.admin.rds.describe_db_instances(DBInstanceIdentifier=restored.target)[
        "DBInstances"
    ][0]["Endpoint"]["Address"]
    source = world.admin.rds.describe_db_instances(DBInstanceIdentifier="booking-dev")[
        "DBInstances"
    ][0]["Endpoint"]["Address"]
    overrides = [p["overrides"]["containerOverrides"][0] for p in world.calls.of("RunTask")]
    assert [o["command"][:2] for o in overrides] == [
        ["python", "-c"],
        ["manage", "migrate"],
        ["python", "-c"],
    ]
    for override in overrides:
        env = {e["name"]: e["value"] for e in override["environment"]}
        assert env["DATABASE_HOST"] == host
        assert env["DATABASE_REPLICA_HOSTS"] == ""
    first = {e["name"]: e["value"] for e in overrides[0]["environment"]}
    assert first["VERIFY_SOURCE_HOST"] == source


def test_point_in_time_restore_uses_our_groups(world: World) -> None:
    when = datetime.now(UTC).replace(microsecond=0)

    restored = restore(world.ctx, RestoreRequest(to_time=when))

    params = world.calls.of("RestoreDBInstanceToPointInTime")[0]
    assert params["SourceDBInstanceIdentifier"] == "booking-dev"
    assert params["TargetDBInstanceIdentifier"] == restored.target
    assert _groups(params) == _ours(world)
    assert params["RestoreTime"] == when


def test_tables_that_differ_from_the_source_fail_the_restore(world: World) -> None:
    world.outcomes.exit_code("booking-dev-migrate", 1, command=["python", "-c", checks.TABLES])
    when = datetime.now(UTC)

    with pytest.raises(OpsError) as failure:
        restore(world.ctx, RestoreRequest(to_time=when))

    assert "failed: tables" in failure.value.what
    assert "/health/ready" not in failure.value.what


def test_restore_needs_exactly_one_source() -> None:
    with pytest.raises(OpsError):
        RestoreRequest()
    with pytest.raises(OpsError):
        RestoreRequest(backup="latest", to_time=datetime.now(UTC))
