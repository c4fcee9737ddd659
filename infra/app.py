#!/usr/bin/env python3
"""The CDK app: every environment in environments.py, six stacks each.

    python infra/app.py                      # synthesizes into $CDK_OUTDIR or infra/cdk.out
    BOOKING_ENVIRONMENTS=prod python infra/app.py
    BOOKING_IMAGE_TAG=$(git rev-parse HEAD) cdk deploy --app "python infra/app.py" ...

Release switches (context `-c name=value` or the environment variable beside it):
    imageTag         BOOKING_IMAGE_TAG           image of migrate, and of the services by default
    servicesImageTag BOOKING_SERVICES_IMAGE_TAG  keep the services on this tag (migrate first)
    servicesRunning  BOOKING_SERVICES_RUNNING    false: services at 0 tasks (first deployment)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from aws_cdk import App  # noqa: E402
from booking_infra.release import DEFAULT_IMAGE_TAG, Release, parse_flag  # noqa: E402
from booking_infra.stacks import build_environment  # noqa: E402
from environments import ENVIRONMENTS, EnvironmentConfig, get  # noqa: E402


def _setting(app: App, context_key: str, variable: str) -> str | None:
    value = app.node.try_get_context(context_key)
    return str(value) if value is not None else os.environ.get(variable) or None


def release_from(app: App) -> Release:
    """The release switches given as context or environment variables."""
    running = _setting(app, "servicesRunning", "BOOKING_SERVICES_RUNNING")
    return Release(
        image_tag=_setting(app, "imageTag", "BOOKING_IMAGE_TAG") or DEFAULT_IMAGE_TAG,
        services_image_tag=_setting(app, "servicesImageTag", "BOOKING_SERVICES_IMAGE_TAG"),
        services_running=True if running is None else parse_flag(running, "servicesRunning"),
    )


def build_app(
    outdir: str | None = None,
    names: list[str] | None = None,
    image_tag: str | None = None,
    configs: list[EnvironmentConfig] | None = None,
    release: Release | None = None,
) -> App:
    """An app with the named environments (all by default), or with CONFIGS as given."""
    app = App(outdir=outdir or os.environ.get("CDK_OUTDIR") or str(HERE / "cdk.out"))
    chosen = release or release_from(app)
    if image_tag:
        chosen = Release(image_tag, chosen.services_image_tag, chosen.services_running)
    for config in configs or [get(name) for name in names or list(ENVIRONMENTS)]:
        build_environment(app, config, chosen)
    return app


def main() -> None:
    selected = [n for n in os.environ.get("BOOKING_ENVIRONMENTS", "").split(",") if n]
    build_app(names=selected or None).synth()


if __name__ == "__main__":
    main()
