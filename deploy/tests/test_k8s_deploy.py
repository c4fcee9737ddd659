"""deploy/k8s/deploy.sh runs the phases in order against a fake kubectl (no cluster here)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from deploy.tests.k8s_render import K8S, rendered_text

FAKE = """#!/bin/sh
echo "$*" >> "$CALLS"
case "$1 $2" in
  "kustomize "*) cat "$RELEASE" ;;
  "-n booking")
    case "$3 $4" in
      "get job") echo "$JOB_STATUS" ;;
      "rollout status") [ "$5" != "deployment/$FAILING" ] ;;
    esac ;;
esac
"""


def deploy(
    tmp_path: Path, *, job_status: str = "1,", failing: str = "none"
) -> tuple[int, list[str]]:
    fake = tmp_path / "kubectl"
    fake.write_text(FAKE)
    fake.chmod(0o755)
    release = tmp_path / "release.yaml"
    release.write_text(rendered_text("staging"))
    calls = tmp_path / "calls"
    env = {
        **os.environ,
        "KUBECTL": str(fake),
        "CALLS": str(calls),
        "RELEASE": str(release),
        "JOB_STATUS": job_status,
        "FAILING": failing,
        "MIGRATE_TIMEOUT": "0",
    }
    result = subprocess.run(
        ["sh", str(K8S / "deploy.sh"), "staging"], env=env, capture_output=True, timeout=60
    )
    return result.returncode, calls.read_text().splitlines()


def index(calls: list[str], fragment: str) -> int:
    return next(i for i, call in enumerate(calls) if fragment in call)


def test_setup_then_secrets_then_migrate_then_rollout(tmp_path):
    code, calls = deploy(tmp_path)
    assert code == 0
    order = [
        index(calls, "-l !booking.example.com/deploy-phase"),
        index(calls, "wait externalsecret --all --for=condition=Ready"),
        index(calls, "delete job -l booking.example.com/deploy-phase=migrate"),
        index(calls, "-l booking.example.com/deploy-phase=migrate"),
        index(calls, "get job migrate"),
        index(calls, "-l booking.example.com/deploy-phase=rollout"),
        index(calls, "rollout status deployment/web"),
    ]
    assert order == sorted(order)
    assert not any("rollout undo" in call for call in calls)


def test_a_failed_migration_rolls_nothing(tmp_path):
    code, calls = deploy(tmp_path, job_status=",1")
    assert code == 1
    assert not any("deploy-phase=rollout" in call for call in calls)


def test_a_slow_migration_times_out_before_rolling(tmp_path):
    code, calls = deploy(tmp_path, job_status=",")
    assert code == 1
    assert not any("deploy-phase=rollout" in call for call in calls)


def test_a_rollout_that_fails_is_undone(tmp_path):
    code, calls = deploy(tmp_path, failing="worker")
    assert code == 1
    assert {c for c in calls if "rollout undo" in c} == {
        f"-n booking rollout undo deployment/{name}" for name in ("web", "worker", "beat")
    }
