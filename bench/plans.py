"""The query plans phase: `manage.py explain_paths` against the stack's primary, summarised.

The command (backend/booking/core/management/commands/explain_paths.py) drives the measured
paths in-process in a transaction it rolls back, and EXPLAIN ANALYZEs every statement. It
exits non-zero when a statement reads a large table sequentially; the bench records that as
the phase's verdict and goes on (the figures of the run stay valid).
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from deploy.stack import app
from deploy.stack.config import Stack

# What the result JSON keeps of each path (the full plans stay in the command's own output).
PATH_FIELDS = (
    "request",
    "status",
    "ok",
    "statements",
    "execution_ms",
    "worst_node",
    "most_buffers",
)


def query_plans(stack: Stack) -> dict[str, Any]:
    """Run explain_paths on the stack (its settings, its primary) and summarise its JSON."""
    with tempfile.TemporaryDirectory(prefix="bench-plans-") as folder:
        path = Path(folder) / "plans.json"
        failure = None
        try:
            with contextlib.redirect_stdout(sys.stderr):
                app.manage(stack, "explain_paths", "--json", str(path))
        except SystemExit as exc:  # the command's non-zero exit, its output in the message
            failure = last_line(str(exc))
        if not path.exists():
            return {"ok": False, "error": failure or "explain_paths wrote no result", "paths": {}}
        return summary(json.loads(path.read_text()), failure)


def last_line(text: str) -> str:
    """The last non-empty line: where Django prints a CommandError's message."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else text


def summary(result: dict[str, Any], failure: str | None) -> dict[str, Any]:
    """The command's JSON without the plans themselves: per path, what the report prints."""
    paths = {
        name: {
            **{key: path.get(key) for key in PATH_FIELDS},
            "large_seq_scans": path.get("large_seq_scans", []),
        }
        for name, path in result.get("paths", {}).items()
    }
    out = {
        "ok": bool(result.get("ok")) and failure is None,
        "database": result.get("database"),
        "salons": result.get("salons"),
        "appointments": result.get("appointments"),
        "max_seq_rows": result.get("max_seq_rows"),
        "max_buffers": result.get("max_buffers"),
        "missing_paths": result.get("missing_paths", []),
        "paths": paths,
    }
    if failure:
        out["error"] = failure
    return out


def plan_lines(plans: dict[str, Any]) -> list[str]:
    """The report's lines: a heading, then one line per path."""
    verdict = "ok" if plans.get("ok") else f"FLAGGED {plans.get('error', '')}".rstrip()
    out = [
        f"query plans (explain_paths, about {plans.get('salons')} salons, "
        f"{plans.get('appointments')} appointments): {verdict}"
    ]
    for name, path in plans.get("paths", {}).items():
        scans = (
            "; SEQ SCAN " + ", ".join(path["large_seq_scans"]) if path["large_seq_scans"] else ""
        )
        out.append(
            f"  {name:<18} {path['status']} {path['statements']:>2} statements "
            f"{path['execution_ms']:7.2f} ms  at most {path['most_buffers']} pages  "
            f"worst: {path['worst_node']}{scans}"
        )
    return out
