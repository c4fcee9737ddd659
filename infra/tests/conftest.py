"""Synthesize every environment once per test session and hand out its templates.

The templates are written to $CDK_OUTDIR when it is set (``make test-infra`` points it at
infra/cdk.out so that cfn-lint and checkov read the same files), else to a temporary folder.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

INFRA = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(INFRA))
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

from app import build_app  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402
from environments import ENVIRONMENTS, EnvironmentConfig  # noqa: E402

UNITS = ("network", "registry", "data", "app", "monitoring", "delivery")


@dataclass
class Synthesized:
    """One environment's templates, as dicts and as assertion Templates (made on demand)."""

    config: EnvironmentConfig
    outdir: Path
    raw: dict[str, dict[str, Any]]
    _templates: dict[str, Template] = field(default_factory=dict)

    def template(self, unit: str) -> Template:
        if unit not in self._templates:
            self._templates[unit] = Template.from_json(self.raw[unit])
        return self._templates[unit]

    def resources(self, cfn_type: str, unit: str | None = None) -> dict[str, dict[str, Any]]:
        units = [unit] if unit else list(UNITS)
        found: dict[str, dict[str, Any]] = {}
        for name in units:
            for logical_id, resource in self.raw[name]["Resources"].items():
                if resource["Type"] == cfn_type:
                    found[f"{name}/{logical_id}"] = resource
        return found

    def one(self, cfn_type: str, unit: str | None = None, **where: Any) -> dict[str, Any]:
        matches = [
            r
            for r in self.resources(cfn_type, unit).values()
            if all(r.get("Properties", {}).get(k) == v for k, v in where.items())
        ]
        assert len(matches) == 1, f"expected one {cfn_type} with {where}, found {len(matches)}"
        return matches[0]


def synthesize(
    outdir: Path, configs: list[EnvironmentConfig] | None = None
) -> dict[str, Synthesized]:
    names = [c.name for c in configs] if configs else list(ENVIRONMENTS)
    app = build_app(outdir=str(outdir), names=names, configs=configs, image_tag="test-tag")
    app.synth()
    result = {}
    for name in names:
        raw = {
            unit: json.loads((outdir / f"booking-{name}-{unit}.template.json").read_text())
            for unit in UNITS
        }
        config = next(c for c in configs if c.name == name) if configs else ENVIRONMENTS[name]
        result[name] = Synthesized(config=config, outdir=outdir, raw=raw)
    return result


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Synthesized]:
    outdir = os.environ.get("CDK_OUTDIR")
    path = Path(outdir) if outdir else tmp_path_factory.mktemp("cdk.out")
    return synthesize(path)


@pytest.fixture(scope="session")
def dev(synthesized: dict[str, Synthesized]) -> Synthesized:
    return synthesized["dev"]


@pytest.fixture(scope="session")
def staging(synthesized: dict[str, Synthesized]) -> Synthesized:
    return synthesized["staging"]


@pytest.fixture(scope="session")
def prod(synthesized: dict[str, Synthesized]) -> Synthesized:
    return synthesized["prod"]


ALB_ENVIRONMENTS = [name for name, env in ENVIRONMENTS.items() if env.edge.entry == "alb"]


@pytest.fixture(scope="session", params=ALB_ENVIRONMENTS)
def alb_env(request: pytest.FixtureRequest, synthesized: dict[str, Synthesized]) -> Synthesized:
    """Each environment whose entry is the ALB (staging, prod; dev has the HTTP API)."""
    return synthesized[request.param]


@pytest.fixture(scope="session", params=list(ENVIRONMENTS))
def each_env(request: pytest.FixtureRequest, synthesized: dict[str, Synthesized]) -> Synthesized:
    return synthesized[request.param]


def env_vars(task_definition: dict[str, Any]) -> dict[str, Any]:
    container = task_definition["Properties"]["ContainerDefinitions"][0]
    return {item["Name"]: item["Value"] for item in container.get("Environment", [])}


def secret_names(task_definition: dict[str, Any]) -> set[str]:
    container = task_definition["Properties"]["ContainerDefinitions"][0]
    return {item["Name"] for item in container.get("Secrets", [])}
