"""Progress lines on stderr (stdout carries only the table)."""

from __future__ import annotations

import sys


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
