#!/usr/bin/env python3
"""The CDK app: every environment in environments.py, five stacks each.

    python infra/app.py                      # synthesizes into $CDK_OUTDIR or infra/cdk.out
    BOOKING_ENVIRONMENTS=prod python infra/app.py
    BOOKING_IMAGE_TAG=$(git rev-parse HEAD) cdk deploy --app "python infra/app.py" ...
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from aws_cdk import App  # noqa: E402

from booking_infra.stacks import build_environment  # noqa: E402
from environments import ENVIRONMENTS, EnvironmentConfig, get  # noqa: E402

DEFAULT_IMAGE_TAG = "bootstrap"


def build_app(outdir: str | None = None, names: list[str] | None = None,
              image_tag: str | None = None, configs: list[EnvironmentConfig] | None = None) -> App:
    """An app with the named environments (all by default), or with CONFIGS as given."""
    app = App(outdir=outdir or os.environ.get("CDK_OUTDIR") or str(HERE / "cdk.out"))
    tag = image_tag or app.node.try_get_context("imageTag") or os.environ.get(
        "BOOKING_IMAGE_TAG", DEFAULT_IMAGE_TAG)
    for config in configs or [get(name) for name in names or list(ENVIRONMENTS)]:
        build_environment(app, config, tag)
    return app


def main() -> None:
    selected = [n for n in os.environ.get("BOOKING_ENVIRONMENTS", "").split(",") if n]
    build_app(names=selected or None).synth()


if __name__ == "__main__":
    main()
