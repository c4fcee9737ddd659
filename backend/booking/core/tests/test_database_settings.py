"""Which database a process talks to, and how: PostgreSQL or MySQL from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from booking.core.tests.processes import database_url
from booking.core.tests.test_settings import PRODUCTION_ENV, manage
from config import env
from config.settings import data

CONTAINER_SECRETS = {
    "DATABASE_HOST": "db.internal",
    "DATABASE_USER": "app",
    "DATABASE_PASSWORD": "p@ss/word",
    "DATABASE_NAME": "booking",
}


@pytest.fixture
def environ(monkeypatch):
    for name in (
        "DATABASE_URL",
        "DATABASE_ENGINE",
        "DATABASE_PORT",
        "DATABASE_CONNECTIONS",
        "DATABASE_REPLICA_URLS",
        "DATABASE_REPLICA_HOSTS",
        "DATABASE_PREPARE_THRESHOLD",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_container_secrets_build_a_postgres_url_by_default(environ):
    for name, value in CONTAINER_SECRETS.items():
        environ.setenv(name, value)
    assert env.database_url() == "postgres://app:p%40ss%2Fword@db.internal:5432/booking"


def test_container_secrets_build_a_mysql_url_when_the_engine_is_mysql(environ):
    for name, value in CONTAINER_SECRETS.items():
        environ.setenv(name, value)
    environ.setenv("DATABASE_ENGINE", "mysql")
    environ.setenv("DATABASE_REPLICA_HOSTS", "replica-a.internal,replica-b.internal:3307")

    assert env.database_url() == "mysql://app:p%40ss%2Fword@db.internal:3306/booking"
    assert env.database_replica_urls() == [
        "mysql://app:p%40ss%2Fword@replica-a.internal:3306/booking",
        "mysql://app:p%40ss%2Fword@replica-b.internal:3307/booking",
    ]


def test_the_engine_name_aws_uses_for_postgresql_builds_a_postgres_url(environ):
    for name, value in CONTAINER_SECRETS.items():
        environ.setenv(name, value)
    environ.setenv("DATABASE_ENGINE", "postgresql")  # what the CDK app sets on the tasks
    assert env.database_url() == "postgres://app:p%40ss%2Fword@db.internal:5432/booking"


def test_an_unknown_database_engine_stops_the_process_naming_it(environ):
    environ.setenv("DATABASE_HOST", "db.internal")
    environ.setenv("DATABASE_ENGINE", "oracle")
    with pytest.raises(env.InvalidVariableError, match="DATABASE_ENGINE"):
        env.database_url()


def mysql_config(**kwargs) -> dict:
    return data.database_config(
        "mysql://app:secret@db.internal:3306/booking", var_dir=Path("/nonexistent"), **kwargs
    )


def test_a_mysql_url_gives_utf8mb4_strict_mode_read_committed_and_utc(environ):
    config = mysql_config()
    options = config["OPTIONS"]

    assert config["ENGINE"] == "django.db.backends.mysql"
    assert options["charset"] == "utf8mb4"
    assert options["isolation_level"] == "read committed"
    assert "STRICT_TRANS_TABLES" in options["init_command"]
    assert "time_zone='+00:00'" in options["init_command"]
    assert config["TEST"]["CHARSET"] == "utf8mb4"


def test_production_pool_default_means_persistent_connections_on_mysql(environ):
    config = mysql_config(connections="pool")

    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in config["OPTIONS"]


def test_asking_for_the_pool_by_name_on_mysql_is_refused(environ):
    environ.setenv("DATABASE_CONNECTIONS", "pool")
    with pytest.raises(ValueError, match="psycopg-only"):
        mysql_config()


def test_per_request_connections_on_mysql_are_not_kept(environ):
    environ.setenv("DATABASE_CONNECTIONS", "per-request")
    assert mysql_config()["CONN_MAX_AGE"] == 0


def test_postgres_keeps_its_pool(environ):
    config = data.database_config(
        "postgres://app:secret@db.internal:5432/booking", var_dir=Path("/x"), connections="pool"
    )
    assert config["OPTIONS"]["pool"]["max_size"] == 8


def test_postgres_prepares_statements_a_connection_repeats(environ):
    config = data.database_config(
        "postgres://app:secret@db.internal:5432/booking", var_dir=Path("/x"), connections="pool"
    )
    assert config["OPTIONS"]["server_side_binding"] is True
    assert config["OPTIONS"]["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(environ):
    environ.setenv("DATABASE_PREPARE_THRESHOLD", "0")
    config = data.database_config(
        "postgres://app:secret@db.internal:5432/booking", var_dir=Path("/x"), connections="pool"
    )
    assert "server_side_binding" not in config["OPTIONS"]
    assert "prepare_threshold" not in config["OPTIONS"]


def test_a_negative_prepare_threshold_is_refused_by_name(environ):
    environ.setenv("DATABASE_PREPARE_THRESHOLD", "-1")
    with pytest.raises(ValueError, match="DATABASE_PREPARE_THRESHOLD"):
        data.database_config(
            "postgres://app:secret@db.internal:5432/booking", var_dir=Path("/x"), connections="pool"
        )


@pytest.mark.django_db
def test_the_suite_runs_on_prepared_statements_on_postgresql():
    """The whole app suite runs with them on, so a query PostgreSQL cannot prepare fails here."""
    if connection.vendor != "postgresql":
        assert "prepare_threshold" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT %s::int", [1])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1


def test_mysql_replicas_get_the_same_options(environ):
    environ.setenv("DATABASE_REPLICA_URLS", "mysql://app:secret@replica.internal:3306/booking")
    [replica] = data.replica_databases(connections="pool").values()

    assert replica["OPTIONS"]["isolation_level"] == "read committed"
    assert replica["TEST"] == {"MIRROR": "default"}


@pytest.mark.django_db
def test_production_passes_the_deployment_checks_on_mysql():
    """Against the test database's server when the suite runs on MySQL (with the checks that
    need a connection: strict mode, the constraints MySQL lacks), else offline."""
    on_mysql = connection.vendor == "mysql"
    url = database_url(connection.settings_dict) if on_mysql else "mysql://app:x@db:3306/booking"
    result = manage(
        "check",
        "--deploy",
        *(["--database", "default"] if on_mysql else []),
        "--fail-level",
        "WARNING",
        env=PRODUCTION_ENV | {"DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr + result.stdout
