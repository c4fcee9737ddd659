"""The stack's mail and SMS providers, spoken to by the real clients the app uses."""

from __future__ import annotations

import http.client
import json
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import BinaryIO

import pytest
from deploy.tests.conftest import REPO
from twilio.rest import Client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sinks(tmp_path: Path) -> Iterator[tuple[int, int, Path]]:
    smtp, sms = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.stack.sinks", "--smtp-port", str(smtp),
         "--sms-port", str(sms), "--out", str(tmp_path)],
        cwd=REPO,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while any(socket.socket().connect_ex(("127.0.0.1", port)) for port in (smtp, sms)):
        assert time.monotonic() < deadline and process.poll() is None, "the sinks did not start"
        time.sleep(0.1)
    yield smtp, sms, tmp_path
    process.terminate()
    assert process.wait(timeout=10) is not None


def test_mail_over_smtp_is_kept_with_its_recipient_subject_and_text(sinks):
    smtp_port, _, out = sinks
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "Hi"
    message.set_content("Follow https://app.example/account/verify-email/k3y")
    message.add_alternative("<p>html</p>", subtype="html")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
        smtp.send_message(message)

    kept = [json.loads(line) for line in (out / "email.jsonl").read_text().splitlines()]
    assert [(m["to"], m["subject"]) for m in kept] == [(["b@example.com"], "Hi")]
    assert "/account/verify-email/k3y" in kept[0]["body"]


def test_a_non_ascii_subject_and_an_encoded_body_are_kept_decoded(sinks):
    smtp_port, _, out = sinks
    message = EmailMessage()
    message["From"], message["To"] = "a@example.com", "b@example.com"
    message["Subject"] = "Termin bei Café Müller bestätigt"
    message.set_content("Grüße: https://app.example/a/ß\n" * 40, cte="base64")
    message.add_attachment(b"BEGIN:VCALENDAR", maintype="text", subtype="calendar",
                           filename="termin.ics")  # fmt: skip
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
        smtp.send_message(message)

    kept = json.loads((out / "email.jsonl").read_text())
    assert kept["subject"] == "Termin bei Café Müller bestätigt"
    assert kept["body"].startswith("Grüße: https://app.example/a/ß")
    assert "VCALENDAR" not in kept["body"]


def test_several_messages_on_one_connection_are_each_kept_with_dots_unstuffed(sinks):
    smtp_port, _, out = sinks
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
        for number in (1, 2):
            text = f"Line one\r\n.starts with a dot\r\n..two dots {number}\r\n"
            smtp.sendmail("a@example.com", ["c@example.com", "d@example.com"],
                          f"Subject: Nr {number}\r\n\r\n{text}")  # fmt: skip

    kept = [json.loads(line) for line in (out / "email.jsonl").read_text().splitlines()]
    assert [m["subject"] for m in kept] == ["Nr 1", "Nr 2"]
    assert kept[1]["to"] == ["c@example.com", "d@example.com"]
    assert kept[1]["body"] == "Line one\r\n.starts with a dot\r\n..two dots 2\r\n"


@contextmanager
def raw_smtp(
    port: int,
) -> Iterator[tuple[socket.socket, Callable[[bytes], bytes], BinaryIO]]:
    """A session spoken line by line: the socket, `say`, which sends one line and returns the
    last line of the reply (a multi-line reply's earlier lines have a "-" after the code), and
    the reader of the replies, for a test that reads them itself."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        replies = raw.makefile("rb")

        def say(line: bytes) -> bytes:
            raw.sendall(line + b"\r\n")
            while (reply := replies.readline())[3:4] == b"-":
                pass
            return reply

        assert replies.readline().startswith(b"220")
        yield raw, say, replies
        raw.shutdown(socket.SHUT_WR)
        assert replies.read() == b""  # the sink ends the session once the client has


def test_commands_out_of_order_or_unknown_are_refused_and_nothing_is_kept(sinks):
    smtp_port, _, out = sinks
    with raw_smtp(smtp_port) as (_, say, _):
        assert say(b"RCPT TO:<b@example.com>")[:3] == b"503"
        assert say(b"DATA")[:3] == b"503"
        assert say(b"VRFY b@example.com")[:3] == b"502"
        assert say(b"MAIL b@example.com")[:3] == b"501"
        assert say(b"NOOP " + b"x" * 3000)[:3] == b"500"
        assert say(b"MAIL FROM:<a@example.com>")[:3] == b"250"
        assert say(b"RCPT TO:<b@example.com>")[:3] == b"250"
        assert say(b"RSET")[:3] == b"250"
        assert say(b"DATA")[:3] == b"503"
        assert say(b"QUIT")[:3] == b"221"
    assert not (out / "email.jsonl").exists()


def test_the_sink_offers_pipelining_and_answers_a_group_of_commands_in_order(sinks):
    smtp_port, _, out = sinks
    with raw_smtp(smtp_port) as (raw, say, replies):
        raw.sendall(b"EHLO client\r\n")
        offered = [replies.readline()]
        while offered[-1][3:4] == b"-":
            offered.append(replies.readline())
        assert b"250-PIPELINING\r\n" in offered
        raw.sendall(b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n")
        assert [replies.readline()[:3] for _ in range(3)] == [b"250", b"250", b"354"]
        assert say(b"Subject: Piped\r\n\r\nHello\r\n.")[:3] == b"250"
        assert say(b"QUIT")[:3] == b"221"

    kept = json.loads((out / "email.jsonl").read_text())
    assert (kept["to"], kept["subject"]) == (["b@example.com"], "Piped")


def test_a_message_cut_off_before_its_end_is_not_kept(sinks):
    smtp_port, _, out = sinks
    with raw_smtp(smtp_port) as (raw, say, _):
        for command in (b"EHLO client", b"MAIL FROM:<a@example.com>", b"RCPT TO:<b@example.com>"):
            assert say(command)[:3] == b"250"
        assert say(b"DATA")[:3] == b"354"
        raw.sendall(b"Subject: half\r\n\r\nno end marker follows\r\n")
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:  # the sink is still serving
        smtp.sendmail("a@example.com", ["c@example.com"], "Subject: whole\r\n\r\nbody\r\n")

    kept = [json.loads(line) for line in (out / "email.jsonl").read_text().splitlines()]
    assert [m["subject"] for m in kept] == ["whole"]


def test_sms_through_the_twilio_client_is_kept_and_answered_with_a_sid(sinks):
    _, sms_port, out = sinks
    client = Client("ACstack", "stack")
    client.api.base_url = f"http://127.0.0.1:{sms_port}"

    sent = client.messages.create(to="+491701234567", from_="+15005550006", body="Booked")

    assert sent.sid.startswith("SM")
    kept = [json.loads(line) for line in (out / "sms.jsonl").read_text().splitlines()]
    assert [(m["to"], m["body"]) for m in kept] == [("+491701234567", "Booked")]


def test_several_sms_from_one_client_share_one_kept_alive_connection(sinks):
    _, sms_port, out = sinks
    connection = http.client.HTTPConnection("127.0.0.1", sms_port, timeout=5)
    for body in ("first", "second"):
        connection.request(
            "POST",
            "/2010-04-01/Accounts/ACstack/Messages.json",
            body=f"To=%2B491701234567&From=%2B15005550006&Body={body}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        answer = connection.getresponse()
        assert answer.status == 201 and json.loads(answer.read())["sid"].startswith("SM")
        assert answer.version == 11 and not answer.will_close
    connection.close()

    kept = [json.loads(line) for line in (out / "sms.jsonl").read_text().splitlines()]
    assert [m["body"] for m in kept] == ["first", "second"]
