from __future__ import annotations

import email

import pytest

from booking.notifications.channels.base import (
    Attachment,
    OutboundMessage,
    PermanentSendError,
    TransientSendError,
)
from booking.notifications.channels.email import EmailChannel
from booking.notifications.tests.fakes import fake_smtp

MESSAGE = OutboundMessage(
    recipient="ada@example.com",
    subject="Booked",
    body="See you soon.\n",
    reference="n-1",
    attachments=(
        Attachment("appointment.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
    ),
)


SMTP_BACKENDS = [
    "django.core.mail.backends.smtp.EmailBackend",
    "booking.notifications.channels.smtp.EmailBackend",
]


@pytest.fixture(params=SMTP_BACKENDS, ids=["django", "ours"])
def smtp(settings, request):
    with fake_smtp() as (port, script):
        settings.EMAIL_BACKEND = request.param
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        yield script


def test_it_delivers_over_smtp_with_the_calendar_attached(smtp):
    message_id = EmailChannel().send(MESSAGE)
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == ["ada@example.com"]
    parsed = email.message_from_bytes(envelope.content)
    assert parsed["Subject"] == "Booked"
    assert parsed["Message-ID"] == message_id
    assert parsed["X-Notification-Id"] == "n-1"
    parts = {part.get_content_type(): part for part in parsed.walk()}
    assert b"BEGIN:VCALENDAR" in parts["text/calendar"].get_payload(decode=True)


def test_a_rejected_recipient_is_permanent(smtp):
    smtp.rcpt_reply = "550 5.1.1 No such user"
    with pytest.raises(PermanentSendError):
        EmailChannel().send(MESSAGE)


def test_a_temporary_refusal_is_transient(smtp):
    smtp.data_reply = "451 4.3.0 Try again later"
    with pytest.raises(TransientSendError):
        EmailChannel().send(MESSAGE)


def test_an_unreachable_server_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9
    with pytest.raises(TransientSendError):
        EmailChannel().send(MESSAGE)


def test_one_smtp_session_carries_message_after_message(smtp):
    channel = EmailChannel()
    channel.send(MESSAGE)
    channel.send(MESSAGE)
    assert len(smtp.messages) == 2
    assert smtp.sessions == 1


def test_a_connection_the_server_closed_is_replaced_once(smtp):
    channel = EmailChannel()
    channel.send(MESSAGE)
    channel._local.connection.connection.close()  # dropped, as after a server's idle timeout
    channel.send(MESSAGE)
    assert len(smtp.messages) == 2
    assert smtp.sessions == 2
