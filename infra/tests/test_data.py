"""PostgreSQL and Redis/Valkey: encryption, availability, backups, credentials, eviction."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Match

from conftest import Synthesized


def _primary(env: Synthesized) -> dict:
    return env.one(
        "AWS::RDS::DBInstance", "data", DBInstanceIdentifier=f"booking-{env.config.name}"
    )


def test_postgres_16_encrypted_with_its_own_key(each_env: Synthesized) -> None:
    props = _primary(each_env)["Properties"]
    assert props["Engine"] == "postgres"
    assert props["EngineVersion"].startswith("16.")
    assert props["StorageEncrypted"] is True
    # its own key, or the aws/rds key where the environment says keys="aws_managed"
    assert ("KmsKeyId" in props) is (each_env.config.keys == "customer")
    assert props["PubliclyAccessible"] is False


def test_prod_is_multi_az_protected_and_keeps_a_final_snapshot(prod: Synthesized) -> None:
    primary = _primary(prod)
    assert primary["Properties"]["MultiAZ"] is True
    assert primary["Properties"]["DeletionProtection"] is True
    assert primary["DeletionPolicy"] == "Snapshot"
    assert primary["Properties"]["BackupRetentionPeriod"] >= 14


def test_dev_is_cheap_and_disposable(dev: Synthesized) -> None:
    props = _primary(dev)["Properties"]
    assert props["MultiAZ"] is False
    assert props["DeletionProtection"] is False
    assert props["BackupRetentionPeriod"] >= 1  # point-in-time restore stays on


def test_storage_autoscales_and_performance_insights_is_on(each_env: Synthesized) -> None:
    props = _primary(each_env)["Properties"]
    assert int(props["MaxAllocatedStorage"]) > int(props["AllocatedStorage"])
    assert props["EnablePerformanceInsights"] is True
    assert props["StorageType"] == "gp3"
    assert set(props["EnableCloudwatchLogsExports"]) >= {"postgresql"}


def test_parameters_suit_django(each_env: Synthesized) -> None:
    params = each_env.one("AWS::RDS::DBParameterGroup", "data")["Properties"]["Parameters"]
    assert int(params["statement_timeout"]) > 0
    assert int(params["idle_in_transaction_session_timeout"]) > 0
    assert int(params["log_min_duration_statement"]) > 0
    assert params["rds.force_ssl"] == "1"
    assert params["max_connections"] == str(each_env.config.database.max_connections)


def test_credentials_are_generated_and_rotated(each_env: Synthesized) -> None:
    primary = _primary(each_env)["Properties"]
    assert "resolve:secretsmanager" in json.dumps(primary["MasterUserPassword"])
    schedule = each_env.one("AWS::SecretsManager::RotationSchedule", "data")
    days = schedule["Properties"]["RotationRules"]["ScheduleExpression"]
    assert days == f"rate({each_env.config.database.rotation_days} days)"


def test_prod_has_a_read_replica_of_the_primary(prod: Synthesized) -> None:
    prod.template("data").has_resource_properties(
        "AWS::RDS::DBInstance",
        {
            "DBInstanceIdentifier": "booking-prod-replica-1",
            "SourceDBInstanceIdentifier": Match.any_value(),
            "DeletionProtection": True,
        },
    )


def test_dev_has_no_replica(dev: Synthesized) -> None:
    replicas = [
        r
        for r in dev.resources("AWS::RDS::DBInstance").values()
        if "SourceDBInstanceIdentifier" in r["Properties"]
    ]
    assert replicas == []


def _groups(env: Synthesized) -> dict[str, dict]:
    return {
        r["Properties"]["ReplicationGroupId"]: r["Properties"]
        for r in env.resources("AWS::ElastiCache::ReplicationGroup").values()
    }


def test_cache_is_encrypted_in_transit_and_at_rest_behind_a_secret_token(
    each_env: Synthesized,
) -> None:
    for props in _groups(each_env).values():
        assert props["AtRestEncryptionEnabled"] is True
        assert props["TransitEncryptionEnabled"] is True
        assert ("KmsKeyId" in props) is (each_env.config.keys == "customer")
        assert "resolve:secretsmanager" in json.dumps(props["AuthToken"])


def test_prod_cache_fails_over_across_azs(prod: Synthesized) -> None:
    for props in _groups(prod).values():
        assert props["AutomaticFailoverEnabled"] is True
        assert props["MultiAZEnabled"] is True
        assert props["NumCacheClusters"] >= 2


def _policies(env: Synthesized) -> dict[str, str]:
    """maxmemory-policy per replication group id."""
    groups = env.raw["data"]["Resources"]
    result = {}
    for resource in groups.values():
        if resource["Type"] != "AWS::ElastiCache::ReplicationGroup":
            continue
        param_ref = resource["Properties"]["CacheParameterGroupName"]["Ref"]
        policy = groups[param_ref]["Properties"]["Properties"]["maxmemory-policy"]
        result[resource["Properties"]["ReplicationGroupId"]] = policy
    return result


@pytest.mark.parametrize("name", ["dev", "staging", "prod"])
def test_the_broker_never_evicts_queued_tasks(
    synthesized: dict[str, Synthesized], name: str
) -> None:
    env = synthesized[name]
    policies = _policies(env)
    if env.config.cache.separate_broker:
        assert policies == {
            f"booking-{name}-cache": "allkeys-lru",
            f"booking-{name}-broker": "noeviction",
        }
    else:
        assert policies == {f"booking-{name}-cache": "volatile-lru"}


def test_prod_database_is_sized_as_priced(prod: Synthesized) -> None:
    primary = _primary(prod)["Properties"]
    assert (primary["DBInstanceClass"], primary["AllocatedStorage"]) == ("db.t4g.small", "30")
    replica = prod.one(
        "AWS::RDS::DBInstance", "data", DBInstanceIdentifier="booking-prod-replica-1"
    )
    assert replica["Properties"]["DBInstanceClass"] == "db.t4g.micro"


def test_prod_cache_and_broker_share_one_group_with_failover(prod: Synthesized) -> None:
    groups = _groups(prod)
    assert list(groups) == ["booking-prod-cache"]
    group = groups["booking-prod-cache"]
    assert (group["CacheNodeType"], group["NumCacheClusters"]) == ("cache.t4g.micro", 2)
    assert _policies(prod) == {"booking-prod-cache": "volatile-lru"}
