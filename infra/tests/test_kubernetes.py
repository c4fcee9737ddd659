"""The EKS option (booking_infra/units/kubernetes.py), synthesized in a stack of its own: it is
not wired into environments.py/stacks.py yet, so it gets the network and data access it needs
from the real Network unit and stand-in buckets and keys.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from booking_infra.units.kubernetes import ClusterAccess, Kubernetes, KubernetesConfig
from booking_infra.units.network import Network
from environments import PROD

ROLES = ("web", "worker", "migrate", "external-secrets")
SECRETS_KEY_ARN = (
    f"arn:aws:kms:{PROD.region}:{PROD.account}:key/00000000-0000-0000-0000-000000000000"
)
Resources = dict[str, dict[str, Any]]


@cache
def template() -> dict[str, Any]:
    # its own folder: $CDK_OUTDIR holds the environments' templates that cfn-lint and checkov read
    app = App(outdir=tempfile.mkdtemp(prefix="eks-unit-"))
    stack = Stack(
        app, "booking-prod-eks", env=Environment(account=PROD.account, region=PROD.region)
    )
    network = Network(stack, "Network", config=PROD.network, env_name=PROD.name)
    Kubernetes(
        stack,
        "Kubernetes",
        env_name=PROD.name,
        config=KubernetesConfig(),
        vpc=network.vpc,
        access=ClusterAccess(
            database_security_group=network.database_sg,
            cache_security_group=network.cache_sg,
            # stand-ins for the app stack's buckets and the secrets' keys
            static_bucket=s3.Bucket.from_bucket_name(stack, "Static", "booking-prod-static"),
            media_bucket=s3.Bucket.from_bucket_name(stack, "Media", "booking-prod-media"),
            secret_keys=(kms.Key.from_key_arn(stack, "SecretsKey", SECRETS_KEY_ARN),),
            default_from_email=PROD.domain.default_from_email,
        ),
    )
    return app.synth().get_stack_by_name(stack.stack_name).template


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
    assert props["Version"] == KubernetesConfig().version
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


def test_cfn_lint_finds_no_errors(tmp_path: Path) -> None:
    path = tmp_path / "eks.template.json"
    path.write_text(json.dumps(template()))
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(cfn_lint), "--format", "parseable", "--ignore-checks", "W3010", "--", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [line for line in result.stdout.splitlines() if ":E" in line]
    assert errors == [], "\n".join(errors)
    assert result.returncode & 2 == 0


def test_checkov_finds_nothing(tmp_path: Path) -> None:
    """As infra.mk runs checkov on the wired stacks (this unit is not wired yet)."""
    (tmp_path / "eks.template.json").write_text(json.dumps(template()))
    result = subprocess.run(
        [
            "uv",
            "tool",
            "run",
            "--from",
            "checkov==3.3.30",
            "checkov",
            "--directory",
            str(tmp_path),
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
