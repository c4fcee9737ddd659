"""iCalendar (RFC 5545) attachments, so customers can put an appointment in their calendar."""

from __future__ import annotations

import datetime as dt

from booking.appointments.models import Appointment

_UTC_FORMAT = "%Y%m%dT%H%M%SZ"


def appointment_ics(appointment: Appointment, *, cancelled: bool = False) -> bytes:
    salon = appointment.salon
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Salon booking//EN",
        f"METHOD:{'CANCEL' if cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{appointment.id}@booking",
        # Later versions of the same appointment must win in the customer's calendar.
        f"SEQUENCE:{int(appointment.updated_at.timestamp())}",
        f"DTSTAMP:{_utc(appointment.updated_at)}",
        f"DTSTART:{_utc(appointment.start)}",
        f"DTEND:{_utc(appointment.end)}",
        f"SUMMARY:{_text(f'{appointment.service.name} at {salon.name}')}",
        f"LOCATION:{_text(str(salon.address))}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime(_UTC_FORMAT)


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)
