from django.apps import AppConfig


class SalonsConfig(AppConfig):
    name = "booking.salons"
    label = "salons"
