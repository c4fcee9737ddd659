"""Suite-wide fixtures. The suite needs the real PostgreSQL: it stops at once if it is absent."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken


def pytest_configure(config: pytest.Config) -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
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
