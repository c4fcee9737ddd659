"""Our SMTP backend puts the same envelope on the wire as Django's, rewriting each address once,
and pipelines MAIL, RCPT and DATA where the server offers it, with smtplib's errors."""

from __future__ import annotations

import smtplib

import pytest
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address

from booking.notifications.channels.smtp import EmailBackend, envelope_address
from booking.notifications.tests.fakes import fake_smtp, smtp_answering_after_data

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


def _message(body: str = "See you.") -> EmailMessage:
    # A fixed date and id: the same bytes every time the message is rendered.
    headers = {"Date": "Sat, 05 Dec 2026 08:00:00 +0000", "Message-ID": "<m@example.com>"}
    return EmailMessage(
        "Booked", body, "bookings@example.com", ["ada@example.com"], headers=headers
    )


def test_mail_rcpt_and_data_go_out_together_where_the_server_offers_pipelining():
    # The server answers nothing before DATA: a client waiting for each answer times out.
    with smtp_answering_after_data() as (port, received):
        backend = EmailBackend(host="127.0.0.1", port=port, timeout=3)
        assert backend.send_messages([_message(".hidden dot\r\nend")]) == 1
    commands = [line.split(b":")[0] for line in received[1:4]]
    assert commands == [b"MAIL FROM", b"RCPT TO", b"DATA\r\n"]
    assert b"..hidden dot\r\n" in received  # dot-stuffed, as smtplib's DATA does
    assert received[-1].upper() == b"QUIT\r\n"


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "lockstep"])
def test_the_message_and_its_size_reach_the_server_either_way(pipelining):
    with fake_smtp(pipelining=pipelining) as (port, script):
        message = _message()
        assert EmailBackend(host="127.0.0.1", port=port).send_messages([message]) == 1
    [envelope] = script.messages
    assert (envelope.mail_from, envelope.rcpt_tos) == ("bookings@example.com", ["ada@example.com"])
    size = len(message.message().as_bytes(linesep="\r\n"))
    assert envelope.mail_options == [f"SIZE={size}"]  # the fake offers SIZE; smtplib sends it


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ({"mail_reply": "550 5.7.1 Sender refused"}, smtplib.SMTPSenderRefused),
        ({"rcpt_reply": "550 5.1.1 No such user"}, smtplib.SMTPRecipientsRefused),
        ({"data_reply": "451 4.3.0 Try again later"}, smtplib.SMTPDataError),
    ],
    ids=["sender", "recipient", "message"],
)
@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "lockstep"])
def test_a_refusal_raises_smtplibs_error_and_the_next_message_goes_through(
    pipelining, reply, error
):
    with fake_smtp(pipelining=pipelining) as (port, script):
        backend = EmailBackend(host="127.0.0.1", port=port)
        backend.open()
        vars(script).update(reply)
        with pytest.raises(error) as raised:
            backend.send_messages([_message("refused")])
        vars(script).update(mail_reply="250 OK", rcpt_reply="250 OK", data_reply="250 OK")
        assert backend.send_messages([_message("accepted")]) == 1
        backend.close()
    assert str(raised.value)  # what _classify reads
    assert [m.content.rstrip().rsplit(b"\n", 1)[-1] for m in script.messages] == [b"accepted"]
    assert script.sessions == 1  # reset, not reconnected


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "lockstep"])
def test_a_server_that_says_it_is_closing_leaves_the_connection_closed(pipelining):
    with fake_smtp(pipelining=pipelining) as (port, script):
        script.data_reply = "421 4.3.2 Shutting down"
        backend = EmailBackend(host="127.0.0.1", port=port)
        backend.open()
        with pytest.raises(smtplib.SMTPDataError):
            backend.send_messages([_message()])
        assert backend.connection.sock is None
