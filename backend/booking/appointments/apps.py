from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "booking.appointments"
    label = "appointments"
