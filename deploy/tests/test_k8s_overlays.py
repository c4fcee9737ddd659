"""The overlays only patch the base; production is pinned and never below two web pods; the
settings are variables the app really reads, the same ones ECS sets."""

from __future__ import annotations

import re

import pytest
import yaml
from deploy.tests.k8s_render import (
    K8S,
    OVERLAYS,
    REPO,
    TREES,
    container,
    one,
    rendered,
    settings,
    workloads,
)

# Read by the entrypoint or the image rather than through config/env.py.
PROCESS_VARIABLES = {"DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR", "WEB_SERVER"}
# The web servers' settings: read through config/env.py too, from outside backend/.
SERVER_FILES = ("deploy/uwsgi_server.py", "deploy/gunicorn.conf.py", "deploy/granian_server.py")


def identities(tree: str) -> set[tuple[str, str]]:
    return {
        (r["kind"], re.sub(r"-[a-z0-9]{10}$", "", r["metadata"]["name"])) for r in rendered(tree)
    }


def app_variables() -> set[str]:
    """Every NAME the settings and the web servers read through config/env.py (and so
    NAME_FILE too)."""
    files = [p for p in (REPO / "backend").rglob("*.py") if "tests" not in p.parts]
    source = "\n".join(p.read_text() for p in [*files, *(REPO / f for f in SERVER_FILES)])
    names = set(
        re.findall(
            r"env\.(?:string|required|boolean|integer|csv|redis_url)\(\s*\"([A-Z0-9_]+)\"", source
        )
    )
    names |= {
        "DATABASE_USER",
        "DATABASE_PASSWORD",
        "REDIS_AUTH_TOKEN",
        "DATABASE_HOST",
        "DATABASE_ENGINE",
        "DATABASE_PORT",
        "DATABASE_NAME",
        "DATABASE_REPLICA_HOSTS",
        "DATABASE_REPLICA_URLS",
        "DATABASE_URL",
    }
    return names


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlays_add_no_resource_of_their_own(overlay):
    kustomization = yaml.safe_load((K8S / "overlays" / overlay / "kustomization.yaml").read_text())
    assert kustomization["resources"] == ["../../base"]
    assert identities(overlay) == identities("base+components")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_are_pinned_never_latest(overlay):
    images = {container(w)["image"] for w in workloads(overlay).values()}
    (image,) = images
    assert ":latest" not in image and not image.endswith(":latest")
    assert re.search(r"@sha256:[0-9a-f]{64}$", image) or re.search(
        r":[\w.-]+$", image.rsplit("/", 1)[1]
    )


def test_production_pins_by_digest_and_keeps_two_web_pods():
    image = container(one("production", "Deployment", "web"))["image"]
    assert re.fullmatch(
        r"333333333333\.dkr\.ecr\.us-east-1\.amazonaws\.com/booking-backend@sha256:[0-9a-f]{64}",
        image,
    )
    assert one("production", "Deployment", "web")["spec"]["replicas"] >= 2
    assert one("production", "HorizontalPodAutoscaler", "web")["spec"]["minReplicas"] >= 2
    assert one("production", "PodDisruptionBudget", "web")["spec"]["maxUnavailable"] == 1
    # checkov's digest check is not skipped in production
    for workload in workloads("production").values():
        assert "checkov.io/skip2" not in workload["metadata"].get("annotations", {})


@pytest.mark.parametrize("tree", TREES)
def test_settings_are_variables_the_app_reads(tree):
    known = app_variables() | PROCESS_VARIABLES
    for key in settings(tree):
        assert key.removesuffix("_FILE") in known, key


def test_settings_cover_what_the_ecs_task_definitions_set():
    """infra/booking_infra/units/services.py: environment values and secrets, by name."""
    services = (REPO / "infra" / "booking_infra" / "units" / "services.py").read_text()
    environment = services.split("def _environment_values", 1)[1].split("def _secret_values", 1)[0]
    secrets = services.split("def _secret_values", 1)[1].split("def _task_definition", 1)[0]
    ecs_plain = set(re.findall(r'"([A-Z][A-Z0-9_]+)":', environment)) | {"DATABASE_REPLICA_HOSTS"}
    ecs_secret = set(re.findall(r'"([A-Z][A-Z0-9_]+)":', secrets))
    config = settings("production")
    worker_env = {e["name"] for e in container(one("production", "Deployment", "worker"))["env"]}
    assert ecs_plain <= set(config)
    assert {f"{name}_FILE" for name in ecs_secret} <= set(config) | worker_env


def test_settings_differ_by_environment_where_they_must():
    staging, production = settings("staging"), settings("production")
    assert staging["DJANGO_ALLOWED_HOSTS"] == "api.staging.booking.example.com"
    assert production["DJANGO_ALLOWED_HOSTS"] == "api.booking.example.com"
    assert "DATABASE_REPLICA_HOSTS" in production and "DATABASE_REPLICA_HOSTS" not in staging
    assert (
        one("production", "Ingress", "web")["spec"]["rules"][0]["host"] == "api.booking.example.com"
    )
