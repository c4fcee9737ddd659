"""The stack's Redis and its S3 stand-in (moto), each on the stack's own port."""

from __future__ import annotations

import json
import os
import shutil

from deploy.stack.config import VENV_BIN, Stack
from deploy.stack.processes import port_open, say, spawn, stop, wait_port

BUCKETS = ("booking-static", "booking-media")


def redis_up(stack: Stack) -> None:
    if port_open(stack.ports.redis):
        say("Redis already running")
        return
    redis = shutil.which("redis-server") or "redis-server"
    argv = [redis, "--port", str(stack.ports.redis), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no"]  # fmt: skip
    spawn(stack, "redis", argv, os.environ.copy(), stack.dir)
    wait_port(stack.ports.redis, "redis")
    say(f"Redis on 127.0.0.1:{stack.ports.redis} (cache db 0, broker db 1)")


def redis_stop(stack: Stack) -> None:
    stop(stack, "redis")


def s3_client(stack: Stack):  # type: ignore[no-untyped-def]  # boto3 clients are untyped
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{stack.ports.s3}",
        region_name="us-east-1",
        aws_access_key_id="stack",
        aws_secret_access_key="stack",
    )


def s3_up(stack: Stack) -> None:
    argv = [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(stack.ports.s3)]
    spawn(stack, "s3", argv, os.environ.copy(), stack.dir)
    wait_port(stack.ports.s3, "the S3 stand-in")
    client = s3_client(stack)
    existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    for bucket in BUCKETS:
        if bucket not in existing:
            client.create_bucket(Bucket=bucket)
    # Stands in for the CDN's read access (CloudFront origin access control in AWS); media
    # stays private and is reached only through signed URLs.
    public_read = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::booking-static/*",
    }
    client.put_bucket_policy(
        Bucket="booking-static",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [public_read]}),
    )
    say(f"S3 stand-in (moto) on http://127.0.0.1:{stack.ports.s3}")
