"""Publishing the web app (frontend/dist, built once by CI) to its bucket behind CloudFront.

Order, so that no browser ever loads an index whose files are missing:
1. the content-hashed files under assets/, cached a year (immutable);
2. every other file, index.html last, each ``no-cache`` (browsers revalidate);
3. an invalidation of those unhashed paths, so the edge serves the new index at once (it
   would anyway within five minutes: infra/booking_infra/units/web_app.py).
Nothing is deleted: a tab still on the previous index keeps loading its assets (the bucket's
lifecycle expires only old versions, not current objects).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from booking_ops.aws.context import Context
from booking_ops.errors import OpsError

ASSETS_PREFIX = "assets/"
ASSETS_CACHE_CONTROL = "public, max-age=31536000, immutable"
OTHER_CACHE_CONTROL = "no-cache"
INDEX = "index.html"
# what mimetypes may not know on every platform
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Published:
    files: int
    invalidation: str  # the CloudFront invalidation id


def publish(ctx: Context, dist: Path) -> Published:
    """Upload DIST (frontend/dist) to the WebAppBucket output, then invalidate its index."""
    keys = _keys(dist)
    bucket = ctx.names.output("WebAppBucket")
    with ctx.reporter.step(f"upload the web app ({len(keys)} files) to {bucket}"):
        for key in keys:
            _put(ctx, bucket, dist, key)
    unhashed = [f"/{key}" for key in keys if not key.startswith(ASSETS_PREFIX)]
    with ctx.reporter.step(f"invalidate {', '.join(unhashed)} on CloudFront"):
        made = ctx.clients.cloudfront.create_invalidation(
            DistributionId=ctx.names.output("DistributionId"),
            InvalidationBatch={
                "Paths": {"Quantity": len(unhashed), "Items": unhashed},
                "CallerReference": f"ops-deploy-{datetime.now(UTC):%Y%m%dT%H%M%S.%f}",
            },
        )
    invalidation: str = made["Invalidation"]["Id"]
    return Published(files=len(keys), invalidation=invalidation)


def _keys(dist: Path) -> list[str]:
    """DIST's files as object keys, in upload order: assets/, the rest, index.html last."""
    if not (dist / INDEX).is_file():
        raise OpsError(
            f"{dist} has no {INDEX}",
            "build the web app first: cd frontend && npm ci && npm run build (frontend/dist)",
        )
    keys = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())
    return sorted(keys, key=lambda key: (key == INDEX, not key.startswith(ASSETS_PREFIX)))


def _put(ctx: Context, bucket: str, dist: Path, key: str) -> None:
    hashed = key.startswith(ASSETS_PREFIX)
    suffix = Path(key).suffix
    content_type = (
        CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    )
    ctx.clients.s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=(dist / key).read_bytes(),
        ContentType=content_type,
        CacheControl=ASSETS_CACHE_CONTROL if hashed else OTHER_CACHE_CONTROL,
    )
