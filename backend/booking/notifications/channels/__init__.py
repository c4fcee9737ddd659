"""Delivery channels behind one small interface; settings.NOTIFICATION_CHANNELS lists them.

A new channel is a new module with a class that has `send(message) -> provider id`, plus one
line in settings; nothing else changes.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from booking.notifications.channels.base import DeliveryChannel


@cache
def channel_for(name: str) -> DeliveryChannel:
    channel: DeliveryChannel = import_string(settings.NOTIFICATION_CHANNELS[name])()
    return channel


@receiver(setting_changed)
def _forget_channels(*, setting: str, **kwargs: Any) -> None:
    """Channels keep connections open, made with the settings of their time (tests change them)."""
    if setting.startswith(("EMAIL_", "SMS_", "TWILIO_", "NOTIFICATION_CHANNELS")):
        for name in settings.NOTIFICATION_CHANNELS:
            getattr(channel_for(name), "close", lambda: None)()
        channel_for.cache_clear()
