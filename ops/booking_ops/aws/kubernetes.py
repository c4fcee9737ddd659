"""Releases on EKS (``platform="eks"``): the image tag into the overlay, then deploy/k8s/deploy.sh.

deploy.sh does the ordering itself (setup, ExternalSecrets Ready, the migrate Job, then web,
worker and beat with `rollout undo` on failure); ops only points it at the right image and the
right cluster. kubectl runs with an explicit context named after the cluster, so a deploy can
never land on whatever cluster the operator's kubeconfig was last switched to.
"""

from __future__ import annotations

from pathlib import Path

from booking_ops.aws.context import Context
from booking_ops.errors import OpsError
from booking_ops.runner import Runner
from booking_ops.target import Release

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy" / "k8s"
DEPLOY_SCRIPT = K8S / "deploy.sh"
# the image name the base manifests use; each overlay's `images:` maps it to its registry
BASE_IMAGE = "111111111111.dkr.ecr.us-east-1.amazonaws.com/booking-backend"
OVERLAYS = {"staging": "staging", "prod": "production"}
TOOLS = ("aws", "kubectl", "kustomize")
ROLES = ("migrate", "web", "worker", "beat")


def overlay_for(env: str) -> str:
    try:
        return OVERLAYS[env]
    except KeyError:
        raise OpsError(
            f"{env} has no Kubernetes overlay in deploy/k8s/overlays",
            f"deploy {env} on ECS: uv run ops deploy --env {env} --image TAG",
        ) from None


def deploy(ctx: Context, runner: Runner, tag: str) -> Release:
    env = ctx.names.env
    overlay = overlay_for(env)
    missing = [tool for tool in TOOLS if not runner.which(tool)]
    if missing:
        raise OpsError(
            f"{', '.join(missing)} not found on PATH",
            "install the AWS CLI, kubectl and kustomize (docs/kubernetes.md)",
        )
    cluster = f"booking-{env}"
    image = f"{ctx.names.output('RepositoryUri')}:{tag}"
    with ctx.reporter.step(f"kubeconfig context {cluster}"):
        runner.run(["aws", "eks", "update-kubeconfig", "--name", cluster, "--alias", cluster])
    with ctx.reporter.step(f"overlay {overlay} -> {image}"):
        runner.run(
            ["kustomize", "edit", "set", "image", f"{BASE_IMAGE}={image}"],
            cwd=str(K8S / "overlays" / overlay),
        )
    with ctx.reporter.step(f"deploy.sh {overlay} (migrate Job, then web, worker, beat)"):
        runner.run(
            [str(DEPLOY_SCRIPT), overlay],
            env={"KUBECTL": f"kubectl --context {cluster}"},
            hint="deploy.sh rolled back what it had rolled; read its output above",
        )
    return Release(image=tag, revisions={role: f"{cluster}/{role}" for role in ROLES})
