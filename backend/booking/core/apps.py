from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "booking.core"
    label = "core"
