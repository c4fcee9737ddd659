"""With a signing key configured, CloudFront serves /media/* only to signed URLs."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from aws_cdk.assertions import Match
from environments import PROD

from conftest import Synthesized, synthesize


def _public_key(tmp: Path) -> str:
    private = tmp / "private.pem"
    subprocess.run(
        [
            "openssl",
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            str(private),
        ],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        ["openssl", "pkey", "-in", str(private), "-pubout"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    tmp = tmp_path_factory.mktemp("signed")
    config = replace(PROD, edge=replace(PROD.edge, media_signing_public_key_pem=_public_key(tmp)))
    return synthesize(tmp / "cdk.out", [config])["prod"]


def test_media_needs_a_signed_url(signed: Synthesized) -> None:
    config = signed.one("AWS::CloudFront::Distribution", "app")["Properties"]["DistributionConfig"]
    media = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/media/*"]
    assert media and media[0]["TrustedKeyGroups"]
    assert media[0]["ViewerProtocolPolicy"] == "redirect-to-https"
    signed.template("app").has_resource_properties(
        "AWS::CloudFront::KeyGroup",
        {
            "KeyGroupConfig": Match.object_like({"Items": Match.any_value()}),
        },
    )


def test_without_a_key_media_stays_private_in_s3(prod: Synthesized) -> None:
    config = prod.one("AWS::CloudFront::Distribution", "app")["Properties"]["DistributionConfig"]
    paths = {b["PathPattern"] for b in config["CacheBehaviors"]}
    assert "/media/*" not in paths  # the app hands out S3 presigned URLs instead
