"""The stack's mail and SMS providers: an SMTP server and a Twilio-compatible HTTP endpoint
that keep every message they accept as one JSON line (an e-mail with its plain-text body), so
production settings deliver for real (nothing goes to a console), a drill can count what left
and a browser test can follow a mailed link.

    python -m deploy.stack.sinks --smtp-port P --sms-port Q --out DIR
"""

from __future__ import annotations

import argparse
import json
import signal
import socketserver
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

_write_lock = threading.Lock()


def _append(path: Path, record: dict[str, Any]) -> None:
    with _write_lock, path.open("a") as out:
        out.write(json.dumps(record) + "\n")


# A message larger than this is refused (552) once read; it is far beyond any notification.
_MAX_MESSAGE_BYTES = 32 * 1024 * 1024
_MAX_LINE = 1024  # RFC 5321 allows 1000 octets a line; a longer command is refused whole


class SmtpSession(socketserver.StreamRequestHandler):
    """One SMTP client, in plain blocking I/O: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT,
    with PIPELINING (RFC 2920: commands are read and answered in order, whenever they arrive).

    The sink's cost per message counts in the benchmark's machine CPU per booking although a
    real provider spends it on its own machines: aiosmtpd's asyncio streams, timers and address
    parser cost about 1 ms a message here, a tenth of a booking, where these few lines cost a
    fraction of that. What it accepts is kept as one JSON line (`_record_mail`).
    """

    timeout = 300  # an idle client is let go after five minutes, as providers do
    # A pipelining client's commands are answered one by one: with Nagle's algorithm the second
    # answer waited for the client's delayed acknowledgement of the first, 40 ms a message.
    disable_nagle_algorithm = True
    server: MailServer

    def handle(self) -> None:
        self._reply(b"220 stack mail sink ESMTP")
        envelope = _Envelope()
        while line := self.rfile.readline(_MAX_LINE + 1):
            if len(line) > _MAX_LINE:
                while line and not line.endswith(b"\n"):  # the rest of the long line
                    line = self.rfile.readline(_MAX_LINE + 1)
                self._reply(b"500 Line too long")
                continue
            verb, _, argument = line.rstrip(b"\r\n").decode("utf-8", "replace").partition(" ")
            verb = verb.upper()
            if verb == "QUIT":
                self._reply(b"221 Bye")
                return
            if verb == "DATA" and envelope.recipients:
                self._receive(envelope.recipients)
                envelope = _Envelope()
            else:
                self._reply(envelope.command(verb, argument))

    def _receive(self, recipients: list[str]) -> None:
        self._reply(b"354 End data with <CR><LF>.<CR><LF>")
        lines: list[bytes] = []
        size = 0
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n"):
            if not line:
                return  # the client went away mid-message: nothing is kept
            size += len(line)
            if size <= _MAX_MESSAGE_BYTES:
                lines.append(line[1:] if line.startswith(b"..") else line)  # dot-unstuffing
        if size > _MAX_MESSAGE_BYTES:
            self._reply(b"552 Message too large")
            return
        _record_mail(self.server.out, recipients, b"".join(lines))
        self._reply(b"250 Message accepted")

    def _reply(self, answer: bytes) -> None:
        self.wfile.write(answer + b"\r\n")


class MailServer(socketserver.ThreadingTCPServer):
    """A thread per SMTP session; what the sessions accept goes to `out`, a line each."""

    allow_reuse_address = True
    daemon_threads = True  # an idle client's session does not hold up shutdown

    def __init__(self, address: tuple[str, int], out: Path) -> None:
        super().__init__(address, SmtpSession)
        self.out = out


@dataclass
class _Envelope:
    """The sender and recipients of the message a session is building."""

    sender: str | None = None
    recipients: list[str] = field(default_factory=list)

    def command(self, verb: str, argument: str) -> bytes:
        """Apply one command other than DATA with recipients and QUIT; the reply."""
        if verb == "MAIL" and argument.upper().startswith("FROM:"):
            self.sender, self.recipients = _address(argument[5:]), []
            return b"250 OK"
        if verb == "RCPT" and argument.upper().startswith("TO:"):
            if self.sender is None:
                return b"503 Error: need MAIL command"
            self.recipients.append(_address(argument[3:]))
            return b"250 OK"
        if verb == "RSET":
            self.sender, self.recipients = None, []
        return _ANSWERS.get(verb, b"502 Command not implemented")


_ANSWERS = {
    "EHLO": b"250-stack mail sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SMTPUTF8",
    "HELO": b"250 stack mail sink",
    "RSET": b"250 OK",
    "NOOP": b"250 OK",
    "MAIL": b"501 Syntax: MAIL FROM:<address>",
    "RCPT": b"501 Syntax: RCPT TO:<address>",
    "DATA": b"503 Error: need RCPT command",
}


def _address(argument: str) -> str:
    """The address of `FROM:<a@b> SIZE=…` or `TO:a@b`, without its brackets or parameters."""
    argument = argument.strip()
    if argument.startswith("<"):
        return argument[1 : argument.find(">")] if ">" in argument else argument[1:]
    return argument.partition(" ")[0]


def _record_mail(out: Path, recipients: list[str], content: bytes) -> None:
    # The legacy parser: the modern one (policy.default) cost 2.6 ms a message, a tenth of a
    # booking's whole CPU in the benchmark for work a real provider does on its own machines.
    message = message_from_bytes(content)
    record = {
        "to": recipients,
        "subject": str(make_header(decode_header(message["Subject"] or ""))),
        "body": _text_of(message),  # the browser tests follow the links in account e-mails
        "at": time.time(),
    }
    _append(out, record)


def _text_of(message: Message) -> str:
    """The first plain-text part that is not an attachment, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain" and part.get_filename() is None:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return ""


def sms_handler(out: Path) -> type[BaseHTTPRequestHandler]:
    class SmsSink(BaseHTTPRequestHandler):
        # Keep-alive, as Twilio's API answers: with HTTP/1.0 every message cost the worker and
        # the sink a new connection (and the sink a new thread).
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            _append(out, {"to": form.get("To"), "body": form.get("Body"), "at": time.time()})
            payload = json.dumps({"sid": f"SM{time.time_ns():032d}", "status": "queued"})
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload.encode())

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return SmsSink


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--sms-port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    mail = MailServer(("127.0.0.1", args.smtp_port), args.out / "email.jsonl")
    threading.Thread(target=mail.serve_forever, name="smtp", daemon=True).start()
    sms = ThreadingHTTPServer(("127.0.0.1", args.sms_port), sms_handler(args.out / "sms.jsonl"))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=sms.shutdown).start())
    try:
        sms.serve_forever()
    finally:
        mail.shutdown()
        mail.server_close()


if __name__ == "__main__":
    main()
