"""E-mail and SMS per environment: SES and Twilio where notifications must leave, console
backends only with their channels declared disabled; who may send through SES."""

from __future__ import annotations

import json
from typing import Any

from conftest import Synthesized, env_vars, secret_names

ROLES = ("web", "worker", "beat", "migrate")


def _task(env: Synthesized, role: str) -> dict[str, Any]:
    return env.one("AWS::ECS::TaskDefinition", "app", Family=f"booking-{env.config.name}-{role}")


def _service(env: Synthesized, role: str) -> dict[str, Any]:
    return env.one("AWS::ECS::Service", "app", ServiceName=role)


CONSOLE = "django.core.mail.backends.console.EmailBackend"


def test_staging_and_prod_send_through_ses_and_twilio(synthesized: dict[str, Synthesized]) -> None:
    for name in ("staging", "prod"):
        env = synthesized[name]
        for role in ROLES:
            plain = env_vars(_task(env, role))
            assert plain["EMAIL_BACKEND"] == "django_ses.SESBackend", (name, role)
            assert plain["SMS_BACKEND"] == "twilio", (name, role)
            assert plain["AWS_SES_REGION_NAME"] == "us-east-1"
            assert plain["AWS_SES_REGION_ENDPOINT"] == "email.us-east-1.amazonaws.com"
            assert "NOTIFICATIONS_DISABLED_CHANNELS" not in plain
            assert CONSOLE not in plain.values()
            assert {
                "TWILIO_ACCOUNT_SID",
                "TWILIO_AUTH_TOKEN",
                "TWILIO_FROM_NUMBER",
            } <= secret_names(_task(env, role))


def test_twilio_credentials_come_from_the_twilio_secret(prod: Synthesized) -> None:
    container = _task(prod, "worker")["Properties"]["ContainerDefinitions"][0]
    secrets = {s["Name"]: json.dumps(s["ValueFrom"]) for s in container["Secrets"]}
    for name, key in (
        ("TWILIO_ACCOUNT_SID", "account_sid"),
        ("TWILIO_AUTH_TOKEN", "auth_token"),
        ("TWILIO_FROM_NUMBER", "from_number"),
    ):
        assert "ServicesSecretsTwilio" in secrets[name]
        assert f":{key}::" in secrets[name]


def test_dev_keeps_console_backends_only_with_both_channels_disabled(dev: Synthesized) -> None:
    for role in ("web", "worker", "migrate"):  # dev's beat runs inside its worker
        plain = env_vars(_task(dev, role))
        assert plain["EMAIL_BACKEND"] == CONSOLE
        assert plain["SMS_BACKEND"] == "console"
        assert plain["NOTIFICATIONS_DISABLED_CHANNELS"] == "email,sms"


def _ses_statements(env: Synthesized) -> list[dict[str, Any]]:
    return [
        statement
        for policy in env.resources("AWS::IAM::Policy", "app").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "ses:SendRawEmail" in statement["Action"]
    ]


def test_senders_may_use_ses_through_one_identity_from_one_address(
    synthesized: dict[str, Synthesized],
) -> None:
    for name in ("staging", "prod"):
        env = synthesized[name]
        statements = _ses_statements(env)
        assert len(statements) == 2  # the web and worker task roles, nobody else
        for statement in statements:
            assert statement["Action"] == ["ses:SendEmail", "ses:SendRawEmail"]
            resource = json.dumps(statement["Resource"])
            assert f":identity/{env.config.notifications.ses_identity}" in resource
            assert "*" not in resource
            assert statement["Condition"] == {
                "StringEquals": {"ses:FromAddress": env.config.domain.default_from_email}
            }


def test_nothing_in_dev_may_send_email(dev: Synthesized) -> None:
    assert _ses_statements(dev) == []
