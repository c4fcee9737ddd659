"""Prod with ``engine="mysql"``: RDS MySQL 8.0 with PostgreSQL's production properties, a
parameter group that suits Django, port 3306 in the security groups and network ACLs, and
the tasks told which engine to build their URL for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from environments import PROD
from test_nacl import _entries, _flows, _tier_cidrs
from test_network import _rules_into

from conftest import Synthesized, env_vars, synthesize

MYSQL = replace(PROD, database=replace(PROD.database, engine="mysql"))


@cache
def mysql() -> Synthesized:
    # its own folder: $CDK_OUTDIR holds the default environments' templates
    return synthesize(Path(tempfile.mkdtemp(prefix="mysql-")), [MYSQL])["prod"]


def _instances() -> dict[str, dict[str, Any]]:
    return mysql().resources("AWS::RDS::DBInstance", "data")


def _primary() -> dict[str, Any]:
    return mysql().one("AWS::RDS::DBInstance", "data", DBInstanceIdentifier="booking-prod")[
        "Properties"
    ]


def test_the_primary_is_mysql_8_multi_az_encrypted_and_backed_up() -> None:
    props = _primary()
    assert props["Engine"] == "mysql" and props["EngineVersion"].startswith("8.0.")
    assert props["MultiAZ"] is True and props["StorageEncrypted"] is True
    assert "KmsKeyId" in props
    assert props["BackupRetentionPeriod"] == PROD.database.backup_retention_days  # PITR
    assert props["DeletionProtection"] is True and props["Port"] == "3306"
    assert set(props["EnableCloudwatchLogsExports"]) == {"error", "slowquery"}
    assert props["EnablePerformanceInsights"] is False  # none for MySQL on db.t4g.small


def test_a_read_replica_follows_the_primary() -> None:
    replicas = [r for r in _instances().values() if "SourceDBInstanceIdentifier" in r["Properties"]]
    assert len(replicas) == PROD.database.read_replicas == 1
    assert replicas[0]["Properties"]["DBInstanceClass"] == f"db.{PROD.database.replica_class}"


def test_the_parameter_group_suits_django() -> None:
    (group,) = mysql().resources("AWS::RDS::DBParameterGroup", "data").values()
    props = group["Properties"]
    assert props["Family"] == "mysql8.0"
    parameters = props["Parameters"]
    assert parameters["character_set_server"] == "utf8mb4"
    assert parameters["collation_server"].startswith("utf8mb4_")
    assert parameters["time_zone"] == "UTC"
    assert "STRICT_TRANS_TABLES" in parameters["sql_mode"].split(",")
    assert parameters["transaction_isolation"] == "READ-COMMITTED"
    assert parameters["require_secure_transport"] == "1"
    assert parameters["log_bin_trust_function_creators"] == "1"  # triggers under a binlog
    assert parameters["max_connections"] == str(PROD.database.max_connections)


def test_only_3306_reaches_the_database_from_the_tasks() -> None:
    rules = _rules_into(mysql(), "NetworkDatabaseSg")
    assert {(r["FromPort"], r["ToPort"]) for r in rules} == {(3306, 3306)}
    ports = {e["PortRange"]["From"] for e in _entries(mysql(), "isolated", egress=False)}
    assert 3306 in ports and 5432 not in ports
    cidrs = _tier_cidrs(mysql())
    listening = {
        e["CidrBlock"]
        for e in _entries(mysql(), "isolated", egress=False)
        if e["PortRange"]["From"] == 3306
    }
    assert listening == cidrs["private"]
    outbound = _flows(_entries(mysql(), "private", egress=True))
    assert {(f[2], f[3]) for f in outbound} >= {(3306, 3306)}
    assert (5432, 5432) not in {(f[2], f[3]) for f in outbound}


def test_the_tasks_are_told_the_engine_and_port() -> None:
    for family in ("web", "worker", "migrate", "dbtools"):
        task = mysql().one("AWS::ECS::TaskDefinition", "app", Family=f"booking-prod-{family}")
        values = env_vars(task)
        assert values["DATABASE_ENGINE"] == "mysql", family
        assert "Port" in json.dumps(values["DATABASE_PORT"])


def test_postgres_environments_say_postgresql(each_env: Synthesized) -> None:
    web = each_env.one(
        "AWS::ECS::TaskDefinition", "app", Family=f"booking-{each_env.config.name}-web"
    )
    assert env_vars(web)["DATABASE_ENGINE"] == "postgresql"


@pytest.mark.parametrize("tool", ["cfn-lint", "checkov"])
def test_the_mysql_templates_lint_clean(tool: str) -> None:
    outdir = str(mysql().outdir)
    if tool == "cfn-lint":
        paths = [str(p) for p in Path(outdir).glob("*.template.json")]
        argv = [str(Path(sys.executable).parent / "cfn-lint"), "--format", "parseable"]
        result = subprocess.run(
            [*argv, "--ignore-checks", "W3010", "--", *paths], capture_output=True, text=True
        )
        lines = result.stdout.splitlines()
        errors = [line for line in lines if line.split(":")[5].startswith("E")]
        assert errors == [], "\n".join(errors)
        return
    result = subprocess.run(
        ["uv", "tool", "run", "--from", "checkov==3.3.30", "checkov", "--directory", outdir,
         "--framework", "cloudformation", "--compact", "--quiet", "--skip-download",
         "--output", "json"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )  # fmt: skip
    report = json.loads(result.stdout[result.stdout.index("{") :])
    failed = [c["check_id"] for c in report["results"]["failed_checks"]]
    assert report["summary"]["failed"] == 0, failed
