"""Release switches: the first deployment holds the services at zero tasks until migrate ran,
and a release can move migrate to a new image while the services stay on theirs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from app import build_app, release_from
from aws_cdk import App
from aws_cdk.assertions import Annotations, Match
from booking_infra.release import Release, parse_flag
from environments import DEV


def _app_template(outdir: Path, release: Release) -> dict[str, Any]:
    build_app(outdir=str(outdir), configs=[DEV], release=release).synth()
    return json.loads((outdir / "booking-dev-app.template.json").read_text())


def _of_type(template: dict[str, Any], cfn_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == cfn_type]


def _images(template: dict[str, Any]) -> dict[str, str]:
    return {
        props["Family"].rsplit("-", 1)[-1]: json.dumps(props["ContainerDefinitions"][0]["Image"])
        for props in _of_type(template, "AWS::ECS::TaskDefinition")
    }


# dev's services (beat runs inside its worker there)
_SERVICES = ("web", "worker") if DEV.compute.beat_in_worker else ("web", "worker", "beat")


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _app_template(
        tmp_path_factory.mktemp("held"),
        Release(image_tag="new", services_image_tag="old", services_running=False),
    )


def test_held_services_start_with_no_task_and_cannot_be_scaled_up(held: dict[str, Any]) -> None:
    assert {s["ServiceName"]: s["DesiredCount"] for s in _of_type(held, "AWS::ECS::Service")} == {
        role: 0 for role in _SERVICES
    }
    targets = _of_type(held, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert targets and all(t["MinCapacity"] == 0 for t in targets)
    assert held["Outputs"]["ServicesRunning"]["Value"] == "false"


def test_migrate_runs_the_new_image_while_the_services_keep_theirs(held: dict[str, Any]) -> None:
    images = _images(held)
    assert ":new" in images["migrate"]
    assert all(":old" in images[role] for role in _SERVICES)
    assert held["Outputs"]["ImageTag"]["Value"] == "new"
    assert held["Outputs"]["ServicesImageTag"]["Value"] == "old"


def test_holding_the_services_warns_at_synth(tmp_path: Path) -> None:
    app = build_app(outdir=str(tmp_path), configs=[DEV], release=Release(services_running=False))
    stack = app.node.find_child("booking-dev-app")
    Annotations.from_stack(stack).has_warning(  # type: ignore[arg-type]
        "*", Match.string_like_regexp("servicesRunning=false")
    )


def test_the_switches_come_from_context_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_IMAGE_TAG", "abc")
    monkeypatch.setenv("BOOKING_SERVICES_RUNNING", "false")
    app = App(context={"servicesImageTag": "prev"})
    assert release_from(app) == Release(
        image_tag="abc", services_image_tag="prev", services_running=False
    )


def test_a_misspelt_flag_is_refused() -> None:
    with pytest.raises(ValueError, match="servicesRunning='flase'"):
        parse_flag("flase", "servicesRunning")
