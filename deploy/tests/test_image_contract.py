"""What the image does at build time and what compose.prod gives it at run time both work with
the real settings: collectstatic with the build's throwaway values, and production settings
booting from the web service's environment with its Docker secrets as files."""

from __future__ import annotations

import os
import subprocess
import sys

from deploy.tests.conftest import REPO


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, str(REPO / "backend" / "manage.py"), *args],
        cwd=REPO / "backend",
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_static_files_collect_with_the_build_stage_command(tmp_path):
    result = manage(
        "collectstatic",
        "--noinput",
        "--verbosity",
        "0",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "static" / "admin").is_dir()
    assert any((tmp_path / "static").rglob("*.css.gz"))  # compressed for whitenoise


def test_production_settings_boot_from_the_compose_environment(prod, tmp_path):
    web = prod["services"]["web"]
    secrets = {
        "django_secret_key": "x" * 60,
        "postgres_password": "pw",
        "redis_password": "pw",
        "s3_credentials": "[default]\naws_access_key_id = a\naws_secret_access_key = b\n",
    }
    env = {}
    for key, value in web["environment"].items():
        text = "" if value is None else str(value)
        for name, content in secrets.items():
            if text == f"/run/secrets/{name}":
                (tmp_path / name).write_text(content)
                text = str(tmp_path / name)
        env[key] = text
    env["DJANGO_VAR_DIR"] = str(tmp_path / "var")
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "prometheus")
    (tmp_path / "prometheus").mkdir()
    result = manage("check", "--deploy", "--fail-level", "ERROR", env=env)
    assert result.returncode == 0, result.stderr[-3000:]

    # ...and it refuses to boot without the secret, naming it
    env.pop("DJANGO_SECRET_KEY_FILE")
    result = manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
