"""`ops deploy --platform eks`: the image into the overlay, then deploy/k8s/deploy.sh, on the
environment's own kubectl context; shell-outs recorded, nothing of ECS touched."""

from __future__ import annotations

from dataclasses import replace

import pytest

from booking_ops.aws import kubernetes
from booking_ops.aws.resolver import Resolver
from booking_ops.errors import OpsError
from booking_ops.runner import RecordingRunner
from tests.conftest import REPOSITORY, World, _stack

TAG = "0123456789abcdef0123456789abcdef01234567"
TOOLS = {"aws", "kubectl", "kustomize"}


def _staging(world: World) -> World:
    _stack(world.admin.cloudformation, "booking-staging-registry", {"RepositoryUri": REPOSITORY})
    names = Resolver("staging", world.ctx.clients)
    return replace(world, ctx=replace(world.ctx, names=names))


def test_it_pins_the_image_then_runs_deploy_sh_on_the_clusters_context(world: World) -> None:
    staging = _staging(world)
    runner = RecordingRunner(present=TOOLS)

    released = kubernetes.deploy(staging.ctx, runner, TAG)

    (kubeconfig, _), (edit, _), (script, script_env) = runner.calls
    assert kubeconfig == [
        "aws", "eks", "update-kubeconfig", "--name", "booking-staging", "--alias", "booking-staging"
    ]  # fmt: skip
    assert edit == [
        "kustomize",
        "edit",
        "set",
        "image",
        f"{kubernetes.BASE_IMAGE}={REPOSITORY}:{TAG}",
    ]
    assert runner.cwds[1] == str(kubernetes.K8S / "overlays" / "staging")
    assert script == [str(kubernetes.DEPLOY_SCRIPT), "staging"]
    assert kubernetes.DEPLOY_SCRIPT.exists()
    assert script_env == {"KUBECTL": "kubectl --context booking-staging"}
    assert released.image == TAG and set(released.revisions) == {"migrate", "web", "worker", "beat"}
    assert not [n for n in world.calls.names("ecs") if n in {"UpdateService", "RunTask"}]


def test_prod_uses_the_production_overlay() -> None:
    assert kubernetes.overlay_for("prod") == "production"
    assert (kubernetes.K8S / "overlays" / "production" / "kustomization.yaml").exists()


def test_dev_has_no_overlay_and_nothing_runs(world: World) -> None:
    runner = RecordingRunner(present=TOOLS)

    with pytest.raises(OpsError) as failure:
        kubernetes.deploy(world.ctx, runner, TAG)

    assert "no Kubernetes overlay" in failure.value.what
    assert runner.calls == []


def test_missing_tools_stop_it_before_anything(world: World) -> None:
    runner = RecordingRunner(present={"aws"})

    with pytest.raises(OpsError) as failure:
        kubernetes.deploy(_staging(world).ctx, runner, TAG)

    assert "kubectl" in failure.value.what and "kustomize" in failure.value.what
    assert runner.calls == []


def test_a_failed_deploy_script_is_a_failed_release(world: World) -> None:
    runner = RecordingRunner(present=TOOLS, fail={str(kubernetes.DEPLOY_SCRIPT)})

    with pytest.raises(OpsError):
        kubernetes.deploy(_staging(world).ctx, runner, TAG)

    assert len(runner.calls) == 3
