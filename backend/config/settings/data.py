"""Databases (primary and read replicas), response caching and object storage.

Nothing here imports base.py: base applies these functions to its own values, and the
constants are star-imported by it (`__all__`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import dj_database_url

from config import env

__all__ = [
    "AVAILABILITY_CACHE_SECONDS",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_SIGNATURE_VERSION",
    "AWS_S3_URL_PROTOCOL",
    "CACHE_LOCAL_ENTRIES",
    "CACHE_VERSION_MIRROR",
    "CACHE_VERSION_MIRROR_HEARTBEAT_SECONDS",
    "CACHE_VERSION_PREFIXES",
    "CACHE_VERSION_SECONDS",
    "DATABASE_ROUTERS",
    "READ_YOUR_WRITES_SECONDS",
    "REPLICA_CHECK_SECONDS",
    "REPLICA_MAX_LAG_SECONDS",
    "SALON_LIST_CACHE_SECONDS",
    "SALON_PAGE_CACHE_SECONDS",
    "SCHEDULE_CACHE_SECONDS",
    "SCHEDULE_LOCAL_ENTRIES",
]

# --- Databases -------------------------------------------------------------------------------


def database_config(
    url: str | None, *, var_dir: Path, connections: str = "persistent"
) -> dict[str, Any]:
    """A DATABASES entry: PostgreSQL or MySQL from a URL, else the embedded SQLite file in
    `var_dir`."""
    if url:
        return _server_config(url, connections)
    var_dir.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(var_dir / "db.sqlite3"),
        # IMMEDIATE takes the write lock when a transaction starts, so the check-then-insert of
        # a booking is serialized exactly as the row locks serialize it on PostgreSQL.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


MYSQL_ENGINE = "django.db.backends.mysql"
# MySQL 8.0's default mode, set per session so that neither MariaDB's defaults nor a parameter
# group can loosen it: a value that does not fit is an error, never silently truncated or
# zeroed, and GROUP BY is as strict as PostgreSQL's.
MYSQL_SQL_MODE = (
    "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
)
# utf8mb4_unicode_ci exists on MariaDB and MySQL 8.0 alike (utf8mb4_0900_ai_ci does not).
MYSQL_TEST_COLLATION = "utf8mb4_unicode_ci"


def _server_config(url: str, connections: str) -> dict[str, Any]:
    """Connection handling by DATABASE_CONNECTIONS (else `connections`): persistent, pool or
    per-request.

    `pool` is Django's native psycopg pool (one per process, sized for the web server's threads);
    `per-request` opens a connection for every request, the baseline the others are measured
    against. Django has no pool for MySQL: there the default `pool` means persistent
    connections (one per thread, kept CONN_MAX_AGE seconds), and asking for `pool` by name is
    an error.
    """
    is_mysql = url.split(":", 1)[0].lower().startswith("mysql")
    mode = _connection_mode(connections, is_mysql=is_mysql)
    max_age = {"persistent": env.integer("DATABASE_CONN_MAX_AGE", 600)}.get(mode, 0)
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=max_age))
    config["CONN_HEALTH_CHECKS"] = mode == "persistent"
    options = config.setdefault("OPTIONS", {})
    options["connect_timeout"] = env.integer("DATABASE_CONNECT_TIMEOUT", 5)
    if config["ENGINE"] == MYSQL_ENGINE:
        return _with_mysql_options(config)
    options.update(_prepared_statements())
    if mode == "pool":
        options["pool"] = {
            "min_size": env.integer("DATABASE_POOL_MIN", 2),
            "max_size": env.integer("DATABASE_POOL_MAX", 8),
            "timeout": env.integer("DATABASE_POOL_TIMEOUT", 10),
        }
    return config


def _prepared_statements() -> dict[str, Any]:
    """Server-side parameters and prepared statements (psycopg): a statement run
    DATABASE_PREPARE_THRESHOLD times on a connection (default 5) is prepared there, and
    PostgreSQL stops parsing and planning it again. On this app's requests that took about a
    third of PostgreSQL's CPU per booking. 0 turns it off, for a pooler in transaction mode
    (PgBouncer before 1.21), which cannot keep a statement prepared on one server connection."""
    threshold = env.integer("DATABASE_PREPARE_THRESHOLD", 5)
    if threshold < 0:
        raise ValueError(f"DATABASE_PREPARE_THRESHOLD={threshold}: use 0 (off) or more")
    if threshold == 0:
        return {}
    return {"server_side_binding": True, "prepare_threshold": threshold}


def _connection_mode(default: str, *, is_mysql: bool) -> str:
    explicit = env.string("DATABASE_CONNECTIONS")
    mode = explicit or default
    if mode not in ("persistent", "pool", "per-request"):
        raise ValueError(f"DATABASE_CONNECTIONS={mode!r}: use persistent, pool or per-request")
    if is_mysql and mode == "pool":
        if explicit:
            raise ValueError(
                "DATABASE_CONNECTIONS=pool: Django's pool is psycopg-only; on MySQL use "
                "persistent (the default) or per-request"
            )
        return "persistent"
    return mode


def _with_mysql_options(config: dict[str, Any]) -> dict[str, Any]:
    """utf8mb4, strict SQL mode, READ COMMITTED (a locking read inside the booking sees rows
    committed while it waited, as on PostgreSQL), and the session in UTC so that NOW() and
    server defaults agree with Django's UTC datetimes (no time zone tables needed)."""
    from config import mysql_driver

    mysql_driver.install()
    config["OPTIONS"].update(
        {
            "charset": "utf8mb4",
            "isolation_level": "read committed",
            "init_command": f"SET sql_mode='{MYSQL_SQL_MODE}', time_zone='+00:00'",
        }
    )
    config["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": MYSQL_TEST_COLLATION}
    return config


