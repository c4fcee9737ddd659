#!/usr/bin/env python3
"""Keeps the CRD schemas the offline validation needs: `extract.py CRD.yaml...` writes, for each
served version, its openAPIV3Schema as <kind>_<group>_<version>.json beside this script.

kubernetes-validate ships schemas for built-in kinds only; deploy/tests/test_k8s_crds.py
validates ExternalSecret, SecretStore, ServiceMonitor, PodMonitor and PrometheusRule against
these. Take the CRD files from the operator release the cluster runs (SOURCES.md says which).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def extract(crd_path: Path) -> list[Path]:
    crd = yaml.safe_load(crd_path.read_text(encoding="utf-8"))
    kind, group = crd["spec"]["names"]["kind"], crd["spec"]["group"]
    written = []
    for version in crd["spec"]["versions"]:
        if not version.get("served"):
            continue
        target = HERE / f"{kind.lower()}_{group}_{version['name']}.json"
        schema = version["schema"]["openAPIV3Schema"]
        target.write_text(json.dumps(schema, sort_keys=True, separators=(",", ":")) + "\n")
        written.append(target)
    return written


if __name__ == "__main__":
    for name in sys.argv[1:]:
        for path in extract(Path(name)):
            print(path.name)
