"""The CLI's contract: help on every verb, one line and a non-zero exit on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from booking_ops.cli import app
from tests.conftest import World

VERBS = ["bootstrap", "deploy", "rollback", "backup", "restore", "status"]


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_has_help(verb: str) -> None:
    result = CliRunner().invoke(app, [verb, "--help"])

    assert result.exit_code == 0
    assert "--env" in result.output


def test_the_local_stack_deploys_the_checkout_and_refuses_an_image_tag() -> None:
    result = CliRunner().invoke(app, ["deploy", "--env", "local", "--image", "abc123"])

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "ops deploy --env local: the local stack deploys the checkout — run it without --image"
    ]


def test_the_local_stack_refuses_to_publish_a_web_app(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["deploy", "--env", "local", "--web-app", str(tmp_path)])

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "ops deploy --env local: the local stack serves frontend/dist itself — run it without "
        "--web-app"
    ]


def test_a_web_app_build_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "dist"
    result = CliRunner().invoke(app, ["deploy", "--env", "dev", "--web-app", str(missing)])

    assert result.exit_code == 2  # a usage error, before any AWS call
    assert "--web-app" in result.output


def test_an_unknown_environment_is_refused() -> None:
    result = CliRunner().invoke(app, ["deploy", "--env", "qa", "--image", "x"])

    assert result.exit_code != 0


def test_aws_errors_become_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")

    result = CliRunner().invoke(app, ["status", "--env", "dev"])

    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ops status --env dev: AWS unreachable")


def test_restore_refuses_two_sources() -> None:
    result = CliRunner().invoke(
        app,
        ["restore", "--env", "dev", "--backup", "latest", "--to-time", "2026-01-31T10:15:00+00:00"],
    )

    assert result.exit_code == 1
    assert "exactly one of --backup and --to-time" in result.stderr


def test_status_end_to_end_through_the_cli(
    world: World, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real wiring: AwsTarget.from_environment, boto3 reading AWS_ENDPOINT_URL, HTTP probe."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)

    result = CliRunner().invoke(app, ["status", "--env", "dev"])

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["image:", "v1"]
    assert lines[1].startswith("health:         ready")
    assert any(line.split()[:2] == ["web", "booking-dev-web:1"] for line in lines)


def test_to_time_takes_iso_8601_with_fractions_of_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from booking_ops import cli
    from booking_ops.target import Restored, RestoreRequest

    seen: list[datetime | None] = []

    class Target:
        def restore(self, request: RestoreRequest) -> Restored:
            seen.append(request.to_time)
            return Restored("in place", {})

    monkeypatch.setattr(cli, "load_target", lambda env, reporter: Target())
    moment = "2026-12-02T04:13:27.299724+00:00"
    result = CliRunner().invoke(app, ["restore", "--env", "local", "--to-time", moment])

    assert result.exit_code == 0, result.output
    assert seen == [datetime(2026, 12, 2, 4, 13, 27, 299724, tzinfo=UTC)]


def test_deploy_takes_a_platform_and_the_local_stack_refuses_eks() -> None:
    assert "--platform" in CliRunner().invoke(app, ["deploy", "--help"]).output
    result = CliRunner().invoke(app, ["deploy", "--env", "local", "--platform", "eks"])

    assert result.exit_code == 1
    assert "the local stack has no Kubernetes" in result.stderr
    assert CliRunner().invoke(app, ["deploy", "--env", "dev", "--platform", "k8s"]).exit_code == 2
