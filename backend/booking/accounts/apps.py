from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "booking.accounts"
    label = "accounts"
