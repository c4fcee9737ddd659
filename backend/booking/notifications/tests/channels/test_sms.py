from __future__ import annotations

import base64

import pytest

from booking.notifications.channels.base import (
    OutboundMessage,
    PermanentSendError,
    TransientSendError,
)
from booking.notifications.channels.sms import SmsChannel
from booking.notifications.tests.fakes import fake_twilio

MESSAGE = OutboundMessage(recipient="+491701234567", subject="", body="Booked!", reference="n-1")


@pytest.fixture
def twilio(settings):
    with fake_twilio() as (url, script):
        settings.SMS_BACKEND = "twilio"
        settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
        settings.TWILIO_AUTH_TOKEN = "secret-token"
        settings.TWILIO_FROM_NUMBER = "+15005550006"
        settings.TWILIO_API_BASE_URL = url
        yield script


def test_it_posts_the_message_the_way_twilio_expects(twilio):
    sid = SmsChannel().send(MESSAGE)
    assert sid.startswith("SM")
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
    assert request["form"] == {"To": "+491701234567", "From": "+15005550006", "Body": "Booked!"}
    expected = base64.b64encode(f"AC{'1' * 32}:secret-token".encode()).decode()
    assert request["authorization"] == f"Basic {expected}"


def test_an_invalid_number_is_permanent(twilio):
    twilio.responses = [
        (400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
    ]
    with pytest.raises(PermanentSendError, match="21211"):
        SmsChannel().send(MESSAGE)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_throttling_and_provider_errors_are_transient(twilio, status):
    twilio.responses = [
        (status, {"code": 20429 if status == 429 else 20500, "message": "busy", "status": status})
    ]
    with pytest.raises(TransientSendError):
        SmsChannel().send(MESSAGE)


def test_an_unreachable_provider_is_transient(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "1" * 32
    settings.TWILIO_AUTH_TOKEN = "secret-token"
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(TransientSendError):
        SmsChannel().send(MESSAGE)


def test_the_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "console"
    assert SmsChannel().send(MESSAGE) == "console-n-1"
    assert "SMS to +491701234567: Booked!" in capsys.readouterr().out
