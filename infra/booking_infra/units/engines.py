"""The two database engines an environment can choose (``DatabaseConfig.engine``).

Each names its RDS engine and version, port, exported logs, the parameter group that suits
Django, and the DATABASE_ENGINE value the app reads to build its database URL. The Database
unit, the network's rules and the tasks' environment are written from the same object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aws_cdk import aws_rds as rds
from environments import DatabaseConfig

from booking_infra.units.ports import MYSQL_PORT, POSTGRES_PORT


def postgres_parameters(config: DatabaseConfig) -> dict[str, str]:
    """Server settings that suit a Django app behind a connection-pooling web tier."""
    return {
        "max_connections": str(config.max_connections),
        # a runaway query or a forgotten transaction must not hold locks for long; the migrate
        # role can lift these with SET for a long migration
        "statement_timeout": "60000",
        "idle_in_transaction_session_timeout": "60000",
        "lock_timeout": "30000",
        # slow-query and DDL logging, exported to CloudWatch Logs
        "log_min_duration_statement": "500",
        "log_statement": "ddl",
        "log_lock_waits": "1",
        "log_temp_files": "10240",
        "log_autovacuum_min_duration": "10000",
        "shared_preload_libraries": "pg_stat_statements",
        "pg_stat_statements.track": "top",
        "rds.force_ssl": "1",
    }


def mysql_parameters(config: DatabaseConfig) -> dict[str, str]:
    """What Django expects of MySQL 8.0: full Unicode, UTC, strict mode, READ COMMITTED (the
    isolation Django's docs recommend: fewer gap locks, get_or_create without deadlocks)."""
    return {
        "max_connections": str(config.max_connections),
        "character_set_server": "utf8mb4",
        "collation_server": "utf8mb4_0900_ai_ci",
        "time_zone": "UTC",
        "sql_mode": "STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
        "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
        "transaction_isolation": "READ-COMMITTED",
        "require_secure_transport": "1",
        # the migration that creates the no-double-booking trigger runs as the master user, who
        # has no SUPER on RDS; with the binary log on (backups) MySQL refuses it without this
        "log_bin_trust_function_creators": "1",
        # a lock wait or a runaway SELECT must not hold a connection for long
        "innodb_lock_wait_timeout": "30",
        "max_execution_time": "60000",
        # slow queries, exported to CloudWatch Logs like PostgreSQL's
        "slow_query_log": "1",
        "long_query_time": "0.5",
        "log_output": "FILE",
    }


@dataclass(frozen=True)
class Engine:
    name: str  # DatabaseConfig.engine
    label: str  # for descriptions (unchanged for PostgreSQL: some force a replacement)
    version: str
    port: int
    rds_engine: rds.IInstanceEngine
    log_exports: tuple[str, ...]
    parameters: Callable[[DatabaseConfig], dict[str, str]]
    django: str  # DATABASE_ENGINE for the app: the scheme of the URL it builds

    def performance_insights(self, instance_class: str) -> bool:
        # RDS offers no Performance Insights for MySQL on the micro and small burstable classes
        return self.name != "mysql" or instance_class not in ("t4g.micro", "t4g.small")


ENGINES = {
    "postgres": Engine(
        name="postgres",
        label="PostgreSQL",
        version="16",
        port=POSTGRES_PORT,
        rds_engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_16_13),
        log_exports=("postgresql", "upgrade"),
        parameters=postgres_parameters,
        django="postgresql",
    ),
    "mysql": Engine(
        name="mysql",
        label="MySQL",
        version="8.0",
        port=MYSQL_PORT,
        rds_engine=rds.DatabaseInstanceEngine.mysql(version=rds.MysqlEngineVersion.VER_8_0_46),
        log_exports=("error", "slowquery"),
        parameters=mysql_parameters,
        django="mysql",
    ),
}


def engine_for(config: DatabaseConfig) -> Engine:
    return ENGINES[config.engine]
