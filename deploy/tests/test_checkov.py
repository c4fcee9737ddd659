"""checkov (its own uv tool environment, as infra/infra.mk runs it) on the container files.

checkov has Dockerfile policies but no docker-compose framework: the compose files, the scripts
and .env.example are scanned by its secrets framework, and the compose hardening that policies
would check (non-root, read-only, cap_drop, no-new-privileges, limits) is asserted in
test_compose.py. A planted key in a copy of compose.prod.yaml proves the scan really reads
compose files.
"""

from __future__ import annotations

import json
import os
import subprocess
from functools import cache
from typing import Any

from deploy.tests.conftest import CHECKOV, DEPLOY, DOCKER

PLANTED = (
    "\nx-planted:\n  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLA\n"
    "  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEB\n"
)


@cache
def scan(planted_dir: str) -> list[dict[str, Any]]:
    files = [
        DOCKER / "Dockerfile",
        DEPLOY / "compose.yaml",
        DEPLOY / "compose.prod.yaml",
        DEPLOY / ".env.example",
        *sorted(DOCKER.rglob("*.sh")),
        DOCKER / "healthcheck.py",
    ]
    planted = os.path.join(planted_dir, "compose.prod.yaml")
    with open(planted, "w", encoding="utf-8") as handle:
        handle.write((DEPLOY / "compose.prod.yaml").read_text() + PLANTED)
    args = [arg for path in [*files, planted] for arg in ("--file", str(path))]
    result = subprocess.run(
        [
            "uv",
            "tool",
            "run",
            "--from",
            CHECKOV,
            "checkov",
            *args,
            "--framework",
            "dockerfile",
            "secrets",
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    reports = json.loads(result.stdout)
    return reports if isinstance(reports, list) else [reports]


def _failed(reports: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (check["check_id"], check["file_abs_path"])
        for report in reports
        for check in report["results"]["failed_checks"]
    ]


def test_checkov_passes_the_dockerfile_and_finds_no_secret(tmp_path_factory):
    planted_dir = str(tmp_path_factory.getbasetemp())
    reports = scan(planted_dir)
    ours = [f for f in _failed(reports) if not f[1].startswith(planted_dir)]
    assert ours == []
    dockerfile = next(r for r in reports if r["check_type"] == "dockerfile")
    assert dockerfile["summary"]["passed"] >= 50
    assert dockerfile["summary"]["failed"] == 0
    # Suppressions are allowed only with a reason.
    for report in reports:
        for skipped in report["results"].get("skipped_checks", []):
            assert (skipped.get("check_result") or {}).get("suppress_comment"), skipped


def test_checkov_reads_the_compose_files(tmp_path_factory):
    planted_dir = str(tmp_path_factory.getbasetemp())
    planted = [f for f in _failed(scan(planted_dir)) if f[1].startswith(planted_dir)]
    assert ("CKV_SECRET_2", os.path.join(planted_dir, "compose.prod.yaml")) in planted
