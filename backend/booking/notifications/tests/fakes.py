"""Local stand-ins for the providers, spoken to over real sockets by the real client libraries."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller


@dataclass
class TwilioScript:
    """What the fake answers next: (status, body) pairs; 201 with a sid once they run out."""

    responses: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    hold_seconds: float = 0.0  # keep the client waiting, so a test can kill it mid-send
    requests: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)  # answered 2xx to a live client
    lock: threading.Lock = field(default_factory=threading.Lock)


class _TwilioHandler(BaseHTTPRequestHandler):
    script: TwilioScript

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        record = {
            "path": self.path,
            "form": form,
            "authorization": self.headers.get("Authorization"),
        }
        with self.script.lock:
            self.script.requests.append(record)
            status, body = self.script.responses.pop(0) if self.script.responses else (201, None)
        time.sleep(self.script.hold_seconds)
        if _peer_closed(self.connection):
            return  # the client died before its answer: nothing was delivered to it
        body = body or {"sid": f"SM{len(self.script.requests):032d}", "status": "queued"}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        if 200 <= status < 300:
            with self.script.lock:
                self.script.delivered.append(record)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _peer_closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


@contextmanager
def fake_twilio() -> Iterator[tuple[str, TwilioScript]]:
    script = TwilioScript()
    handler = type("Handler", (_TwilioHandler,), {"script": script})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpScript:
    pipelining: bool = True  # offered in the EHLO answer, as most providers do
    mail_reply: str = "250 OK"
    rcpt_reply: str = "250 OK"
    data_reply: str = "250 Message accepted"
    messages: list[Any] = field(default_factory=list)
    peers: set[Any] = field(default_factory=set)  # the client's (address, port) per message

    @property
    def sessions(self) -> int:
        """How many SMTP connections carried the accepted messages."""
        return len(self.peers)


class _SmtpHandler:
    def __init__(self, script: SmtpScript) -> None:
        self.script = script

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.script.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if not self.script.mail_reply.startswith("250"):
            return self.script.mail_reply
        envelope.mail_from, envelope.mail_options = address, mail_options
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self.script.rcpt_reply.startswith("250"):
            return self.script.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.script.data_reply.startswith("250"):
            self.script.messages.append(envelope)
            self.script.peers.add(session.peer)
        return self.script.data_reply


@contextmanager
def fake_smtp(*, pipelining: bool = True) -> Iterator[tuple[int, SmtpScript]]:
    script = SmtpScript(pipelining=pipelining)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_SmtpHandler(script), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, script
    finally:
        controller.stop()


@contextmanager
def smtp_answering_after_data() -> Iterator[tuple[int, list[bytes]]]:
    """An SMTP server offering PIPELINING that answers MAIL, RCPT and DATA only once DATA has
    arrived: a client waiting for each answer before its next command gets none. Yields the
    port and the commands and message it received."""
    received: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def serve() -> None:
        with contextlib.suppress(OSError), listener.accept()[0] as client:
            client.settimeout(5)
            lines = client.makefile("rb")
            client.sendall(b"220 ready\r\n")
            received.append(lines.readline())
            client.sendall(b"250-fake\r\n250 PIPELINING\r\n")
            while not received[-1].startswith(b"DATA"):
                received.append(lines.readline())
            client.sendall(b"250 OK\r\n" * (len(received) - 2) + b"354 Go ahead\r\n")
            while (line := lines.readline()) not in (b".\r\n", b""):
                received.append(line)
            client.sendall(b"250 Accepted\r\n")
            received.append(lines.readline())  # QUIT
            client.sendall(b"221 Bye\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], received
    finally:
        thread.join(timeout=5)
        listener.close()
