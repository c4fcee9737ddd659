"""Suite-wide fixtures. The suite needs its real database server (PostgreSQL, or MySQL when
TEST_DATABASE_URL says mysql://): it stops at once if the server is absent."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from config.settings.data import MYSQL_ENGINE


def pytest_configure(config: pytest.Config) -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        _require_postgres(db)
    elif db["ENGINE"] == MYSQL_ENGINE:
        _require_mysql(db)


def _require_postgres(db: dict[str, Any]) -> None:
    try:
        psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as exc:
        raise pytest.UsageError(
            f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT'] or 5432} ({exc}).\n"
            "Start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start\n"
            "or point TEST_DATABASE_URL at a PostgreSQL server."
        ) from exc


def _require_mysql(db: dict[str, Any]) -> None:
    import pymysql

    try:
        pymysql.connect(
            host=db["HOST"],
            port=int(db["PORT"] or 3306),
            user=db["USER"],
            password=db["PASSWORD"] or "",
            connect_timeout=3,
        ).close()
    except pymysql.OperationalError as exc:
        raise pytest.UsageError(
            f"MySQL/MariaDB is not reachable at {db['HOST']}:{db['PORT'] or 3306} ({exc}).\n"
            "Start it with: service mariadb start   (or: /etc/init.d/mariadb start)\n"
            "or point TEST_DATABASE_URL at a MySQL server, or unset it to test on PostgreSQL."
        ) from exc


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres_only (with the reason) are skipped, visibly, on other databases."""
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    for item in items:
        marker = item.get_closest_marker("postgres_only")
        if marker is None:
            continue
        reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else None)
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: postgres_only needs a reason")
        if vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {reason}"))


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Throttle histories and cached reads must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def authenticate(client: APIClient, user: Any) -> APIClient:
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def client_for(db: None) -> Any:
    """client_for(user) → an APIClient that carries a fresh access token for that user."""
    return lambda user: authenticate(APIClient(), user)
