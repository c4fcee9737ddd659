"""Django's SMTP backend, remembering how each address is written on the SMTP envelope, and
pipelining its commands where the server offers it.

Django rewrites the sender and every recipient through the e-mail package's header parser for
each message: a quarter of a notification's CPU in the worker, for the same From address every
time and, mostly, the same few recipients again. The rewrite depends on the address and the
encoding alone, so its results are kept (at most _REMEMBERED of them, least recently used out).

smtplib waits for the answer to each command: four round trips a message (MAIL, RCPT, DATA,
the message). With PIPELINING (RFC 2920) MAIL, RCPT and DATA go out together: two round trips,
each a network latency away from a real provider; on the stack, a sixth less of the machine's
CPU per e-mail (bench/README.md (17)). Use it as
EMAIL_BACKEND = "booking.notifications.channels.smtp.EmailBackend".
"""

from __future__ import annotations

import contextlib
import functools
import re
import smtplib
from collections.abc import Sequence
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
            sendmail(
                self.connection,
                envelope_address(email_message.from_email, encoding),
                [envelope_address(address, encoding) for address in recipients],
                message,
            )
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


def sendmail(
    connection: smtplib.SMTP, sender: str, recipients: Sequence[str], message: bytes
) -> None:
    """`connection.sendmail`, with MAIL, RCPT and DATA in one round trip where the server offers
    PIPELINING; the same errors either way (SMTPSenderRefused, SMTPRecipientsRefused when
    every recipient is refused, SMTPDataError), after which the connection is ready for the next
    message, or closed if the server said it is closing (421)."""
    connection.ehlo_or_helo_if_needed()
    if not connection.has_extn("pipelining"):
        connection.sendmail(sender, list(recipients), message)
        return
    size = f" SIZE={len(message)}" if connection.has_extn("size") else ""
    commands = [
        f"MAIL FROM:{smtplib.quoteaddr(sender)}{size}",
        *(f"RCPT TO:{smtplib.quoteaddr(recipient)}" for recipient in recipients),
        "DATA",
    ]
    connection.send("".join(f"{command}\r\n" for command in commands))
    # Every command of the group is answered, in order, whatever came before (RFC 2920 3.1).
    replies = [connection.getreply() for _ in commands]
    mail, *accepted, data = replies
    refused = {
        recipient: reply
        for recipient, reply in zip(recipients, accepted, strict=True)
        if reply[0] not in (250, 251)
    }
    error = _group_error(sender, recipients, mail, refused, data)
    if error is not None:
        if data[0] == 354:  # DATA taken with no one to deliver to: an empty message ends it
            connection.send(b".\r\n")
            connection.getreply()
        _abandon(connection, closing=any(code == 421 for code, _ in replies))
        raise error
    connection.send(_data_block(message))
    code, answer = connection.getreply()
    if code != 250:
        _abandon(connection, closing=code == 421)
        raise smtplib.SMTPDataError(code, answer)


Reply = tuple[int, bytes]


def _group_error(
    sender: str,
    recipients: Sequence[str],
    mail: Reply,
    refused: dict[str, Reply],
    data: Reply,
) -> smtplib.SMTPException | None:
    """What smtplib would raise for these answers to MAIL, RCPT and DATA, if anything."""
    if mail[0] != 250:
        return smtplib.SMTPSenderRefused(mail[0], mail[1], sender)
    if len(refused) == len(recipients) or any(code == 421 for code, _ in refused.values()):
        return smtplib.SMTPRecipientsRefused(refused)
    if data[0] != 354:
        return smtplib.SMTPDataError(*data)
    return None


def _abandon(connection: smtplib.SMTP, *, closing: bool) -> None:
    """Leave the connection as smtplib does after a refusal: closed if the server said it is
    closing (421), else reset for the next message."""
    if closing:
        connection.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        connection.rset()


_LEADING_DOT = re.compile(rb"(?m)^\.")


def _data_block(message: bytes) -> bytes:
    """The message as DATA sends it: dots at line starts doubled, ended by a lone dot."""
    block = _LEADING_DOT.sub(b"..", message)
    return block + (b".\r\n" if block.endswith(b"\r\n") else b"\r\n.\r\n")
