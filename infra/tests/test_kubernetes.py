"""An environment with ``platform="eks"`` (prod's, otherwise unchanged): the EKS stack on the
environment's network, data stores and buckets, no ECS, and what stays the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from app import build_app
from booking_infra.release import Release
from environments import PROD

from conftest import UNITS

ROLES = ("web", "worker", "migrate", "external-secrets")
EKS = replace(PROD, platform="eks")
Resources = dict[str, dict[str, Any]]


@cache
def outdir() -> Path:
    """The EKS environment's templates, in their own folder: $CDK_OUTDIR holds the default
    environments' that the lint test counts."""
    path = Path(tempfile.mkdtemp(prefix="eks-env-"))
    build_app(outdir=str(path), configs=[EKS], release=Release("test-tag")).synth()
    return path


@cache
def templates() -> dict[str, dict[str, Any]]:
    return {
        p.name.removesuffix(".template.json").removeprefix("booking-prod-"): json.loads(
            p.read_text()
        )
        for p in outdir().glob("booking-prod-*.template.json")
    }


def template() -> dict[str, Any]:
    return templates()["eks"]


def of_type(cfn_type: str) -> Resources:
    return {k: v for k, v in template()["Resources"].items() if v["Type"] == cfn_type}


def role(name: str) -> tuple[str, dict[str, Any]]:
    (found,) = [
        (k, v)
        for k, v in of_type("AWS::IAM::Role").items()
        if v["Properties"].get("RoleName") == f"booking-prod-{name}"
    ]
    return found


def trust_conditions(name: str) -> dict[str, Any]:
    """The CfnJson value the role's StringEquals points at, with the issuer resolved to ISSUER."""
    _, resource = role(name)
    (statement,) = resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"]["Federated"]["Fn::GetAtt"][1] == "Arn"
    (json_id,) = {v["Fn::GetAtt"][0] for v in [statement["Condition"]["StringEquals"]]}
    value = template()["Resources"][json_id]["Properties"]["Value"]
    parts = value["Fn::Join"][1]
    text = "".join(p if isinstance(p, str) else "ISSUER" for p in parts)
    return json.loads(text)