def silenced_checks(default_database: dict[str, Any]) -> list[str]:
    """Django's warnings about PostgreSQL forms MySQL lacks, each covered there: a partial
    unique constraint by a MySQL-only unique index (salons 0004), the unique Lower(email) by
    the column's case-insensitive collation, partial indexes by full ones."""
    if default_database["ENGINE"] != MYSQL_ENGINE:
        return []
    return ["models.W036", "models.W037", "models.W044"]


def replica_databases(*, connections: str = "persistent") -> dict[str, dict[str, Any]]:
    """The read replicas (DATABASE_REPLICA_URLS or ..._HOSTS) as DATABASES entries."""
    return {
        f"replica_{index}": _server_config(url, connections) | {"TEST": {"MIRROR": "default"}}
        for index, url in enumerate(env.database_replica_urls())
    }


DATABASE_ROUTERS = ["booking.core.db_routing.PrimaryReplicaRouter"]
READ_YOUR_WRITES_SECONDS = env.integer("READ_YOUR_WRITES_SECONDS", 10)
REPLICA_CHECK_SECONDS = env.integer("REPLICA_CHECK_SECONDS", 5)
REPLICA_MAX_LAG_SECONDS = env.integer("REPLICA_MAX_LAG_SECONDS", 5)

# --- Caching --------------------------------------------------------------------------------


def middleware_with_caching(middleware: Sequence[str]) -> list[str]:
    """`middleware` with cached answers served right after the HTTPS redirect and host checks,
    and the replica routing right after the session (which it reads for the user), before any
    database read of the request (authentication, views)."""
    result = list(middleware)
    position = result.index("django.middleware.security.SecurityMiddleware") + 1
    result.insert(position, "booking.core.response_cache.ResponseCacheMiddleware")
    position = result.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    result.insert(position, "booking.core.replica_middleware.ReplicaMiddleware")
    return result


