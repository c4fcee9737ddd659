"""testssl.sh (Debian's package) against the stack's nginx: nothing vulnerable, nothing "NOT ok"
but what a local self-signed certificate causes and the cipher order Mozilla's profile leaves
to the client."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

# Finding ids testssl.sh rates badly here for reasons outside the server's TLS configuration.
EXPECTED = {
    "cert_chain_of_trust": "self-signed certificate: no public CA signs localhost",
    "cert_revocation": "a self-signed certificate has neither CRL nor OCSP URI",
    "cipher_order": "Mozilla intermediate leaves the order to the client (all suites strong)",
}
BAD_SEVERITIES = {"MEDIUM", "HIGH", "CRITICAL"}


def test_testssl_finds_nothing_vulnerable_at_the_edge(stack, tmp_path: Path):
    testssl = shutil.which("testssl") or shutil.which("testssl.sh")
    assert testssl, (
        "testssl.sh is missing: `make test-system` installs it (apt-get install testssl.sh)"
    )
    report = tmp_path / "testssl.json"
    address = urlsplit(stack.url("")).netloc
    run = subprocess.run(
        [testssl, "--quiet", "--color", "0", "--warnings", "off", "--ip", "one",
         "--jsonfile", str(report), address],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    findings = json.loads(report.read_text())
    severities = Counter(finding["severity"] for finding in findings)
    print(f"\n[testssl] {len(findings)} findings: {dict(severities)}")
    bad = [
        f"{finding['id']}: {finding['severity']} {finding['finding']}"
        for finding in findings
        if finding["id"] not in EXPECTED
        and (
            finding["severity"] in BAD_SEVERITIES
            or "VULNERABLE" in finding["finding"].upper().replace("NOT VULNERABLE", "")
            or "NOT OK" in finding["finding"].upper()
        )
    ]
    assert not bad, "\n".join(bad) + "\n" + run.stdout[-3000:]
    offered = {f["id"]: f["finding"] for f in findings if f["id"].startswith("TLS")}
    assert offered.get("TLS1_3", "").startswith("offered")
    assert offered.get("TLS1_1", "").startswith("not offered")
    assert not any(f["id"] == "LUCKY13" and f["severity"] != "OK" for f in findings)
