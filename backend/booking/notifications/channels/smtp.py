"""Django's SMTP backend, remembering how each address is written on the SMTP envelope.

Django rewrites the sender and every recipient through the e-mail package's header parser for
each message: a quarter of a notification's CPU in the worker, for the same From address every
time and, mostly, the same few recipients again. The rewrite depends on the address and the
encoding alone, so its results are kept (at most _REMEMBERED of them, least recently used out).
Use it as EMAIL_BACKEND = "booking.notifications.channels.smtp.EmailBackend".
"""

from __future__ import annotations

import functools
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address

_REMEMBERED = 4096


@functools.lru_cache(maxsize=_REMEMBERED)
def envelope_address(address: Any, encoding: str) -> str:
    """`address` as Django's SMTP backend puts it on the envelope (MAIL FROM / RCPT TO)."""
    return sanitize_address(address, encoding)


class EmailBackend(smtp.EmailBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        recipients = email_message.recipients()
        if not recipients:
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        # Django's MIME classes take a line separator; the stubs type them as plain Messages.
        message = email_message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
        assert self.connection is not None  # send_messages opened it
        try:
            self.connection.sendmail(
                envelope_address(email_message.from_email, encoding),
                [envelope_address(address, encoding) for address in recipients],
                message,
            )
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
