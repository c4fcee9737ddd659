"""The Dockerfile and .dockerignore keep the image small, non-root and reproducible."""

from __future__ import annotations

import os
import re
import subprocess

from deploy.tests.conftest import DOCKER, REPO

DOCKERFILE = (DOCKER / "Dockerfile").read_text()


def _stages() -> dict[str, str]:
    """Stage name -> its instructions (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    stages: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        match = re.match(r"FROM\s+(\S+)\s+AS\s+(\S+)", line, re.I)
        if match:
            current = match[2]
            stages[current] = line + "\n"
        elif current and not line.lstrip().startswith("#"):
            stages[current] += line + "\n"
    return stages


def test_build_and_runtime_use_the_same_pinned_python_312_slim():
    bases = re.findall(r"^FROM\s+(\S+)\s+AS\s+(build|runtime)$", DOCKERFILE, re.M)
    images = {image for image, _ in bases}
    assert len(bases) == 2 and len(images) == 1
    (image,) = images
    assert re.fullmatch(r"python:3\.12\.\d+-slim-\w+", image), image


def test_dependencies_come_from_the_lock_without_the_dev_group():
    build = _stages()["build"]
    assert re.search(r"--mount=type=cache,target=/root/\.cache/uv", build)
    assert re.search(r"uv sync --frozen --no-dev", build)
    assert "UV_COMPILE_BYTECODE=1" in build
    assert re.search(r"ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+", build)


def test_static_files_are_collected_at_build_time_not_at_boot():
    assert "collectstatic --noinput" in _stages()["build"]
    assert "collectstatic" not in _stages()["runtime"]
    # No server role collects at boot; only the one-shot release step publishes to S3.
    roles = re.split(r"^    (\w+)\)$", (DOCKER / "entrypoint.sh").read_text(), flags=re.M)
    by_role = dict(zip(roles[1::2], roles[2::2], strict=True))
    assert [role for role, body in by_role.items() if "collectstatic" in body] == ["migrate"]
    assert "AWS_STATIC_BUCKET_NAME" in by_role["migrate"]


def test_the_runtime_is_non_root_without_build_tools():
    runtime = _stages()["runtime"]
    assert re.search(r"^USER 10001:10001$", runtime, re.M)
    assert "PYTHONDONTWRITEBYTECODE=1" in runtime
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in runtime
    assert "PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus" in runtime
    for tool in ("gcc", "build-essential", "uv sync", "pip install", "curl", "--chown=10001"):
        assert tool not in runtime, tool
    installed = [i.split() for i in re.findall(r"apt-get install[^&]*", runtime)]
    assert installed == [["apt-get", "install", "-y", "--no-install-recommends", "tini"]]


def test_the_runtime_has_init_healthcheck_and_stop_signal():
    runtime = _stages()["runtime"]
    assert re.search(
        r'^ENTRYPOINT \["/usr/bin/tini", "--", "/app/deploy/docker/entrypoint.sh"\]$', runtime, re.M
    )
    assert re.search(r'^CMD \["web"\]$', runtime, re.M)
    assert re.search(
        r"^HEALTHCHECK .*CMD \[\"python\", \"/app/deploy/docker/healthcheck.py\"\]", runtime, re.M
    )
    assert re.search(r"^STOPSIGNAL SIGTERM$", runtime, re.M)


def test_the_image_has_every_web_server_the_entrypoint_can_run():
    entrypoint = (DOCKER / "entrypoint.sh").read_text()
    launched = set(re.findall(r'"\$app/deploy/([\w.]+)"', entrypoint))
    assert launched == {"uwsgi_server.py", "gunicorn.conf.py", "granian_server.py"}
    copied = re.findall(r"^COPY (?!--from)(.+) /app/deploy/$", _stages()["build"], re.M)
    assert {f"deploy/{name}" for name in launched} <= set(" ".join(copied).split())


def test_the_dev_group_only_reaches_the_dev_stage():
    stages = _stages()
    # The operator CLI (the ops group, a path dependency not copied into the image) stays out.
    assert re.search(r"uv sync --frozen --no-group ops\s*(&&|$)", stages["dev"], re.M)
    assert not re.search(r"FROM\s+dev\b", DOCKERFILE)
    assert "--from=build" in stages["runtime"]


def test_dockerignore_is_an_allow_list():
    lines = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    allowed = {line[1:] for line in lines if line.startswith("!")}
    assert allowed >= {"pyproject.toml", "uv.lock", "backend/", "deploy/uwsgi_server.py"}
    assert "backend/**/tests/" in lines and "**/.env" in lines
    # everything the Dockerfile copies is allowed in
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE, re.M):
        for path in source.split():
            assert any(path == a.rstrip("/") or path.startswith(a) for a in allowed), path


def test_entrypoint_and_healthcheck_are_executable_in_git():
    listed = subprocess.run(
        ["git", "ls-files", "-s", "deploy/docker"], cwd=REPO, capture_output=True, text=True
    ).stdout
    modes = {line.split()[-1]: line.split()[0] for line in listed.splitlines()}
    for script in (
        "entrypoint.sh",
        "healthcheck.py",
        "postgres/primary-init.sh",
        "postgres/replica-entrypoint.sh",
        "minio/minio-init.sh",
    ):
        path = f"deploy/docker/{script}"
        assert os.access(REPO / path, os.X_OK), path
        assert modes.get(path, "100755") == "100755", path  # once committed
