"""A new environment in one command, in the order of docs/aws.md:

prerequisites -> network + registry stacks -> the ARM64 image tagged with the commit, pushed
-> data, app, monitoring stacks -> migrate -> /health/ready through the public URL.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from booking_ops.aws.context import Context
from booking_ops.aws.release import migrate
from booking_ops.errors import OpsError
from booking_ops.http import wait_ready
from booking_ops.runner import Runner

CDK_APP = "uv run --project infra --locked python infra/app.py"
DOCKERFILE = "deploy/docker/Dockerfile"
FIRST_STACKS = ("network", "registry")
REST_STACKS = ("data", "app", "monitoring")


@dataclass(frozen=True)
class Build:
    runner: Runner
    commit: str  # the image tag


def bootstrap(ctx: Context, build: Build) -> str:
    check_prerequisites(ctx, build.runner)
    cdk_deploy(ctx, build.runner, FIRST_STACKS, image_tag=None)
    push_image(ctx, build)
    cdk_deploy(ctx, build.runner, REST_STACKS, image_tag=build.commit)
    with ctx.reporter.step("migrate the database"):
        migrate(ctx, tag=None)  # the app stack's migrate definition already runs the commit
    url = ctx.names.output("ApiUrl")
    with ctx.reporter.step(f"wait for {ctx.names.ready_url}"):
        if not wait_ready(
            ctx.probe,
            ctx.names.ready_url,
            attempts=ctx.timing.ready_attempts,
            delay=ctx.timing.ready_delay,
        ):
            raise OpsError(
                f"{ctx.names.ready_url} never answered 200",
                "the 503 body names the failing dependency; see ops status",
            )
    return url


def check_prerequisites(ctx: Context, runner: Runner) -> None:
    with ctx.reporter.step("check prerequisites"):
        try:
            account = ctx.clients.sts.get_caller_identity()["Account"]
        except (BotoCoreError, ClientError) as error:
            raise OpsError(
                f"no usable AWS credentials ({error.__class__.__name__})",
                "log in (aws sso login / AWS_PROFILE) and try again",
            ) from None
        ctx.reporter.info(f"AWS account {account}")
        for program, hint in (
            ("cdk", "npm install -g aws-cdk"),
            ("docker", "install Docker with buildx (a container builder)"),
        ):
            if not runner.which(program):
                raise OpsError(f"`{program}` is not on PATH", hint)
        runner.run(["docker", "buildx", "version"], hint="docker buildx is needed for ARM64")


def cdk_deploy(
    ctx: Context, runner: Runner, stacks: tuple[str, ...], image_tag: str | None
) -> None:
    names = [ctx.names.stack_name(stack) for stack in stacks]
    env = {"BOOKING_ENVIRONMENTS": ctx.names.env}
    if image_tag is not None:
        env["BOOKING_IMAGE_TAG"] = image_tag
    with ctx.reporter.step(f"cdk deploy {' '.join(names)}"):
        runner.run(
            ["cdk", "deploy", *names, "--app", CDK_APP, "--require-approval", "never"],
            env=env,
            hint="the CloudFormation events above say which resource failed",
        )


def push_image(ctx: Context, build: Build) -> None:
    repository = ctx.names.output("RepositoryUri")
    registry = repository.split("/", 1)[0]
    token = ctx.clients.ecr.get_authorization_token()["authorizationData"][0]
    password = base64.b64decode(token["authorizationToken"]).decode().split(":", 1)[1]
    with ctx.reporter.step(f"build and push {repository}:{build.commit} (linux/arm64)"):
        build.runner.run(
            ["docker", "login", "--username", "AWS", "--password-stdin", registry],
            stdin=password,
            hint="could not log in to ECR",
        )
        build.runner.run(
            [
                "docker",
                "buildx",
                "build",
                "--platform",
                "linux/arm64",
                "-f",
                DOCKERFILE,
                "-t",
                f"{repository}:{build.commit}",
                "--push",
                ".",
            ],
            hint="the build output above says which step failed",
        )
