from django.apps import AppConfig


class AddressesConfig(AppConfig):
    name = "booking.addresses"
    label = "addresses"