def policy_statements(name: str) -> list[dict[str, Any]]:
    logical_id, _ = role(name)
    return [
        s
        for p in of_type("AWS::IAM::Policy").values()
        if {"Ref": logical_id} in p["Properties"]["Roles"]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def actions(name: str) -> set[str]:
    found: set[str] = set()
    for statement in policy_statements(name):
        listed = statement["Action"]
        found |= {listed} if isinstance(listed, str) else set(listed)
    return found


@pytest.mark.parametrize("name", ROLES)
def test_each_role_trusts_exactly_its_service_account(name: str) -> None:
    assert trust_conditions(name) == {
        "ISSUER:sub": f"system:serviceaccount:booking:{name}",
        "ISSUER:aud": "sts.amazonaws.com",
    }


def test_the_app_roles_get_buckets_and_ses_only() -> None:
    for name in ("web", "worker"):
        assert {a.split(":")[0] for a in actions(name)} == {"s3", "ses"}
        ses = [s for s in policy_statements(name) if "ses:SendEmail" in s["Action"]]
        assert ses[0]["Condition"] == {
            "StringEquals": {"ses:FromAddress": PROD.domain.default_from_email}
        }
    assert {a.split(":")[0] for a in actions("migrate")} == {"s3"}


def test_external_secrets_reads_only_this_environments_secrets() -> None:
    reads = [
        s
        for s in policy_statements("external-secrets")
        if "secretsmanager:GetSecretValue" in s["Action"]
    ]
    (resource,) = [
        r
        for s in reads
        for r in ([s["Resource"]] if isinstance(s["Resource"], dict) else s["Resource"])
    ]
    assert resource["Fn::Join"][1][-1].endswith(":secret:booking/prod/*")
    assert {a.split(":")[0] for a in actions("external-secrets")} == {"secretsmanager", "kms"}


def test_the_cluster_is_private_encrypted_and_logged() -> None:
    (cluster,) = of_type("AWS::EKS::Cluster").values()
    props = cluster["Properties"]
    assert props["ResourcesVpcConfig"]["EndpointPublicAccess"] is False
    assert props["EncryptionConfig"][0]["Resources"] == ["secrets"]
    assert len(props["Logging"]["ClusterLogging"]["EnabledTypes"]) == 5
    assert props["Version"] == EKS.kubernetes.version
    assert len(of_type("AWS::IAM::OIDCProvider")) == 1


def test_nodes_are_graviton_with_imdsv2_one_hop() -> None:
    (nodes,) = of_type("AWS::EKS::Nodegroup").values()
    assert nodes["Properties"]["AmiType"] == "AL2023_ARM_64_STANDARD"
    assert all(t.split(".")[0].endswith("g") for t in nodes["Properties"]["InstanceTypes"])
    (launch,) = of_type("AWS::EC2::LaunchTemplate").values()
    metadata = launch["Properties"]["LaunchTemplateData"]["MetadataOptions"]
    assert metadata["HttpTokens"] == "required" and metadata["HttpPutResponseHopLimit"] == 1


def test_network_policies_are_enforced_and_data_stores_admit_the_cluster() -> None:
    cni = [
        a for a in of_type("AWS::EKS::Addon").values() if a["Properties"]["AddonName"] == "vpc-cni"
    ]
    settings = json.loads(cni[0]["Properties"]["ConfigurationValues"])
    assert settings == {"enableNetworkPolicy": "true"}
    ports = {
        r["Properties"]["FromPort"]
        for r in of_type("AWS::EC2::SecurityGroupIngress").values()
        if "EKS" in r["Properties"].get("Description", "")
    }
    assert ports == {5432, 6379}


def test_the_environment_runs_no_ecs_but_keeps_buckets_secrets_and_data() -> None:
    assert set(templates()) == {*UNITS, "eks"}
    every = [r for t in templates().values() for r in t["Resources"].values()]
    kinds = {r["Type"] for r in every}
    assert not {t for t in kinds if t.startswith("AWS::ECS::")}
    assert "AWS::ElasticLoadBalancingV2::LoadBalancer" not in kinds
    app = templates()["app"]["Resources"].values()
    assert sum(r["Type"] == "AWS::S3::Bucket" for r in app) == 4
    assert sum(r["Type"] == "AWS::SecretsManager::Secret" for r in app) == 3
    assert {"AWS::RDS::DBInstance", "AWS::ElastiCache::ReplicationGroup"} <= kinds
    outputs = templates()["eks"]["Outputs"]
    assert {"ClusterName", "WebRoleArn", "ExternalSecretsRoleArn"} <= set(outputs)


def test_external_secrets_may_decrypt_with_the_secrets_keys() -> None:
    decrypt = [s for s in policy_statements("external-secrets") if "kms:Decrypt" in s["Action"]]
    keys = json.dumps([s["Resource"] for s in decrypt])
    for stack in ("data", "app"):  # the database's and cache's keys, the app secrets' key
        assert f"booking-prod-{stack}" in keys


def test_cfn_lint_finds_no_errors() -> None:
    paths = [str(p) for p in outdir().glob("*.template.json")]
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(cfn_lint), "--format", "parseable", "--ignore-checks", "W3010", "--", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # parseable: file:line:column:end line:end column:rule:message
    errors = [line for line in result.stdout.splitlines() if line.split(":")[5].startswith("E")]
    assert errors == [], "\n".join(errors)
    assert result.returncode & 2 == 0


def test_checkov_finds_nothing() -> None:
    """As infra.mk runs checkov on the default environments' templates."""
    result = subprocess.run(
        [
            "uv",
            "tool",
            "run",
            "--from",
            "checkov==3.3.30",
            "checkov",
            "--directory",
            str(outdir()),
            "--framework",
            "cloudformation",
            "--compact",
            "--quiet",
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    report = json.loads(result.stdout[result.stdout.index("{") :])
    failed = [c["check_id"] for c in report["results"]["failed_checks"]]
    assert report["summary"]["failed"] == 0, failed
    assert report["summary"]["passed"] > 100


def test_the_priced_footprint_is_the_synthesized_one() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "ops" / "cost"))
    import estimate

    counted = estimate.footprint(EKS)
    every = [r for t in templates().values() for r in t["Resources"].values()]

    def count(cfn_type: str) -> int:
        return sum(r["Type"] == cfn_type for r in every)

    assert counted.kms_keys == count("AWS::KMS::Key") == 6
    assert counted.secrets == count("AWS::SecretsManager::Secret")
    assert counted.alarms == count("AWS::CloudWatch::Alarm")
    assert counted.web_acls == count("AWS::WAFv2::WebACL") == 0
    assert counted.running_tasks == {}
    (nodes,) = of_type("AWS::EKS::Nodegroup").values()
    scaling = nodes["Properties"]["ScalingConfig"]
    assert scaling["DesiredSize"] == EKS.kubernetes.nodes_desired
    lines = {line.item: line.usd for line in estimate.estimate(EKS, estimate.TRAFFIC["prod"])}
    assert lines["EKS control plane"] == pytest.approx(73.0)
    assert "ALB" not in lines and "WAF" not in lines and "Fargate web" not in lines
    assert lines["NLB (ingress-nginx)"] > 0
