"""The one failure type the CLI turns into a single line and a non-zero exit."""

from __future__ import annotations


class OpsError(Exception):
    """What failed and what the operator should do about it."""

    def __init__(self, what: str, hint: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.hint = hint

    def line(self) -> str:
        return f"{self.what} — {self.hint}" if self.hint else self.what
