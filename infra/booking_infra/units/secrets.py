"""The application's own secrets (Django key, Twilio, Sentry), whatever runs the app.

ECS tasks read them through ``secrets``; on EKS, External Secrets copies them into the
namespace. Operators put the real Twilio and Sentry values in.
"""

from __future__ import annotations

import json

from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from booking_infra.common import AWS_MANAGED_KEY, skip_checks


class AppSecrets(Construct):
    """The application's own secrets; operators put the real Twilio and Sentry values in."""

    def __init__(self, scope: Construct, id: str, *, env_name: str, key: kms.IKey | None) -> None:
        super().__init__(scope, id)

        def secret(
            name: str,
            description: str,
            template: dict[str, str] | None,
            generated_key: str | None,
            reason: str,
        ) -> secretsmanager.Secret:
            generator = secretsmanager.SecretStringGenerator(
                password_length=64,
                exclude_punctuation=True,
                secret_string_template=json.dumps(template) if template is not None else None,
                generate_string_key=generated_key,
            )
            created = secretsmanager.Secret(
                self,
                name,
                secret_name=f"booking/{env_name}/{name.lower()}",
                description=description,
                encryption_key=key,
                generate_secret_string=generator,
            )
            skip_checks(created, {"CKV2_AWS_57": reason})
            if key is None:
                skip_checks(created, {"CKV_AWS_149": AWS_MANAGED_KEY})
            return created

        self.django_secret_key = secret(
            "DjangoSecretKey",
            "DJANGO_SECRET_KEY",
            None,
            None,
            "rotated by a planned deploy with SECRET_KEY_FALLBACKS so sessions survive; "
            "an unattended rotation would sign everyone out",
        )
        self.twilio = secret(
            "Twilio",
            "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER",
            {"account_sid": "", "from_number": ""},
            "auth_token",
            "issued by Twilio; rotated in Twilio's console, then put here",
        )
        self.sentry = secret(
            "Sentry",
            "SENTRY_DSN (an empty dsn disables Sentry)",
            {"dsn": ""},
            "unused",
            "issued by Sentry; not a credential that rotates",
        )
