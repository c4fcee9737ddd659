from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class OutboundMessage:
    recipient: str
    subject: str
    body: str
    reference: str  # our notification id, passed to providers that can carry it
    attachments: tuple[Attachment, ...] = field(default=())


class SendError(Exception):
    """The provider did not accept the message."""


class TransientSendError(SendError):
    """Worth retrying later: timeouts, throttling, the provider's own 5xx."""


class PermanentSendError(SendError):
    """Retrying cannot help: an invalid number, a rejected address."""


class DeliveryChannel(Protocol):
    def send(self, message: OutboundMessage) -> str:
        """Deliver the message; return the provider's message id, or raise a SendError."""
        ...
