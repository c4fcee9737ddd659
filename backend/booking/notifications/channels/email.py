"""E-mail through Django's e-mail backends: console by default, SMTP or Amazon SES (django-ses)."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid

from booking.notifications.channels.base import (
    OutboundMessage,
    PermanentSendError,
    TransientSendError,
)

# SES error codes after which the same message will never be accepted.
_SES_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "InvalidParameterValue"}


class EmailChannel:
    def send(self, message: OutboundMessage) -> str:
        message_id = make_msgid(idstring=message.reference, domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id, "X-Notification-Id": message.reference},
        )
        for attachment in message.attachments:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        try:
            sent = email.send(fail_silently=False)
        except Exception as exc:
            raise _classify(exc) from exc
        if sent != 1:
            raise TransientSendError("the e-mail backend accepted no message")
        return message_id


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
