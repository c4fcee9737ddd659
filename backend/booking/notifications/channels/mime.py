"""The bytes of the e-mails notifications send, written directly.

Django's EmailMessage.message() builds the email package's MIME objects, and as_bytes() runs
its generator: header folding, address parsing, boundary checks. For a booking confirmation
with its calendar file that was 0.87 ms of CPU, half of what the worker spends on a
notification. What we send is always the same shape: text, and text attachments at most (the
calendar file). `LeanEmailMessage` writes that shape itself; any Django e-mail backend (SMTP,
SES, locmem, console) sends it as before, through message() and as_bytes().
"""

from __future__ import annotations

import binascii
import functools
import uuid
from email.header import Header
from email.utils import encode_rfc2231, formataddr, formatdate, getaddresses, make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import BadHeaderError, sanitize_address

# RFC 5322's limit on a line; longer text (or any non-ASCII) goes quoted-printable.
MAX_LINE = 998


class LeanEmailMessage(EmailMessage):
    """An EmailMessage of text and text attachments, serialised without the email package."""

    def message(self, **kwargs: Any) -> RawMessage:  # type: ignore[override]  # backends only serialise it
        parts = [_text_part(str(self.body), f"text/{self.content_subtype}")]
        parts += [_attachment_part(*attachment) for attachment in self.attachments]
        headers = self._header_lines()
        if len(parts) == 1:
            return RawMessage([*headers, *parts[0]])
        boundary = f"=_{uuid.uuid4().hex}"  # 128 random bits: no body line can be it
        lines = [*headers, f'Content-Type: multipart/mixed; boundary="{boundary}"', ""]
        for part in parts:
            lines += [f"--{boundary}", *part]
        return RawMessage([*lines, f"--{boundary}--", ""])

    def _header_lines(self) -> list[str]:
        extra = {name.lower(): value for name, value in self.extra_headers.items()}
        lines = [f"From: {_address(str(extra.pop('from', self.from_email)))}"]
        for name, addresses in (("To", self.to), ("Cc", self.cc), ("Reply-To", self.reply_to)):
            if name.lower() in extra:  # one header value, perhaps several addresses
                addresses = [formataddr(pair) for pair in getaddresses([extra.pop(name.lower())])]
            if addresses:
                lines.append(f"{name}: {', '.join(_address(str(a)) for a in addresses)}")
        values = {
            "Subject": self.subject,
            "Date": extra.pop("date", None) or _now(),
            "Message-ID": extra.pop("message-id", None) or make_msgid(),
        }
        values |= {
            name: value for name, value in self.extra_headers.items() if name.lower() in extra
        }
        lines += [f"{name}: {_header_value(name, str(value))}" for name, value in values.items()]
        return [*lines, "MIME-Version: 1.0"]


class RawMessage:
    """What message() returns: the lines of the message, joined as a backend asks."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n", policy: Any = None) -> bytes:
        separator = policy.linesep if policy is not None else linesep
        return separator.join(self._lines).encode("ascii")

    def as_string(self, unixfrom: bool = False, linesep: str = "\n", policy: Any = None) -> str:
        return self.as_bytes(unixfrom, linesep, policy).decode("ascii")

    def get_charset(self) -> None:
        """No charset for the whole message: it is ASCII (the console backend asks)."""
        return None


def _now() -> str:
    return formatdate(localtime=settings.EMAIL_USE_LOCALTIME)


def _header_value(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for {name})")
    if value.isascii() and len(value) <= MAX_LINE - len(name) - 2:
        return value
    return Header(value, "utf-8").encode(linesep=" ")  # encoded words, one line


@functools.lru_cache(maxsize=256)
def _address(address: str) -> str:
    """Django's rules (encoded display names, IDNA domains, no newlines); the sender's is the
    same every time, and parsing it is most of the cost."""
    return sanitize_address(address, settings.DEFAULT_CHARSET)


def _text_part(text: str, content_type: str, *extra_headers: str) -> list[str]:
    data = text.replace("\r\n", "\n").encode("utf-8")
    headers = [f'Content-Type: {content_type}; charset="utf-8"', *extra_headers]
    lines = data.split(b"\n")
    if data.isascii() and max(map(len, lines)) <= MAX_LINE:
        return [*headers, "Content-Transfer-Encoding: 7bit", "", *(x.decode() for x in lines)]
    encoded = binascii.b2a_qp(data, istext=True).decode("ascii").split("\n")
    return [*headers, "Content-Transfer-Encoding: quoted-printable", "", *encoded]


def _attachment_part(filename: str, content: str | bytes, mimetype: str) -> list[str]:
    disposition = f"Content-Disposition: attachment; {_filename(filename)}"
    if isinstance(content, str):  # Django decoded a text/* attachment
        return _text_part(content, mimetype, disposition)
    encoded = binascii.b2a_base64(content, newline=False).decode("ascii")
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    return [
        f"Content-Type: {mimetype}",
        disposition,
        "Content-Transfer-Encoding: base64",
        "",
        *lines,
    ]


def _filename(filename: str) -> str:
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        return f'filename="{filename}"'
    return f"filename*={encode_rfc2231(filename, 'utf-8')}"
