"""SMS: printed to the console by default, or sent through Twilio's official SDK."""

from __future__ import annotations

import logging
from functools import cached_property

from django.conf import settings

from booking.notifications.channels.base import (
    OutboundMessage,
    PermanentSendError,
    TransientSendError,
)

logger = logging.getLogger(__name__)

# Twilio error codes that no retry can fix (invalid/unreachable number, opted out, bad sender).
_TWILIO_PERMANENT_CODES = {21211, 21408, 21606, 21610, 21612, 21614}


class SmsChannel:
    """Chooses the backend from settings.SMS_BACKEND: "console" or "twilio"."""

    def send(self, message: OutboundMessage) -> str:
        if settings.SMS_BACKEND == "twilio":
            return self._twilio.send(message)
        return _console_send(message)

    @cached_property
    def _twilio(self) -> TwilioSms:
        return TwilioSms()


def _console_send(message: OutboundMessage) -> str:
    print(f"SMS to {message.recipient}: {message.body}", flush=True)
    return f"console-{message.reference}"


class TwilioSms:
    def __init__(self) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT_SECONDS),
        )
        if settings.TWILIO_API_BASE_URL:
            # A regional or test endpoint instead of https://api.twilio.com.
            self.client.api.base_url = settings.TWILIO_API_BASE_URL

    def send(self, message: OutboundMessage) -> str:
        from requests import RequestException
        from twilio.base.exceptions import TwilioRestException

        try:
            created = self.client.messages.create(
                to=message.recipient, from_=settings.TWILIO_FROM_NUMBER, body=message.body
            )
        except TwilioRestException as exc:
            if exc.code in _TWILIO_PERMANENT_CODES or (
                400 <= exc.status < 500 and exc.status != 429
            ):
                raise PermanentSendError(f"Twilio {exc.status}/{exc.code}: {exc.msg}") from exc
            raise TransientSendError(f"Twilio {exc.status}/{exc.code}: {exc.msg}") from exc
        except RequestException as exc:
            raise TransientSendError(f"{type(exc).__name__}: {exc}") from exc
        return str(created.sid)
