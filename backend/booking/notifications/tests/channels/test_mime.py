"""The notifications' e-mails are written without the email package: a standard parser must
read from them what Django's own serialisation of the same EmailMessage gives."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage as ParsedMessage

import pytest
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import BadHeaderError

from booking.notifications.channels.mime import LeanEmailMessage
from booking.notifications.tests.fakes import fake_smtp

ICS = b"BEGIN:VCALENDAR\r\nSUMMARY:Manik\xc3\xbcre at Caf\xc3\xa9 Z\r\nEND:VCALENDAR\r\n"
FIELDS = {
    "subject": "Gebucht: Maniküre bei Café Zoë, 8. Dez. um 9:15",
    "body": "Hallo Zoë Müller,\n\nIhr Termin ist bestätigt.\n" + "x" * 1200 + "\n",
    "from_email": "Salon Büchung <bookings@example.com>",
    "to": ["zoë@exämple.com"],
    "headers": {"Message-ID": "<n-1@booking.example.com>", "X-Notification-Id": "n-1"},
}


def build(cls: type[EmailMessage], **changes: object) -> EmailMessage:
    message = cls(**{**FIELDS, **changes})
    message.attach("appointment.ics", ICS, "text/calendar; method=REQUEST")
    return message


def parsed(message: EmailMessage, linesep: str = "\r\n") -> ParsedMessage:
    raw = message.message().as_bytes(linesep=linesep)
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def content(message: ParsedMessage) -> dict[str, object]:
    """What a mail client shows: headers decoded, each part's type, filename and text."""
    return {
        "headers": {
            name: str(message[name]).strip()  # Django's folding leaves a space before a Subject
            for name in ("From", "To", "Subject", "Message-ID", "X-Notification-Id")
        },
        "parts": [
            (part.get_content_type(), part.get_filename(), part.get_content().replace("\r\n", "\n"))
            for part in message.walk()
            if not part.is_multipart()
        ],
        "calendar_method": message.get_payload()[1].get_param("method"),
        "defects": [part.defects for part in message.walk() if part.defects],
    }


def test_a_parser_reads_what_djangos_own_serialisation_gives():
    lean = content(parsed(build(LeanEmailMessage)))

    assert lean == content(parsed(build(EmailMessage)))
    assert lean["headers"]["Subject"] == FIELDS["subject"]
    assert lean["parts"][1] == (
        "text/calendar",
        "appointment.ics",
        ICS.decode().replace("\r\n", "\n"),
    )
    assert lean["calendar_method"] == "REQUEST"
    assert lean["defects"] == []


def test_for_smtp_every_line_ends_in_crlf_and_none_is_too_long():
    raw = build(LeanEmailMessage).message().as_bytes(linesep="\r\n")

    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert max(map(len, lines)) <= 998
    assert raw.isascii()


def test_plain_ascii_text_stays_readable_and_a_policy_sets_the_line_ends():
    message = LeanEmailMessage(subject="Booked", body="See you.\n", to=["ada@example.com"])

    raw = message.message().as_bytes(policy=policy.SMTP)

    assert b"Content-Transfer-Encoding: 7bit\r\n\r\nSee you.\r\n" in raw
    assert parsed(message)["Date"] is not None
    assert parsed(message)["Message-ID"] is not None


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem", "smtp"])
def test_every_django_backend_sends_it(backend, settings, tmp_path, capsys):
    settings.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    with fake_smtp() as (port, script):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        sent = get_connection().send_messages([build(LeanEmailMessage)])
    written = {
        "console": lambda: capsys.readouterr().out,
        "filebased": lambda: "".join(f.read_text() for f in tmp_path.iterdir()),
        "locmem": lambda: mail.outbox[0].message().as_string(),
        "smtp": lambda: script.messages[0].content.decode(),
    }[backend]()

    assert sent == 1
    assert "X-Notification-Id: n-1" in written


def test_recipients_given_as_a_header_are_each_written():
    message = build(LeanEmailMessage, headers={"To": "Ada <ada@example.com>, bob@example.com"})

    assert str(parsed(message)["To"]) == "Ada <ada@example.com>, bob@example.com"


def test_a_header_a_backend_adds_before_sending_is_written():
    message = build(LeanEmailMessage)
    message.extra_headers["X-SES-CONFIGURATION-SET"] = "bookings"  # as django-ses does

    assert parsed(message)["X-SES-CONFIGURATION-SET"] == "bookings"


@pytest.mark.parametrize(
    "changes",
    [{"subject": "Booked\nBcc: everyone@example.com"}, {"to": ["ada@example.com\nBcc: x@y.z"]}],
    ids=["subject", "recipient"],
)
def test_a_newline_in_a_header_is_refused(changes):
    with pytest.raises((BadHeaderError, ValueError)):
        build(LeanEmailMessage, **changes).message()
