"""What every AWS verb works with: clients, names, timing, the readiness probe, progress."""

from __future__ import annotations

from dataclasses import dataclass

from booking_ops.aws.clients import Clients, Timing
from booking_ops.aws.resolver import Resolver
from booking_ops.http import Probe
from booking_ops.progress import Reporter


@dataclass(frozen=True)
class Context:
    clients: Clients
    names: Resolver
    timing: Timing
    probe: Probe
    reporter: Reporter
