"""The architecture picture renders from the configuration (needs graphviz's dot)."""

from __future__ import annotations

import shutil
from pathlib import Path

import diagram
import pytest
from environments import ENVIRONMENTS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_graphviz_is_installed() -> None:
    assert shutil.which("dot"), "run `make -f infra/infra.mk infra-graphviz` (apt-get graphviz)"


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_the_picture_renders(name: str, tmp_path: Path) -> None:
    out = diagram.render(ENVIRONMENTS[name], tmp_path / f"{name}.png")
    data = out.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 50_000  # a real picture with icons, not an empty canvas