# Availability answers are also invalidated on every change; this only bounds how long a
# freshly opened horizon day can stay unseen.
AVAILABILITY_CACHE_SECONDS = env.integer("AVAILABILITY_CACHE_SECONDS", 60)
SALON_PAGE_CACHE_SECONDS = env.integer("SALON_PAGE_CACHE_SECONDS", 300)
# Pages of the salon list: every change through the services moves the catalogue version; this
# bounds what the admin or a bulk load (which bypass them) can leave unseen.
SALON_LIST_CACHE_SECONDS = env.integer("SALON_LIST_CACHE_SECONDS", 60)
# Schedule snapshots are invalidated by every rule change too; this bounds a missed bump (a
# process that died between commit and bump). Rebuilding one costs one statement.
SCHEDULE_CACHE_SECONDS = env.integer("SCHEDULE_CACHE_SECONDS", 1800)
# Version keys expire too: any salon id in a URL starts one, and on a Redis shared with the
# broker only keys with an expiry may be evicted. A version that has expired starts again at a
# number never handed out (versioned_cache.fresh_version), so nothing cached under the old one
# comes back; it outlives every entry, so none is rebuilt early because of it.
CACHE_VERSION_SECONDS = env.integer("CACHE_VERSION_SECONDS", 86400)
_LONGEST_ENTRY_SECONDS = max(
    AVAILABILITY_CACHE_SECONDS,
    SALON_PAGE_CACHE_SECONDS,
    SALON_LIST_CACHE_SECONDS,
    SCHEDULE_CACHE_SECONDS,
)
if CACHE_VERSION_SECONDS < _LONGEST_ENTRY_SECONDS:
    raise ValueError(
        f"CACHE_VERSION_SECONDS={CACHE_VERSION_SECONDS}: use at least the longest cache lifetime "
        f"({_LONGEST_ENTRY_SECONDS} s), or entries are rebuilt before they expire"
    )
# Each process keeps the versions it has read, dropped when Redis reports a change to a key
# under these prefixes (core.versioned_cache), and this many cached answers and, apart from
# them, schedule snapshots (one per salon).
# The prefixes are the version keys of salons/availability_cache.py.
CACHE_VERSION_MIRROR = env.boolean("CACHE_VERSION_MIRROR", True)
CACHE_VERSION_PREFIXES = ("availability:version:", "schedule:version:", "catalogue:version:")
CACHE_VERSION_MIRROR_HEARTBEAT_SECONDS = 5.0
CACHE_LOCAL_ENTRIES = env.integer("CACHE_LOCAL_ENTRIES", 2000)  # gzipped bodies, ~1 KB each
# A snapshot is about 10 KB of objects in a worker (a salon of 2 staff and 5 services, 1.8 KB
# pickled). At 10000 salons 2000 of them took a web worker to 155 MB, over its 150 MB budget;
# a snapshot not kept here comes from Redis (0.12 ms).
SCHEDULE_LOCAL_ENTRIES = env.integer("SCHEDULE_LOCAL_ENTRIES", 1000)

# --- Object storage --------------------------------------------------------------------------
# S3 when a bucket is named (credentials come from the task role / instance profile, never
# from settings); the local filesystem and whitenoise otherwise.
AWS_S3_REGION_NAME = env.string("AWS_S3_REGION_NAME", "us-east-1")
AWS_S3_ENDPOINT_URL = env.string("AWS_S3_ENDPOINT_URL")  # an S3-compatible store (MinIO, moto)
AWS_S3_URL_PROTOCOL = env.string("AWS_S3_URL_PROTOCOL", "https:")
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_S3_ADDRESSING_STYLE = env.string("AWS_S3_ADDRESSING_STYLE", "auto")


def object_storage(
    middleware: Sequence[str], storages: dict[str, dict[str, Any]]
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """`middleware` and `storages` with S3 for static files and for media where a bucket is
    named (AWS_STATIC_BUCKET_NAME, AWS_MEDIA_BUCKET_NAME, or AWS_STORAGE_BUCKET_NAME for both)."""
    middleware, storages = list(middleware), dict(storages)
    static_bucket = env.string("AWS_STATIC_BUCKET_NAME") or env.string("AWS_STORAGE_BUCKET_NAME")
    media_bucket = env.string("AWS_MEDIA_BUCKET_NAME") or env.string("AWS_STORAGE_BUCKET_NAME")
    if static_bucket:
        middleware.remove("whitenoise.middleware.WhiteNoiseMiddleware")  # the CDN serves them
        storages["staticfiles"] = _s3_storage(
            static_bucket,
            location="static",
            # Served through the CDN, which reads the private bucket with origin access control.
            custom_domain=env.string("AWS_S3_CUSTOM_DOMAIN"),
            querystring_auth=False,
            file_overwrite=True,
        )
    if media_bucket:
        storages["default"] = _s3_storage(
            media_bucket,
            location="media",
            querystring_auth=True,
            querystring_expire=env.integer("MEDIA_URL_EXPIRE_SECONDS", 3600),
            file_overwrite=False,
        )
    return middleware, storages


def _s3_storage(bucket: str, **options: Any) -> dict[str, Any]:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": bucket, **options},
    }
