"""Read replicas and object storage; imported at the end of base.py."""

from __future__ import annotations

from typing import Any

from config import env
from config.settings.base import DATABASES, MIDDLEWARE, STORAGES, database_config

# --- Read replicas ---------------------------------------------------------------------------


def replica_databases(*, connections: str = "persistent") -> dict[str, dict[str, Any]]:
    return {
        f"replica_{index}": database_config(url, connections=connections)
        | {"TEST": {"MIRROR": "default"}}
        for index, url in enumerate(env.database_replica_urls())
    }


DATABASES.update(replica_databases())
DATABASE_ROUTERS = ["booking.core.db_routing.PrimaryReplicaRouter"]
READ_YOUR_WRITES_SECONDS = env.integer("READ_YOUR_WRITES_SECONDS", 10)
REPLICA_CHECK_SECONDS = env.integer("REPLICA_CHECK_SECONDS", 5)
REPLICA_MAX_LAG_SECONDS = env.integer("REPLICA_MAX_LAG_SECONDS", 5)

# --- Caching --------------------------------------------------------------------------------
# Cached public answers are served right after the HTTPS redirect and host checks, and every
# database read of the request comes after them (sessions, authentication, views) and is routed.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "booking.core.response_cache.ResponseCacheMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("booking.core.response_cache.ResponseCacheMiddleware") + 1,
    "booking.core.replica_middleware.ReplicaMiddleware",
)
# Availability answers are also invalidated on every change; this only bounds how long a
# freshly opened horizon day can stay unseen.
AVAILABILITY_CACHE_SECONDS = env.integer("AVAILABILITY_CACHE_SECONDS", 60)
SALON_PAGE_CACHE_SECONDS = env.integer("SALON_PAGE_CACHE_SECONDS", 300)
# Schedule snapshots are invalidated by every rule change too; this bounds a missed bump (a
# process that died between commit and bump). Rebuilding one costs seven queries.
SCHEDULE_CACHE_SECONDS = env.integer("SCHEDULE_CACHE_SECONDS", 1800)
# Each process keeps the versions it has read, dropped when Redis reports a change to a key
# under these prefixes (core.versioned_cache), and this many cached answers and, apart from
# them, schedule snapshots (one per salon).
# The prefixes are the version keys of salons/availability_cache.py.
CACHE_VERSION_MIRROR = env.boolean("CACHE_VERSION_MIRROR", True)
CACHE_VERSION_PREFIXES = ("availability:version:", "schedule:version:")
CACHE_VERSION_MIRROR_HEARTBEAT_SECONDS = 5.0
CACHE_LOCAL_ENTRIES = env.integer("CACHE_LOCAL_ENTRIES", 2000)
SCHEDULE_LOCAL_ENTRIES = env.integer("SCHEDULE_LOCAL_ENTRIES", 2000)

# --- Object storage --------------------------------------------------------------------------
# S3 when a bucket is named (credentials come from the task role / instance profile, never
# from settings); the local filesystem and whitenoise otherwise.
_static_bucket = env.string("AWS_STATIC_BUCKET_NAME") or env.string("AWS_STORAGE_BUCKET_NAME")
_media_bucket = env.string("AWS_MEDIA_BUCKET_NAME") or env.string("AWS_STORAGE_BUCKET_NAME")
AWS_S3_REGION_NAME = env.string("AWS_S3_REGION_NAME", "us-east-1")
AWS_S3_ENDPOINT_URL = env.string("AWS_S3_ENDPOINT_URL")  # an S3-compatible store (MinIO, moto)
AWS_S3_URL_PROTOCOL = env.string("AWS_S3_URL_PROTOCOL", "https:")
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_S3_ADDRESSING_STYLE = env.string("AWS_S3_ADDRESSING_STYLE", "auto")
if _static_bucket:
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")  # the CDN serves them
    STORAGES["staticfiles"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _static_bucket,
            "location": "static",
            # Served through the CDN, which reads the private bucket with origin access control.
            "custom_domain": env.string("AWS_S3_CUSTOM_DOMAIN"),
            "querystring_auth": False,
            "file_overwrite": True,
        },
    }
if _media_bucket:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _media_bucket,
            "location": "media",
            "querystring_auth": True,
            "querystring_expire": env.integer("MEDIA_URL_EXPIRE_SECONDS", 3600),
            "file_overwrite": False,
        },
    }
