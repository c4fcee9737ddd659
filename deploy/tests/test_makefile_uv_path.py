"""The Makefile installs uv itself; the fragments must find it even when it is not on the
PATH the caller started make with (a fresh machine, where uv's directory is on no PATH)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _python_with_uv() -> Path:
    uv = shutil.which("uv")
    assert uv, "uv is not on PATH: run the deploy tests through `make test-deploy`"
    python = Path(uv).parent / "python3"
    assert python.exists(), f"no python3 beside {uv}: the Makefile installs uv with pip"
    return python


def test_compose_bin_is_found_when_uv_is_on_no_path_make_started_with() -> None:
    with tempfile.TemporaryDirectory() as bare_bin:
        # Only a python3 (which has uv installed) and the system's tools: not uv's directory.
        os.symlink(_python_with_uv(), Path(bare_bin) / "python3")
        env = {"HOME": os.environ["HOME"], "PATH": f"{bare_bin}:/usr/bin:/bin"}
        result = subprocess.run(
            ["make", "-n", "--no-print-directory", "compose-bin"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line.endswith('/docker-compose" version'), result.stdout
    assert last_line != '"/docker-compose" version', "the uv tool directory was not found"
