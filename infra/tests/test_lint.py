"""cfn-lint over every synthesized template: zero errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import UNITS, Synthesized

# Availability zones are pinned on purpose: prod must span three named AZs, and an
# environment-agnostic lookup would give at most two.
IGNORED = ["W3010"]


def test_cfn_lint_finds_no_errors(synthesized: dict[str, Synthesized]) -> None:
    outdir = next(iter(synthesized.values())).outdir
    templates = sorted(str(p) for p in Path(outdir).glob("*.template.json"))
    assert len(templates) == len(UNITS) * len(synthesized)
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(cfn_lint), "--format", "parseable", "--ignore-checks", *IGNORED, "--", *templates],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = [line for line in result.stdout.splitlines() if line.strip()]
    # parseable: file:line:column:end line:end column:rule:message
    errors = [line for line in findings if line.split(":")[5].startswith("E")]
    warnings = len(findings) - len(errors)
    print(f"cfn-lint: {len(templates)} templates, {len(errors)} errors, {warnings} warnings")
    assert errors == [], "\n".join(errors)
    assert result.returncode & 2 == 0  # bit 2 is set when any error was reported
