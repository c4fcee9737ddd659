from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "booking.notifications"
    label = "notifications"
