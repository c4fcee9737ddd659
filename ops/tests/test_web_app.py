"""`ops deploy --web-app`: the built app lands in its bucket with the right Cache-Control,
hashed files before the index, then CloudFront is told to drop the old index."""

from __future__ import annotations

from pathlib import Path

import pytest

from booking_ops.aws.target import AwsTarget
from booking_ops.aws.web_app import publish
from booking_ops.errors import OpsError
from booking_ops.target import DeployRequest
from tests.conftest import ENV, WEB_APP_BUCKET, World


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A Vite build as `npm run build` leaves it in frontend/dist."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text('<script src="/assets/index-B2x9Qk1a.js"></script>')
    (root / "favicon.svg").write_text("<svg/>")
    (root / "assets" / "index-B2x9Qk1a.js").write_text("console.log(1)")
    (root / "assets" / "index-Cq81Lm0z.css").write_text("body{}")
    return root


def _uploads(world: World) -> list[str]:
    return [p["Key"] for p in world.calls.of("PutObject")]


def test_hashed_assets_go_first_and_the_index_last(world: World, dist: Path) -> None:
    publish(world.ctx, dist)

    keys = _uploads(world)
    assert keys[:2] == ["assets/index-B2x9Qk1a.js", "assets/index-Cq81Lm0z.css"]
    assert keys[-1] == "index.html"
    assert set(keys) == {
        "assets/index-B2x9Qk1a.js",
        "assets/index-Cq81Lm0z.css",
        "favicon.svg",
        "index.html",
    }


def test_assets_are_immutable_for_a_year_and_the_rest_never_cached(
    world: World, dist: Path
) -> None:
    publish(world.ctx, dist)

    s3 = world.admin.s3
    asset = s3.head_object(Bucket=WEB_APP_BUCKET, Key="assets/index-B2x9Qk1a.js")
    assert asset["CacheControl"] == "public, max-age=31536000, immutable"
    assert asset["ContentType"] == "text/javascript"
    for key, content_type in (("index.html", "text/html"), ("favicon.svg", "image/svg+xml")):
        head = s3.head_object(Bucket=WEB_APP_BUCKET, Key=key)
        assert head["CacheControl"] == "no-cache", key
        assert head["ContentType"] == content_type, key
    body = s3.get_object(Bucket=WEB_APP_BUCKET, Key="index.html")["Body"].read()
    assert body == (dist / "index.html").read_bytes()


def test_the_unhashed_paths_are_invalidated_after_every_upload(world: World, dist: Path) -> None:
    published = publish(world.ctx, dist)

    calls = world.calls.names()
    assert calls.index("CreateInvalidation") > max(
        i for i, op in enumerate(calls) if op == "PutObject"
    )
    batch = world.calls.of("CreateInvalidation")[0]
    assert batch["DistributionId"] == world.ctx.names.output("DistributionId")
    assert sorted(batch["InvalidationBatch"]["Paths"]["Items"]) == ["/favicon.svg", "/index.html"]
    listed = world.admin.cloudfront.list_invalidations(DistributionId=batch["DistributionId"])
    assert [i["Id"] for i in listed["InvalidationList"]["Items"]] == [published.invalidation]
    assert published.files == 4


def test_old_assets_stay_for_tabs_still_on_the_previous_index(world: World, dist: Path) -> None:
    world.admin.s3.put_object(Bucket=WEB_APP_BUCKET, Key="assets/index-OLD00000.js", Body=b"1")

    publish(world.ctx, dist)

    world.admin.s3.head_object(Bucket=WEB_APP_BUCKET, Key="assets/index-OLD00000.js")
    assert "DeleteObject" not in world.calls.names()


def test_a_build_without_an_index_uploads_nothing(world: World, tmp_path: Path) -> None:
    with pytest.raises(OpsError, match=r"no index\.html"):
        publish(world.ctx, tmp_path)

    assert "PutObject" not in world.calls.names()


def test_deploy_publishes_the_app_only_after_the_services_rolled(world: World, dist: Path) -> None:
    target = AwsTarget(name=ENV, ctx=world.ctx)

    released = target.deploy(DeployRequest(image="v2", web_app=dist))

    calls = world.calls.names()
    last_update = max(i for i, op in enumerate(calls) if op == "UpdateService")
    assert last_update < calls.index("PutObject")
    assert released.revisions["web-app"].startswith("4 files, invalidation ")


def test_a_failed_release_publishes_nothing(world: World, dist: Path) -> None:
    world.outcomes.exit_code("booking-dev-migrate", 1)
    target = AwsTarget(name=ENV, ctx=world.ctx)

    with pytest.raises(OpsError):
        target.deploy(DeployRequest(image="v2", web_app=dist))

    assert "PutObject" not in world.calls.names()
    assert "CreateInvalidation" not in world.calls.names()
