"""Both compose files render with the real Compose CLI and keep the promised shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from deploy.tests.conftest import DEPLOY, rendered, run_compose
from deploy.tests.secrets_scan import is_secret_name, literal_secrets

APP_ROLES = ("web", "worker", "beat", "migrate")
ONE_SHOTS = {"migrate", "certs", "minio-init"}


def _command(service: dict[str, Any]) -> list[str]:
    return list(service.get("command") or [])


@pytest.mark.parametrize("name", ["compose.yaml", "compose.prod.yaml"])
def test_it_renders_with_docker_compose_config(name):
    result = run_compose("-f", str(DEPLOY / name), "config", "--quiet")
    assert result.returncode == 0, result.stderr


def test_it_rejects_an_invalid_file(tmp_path):
    # The validation can fail: a misspelt depends_on condition is refused.
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        "services:\n  a:\n    image: busybox:1.37\n    depends_on:\n"
        "      b: {condition: service_finished}\n  b:\n    image: busybox:1.37\n"
    )
    result = run_compose("-f", str(broken), "config", "--quiet")
    assert result.returncode != 0


def test_dev_has_the_services_of_a_working_day(dev):
    assert set(dev["services"]) == {"db", "redis", "mailpit", "migrate", "web", "worker", "beat"}
    assert dev["services"]["web"]["command"] == ["devserver"]
    assert dev["services"]["web"]["build"]["target"] == "dev"
    # runserver reloads from the bind-mounted source
    mounts = {(v["type"], v["target"]) for v in dev["services"]["web"]["volumes"]}
    assert ("bind", "/app/backend") in mounts
    env = dev["services"]["worker"]["environment"]
    assert env["EMAIL_HOST"] == "mailpit"
    assert env["CELERY_BROKER_URL"].endswith("/1") and env["REDIS_URL"].endswith("/0")


def test_prod_has_the_production_topology(prod):
    assert set(prod["services"]) == {
        "certs",
        "migrate",
        "minio-init",
        "web",
        "worker",
        "beat",
        "nginx",
        "db",
        "db-replica",
        "redis",
        "minio",
    }
    assert prod["services"]["web"]["deploy"]["replicas"] == 2
    # uWSGI unless deploy/.env names another server (the entrypoint's default too)
    assert prod["services"]["web"]["environment"]["WEB_SERVER"] == "uwsgi"
    assert prod["services"]["beat"]["deploy"]["replicas"] == 1
    for role in APP_ROLES:
        assert _command(prod["services"][role])[0] == role
        assert prod["services"][role]["build"]["target"] == "runtime"
        assert prod["services"][role]["environment"]["DJANGO_SETTINGS_MODULE"] == (
            "config.settings.production"
        )


@pytest.mark.parametrize("name", ["compose.yaml", "compose.prod.yaml"])
def test_web_worker_and_beat_wait_for_migrations(name):
    services = rendered(name)["services"]
    for role in ("web", "worker", "beat"):
        assert services[role]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        ), role
    assert services["migrate"]["restart"] == "no"


def test_prod_starts_in_dependency_order(prod):
    services = prod["services"]
    web = services["web"]["depends_on"]
    for dependency in ("db", "db-replica", "redis"):
        assert web[dependency]["condition"] == "service_healthy"
    assert web["minio-init"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["nginx"]["depends_on"]["certs"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["db-replica"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["minio-init"]["depends_on"]["minio"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["compose.yaml", "compose.prod.yaml"])
def test_every_long_running_service_has_a_healthcheck_and_a_restart_policy(name):
    for service_name, service in rendered(name)["services"].items():
        if service_name in ONE_SHOTS:
            assert service["restart"] == "no", service_name
            continue
        assert service.get("restart") in ("unless-stopped", "always"), service_name
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), service_name


def test_prod_app_containers_are_locked_down(prod):
    for service_name, service in prod["services"].items():
        assert "no-new-privileges:true" in service.get("security_opt", []), service_name
        assert service.get("cap_drop") == ["ALL"], service_name
        assert (
            service["deploy"]["resources"]["limits"]["memory"]
            if (service_name not in ONE_SHOTS - {"migrate"})
            else True
        ), service_name
        if service_name != "certs":
            assert service.get("read_only") is True, service_name
    for role in APP_ROLES:
        service = prod["services"][role]
        assert service["user"] == "10001:10001"
        assert any(t.startswith("/tmp:") for t in service["tmpfs"]), role


def test_only_nginx_is_published_in_prod(prod):
    published = {name for name, s in prod["services"].items() if s.get("ports")}
    assert published == {"nginx"}
    assert {p["target"] for p in prod["services"]["nginx"]["ports"]} == {8080, 8443}
    assert prod["networks"]["backend"].get("internal") is True
    for data in ("db", "db-replica", "redis", "minio"):
        assert set(prod["services"][data]["networks"]) == {"backend"}, data


def test_nginx_renders_the_shared_template_with_tls(prod):
    nginx = prod["services"]["nginx"]
    targets = {v["target"]: v for v in nginx["volumes"]}
    template = targets["/etc/nginx/templates/booking.conf.template"]
    assert template["source"].endswith("deploy/nginx/booking.conf.template")
    assert template.get("read_only") is True
    env = nginx["environment"]
    assert "web:8000" in env["NGINX_UPSTREAM_SERVERS"]
    assert env["NGINX_CERT"].startswith("/etc/nginx/certs/")
    assert targets["/etc/nginx/certs"]["source"] == "certs"
    # every ${VAR} the template uses is provided
    text = (DEPLOY / "nginx" / "booking.conf.template").read_text()
    import re

    used = set(re.findall(r"\$\{(NGINX_[A-Z_]+)\}", text))
    assert used and used <= set(env), used - set(env)


def test_the_replica_streams_from_the_primary(prod):
    primary = prod["services"]["db"]
    replica = prod["services"]["db-replica"]
    assert "wal_level=replica" in primary["command"]
    init = {v["target"]: v["source"] for v in primary["volumes"]}
    assert init["/docker-entrypoint-initdb.d/10-replication.sh"].endswith(
        "docker/postgres/primary-init.sh"
    )
    assert replica["environment"]["PRIMARY_HOST"] == "db"
    assert replica["environment"]["REPLICATION_SLOT"] in primary["environment"][
        "REPLICATION_SLOTS"
    ].split(",")
    assert "pg_is_in_recovery" in " ".join(replica["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["compose.yaml", "compose.prod.yaml"])
def test_no_secret_is_written_in_the_files(name):
    assert literal_secrets(rendered(name)) == []


def test_prod_secrets_come_from_files(prod):
    assert set(prod["secrets"]) >= {
        "django_secret_key",
        "postgres_password",
        "replication_password",
        "redis_password",
        "s3_credentials",
    }
    for secret in prod["secrets"].values():
        assert "file" in secret and "/secrets/" in secret["file"]
    env = prod["services"]["web"]["environment"]
    assert env["DJANGO_SECRET_KEY_FILE"] == "/run/secrets/django_secret_key"
    assert env["DATABASE_PASSWORD_FILE"] == "/run/secrets/postgres_password"
    targets = {s["target"] for s in prod["services"]["web"]["secrets"]}
    assert {env["DJANGO_SECRET_KEY_FILE"], env["DATABASE_PASSWORD_FILE"]} <= targets


def test_the_secret_scan_finds_a_literal_secret():
    config = {
        "services": {
            "a": {"environment": {"DJANGO_SECRET_KEY": "s3cr3t", "DJANGO_SECRET_KEY_FILE": "/x"}},
            "b": {"environment": {"DATABASE_URL": "postgres://u:hunter2@db/x"}},
            "c": {"command": ["redis-server", "--requirepass", "hunter2"]},
        }
    }
    assert literal_secrets(config) == [
        "a: DJANGO_SECRET_KEY",
        "b: DATABASE_URL (password in URL)",
        "c: command line",
    ]


def test_the_web_server_is_chosen_in_deploy_env():
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    # copying the example keeps the default; gunicorn stays one setting away
    assert example["WEB_SERVER"] == "uwsgi"
    result = run_compose(
        "-f",
        str(DEPLOY / "compose.prod.yaml"),
        "config",
        "--format",
        "json",
        env={"WEB_SERVER": "gunicorn"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["services"]["web"]["environment"]["WEB_SERVER"] == "gunicorn"


def test_env_example_holds_no_secret_values():
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        if line.strip().startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if is_secret_name(key.strip()):
            assert not value.strip(), key
