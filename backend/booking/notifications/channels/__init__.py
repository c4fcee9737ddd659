"""Delivery channels behind one small interface; settings.NOTIFICATION_CHANNELS lists them.

A new channel is a new module with a class that has `send(message) -> provider id`, plus one
line in settings; nothing else changes.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from booking.notifications.channels.base import DeliveryChannel


@cache
def channel_for(name: str) -> DeliveryChannel:
    channel: DeliveryChannel = import_string(settings.NOTIFICATION_CHANNELS[name])()
    return channel
