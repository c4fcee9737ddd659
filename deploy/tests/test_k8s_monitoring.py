"""The Prometheus component scrapes what the app serves, and its rules are the tested ones."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml
from deploy.tests.k8s_render import K8S, REPO, by_kind, container, one, settings

RULES = REPO / "deploy" / "monitoring" / "rules.yml"
METRICS = (REPO / "backend" / "booking" / "core" / "metrics.py").read_text()
TREE = "production"
# Series from exporters a cluster runs beside the app (docs/kubernetes.md lists them).
EXPORTER_METRICS = {
    "up",
    "prober_probe_total",
    "kube_deployment_status_replicas_available",
    "kube_deployment_status_replicas_unavailable",
    "redis_key_size",
    "pg_replication_lag_seconds",
}


def prometheus_rule() -> dict:
    return yaml.safe_load((K8S / "components" / "prometheus" / "rules.yaml").read_text())


def test_the_plain_rules_file_is_the_prometheus_rule_spec():
    assert yaml.safe_load(RULES.read_text()) == prometheus_rule()["spec"]
    check = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "monitoring" / "export_rules.py"), "--check"]
    )
    assert check.returncode == 0


def test_rules_use_only_metrics_that_exist():
    app = set(re.findall(r'(?:Counter|Histogram|Gauge)\(\s*"([a-z_]+)"', METRICS))
    app |= {f"{name}_{suffix}" for name in app for suffix in ("total", "bucket", "count", "sum")}
    recorded = {
        r["record"]
        for g in prometheus_rule()["spec"]["groups"]
        for r in g["rules"]
        if "record" in r
    }
    for group in prometheus_rule()["spec"]["groups"]:
        for rule in group["rules"]:
            expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"", "", rule["expr"])
            words = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr))
            series = {w for w in words if "_" in w or ":" in w} - {"histogram_quantile"} | (
                {"up"} & words
            )
            unknown = series - app - recorded - EXPORTER_METRICS
            assert not unknown, (rule.get("alert") or rule.get("record"), unknown)


def test_the_rules_cover_what_operators_asked_for():
    alerts = {
        r["alert"] for g in prometheus_rule()["spec"]["groups"] for r in g["rules"] if "alert" in r
    }
    assert alerts >= {
        "BookingHigh5xxRatio",
        "BookingHighLatencyP95",
        "BookingReadinessProbeFailing",
        "BookingConflictsSpike",
        "BookingNotificationsFailing",
        "BookingNotificationsPilingUp",
        "BookingCeleryQueueBacklog",
        "BookingReplicaLagging",
    }
    assert 'status="5xx"' in str(prometheus_rule())  # the status label holds classes (metrics.py)
    assert '["method", "route", "status"]' in METRICS


def test_monitors_point_at_ports_the_pods_serve():
    service_monitor = one(TREE, "ServiceMonitor", "web")["spec"]
    service = one(TREE, "Service", "web")["spec"]
    assert service_monitor["endpoints"][0]["port"] in {p["name"] for p in service["ports"]}
    assert service_monitor["selector"]["matchLabels"].items() <= service["selector"].items()
    pod_monitor = one(TREE, "PodMonitor", "worker")["spec"]
    worker = container(one(TREE, "Deployment", "worker"))
    port = next(
        p for p in worker["ports"] if p["name"] == pod_monitor["podMetricsEndpoints"][0]["port"]
    )
    assert str(port["containerPort"]) == settings(TREE)["WORKER_METRICS_PORT"]
    jobs = {
        e["relabelings"][0]["replacement"]
        for e in [*service_monitor["endpoints"], *pod_monitor["podMetricsEndpoints"]]
    }
    assert jobs == {"booking-web", "booking-worker"}
    assert 'job="booking-web"' in RULES.read_text()


def test_prometheus_may_scrape_through_the_default_deny():
    policy = by_kind(TREE, "NetworkPolicy")["metrics-from-prometheus"]["spec"]
    assert {p["port"] for p in policy["ingress"][0]["ports"]} == {8000, 9100}
