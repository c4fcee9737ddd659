"""What one `cdk deploy` ships: which image each process runs, and whether the services run.

The first deployment creates the services stopped, runs `migrate` (which also publishes the
static files), then deploys again with them running. Every later release first deploys the new
image to `migrate` only (the services keep the tag they run), runs it, then rolls the services.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_IMAGE_TAG = "bootstrap"


@dataclass(frozen=True)
class Release:
    image_tag: str = DEFAULT_IMAGE_TAG  # what `migrate` runs (and the services, by default)
    services_image_tag: str | None = None  # the services' tag while a new migrate runs first
    services_running: bool = True  # False: desired count 0 until the first migrate succeeded

    @property
    def services_tag(self) -> str:
        return self.services_image_tag or self.image_tag


def parse_flag(value: object, name: str) -> bool:
    """A context or environment flag: true/false (also 1/0, yes/no); anything else is an error."""
    text = str(value).strip().lower()
    if text in {"1", "true", "yes"}:
        return True
    if text in {"0", "false", "no"}:
        return False
    raise ValueError(f"{name}={value!r}: use true or false")
