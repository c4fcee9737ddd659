"""Production settings: refuse to boot without secrets, and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BACKEND = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "DJANGO_ALLOWED_HOSTS": "booking.example.com",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SMS_BACKEND": "twilio",
    "FRONTEND_URL": "https://booking.example.com",
}
UNDELIVERED_EMAIL_BACKENDS = [
    f"django.core.mail.backends.{name}.EmailBackend"
    for name in ("console", "locmem", "dummy", "filebased")
]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return python("manage.py", *args, env=env)


def python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_", "EMAIL_", "SMS_", "NOTIFICATIONS_", "FRONTEND_")
        )
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BACKEND,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "FRONTEND_URL"]
)
def test_production_refuses_to_boot_naming_the_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_web_app_origin_over_plain_http():
    result = manage("check", env=PRODUCTION_ENV | {"FRONTEND_URL": "http://booking.example.com"})
    assert result.returncode != 0
    assert "FRONTEND_URL must be the web app's https:// origin" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("y" * 64 + "-from-a-mounted-secret-file\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SECRET_KEY_FILE"] = str(secret_file)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_database_url_can_be_built_from_its_parts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    env |= {
        "DATABASE_HOST": "db.internal",
        "DATABASE_USER": "app",
        "DATABASE_PASSWORD": "p@ss/word",
        "DATABASE_NAME": "booking",
    }
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['HOST'], d['USER'], d['PASSWORD'], d['NAME'])",
        env=env,
    )
    assert result.stdout.split() == ["db.internal", "app", "p@ss/word", "booking"]


def test_every_model_change_has_a_migration():
    result = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 0, result.stdout


def test_the_openapi_schema_generates_without_warnings(tmp_path):
    result = manage(
        "spectacular",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 0, result.stderr
    assert "/api/v1/appointments" in (tmp_path / "schema.yaml").read_text()


def import_production_settings(*, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Only the settings module, in a fresh interpreter: whether production would boot."""
    return python("-c", "import config.settings.production", env=env)


@pytest.mark.parametrize("backend", UNDELIVERED_EMAIL_BACKENDS)
def test_production_refuses_an_email_backend_that_delivers_nowhere(backend):
    result = import_production_settings(env=PRODUCTION_ENV | {"EMAIL_BACKEND": backend})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EMAIL_BACKEND" in result.stderr


def test_production_refuses_console_sms():
    result = import_production_settings(env=PRODUCTION_ENV | {"SMS_BACKEND": "console"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SMS_BACKEND" in result.stderr


def test_production_boots_with_console_channels_that_are_disabled_on_purpose():
    env = PRODUCTION_ENV | {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SMS_BACKEND": "console",
        "NOTIFICATIONS_DISABLED_CHANNELS": "email,SMS",
    }
    result = import_production_settings(env=env)
    assert result.returncode == 0, result.stderr


def test_disabling_only_email_still_refuses_console_sms():
    env = PRODUCTION_ENV | {"SMS_BACKEND": "console", "NOTIFICATIONS_DISABLED_CHANNELS": "email"}
    result = import_production_settings(env=env)
    assert result.returncode != 0
    assert "SMS_BACKEND" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NOTIFICATIONS_DISABLED_CHANNELS", "email,fax"),
        ("DJANGO_SECURE_SSL_REDIRECT", "ture"),
        ("DJANGO_HSTS_SECONDS", "one year"),
    ],
)
def test_production_refuses_a_value_it_cannot_read_naming_the_variable(name, value):
    result = import_production_settings(env=PRODUCTION_ENV | {name: value})
    assert result.returncode != 0
    assert "InvalidVariableError" in result.stderr
    assert name in result.stderr


def test_settings_refuse_versions_that_expire_before_what_is_cached_under_them():
    env = PRODUCTION_ENV | {"CACHE_VERSION_SECONDS": "600", "SCHEDULE_CACHE_SECONDS": "1800"}
    result = import_production_settings(env=env)
    assert result.returncode != 0
    assert "CACHE_VERSION_SECONDS=600" in result.stderr
    assert "(1800 s)" in result.stderr


def test_the_embedded_default_trusts_the_web_apps_dev_server_for_csrf():
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.local", "FRONTEND_URL": "http://x.test:5999/"}
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CSRF_TRUSTED_ORIGINS)",
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "['http://x.test:5999']"
