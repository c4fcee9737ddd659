"""Restricted pods, secrets only through External Secrets, least-privilege identities, and
NetworkPolicies that deny by default."""

from __future__ import annotations

import re

import pytest
from deploy.tests.k8s_render import (
    TREES,
    by_kind,
    container,
    one,
    pod_spec,
    rendered,
    rendered_text,
    settings,
    workloads,
)

SECRET_NAMES = re.compile(r"SECRET|PASSWORD|TOKEN|DSN|AUTH")


@pytest.mark.parametrize("tree", TREES)
def test_the_namespace_enforces_the_restricted_profile(tree):
    labels = one(tree, "Namespace", "booking")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("tree", TREES)
def test_every_pod_meets_the_restricted_profile(tree):
    for name, workload in workloads(tree).items():
        spec = pod_spec(workload)
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] == 10001, name
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        app = container(workload)
        context = app["securityContext"]
        assert context["allowPrivilegeEscalation"] is False, name
        assert context["readOnlyRootFilesystem"] is True, name
        assert context["capabilities"] == {"drop": ["ALL"]}, name
        tmp = next(v for v in spec["volumes"] if v["name"] == "tmp")
        assert "emptyDir" in tmp, name
        assert {"name": "tmp", "mountPath": "/tmp"} in app["volumeMounts"], name


@pytest.mark.parametrize("tree", TREES)
def test_no_secret_value_is_rendered(tree):
    assert "Secret" not in {r["kind"] for r in rendered(tree)}
    for key in settings(tree):
        if SECRET_NAMES.search(key):
            assert key.endswith("_FILE"), key
    for workload in workloads(tree).values():
        for env in container(workload).get("env", []):
            assert "valueFrom" not in env
            if SECRET_NAMES.search(env["name"]):
                assert env["name"].endswith("_FILE"), env["name"]
    assert "BEGIN" not in rendered_text(tree) and "AKIA" not in rendered_text(tree)


@pytest.mark.parametrize("tree", TREES)
def test_every_mounted_secret_comes_from_an_external_secret_through_irsa(tree):
    external = by_kind(tree, "ExternalSecret")
    (store,) = by_kind(tree, "SecretStore").values()
    auth = store["spec"]["provider"]["aws"]["auth"]
    assert auth == {"jwt": {"serviceAccountRef": {"name": "external-secrets"}}}
    produced = {}
    for secret in external.values():
        assert secret["spec"]["secretStoreRef"]["name"] == store["metadata"]["name"]
        produced[secret["spec"]["target"]["name"]] = {
            d["secretKey"] for d in secret["spec"]["data"]
        }
    for name, workload in workloads(tree).items():
        (projected,) = [v["projected"] for v in pod_spec(workload)["volumes"] if "projected" in v]
        used = {s["secret"]["name"] for s in projected["sources"]}
        assert used <= set(produced), name
        files = {k for s in used for k in produced[s]}
        pointers = {
            **settings(tree),
            **{e["name"]: e["value"] for e in container(workload).get("env", [])},
        }
        for variable, path in pointers.items():
            if variable.endswith("_FILE") and path.startswith("/run/secrets/"):
                assert path.rsplit("/", 1)[1] in files, (name, variable)
    assert "TWILIO_AUTH_TOKEN" not in str(pod_spec(one(tree, "Deployment", "web")))


@pytest.mark.parametrize("tree", TREES)
def test_each_role_has_its_own_service_account_and_only_beat_has_no_aws_role(tree):
    accounts = by_kind(tree, "ServiceAccount")
    for name, workload in workloads(tree).items():
        assert pod_spec(workload)["serviceAccountName"] == name
    roles = {
        n: a["metadata"].get("annotations", {}).get("eks.amazonaws.com/role-arn")
        for n, a in accounts.items()
    }
    assert roles["beat"] is None
    for name in ("web", "worker", "migrate", "external-secrets"):
        assert re.fullmatch(rf"arn:aws:iam::\d{{12}}:role/booking-\w+-{name}", roles[name]), name
    assert all(a["automountServiceAccountToken"] is False for a in accounts.values())


@pytest.mark.parametrize(
    ("tree", "account", "env"),
    [("staging", "222222222222", "staging"), ("production", "333333333333", "prod")],
)
def test_overlays_point_at_their_own_account_and_secrets(tree, account, env):
    text = rendered_text(tree)
    assert "111111111111" not in text and "booking/dev/" not in text
    for secret in by_kind(tree, "ExternalSecret").values():
        assert all(
            d["remoteRef"]["key"].startswith(f"booking/{env}/") for d in secret["spec"]["data"]
        )
    for accountant in by_kind(tree, "ServiceAccount").values():
        arn = accountant["metadata"].get("annotations", {}).get("eks.amazonaws.com/role-arn")
        assert arn is None or f"::{account}:role/booking-{env}-" in arn


@pytest.mark.parametrize("tree", TREES)
def test_network_policies_deny_by_default_and_open_only_what_flows(tree):
    policies = by_kind(tree, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    egress_ports = {
        port["port"]
        for p in policies.values()
        for rule in p["spec"].get("egress", [])
        for port in rule["ports"]
    }
    assert egress_ports == {53, 5432, 6379, 443}
    web_in = policies["web-from-ingress"]["spec"]["ingress"]
    assert web_in[0]["from"][0]["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": "ingress-nginx"
    }
    https = policies["https-egress"]["spec"]["egress"][0]["to"][0]["ipBlock"]
    assert "169.254.0.0/16" in https["except"]
    for policy in policies.values():
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("from"), policy["metadata"]["name"]  # never from everywhere


@pytest.mark.parametrize(
    ("tree", "cidr"),
    [("base", "10.10.0.0/16"), ("staging", "10.20.0.0/16"), ("production", "10.30.0.0/16")],
)
def test_data_egress_is_limited_to_the_environments_vpc(tree, cidr):
    """The CIDRs of infra/environments.py, where RDS and ElastiCache live."""
    policies = by_kind(tree, "NetworkPolicy")
    for name in ("app-to-data", "beat-to-broker"):
        assert policies[name]["spec"]["egress"][0]["to"] == [{"ipBlock": {"cidr": cidr}}]


@pytest.mark.parametrize("tree", TREES)
def test_the_ingress_is_nginx_with_tls_and_hides_metrics_and_health(tree):
    ingress = one(tree, "Ingress", "web")["spec"]
    assert ingress["ingressClassName"] == "nginx"
    hosts = {rule["host"] for rule in ingress["rules"]}
    assert hosts == set(ingress["tls"][0]["hosts"])
    assert ingress["tls"][0]["secretName"]
    paths = [p["path"] for rule in ingress["rules"] for p in rule["http"]["paths"]]
    for hidden in ("/metrics", "/health/ready", "/"):
        assert not any(hidden.startswith(path) for path in paths), hidden
