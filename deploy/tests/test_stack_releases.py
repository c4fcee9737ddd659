"""A stack release: the checkout's backend frozen, ready to import."""

from __future__ import annotations

from pathlib import Path

from deploy.stack.config import Stack
from deploy.stack.releases import build


def test_a_release_is_built_with_its_bytecode(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "app" / "tests").mkdir(parents=True)
    (source / "app" / "views.py").write_text("ANSWER = 42\n")
    (source / "app" / "tests" / "test_views.py").write_text("def test_it(): ...\n")

    release = build(Stack(dir=tmp_path / "stack"), source=source)

    # The workers import compiled modules even where PYTHONDONTWRITEBYTECODE is set.
    assert list((release.code / "app" / "__pycache__").glob("views.*.pyc"))
    assert not (release.code / "app" / "tests").exists()
