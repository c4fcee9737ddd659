"""E-mail through Django's e-mail backends: console by default, SMTP or Amazon SES (django-ses)."""

from __future__ import annotations

import contextlib
import smtplib
import threading
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid

from booking.notifications.channels.base import (
    OutboundMessage,
    PermanentSendError,
    TransientSendError,
)
from booking.notifications.channels.mime import LeanEmailMessage

# SES error codes after which the same message will never be accepted.
_SES_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "InvalidParameterValue"}


class EmailChannel:
    """Sends through one open backend connection per thread, reused from message to message.

    A new SMTP session (connect, EHLO, QUIT) or a new SES client per message cost the worker
    more than the message itself. A connection the server has meanwhile closed is replaced
    once; any other error is the message's own.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def send(self, message: OutboundMessage) -> str:
        message_id = make_msgid(idstring=message.reference, domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
        email = LeanEmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id, "X-Notification-Id": message.reference},
        )
        for attachment in message.attachments:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        try:
            sent = self._send(email)
        except Exception as exc:
            raise _classify(exc) from exc
        if sent != 1:
            raise TransientSendError("the e-mail backend accepted no message")
        return message_id

    def _send(self, email: EmailMessage) -> int:
        connection: BaseEmailBackend | None = getattr(self._local, "connection", None)
        if connection is not None:
            try:
                return self._through(connection, email)
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                pass  # closed while idle: once more, on a new connection
        connection = get_connection(fail_silently=False)
        connection.open()
        self._local.connection = connection
        return self._through(connection, email)

    def _through(self, connection: BaseEmailBackend, email: EmailMessage) -> int:
        try:
            return connection.send_messages([email])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        """Close this thread's connection (the next send opens a new one)."""
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            with contextlib.suppress(Exception):  # it is being thrown away
                connection.close()


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return PermanentSendError(f"address rejected: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):
        if 500 <= exc.smtp_code < 600:
            return PermanentSendError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}")
        return TransientSendError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}")
    if _ses_error_code(exc) in _SES_PERMANENT:
        return PermanentSendError(f"SES rejected the message: {exc}")
    return TransientSendError(f"{type(exc).__name__}: {exc}")


def _ses_error_code(exc: Exception) -> str | None:
    response: Any = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code"))
    return None
