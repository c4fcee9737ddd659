"""Custom resources (External Secrets, Prometheus Operator) against their CRDs' schemas.

kubernetes-validate knows built-in kinds only; these schemas are vendored from the operators'
releases (deploy/k8s/schemas/SOURCES.md) and applied as strictly as --strict is: an object
that lists its properties accepts no others unless it preserves unknown fields.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import pytest
from deploy.tests.k8s_render import K8S, TREES, rendered

SCHEMAS = K8S / "schemas"
BUILT_IN_GROUPS = {
    "v1",
    "apps/v1",
    "batch/v1",
    "networking.k8s.io/v1",
    "policy/v1",
    "autoscaling/v2",
}


def strict(schema: Any) -> Any:
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


@cache
def validator(kind: str, api_version: str) -> jsonschema.Validator:
    group, version = api_version.split("/")
    schema = json.loads((SCHEMAS / f"{kind.lower()}_{group}_{version}.json").read_text())
    # metadata is the API server's ObjectMeta, validated by kubernetes-validate for built-ins
    schema["properties"]["metadata"] = {"type": "object"}
    return jsonschema.Draft7Validator(strict(schema))


def custom(tree: str) -> list[dict[str, Any]]:
    return [r for r in rendered(tree) if r["apiVersion"] not in BUILT_IN_GROUPS]


@pytest.mark.parametrize("tree", TREES)
def test_custom_resources_match_their_crd_schemas(tree):
    for resource in custom(tree):
        errors = sorted(
            validator(resource["kind"], resource["apiVersion"]).iter_errors(resource), key=str
        )
        assert not errors, (
            resource["kind"],
            resource["metadata"]["name"],
            [e.message for e in errors[:3]],
        )


def test_the_strict_schemas_reject_a_misspelt_field():
    (secret, *_) = [r for r in custom("base") if r["kind"] == "ExternalSecret"]
    broken = {**secret, "spec": {**secret["spec"], "refreshIntervall": "1h"}}
    assert list(validator(secret["kind"], secret["apiVersion"]).iter_errors(broken))


def test_every_custom_kind_rendered_has_a_schema():
    kinds = {(r["kind"], r["apiVersion"]) for tree in TREES for r in custom(tree)}
    assert kinds == {
        ("ExternalSecret", "external-secrets.io/v1"),
        ("SecretStore", "external-secrets.io/v1"),
        ("ServiceMonitor", "monitoring.coreos.com/v1"),
        ("PodMonitor", "monitoring.coreos.com/v1"),
        ("PrometheusRule", "monitoring.coreos.com/v1"),
    }
