from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the `seed_demo` command; no models of its own."""

    name = "booking.demo"
    label = "demo"
