"""One image, four roles: what each Deployment and the migrate Job must be, in every tree."""

from __future__ import annotations

import json

import pytest
from deploy.tests.k8s_render import (
    REPO,
    TREES,
    by_kind,
    container,
    one,
    pod_spec,
    quantity,
    rendered,
    settings,
    workloads,
)

MB = 1_000_000
BENCH = json.loads((REPO / "bench" / "results" / "latest.json").read_text())["memory"]


@pytest.mark.parametrize("tree", TREES)
def test_every_role_runs_the_same_image_with_its_role_argument(tree):
    roles = workloads(tree)
    assert {container(w)["args"][0] for w in roles.values()} == set(roles)
    assert len({container(w)["image"] for w in roles.values()}) == 1


@pytest.mark.parametrize("tree", TREES)
def test_beat_is_exactly_one_pod_replaced_by_recreate(tree):
    beat = one(tree, "Deployment", "beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    scaled = {
        h["spec"]["scaleTargetRef"]["name"]
        for h in by_kind(tree, "HorizontalPodAutoscaler").values()
    }
    assert "beat" not in scaled


@pytest.mark.parametrize("tree", TREES)
def test_the_migrate_job_is_findable_and_runs_once(tree):
    job = one(tree, "Job", "migrate")
    assert job["metadata"]["labels"]["booking.example.com/deploy-phase"] == "migrate"
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert job["spec"]["backoffLimit"] <= 1
    assert job["spec"]["activeDeadlineSeconds"] > 0
    for name in ("web", "worker", "beat"):
        labels = one(tree, "Deployment", name)["metadata"]["labels"]
        assert labels["booking.example.com/deploy-phase"] == "rollout"
    phased = [
        r
        for r in rendered(tree)
        if "booking.example.com/deploy-phase" in r["metadata"].get("labels", {})
    ]
    assert {r["kind"] for r in phased} == {"Deployment", "Job"}


@pytest.mark.parametrize("tree", TREES)
def test_web_probes_live_and_ready_endpoints(tree):
    app = container(one(tree, "Deployment", "web"))
    assert app["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert app["startupProbe"]["httpGet"]["path"] == "/health/live"
    assert app["readinessProbe"]["httpGet"]["path"] == "/health/ready"


@pytest.mark.parametrize("tree", TREES)
def test_worker_and_beat_have_cheap_liveness_probes(tree):
    worker = container(one(tree, "Deployment", "worker"))
    probe = worker["livenessProbe"]["httpGet"]
    port = next(p for p in worker["ports"] if p["name"] == probe["port"])
    assert str(port["containerPort"]) == settings(tree)["WORKER_METRICS_PORT"]
    beat = container(one(tree, "Deployment", "beat"))
    assert beat["livenessProbe"]["exec"]["command"][-2:] == [
        "/app/deploy/docker/healthcheck.py",
        "beat",
    ]
    assert {e["name"] for e in beat["env"]} >= {"BEAT_SCHEDULE_MAX_AGE_SECONDS"}
    for app in (worker, beat):
        assert "inspect" not in json.dumps(app["livenessProbe"])


@pytest.mark.parametrize("tree", TREES)
def test_web_serves_with_uwsgi(tree):
    # as the image's default and the ECS tasks (docs/operations.md, "The web server")
    assert settings(tree)["WEB_SERVER"] == "uwsgi"
    assert container(one(tree, "Deployment", "web"))["args"] == ["web"]


@pytest.mark.parametrize("tree", TREES)
def test_process_counts_are_pinned_not_taken_from_the_node(tree):
    assert int(settings(tree)["WEB_CONCURRENCY"]) == 2
    assert "--concurrency=2" in container(one(tree, "Deployment", "worker"))["args"]


@pytest.mark.parametrize("tree", TREES)
def test_memory_follows_the_measured_peaks(tree):
    """Requests cover the measured peak of every process; limits leave room up to the 150 MB bar."""
    workers = int(settings(tree)["WEB_CONCURRENCY"])
    web = container(one(tree, "Deployment", "web"))["resources"]
    assert (
        quantity(web["requests"]["memory"])
        >= (workers + 1) * BENCH["web_worker_peak_mb"] * MB * 0.95
    )
    assert (
        quantity(web["limits"]["memory"]) >= workers * 150 * MB + BENCH["web_worker_peak_mb"] * MB
    )
    worker = container(one(tree, "Deployment", "worker"))["resources"]
    assert quantity(worker["requests"]["memory"]) >= 3 * BENCH["celery_child_peak_mb"] * MB
    assert quantity(worker["limits"]["memory"]) >= 2 * 150 * MB + BENCH["celery_child_peak_mb"] * MB
    for workload in workloads(tree).values():
        resources = container(workload)["resources"]
        assert quantity(resources["requests"]["cpu"]) > 0
        assert quantity(resources["limits"]["memory"]) >= quantity(resources["requests"]["memory"])


@pytest.mark.parametrize("tree", TREES)
def test_web_and_worker_spread_across_zones(tree):
    for name in ("web", "worker"):
        keys = {
            c["topologyKey"]
            for c in pod_spec(one(tree, "Deployment", name))["topologySpreadConstraints"]
        }
        assert "topology.kubernetes.io/zone" in keys


@pytest.mark.parametrize("tree", TREES)
def test_web_and_worker_autoscale_on_cpu_and_have_disruption_budgets(tree):
    hpas = by_kind(tree, "HorizontalPodAutoscaler")
    for name in ("web", "worker"):
        metrics = hpas[name]["spec"]["metrics"]
        assert {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 60},
            },
        } in metrics
    assert hpas["web"]["spec"]["minReplicas"] >= 2
    budgets = by_kind(tree, "PodDisruptionBudget")
    assert {
        b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
        for b in budgets.values()
    } == {"web", "worker"}


def test_the_prometheus_component_adds_requests_per_pod_to_the_web_hpa():
    metrics = one("production", "HorizontalPodAutoscaler", "web")["spec"]["metrics"]
    assert [m["type"] for m in metrics] == ["Resource", "Pods"]
    assert metrics[1]["pods"]["metric"]["name"] == "http_requests_per_second"
    assert [
        m["type"] for m in one("base", "HorizontalPodAutoscaler", "web")["spec"]["metrics"]
    ] == ["Resource"]
