"""Our SMTP backend puts the same envelope on the wire as Django's, rewriting each address once."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address

from booking.notifications.channels.smtp import EmailBackend, envelope_address
from booking.notifications.tests.fakes import fake_smtp

ADDRESSES = [
    "ada@example.com",
    "Zoë Müller <zoe@example.com>",
    ("Ada, Countess", "ada@example.com"),
    "kunde@bücher.example",
]


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1"])
def test_an_address_is_written_as_djangos_backend_writes_it(address, encoding):
    assert envelope_address(address, encoding) == sanitize_address(address, encoding)


def test_an_address_is_rewritten_once_and_then_remembered():
    envelope_address.cache_clear()
    for _ in range(3):
        envelope_address("ada@example.com", "utf-8")
    info = envelope_address.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_a_bad_address_is_refused_every_time():
    for _ in range(2):
        with pytest.raises(ValueError, match="Invalid address"):
            envelope_address("ada@example.com\nBcc: eve@example.com", "utf-8")


def test_the_envelope_and_the_message_are_djangos(settings):
    settings.DEFAULT_FROM_EMAIL = "Salon booking <bookings@example.com>"
    with fake_smtp() as (port, script):
        backend = EmailBackend(host="127.0.0.1", port=port)
        message = EmailMessage("Booked", "See you.", to=["Zoë <zoe@example.com>"])
        assert backend.send_messages([message]) == 1
    [envelope] = script.messages
    assert envelope.mail_from == "bookings@example.com"
    assert envelope.rcpt_tos == ["zoe@example.com"]
    assert b"Subject: Booked" in envelope.content


def test_a_message_without_recipients_is_not_sent():
    assert EmailBackend()._send(EmailMessage("Booked", "See you.")) is False
